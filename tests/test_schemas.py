"""The table rules' own helpers (``innolib.schemas``); the rules themselves are exercised
through the loader in tests/test_load.py."""

from __future__ import annotations

import pandas as pd

from innolib.schemas import duplicated_keys


def test_duplicated_keys_marks_every_occurrence_and_missing_equals_missing():
    frame = pd.DataFrame(
        {
            "code": pd.array(["A", "B", "A", None, None, "C"], dtype="string[pyarrow]"),
            "year": pd.array([2024, 2024, 2025, None, None, 2024], dtype="Int64"),
        }
    )
    # by code alone: A twice, the two missing codes, B and C once
    assert duplicated_keys(frame, ["code"]).tolist() == [True, False, True, True, True, False]
    # by (code, year): the A rows differ by year; the two (missing, missing) rows are equal
    assert duplicated_keys(frame, ["code", "year"]).tolist() == [
        False,
        False,
        False,
        True,
        True,
        False,
    ]
    # by year: 2024 three times, missing twice, 2025 once
    assert duplicated_keys(frame, ["year"]).tolist() == [True, True, False, True, True, True]
    assert duplicated_keys(frame.iloc[:0], ["code"]).tolist() == []
