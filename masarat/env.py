"""Typed readers of environment variables, so settings say what type they expect.

A secret can also be given as a file: ``NAME_FILE=/run/secrets/name`` is read when ``NAME``
is not set, which keeps secrets out of process listings and shell history.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(RuntimeError):
    """An environment variable holds a value Masarat cannot use."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is not None:
        return value
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return None


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    number = _number(name, int, "a whole number")
    if number is None:
        return default
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {number}")
    return number


def _number(name: str, kind: type[int] | type[float], described: str) -> Any:
    """The variable read as a number of that kind; None when it is unset or empty."""
    value = _raw(name)
    if value is None or value.strip() == "":
        return None
    try:
        return kind(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be {described}, not {value!r}") from exc


def env_probability(name: str) -> float | None:
    """A probability strictly between 0 and 1, or None when the variable is unset or empty (off)."""
    number = _number(name, float, "a number between 0 and 1")
    if number is not None and not 0 < number < 1:
        raise ConfigurationError(f"{name} must be between 0 and 1 (excluded), not {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
