"""Disclosure control: primary rules, secondary suppression, and an adversarial district.

Expected suppressions are worked out by hand in the comments (k = 85: a cell is unsafe
when its two largest contributors exceed 85% of it; a suppressed cell needs cover of
``top2 × 15/85 − rest`` from the other suppressed cells of its line).
"""

from __future__ import annotations

import random

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innolib.disclosure import (
    SUPPRESSED,
    TOTAL,
    cell_is_safe,
    protect_table,
    recoverable_cells,
    required_cover,
    table_lines,
)


def contribs(cells: dict[str, list[float]], sector: str = "s") -> pd.DataFrame:
    """Per-enterprise contributions: one enterprise per value, ids unique across towns."""
    return pd.DataFrame(
        [
            {"uscc": f"{town}-{i}", "town": town, "sector": sector, "value": v}
            for town, values in cells.items()
            for i, v in enumerate(values)
        ]
    )


def status(table, key: str) -> str:
    return table.cells.set_index(table.by[0]).at[key, "status"]


# --------------------------------------------------------------------------- primary rules


@pytest.mark.parametrize(
    "values, expected",
    [
        ([], (True, "empty")),  # nobody to disclose
        ([5.0], (False, "min_frequency")),
        ([5.0, 5.0], (False, "min_frequency")),
        ([10.0, 10.0, 10.0], (True, "safe")),  # top2 = 66.7%
        ([80.0, 6.0, 5.0, 5.0, 4.0], (False, "dominance")),  # top2 = 86 / 100
        ([80.0, 5.0, 5.0, 5.0, 5.0], (True, "safe")),  # top2 = 85 / 100: not *more* than 85%
        ([0.0, 0.0, 0.0], (True, "safe")),  # three respondents, all zero
        ([100.0, 0.0, 0.0], (False, "dominance")),  # zeros count as respondents but cannot hide 100
        ([None, 50.0, 40.0, 30.0], (True, "safe")),  # missing = 0, a 4th respondent: top2 = 90/120
        ([None, 90.0, 10.0], (False, "dominance")),  # 3 respondents, top2 = 100%
    ],
)
def test_cell_is_safe(values, expected):
    assert cell_is_safe(values) == expected


def test_required_cover_is_the_dominance_shortfall():
    # top2 = 1020, rest = 15: 1020 * 15/85 - 15 = 180 - 15 = 165
    assert required_cover([1000, 20, 10, 5]) == pytest.approx(165.0)
    # two enterprises: rest = 0, cover = 150 * 15/85
    assert required_cover([100, 50]) == pytest.approx(150 * 15 / 85)
    assert required_cover([10, 10, 10]) == 0.0


# --------------------------------------------------------------------------- hand-worked tables


def test_primary_and_secondary_hand_example():
    table = protect_table(
        contribs(
            {
                "A": [100, 50],  # 2 enterprises: primary (min frequency), cover 26.5
                "B": [1000, 20, 10, 5],  # top2 1020 / 1035 = 98.6%: primary (dominance), cover 165
                "C": [300, 280, 260, 240],  # safe, 1080
                "D": [90, 80, 70],  # safe, 240
            }
        )
    )
    # hidden A + B: A gets 1035 of cover (enough), B only 150 < 165: shortfall 15.
    # smallest published non-empty cell of at least 15 is D (240) -> secondary.
    assert [status(table, t) for t in ("A", "B", "C", "D", TOTAL)] == [
        "primary",
        "primary",
        "published",
        "secondary",
        "published",
    ]
    cells = table.cells.set_index("town")
    assert cells.at["A", "reason"] == "min_frequency" and cells.at["B", "reason"] == "dominance"
    assert cells.at["D", "reason"] == "secondary"
    assert cells.at[TOTAL, "value"] == 150 + 1035 + 1080 + 240
    assert list(cells["display"]) == [SUPPRESSED, SUPPRESSED, "1,080.0", SUPPRESSED, "2,505.0"]
    # counts of enterprises stay published
    assert list(cells["enterprises"]) == [2, 4, 4, 3, 13]
    assert "—" in table.footnote("zh") and "Statistics Law" in table.footnote("en")
    published = table.published.set_index("town")
    assert published["value"].isna().tolist() == [True, True, False, True, False]


def test_single_suppressed_cell_gets_a_partner_that_covers_it():
    table = protect_table(
        contribs(
            {
                "A": [400, 300],  # primary, cover 700 * 15/85 = 123.5
                "B": [30, 30, 30],  # 90: too small to cover alone
                "C": [100, 100, 100],  # 300: smallest that covers -> secondary
                "D": [500, 500, 500],  # 1500
            }
        )
    )
    assert [status(table, t) for t in "ABCD"] == ["primary", "published", "secondary", "published"]
    assert status(table, TOTAL) == "published"


def test_without_a_published_total_no_secondary_suppression_is_needed():
    table = protect_table(
        contribs({"A": [400, 300], "B": [30, 30, 30], "C": [100, 100, 100]}), total=False
    )
    assert [status(table, t) for t in "ABC"] == ["primary", "published", "published"]
    assert TOTAL not in set(table.cells["town"])


