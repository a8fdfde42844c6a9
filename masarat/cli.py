"""The ``masarat`` command: Django's management commands, named the way the README writes them.

``masarat seed-demo`` runs the ``seed_demo`` command; ``masarat token create alice`` the
``token`` command. Settings come from the environment, as for the web server.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masarat.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
