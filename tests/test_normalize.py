"""normalize: headers, units, numbers, dates, booleans, encodings, names and USCC check digits.

Expected values are worked out by hand (and, for USCCs, taken from real published codes).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from innolib import normalize as nz
from innolib.tables import TABLES


def obj(*values) -> pd.Series:
    return pd.Series(list(values), dtype=object)


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "cell, table, column, unit",
    [
        ("研发经费支出（万元）", "rd_survey", "rd_expenditure", "万元"),
        ("研发经费支出\n（万元）", "rd_survey", "rd_expenditure", "万元"),
        (" 研发 经费支出 (万元) ", "rd_survey", "rd_expenditure", "万元"),
        ("成交金额(元)", "tech_contracts", "amount", "元"),
        ("金额/亿元", "achievements", "amount", "亿元"),
        ("成交金额（单位：元）", "tech_contracts", "amount", "元"),
        ("amount", "tech_contracts", "amount", None),
        ("Amount (元)", "tech_contracts", "amount", "元"),
        ("合同成交额（元）", "tech_contracts", "amount", "元"),  # alias
        ("所属镇（街道）", "enterprises", "town", None),  # an alias that itself has brackets
        ("“四上”类别", "enterprises", "above_scale", None),
        ("*统一社会信用代码", "enterprises", "uscc", None),
        ("ｕｓｃｃ", "enterprises", "uscc", None),  # full-width letters
    ],
)
def test_match_header(cell, table, column, unit):
    col, found_unit = nz.match_header(TABLES[table], cell)
    assert col is not None and col.id == column
    assert found_unit == unit


def test_unknown_header_is_none():
    assert nz.match_header(TABLES["enterprises"], "备注")[0] is None


@pytest.mark.parametrize(
    "name, table",
    [
        ("企业名录", "enterprises"),
        ("enterprises", "enterprises"),
        (" Enterprises ", "enterprises"),
        ("2025年技术合同登记", "tech_contracts"),
        ("2024年度技术合同登记台账", "tech_contracts"),
        ("2025_tech_contracts", "tech_contracts"),
        ("企业名单", "enterprises"),
        ("TECH_CONTRACTS", "tech_contracts"),
        ("技术 合同登记", "tech_contracts"),
    ],
)
def test_match_table_name(name, table):
    assert nz.match_table_name(name) == table


def test_unmatched_name():
    assert nz.match_table_name("透视表") is None
    assert nz.match_table_name("说明") is None


# ---------------------------------------------------------------- money


def test_money_units_from_header_and_cell():
    raw = obj("4.5亿", "1,234.5万元", "12 345", "１２３", "", None, 3.0, "800元", "2,000千元")
    value, bad, no_unit = nz.parse_money(raw, "元")
    # 4.5亿元 = 45000万元; 1234.5万元; 12345元 = 1.2345万元; 123元 = 0.0123万元; 3元 = 0.0003万元;
    # 800元 = 0.08万元; 2000千元 = 200万元
    assert value.tolist()[:4] == [45000.0, 1234.5, 1.2345, 0.0123]
    assert value.isna().tolist()[4:6] == [True, True]
    assert value.tolist()[6:] == [0.0003, 0.08, 200.0]
    assert not bad.any() and not no_unit.any()


def test_money_without_unit_is_flagged_not_guessed():
    value, bad, no_unit = nz.parse_money(obj("100", "2万元", "", "abc"), None)
    assert no_unit.tolist() == [True, False, False, False]
    assert bad.tolist() == [False, False, False, True]
    assert value.isna().tolist() == [True, False, True, True]
    assert value.iloc[1] == 2.0


def test_money_rounds_to_four_decimals():
    value, _, _ = nz.parse_money(obj("12345.678"), "元")  # 1.2345678万元
    assert value.iloc[0] == 1.2346


# ---------------------------------------------------------------- numbers, years


def test_numbers():
    value, bad = nz.parse_number(obj("1,234", "１２３", " 5 ", "1.5", "x", None), integer=True)
    assert value.tolist()[:3] == [1234, 123, 5]
    assert bad.tolist() == [False, False, False, True, True, False]


def test_years():
    value, bad = nz.parse_year(obj("2025", "2025年", 2024.0, "1800", "20x5"))
    assert value.tolist()[:3] == [2025, 2025, 2024]
    assert bad.tolist() == [False, False, False, True, True]


# ---------------------------------------------------------------- dates


def test_dates_every_accepted_form():
    raw = obj(
        "2025-03-01",
        "2025/3/1",
        "2025年3月1日",
        "20250301",
        45717.0,
        "45717",
        dt.date(2025, 3, 1),
        dt.datetime(2025, 3, 1, 10, 30),
        20250301,
        "2025.3.1",
        " 2025 年 3 月 1 日 ",
    )
    value, bad = nz.parse_date(raw)
    # Excel serial 45717 counts days from 1899-12-30: 2025-03-01
    assert set(value.tolist()) == {pd.Timestamp("2025-03-01")}
    assert not bad.any()
    assert str(value.dtype) == "datetime64[s]"


def test_bad_dates():
    value, bad = nz.parse_date(obj("2025-02-30", "2025", "三月", "", None, "13/01/2025"))
    assert bad.tolist() == [True, True, True, False, False, True]
    assert value.isna().all()


# ---------------------------------------------------------------- booleans, percentages


def test_booleans():
    value, bad = nz.parse_bool(
        obj(
            "是", "否", "Y", "n", "1", "0", 1.0, "TRUE", "false", "√", "×", "有", "无", "也许", None
        )
    )
    assert value.tolist()[:13] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    assert bad.tolist()[13:] == [True, False]


def test_percentages_and_fractions():
    value, bad, fraction = nz.parse_percent(
        obj("59%", "59", "0.59", "0.59", "1,200", "1.6"),
        pd.Series([True, True, True, False, False, True]),
    )
    assert value.tolist() == [59.0, 59.0, 59.0, 0.59, 1200.0, 1.6]
    assert fraction.tolist() == [False, False, True, False, False, False]
    assert not bad.any()


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding, name",
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8-BOM"), ("gbk", "GB18030"), ("gb18030", "GB18030")],
)
def test_decode_csv(encoding, name):
    text = "统一社会信用代码,企业名称\n91410106312345673C,郑州某某新材料有限公司\n"
    decoded, found = nz.decode_csv(text.encode(encoding))
    assert decoded == text and found == name


# ---------------------------------------------------------------- USCC

# real published codes: Tencent (Shenzhen) and Huawei Technologies
REAL = ["9144030071526726XG", "914403001922038216"]


def test_real_codes_are_valid():
    assert nz.uscc_valid(pd.Series(REAL)).tolist() == [True, True]


def test_complete_uscc_reproduces_real_codes():
    # Tencent's organisation code 71526726-X: 7·3+1·7+5·9+2·10+6·5+7·8+2·4+6·2 = 199, 11 − 199 mod 11 = 10 → X
    # and the GB 32100 check: Σ value·3^i mod 31 over the first 17 = 1782, 1782 mod 31 = 15, 31 − 15 = 16 → G
    assert nz.complete_uscc("9144030071526726") == "9144030071526726XG"
    assert nz.complete_uscc("9144030019220382") == "914403001922038216"


@pytest.mark.parametrize(
    "code, why",
    [
        ("9144030071526726XH", "wrong GB 32100 check character"),
        ("914403001922038215", "wrong GB 32100 check character"),
        ("9144030071526727XG", "organisation code changed"),
        ("9144030071526726X", "17 characters"),
        ("9I4403007152672XG6", "I is not in the alphabet"),
        ("", "empty"),
    ],
)
def test_invalid_codes(code, why):
    assert not nz.uscc_valid(pd.Series([code])).iloc[0], why


def test_org_check_digit_is_checked_even_when_main_check_fits():
    # change the organisation check character and recompute only the final GB 32100 character
    body17 = "91440300715267260"  # org check should be X, here 0
    values = [nz.USCC_CHARS.index(c) for c in body17]
    c = 31 - sum(v * pow(3, i, 31) for i, v in enumerate(values)) % 31
    code = body17 + nz.USCC_CHARS[0 if c == 31 else c]
    assert not nz.uscc_valid(pd.Series([code])).iloc[0]


def test_normalize_uscc_upper_cases():
    out = nz.normalize_uscc(
        obj(" 9144030071526726xg ", "９１４４０３００１９２２０３８２１６", None)
    )
    assert out.tolist()[:2] == REAL
    assert pd.isna(out.iloc[2])


def test_unit_note():
    assert nz.unit_note("单位：元") == "元"
    assert nz.unit_note("2025年技术合同登记台账（单位: 万元）") == "万元"
    assert nz.unit_note("填表人：张三") is None


def test_complete_usccs_is_complete_uscc_for_many_bodies():
    """The vectorised completion gives, body by body, what the one-code form gives."""
    import numpy as np

    from innolib.normalize import complete_uscc, complete_usccs, uscc_valid

    bodies = np.array(
        ["9141010631234567", "91410106MA000001", "12410000ABCDEFGH", "9241010600000000"]
    )
    codes = complete_usccs(bodies)
    assert codes.tolist() == [complete_uscc(b) for b in bodies]
    # hand-worked in tests/test_load.py: 9141010631234567 → …673C
    assert codes[0] == "91410106312345673C"
    assert uscc_valid(pd.Series(codes)).all()


# ---------------------------------------------------------------- whitespace without rewriting


def test_the_listed_whitespace_is_exactly_what_arrow_trims():
    """``trim`` looks for the characters ``utf8_trim_whitespace`` trims: the list must be
    Arrow's, over every code point, or a padded cell would be left padded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from innolib.normalize import _SPACE_CHARS

    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    padded = pa.array([f"a{c}" for c in chars])
    trimmed = pc.utf8_trim_whitespace(padded).to_pylist()
    arrow_space = "".join(c for c, t in zip(chars, trimmed) if t == "a")
    assert arrow_space == _SPACE_CHARS
    assert "\u3000" in arrow_space and "\u200b" not in arrow_space  # ideographic space; ZWSP is not


def test_trim_and_blank_text_by_hand():
    import pyarrow as pa

    from innolib.normalize import blank_text, trim

    cells = pa.array(["a", " a", "b\u3000", "c d", "", " \t", "\u3000", None])
    assert trim(cells).to_pylist() == ["a", "a", "b", "c d", "", "", "", None]
    assert blank_text(cells).to_pylist() == [False, False, False, False, True, True, True, True]
    clean = pa.array(["a", "c d", None])
    assert trim(clean) is clean  # nothing to trim: the same array, not a rewritten copy