def test_a_dominated_total_is_suppressed_and_then_protects_its_cells():
    # the total's top two (400 + 300) are 700 / 703 = 99.6%: the total itself is primary.
    # With the total hidden, A = total - B has two unknowns, so B (3) may stay published.
    table = protect_table(contribs({"A": [400, 300], "B": [1, 1, 1]}))
    assert [status(table, t) for t in ("A", "B", TOTAL)] == ["primary", "published", "primary"]
    _assert_safe(table)


def test_empty_categories_are_shown_and_never_used_as_cover():
    table = protect_table(
        contribs({"A": [400, 300], "B": [100, 100, 100], "C": [200, 200, 200]}),
        categories={"town": ["A", "B", "C", "Z"]},
    )
    cells = table.cells.set_index("town")
    assert cells.at["Z", "enterprises"] == 0 and cells.at["Z", "status"] == "published"
    assert cells.at["B", "status"] == "secondary"  # 300 >= 123.5, smallest non-empty


def test_an_enterprise_with_several_rows_is_one_contributor():
    # 3 rows but one enterprise in A: still fewer than 3 enterprises
    frame = pd.DataFrame(
        {
            "uscc": ["x", "x", "x", "y", "z", "w"],
            "town": ["A", "A", "A", "B", "B", "B"],
            "sector": "s",
            "value": [10.0, 10.0, 10.0, 5.0, 5.0, 5.0],
        }
    )
    table = protect_table(frame, total=False)
    cells = table.cells.set_index("town")
    assert cells.at["A", "enterprises"] == 1 and cells.at["A", "status"] == "primary"


def test_two_way_table_has_no_recoverable_cell():
    rows = []
    layout = {  # (town, sector): values
        ("T1", "S1"): [50, 40],
        ("T1", "S2"): [30, 30, 30],
        ("T1", "S3"): [20, 20, 20, 20],
        ("T2", "S1"): [60, 60, 60],
        ("T2", "S2"): [500, 10, 10],
        ("T2", "S3"): [40, 40, 40],
        ("T3", "S1"): [70, 70, 70],
        ("T3", "S2"): [25, 25, 25],
        ("T3", "S3"): [15, 15, 15],
    }
    for (town, sector), values in layout.items():
        rows += [
            {"uscc": f"{town}{sector}{i}", "town": town, "sector": sector, "value": v}
            for i, v in enumerate(values)
        ]
    table = protect_table(pd.DataFrame(rows), by=("town", "sector"))
    cells = table.cells.set_index(["town", "sector"])
    assert cells.at[("T1", "S1"), "status"] == "primary"
    assert cells.at[("T2", "S2"), "status"] == "primary"
    _assert_safe(table)


def _assert_safe(table) -> None:
    """No unsafe cell published, no suppressed cell exactly recoverable, every line covered."""
    hidden = table.cells["status"] != "published"
    lines = table_lines(table)
    assert recoverable_cells(hidden, lines) == []
    for line in lines:
        inner, total = line[:-1], line[-1]
        n_hidden = sum(bool(hidden[k]) for k in inner)
        if not hidden[total]:
            assert n_hidden != 1, "a single suppressed cell on a line with a published total"


# --------------------------------------------------------------------------- adversarial and random


def test_adversarial_district_by_town():
    """A town with 2 R&D enterprises, a town with a dominant enterprise, a cell recoverable from its total."""
    table = protect_table(
        contribs(
            {
                "峡窝镇": [3000, 2500],  # two enterprises
                "济源路街道": [20000, 300, 200, 100],  # one dominant enterprise (97%)
                "中心路街道": [1500, 1400, 1300, 1200],
                "新安路街道": [900, 800, 700],
                "工业路街道": [400, 350, 300],
            }
        )
    )
    # without secondary suppression 峡窝镇 = total - the rest: it must not be the only hidden cell
    assert status(table, "峡窝镇") == "primary" and status(table, "济源路街道") == "primary"
    _assert_safe(table)
    # cover: 济源路 needs 20300 * 15/85 - 300 = 3282.4 from the others; 峡窝镇 gives 5500
    hidden = table.cells[table.cells["status"] != "published"]
    assert set(hidden["town"]) == {"峡窝镇", "济源路街道"}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(min_value=0, max_value=1e5, allow_nan=False), min_size=0, max_size=6),
        min_size=2,
        max_size=7,
    )
)
def test_random_tables_are_always_safe(towns):
    frame = contribs({f"T{i}": v for i, v in enumerate(towns)})
    if frame.empty:
        return
    table = protect_table(frame)
    _assert_safe(table)
    cells = table.cells.set_index("town")
    for town, values in zip((f"T{i}" for i in range(len(towns))), towns):
        if values:
            ok, _ = cell_is_safe(values)
            assert ok or cells.at[town, "status"] == "primary"


def test_random_two_way_tables_are_safe():
    rng = random.Random(7)
    for _ in range(25):
        rows = []
        for t in range(rng.randint(2, 4)):
            for s in range(rng.randint(2, 4)):
                for i in range(rng.choice([0, 1, 2, 3, 5])):
                    rows.append(
                        {
                            "uscc": f"{t}-{s}-{i}",
                            "town": f"T{t}",
                            "sector": f"S{s}",
                            "value": rng.choice([1, 10, 100, 1000, 10000]) * rng.random(),
                        }
                    )
        if rows:
            _assert_safe(protect_table(pd.DataFrame(rows), by=("town", "sector")))
