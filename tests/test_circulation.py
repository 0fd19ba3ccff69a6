"""Disclosure control across the periods published together: the year's family.

The family of a year (year, halves, quarters, year-to-date months) is protected at once:
a period withheld on its own would come back by subtraction (2024Q1 = 2024 − Q2 − Q3 −
Q4). Expected suppressions are worked out by hand below: a one-enterprise run of months
of value v needs cover v × 15/85 (the dominance shortfall with nothing else in the cell);
a reader's best upper bound for a withheld run follows from the published runs and
months being non-negative.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import _e, mini_package, recoverable_runs

from innolib import circulation
from innolib.disclosure import protect_family
from innolib.indicators import compute_indicators
from innolib.periods import parse_period

Y, H1, H2 = (1, 12), (1, 6), (7, 12)
Q1, Q2, Q3, Q4 = (1, 3), (4, 6), (7, 9), (10, 12)


def months(*rows: tuple[str, int, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["uscc", "month", "value"])


def withheld_runs(fam) -> dict:
    return {r: s for r, s in fam.cells["status"].items() if s != "published"}


def published_runs(fam) -> list:
    return [r for r, s in fam.cells["status"].items() if s == "published"]


def assert_nothing_recoverable(fam) -> None:
    """No withheld cell and no run failing the primary rules follows from the published."""
    targets = list(withheld_runs(fam)) + list(fam.unsafe.index)
    assert recoverable_runs(published_runs(fam), targets) == []
    assert fam.exposed == []


QUARTERLY = {Y: ["2024"], H1: ["2024H1"], H2: ["2024H2"], Q1: ["2024Q1"], Q2: ["2024Q2"]}
QUARTERLY |= {Q3: ["2024Q3"], Q4: ["2024Q4"]}


def test_a_lone_quarter_is_protected_by_its_neighbour_not_by_the_year():
    # Q1: one enterprise, 1000 in February (primary). Q2..Q4: three enterprises of 100 each.
    # Published alone, Q1 = H1 − Q2 = 1300 − 300. Withholding Q2 (300) leaves Q1 ≤ H1 = 1300:
    # margin 300 ≥ cover 1000 × 15/85 = 176.5. No other single cell breaks every path.
    data = months(
        ("A", 2, 1000.0),
        *[(f"{q}{k}", m, 100.0) for q, m in (("B", 4), ("C", 7), ("D", 10)) for k in range(3)],
    )
    fam = protect_family(data, QUARTERLY, Y)
    assert withheld_runs(fam) == {Q1: "primary", Q2: "secondary"}
    assert fam.cells.at[Y, "value"] == pytest.approx(1900.0)
    assert fam.unsafe.at[Q1, "upper"] == pytest.approx(1300.0)
    assert_nothing_recoverable(fam)


def test_the_full_year_is_never_the_complement_more_sub_year_cells_go_instead():
    # Q1 = 1000 (one enterprise, February), Q2 = 60 (three of 20, May), Q3 = Q4 = 300 (three
    # of 100, August and November). Y = 1660 passes (top two 1000 + 100 = 66%); H1 = 1060
    # does not (top two 1020 = 96%; cover 1020 × 15/85 − 40 = 140). Published as is, H1 = Y −
    # H2 = Y − Q3 − Q4 and Q1 = H1 − Q2. Withholding the year alone would unpin both (one
    # cell); it is never chosen. No other single cell does: H1 stays Y − H2 or Y − Q3 − Q4.
    # The cheapest pair is H2 with Q3 (900; H2 with Q4 ties, Q3 comes first): then
    # 1—9月 = Y − Q4 = 1360 bounds H1 (margin 300 ≥ 140) and Q1 ≤ 1360 − 60 (300 ≥ 176.5).
    data = months(
        ("A", 2, 1000.0),
        *[(f"B{k}", 5, 20.0) for k in range(3)],
        *[(f"{q}{k}", m, 100.0) for q, m in (("C", 8), ("D", 11)) for k in range(3)],
    )
    fam = protect_family(data, QUARTERLY, Y)
    assert withheld_runs(fam) == {
        Q1: "primary",
        H1: "primary",
        H2: "secondary",
        Q3: "secondary",
    }
    assert fam.published(Y)
    assert fam.unsafe.at[H1, "upper"] == pytest.approx(1360.0)
    assert fam.unsafe.at[Q1, "upper"] == pytest.approx(1300.0)
    assert_nothing_recoverable(fam)


def test_the_year_goes_only_by_the_primary_rules():
    # H1: one enterprise of 1000; H2: three of 10. Y = 1030, top two 1010 = 98%: primary.
    # With the year withheld, H1 is unbounded: H2 stays published.
    data = months(("A", 3, 1000.0), *[(f"B{k}", 9, 10.0) for k in range(3)])
    fam = protect_family(data, {Y: ["2024"], H1: ["2024H1"], H2: ["2024H2"]}, Y)
    assert withheld_runs(fam) == {Y: "primary", H1: "primary"}
    assert_nothing_recoverable(fam)


def test_a_month_worked_out_from_two_year_to_date_totals_is_protected():
    # January: three enterprises of 100; April: one of 500. 1—3月 = 300 and 1—4月 = 800 both
    # pass, but April alone = 800 − 300 is one enterprise (cover 500 × 15/85 = 88.2).
    # Withholding 1—3月 (300, cheaper than 800): April ≤ 1—4月 = 800, margin 300.
    data = months(*[(f"A{k}", 1, 100.0) for k in range(3)], ("D", 4, 500.0))
    cells = {Y: ["2024"], (1, 3): ["2024M03"], (1, 4): ["2024M04"]}
    fam = protect_family(data, cells, Y)
    assert (4, 4) in fam.unsafe.index and fam.unsafe.at[(4, 4), "value"] == 500.0
    assert withheld_runs(fam) == {(1, 3): "secondary"}
    assert_nothing_recoverable(fam)


def test_a_zero_amount_row_counts_as_a_respondent_of_its_month():
    # B has a row in February with nothing resolved: February has two respondents (A, B),
    # still under three, so 1—2月 is withheld; January (empty) is an honest zero.
    data = months(("A", 2, 700.0), ("B", 2, 0.0), *[(f"C{k}", 6, 100.0) for k in range(3)])
    fam = protect_family(data, {Y: ["2024"], (1, 1): ["2024M01"], (1, 2): ["2024M02"]}, Y)
    assert fam.cells.at[(1, 2), "enterprises"] == 2
    assert withheld_runs(fam) == {(1, 2): "primary"}
    assert fam.cells.at[(1, 1), "reason"] == "empty"


# --------------------------------------------------------------------------- on a package


def _financing(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    """financing rows (record, enterprise n, date, amount): requested = resolved."""
    return pd.DataFrame(
        [
            {
                "record_id": rid,
                "uscc": _e(n),
                "product": "科技信贷",
                "bank": "某银行",
                "date": date,
                "requested": amount,
                "resolved": amount,
            }
            for rid, n, date, amount in rows
        ]
    )


def _subtraction_package():
    # 2024: enterprise 1 alone in Q1 (1000, February); enterprises 2, 3, 4 each 100 in April,
    # July and October. 2025: enterprises 2, 3, 4 each 200 in May.
    rows = [("F0", 1, "2024-02-10", 1000.0)]
    rows += [(f"F{m}{n}", n, f"2024-{m:02d}-05", 100.0) for m in (4, 7, 10) for n in (2, 3, 4)]
    rows += [(f"G{n}", n, "2025-05-05", 200.0) for n in (2, 3, 4)]
    return mini_package(financing=_financing(rows))


def test_the_issue_subtraction_is_closed_on_a_package():
    # 2024: Y = 1900, H1 = 1300, Q2 = Q3 = Q4 = 300. Q1 (1000, one enterprise) and 1—2月 fail
    # the primary rules; Q1 = H1 − Q2 would give it away, so Q2 goes too (the only single
    # cell that breaks it; 1—4月 = 1300 then bounds Q1 by 1300, margin 300 ≥ 176.5).
    pkg = _subtraction_package()
    values = {}
    for label in ("2024", "2024H1", "2024H2", "2024Q1", "2024Q2", "2024Q3", "2024M02", "2024M04"):
        result = circulation.circulated_result(pkg, compute_indicators(pkg, parse_period(label)))
        values[label] = result["finance.resolved"].value
    assert values == {
        "2024": 1900.0,
        "2024H1": 1300.0,
        "2024H2": 600.0,
        "2024Q1": None,
        "2024Q2": None,
        "2024Q3": 300.0,
        "2024M02": None,
        "2024M04": 1300.0,
    }
    fam = circulation.family(pkg, "finance.resolved", 2024)
    assert withheld_runs(fam) == {(1, 2): "primary", Q1: "primary", Q2: "secondary"}
    assert fam.cells.at[Q1, "labels"] == ("2024Q1", "2024M03")  # one cell, two names
    assert_nothing_recoverable(fam)
    assert circulation.family(pkg, "finance.resolved", 2024) is fam  # computed once


def test_a_withheld_previous_period_withholds_the_change():
    # 2025Q2 = 600 (three enterprises of 200) is published; its base 2024Q2 is withheld
    # (secondary, above): no previous, no change.
    pkg = _subtraction_package()
    result = circulation.circulated_result(pkg, compute_indicators(pkg, parse_period("2025Q2")))
    value = result["finance.resolved"]
    assert (value.value, value.previous, value.change) == (600.0, None, None)
    assert value.previous_status == "suppressed"
    # 2025H1 against 2024H1 (1300, published): 600 / 1300 − 1 = −53.8%
    half = circulation.circulated_result(pkg, compute_indicators(pkg, parse_period("2025H1")))
    assert half["finance.resolved"].previous == 1300.0
    assert half["finance.resolved"].change == pytest.approx(-53.846, abs=1e-3)


def test_the_trend_of_a_period_follows_its_family():
    pkg = _subtraction_package()
    frame = circulation.circulated_trend(
        pkg, "finance.resolved", [parse_period("2024Q1"), parse_period("2025Q1")]
    )
    assert list(frame["status"]) == ["suppressed", "ok"]  # 2025Q1: no rows, an honest 0
    assert pd.isna(frame.at[0, "value"]) and frame.at[1, "value"] == 0.0


def test_mini_package_2025_family_by_hand():
    # finance.resolved 2025: F1 February 10000 (enterprise 1), F2 September 9000 (2), F3
    # October 9450 (5). Every run with fewer than all three is withheld by the primary
    # rules; 1—10月, 1—11月 and the year hold all three (top two 19450 / 28450 = 68%);
    # 1月 and 第二季度 are empty (an honest 0). Nothing more is needed: the published cells
    # are all 28450 or 0, which bound every withheld run only by 28450.
    fam = circulation.family(mini_package(), "finance.resolved", 2025)
    assert published_runs(fam) == [(1, 1), (1, 10), (1, 11), Y, Q2]
    assert set(withheld_runs(fam).values()) == {"primary"}
    assert_nothing_recoverable(fam)
