"""Splink (DuckDB backend) on the same rows, configured the way its documentation teaches for a dedupe.

Cleaning a competent engineer would do first: names lower-cased without accents or punctuation,
empty values as NULL, the year of birth as its own column, phones reduced to their last nine
digits, document numbers upper-cased. Comparisons: Splink's name comparison (Jaro-Winkler levels,
term-frequency adjusted) for first and last name, Levenshtein on the date of birth (partial dates
are strings), exact matches on sex, nationality and phone, Levenshtein on the document number,
Jaro-Winkler on the address. Training as in Splink's tutorials: the prior from deterministic
rules, u by random sampling, m by EM on two blocking passes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from masarat.matching.bench.datasets import Labelled
from masarat.matching.engine import DEFAULT_THRESHOLD

# Splink's tutorials cluster at 0.95; both tools cluster at Masarat's default threshold.
MATCH_THRESHOLD = DEFAULT_THRESHOLD


def _clean_name(value: str) -> str | None:
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^\w ]+", " ", text)
    text = " ".join(text.split())
    return text or None


def _clean(row: dict[str, str]) -> dict[str, Any]:
    digits = re.sub(r"\D", "", row.get("phone", ""))
    return {
        "record_id": row["record_id"],
        "first_name": _clean_name(row.get("first_name", "")),
        "last_name": _clean_name(row.get("last_name", "")),
        "sex": (row.get("sex", "").strip().lower()[:1] or None),
        "birth_date": row.get("birth_date", "").strip() or None,
        "birth_year": row.get("birth_date", "").strip()[:4] or None,
        "nationality": _clean_name(row.get("nationality", "")),
        "phone": digits[-9:] if len(digits) >= 9 else None,
        "document_number": re.sub(r"\W", "", row.get("document_number", "")).upper() or None,
        "address": _clean_name(row.get("address", "")),
    }


def run_splink(rows: Labelled) -> dict[str, str]:
    """record_id -> cluster id, as Splink finds them."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.DataFrame([_clean(row) for row, _entity in rows])
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("phone"),
            cl.LevenshteinAtThresholds("document_number", [1, 2]),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"),
            block_on("last_name", "birth_year"),
            block_on("first_name", "birth_year"),
            block_on("phone"),
            block_on("document_number"),
        ],
    )
    database = DuckDBAPI()
    linker = Linker(database.register(frame), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "birth_date"), block_on("document_number")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, MATCH_THRESHOLD)
    found = clusters.as_pandas_dataframe()
    result = {str(r): str(c) for r, c in zip(found["record_id"], found["cluster_id"], strict=True)}
    for row, _entity in rows:
        result.setdefault(row["record_id"], row["record_id"])
    return result
