"""Reading what clerks actually type: headers, units, numbers, dates, booleans, codes.

Every parser here is vectorised over a pandas Series of raw cells (whatever Excel,
a CSV export or a Parquet file gave: text, floats, dates) and returns the parsed Series
plus a boolean mask of the cells it could not read, so that the loader can reject
exactly those rows with the rule they broke. Nothing here knows about files or rows;
``innolib.load`` does the bookkeeping.

The accepted spellings are those of docs/data.md ("What a loader must accept") and are
listed for clerks in ``data/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from innolib.tables import TABLES, Column, Table

# ---------------------------------------------------------------------------------
# units

MONEY_UNITS: dict[str, float] = {
    "元": 1e-4,
    "千元": 0.1,
    "万元": 1.0,
    "亿元": 1e4,
    "万": 1.0,
    "亿": 1e4,
}
"""Factor that turns an amount in the unit into 万元 (the unit money is kept in)."""

_UNIT_NOTE = re.compile(r"单位\s*[:：]\s*(千元|万元|亿元|元)")


def nfkc(text: str) -> str:
    """``text`` in Unicode NFKC: full-width digits, letters and brackets become ASCII."""
    return unicodedata.normalize("NFKC", text)


def unit_note(text: object) -> str | None:
    """The money unit declared by a note such as ``单位：元`` (None if the text declares none)."""
    if not isinstance(text, str):
        return None
    m = _UNIT_NOTE.search(nfkc(text).replace(" ", ""))
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------
# headers

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[\"'“”‘’*※]")
# a unit in brackets at the end: 研发经费支出（万元）, 成交金额(元), 金额（单位：万元）, 金额[元]
_BRACKET_UNIT = re.compile(r"^(?P<name>.+?)[(\[](?:单位[:：]?)?(?P<unit>[^()\[\]]*)[)\]]$")
# a unit after a slash or underscore: 金额/亿元, amount_元
_SLASH_UNIT = re.compile(r"^(?P<name>.+?)[/_](?P<unit>千元|万元|亿元|元|%|人|个|家|项)$")


def split_header(text: object) -> tuple[str, str | None]:
    """A header cell → (normalised name, unit or None).

    Normalisation: NFKC (full-width brackets and digits to ASCII), every space and line
    break removed, quotes and required-field asterisks dropped, ASCII letters lower-cased.
    ``"研发经费支出\\n（万元）"`` → ``("研发经费支出", "万元")``; ``"金额/亿元"`` →
    ``("金额", "亿元")``; ``"Amount (元)"`` → ``("amount", "元")``.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return "", None
    key = _QUOTES.sub("", _SPACE.sub("", nfkc(str(text)))).lower()
    for pattern in (_BRACKET_UNIT, _SLASH_UNIT):
        m = pattern.match(key)
        if m:
            return m.group("name"), m.group("unit") or None
    return key, None


def _key(text: str) -> str:
    return _QUOTES.sub("", _SPACE.sub("", nfkc(text))).lower()


@cache
def _header_index(table_id: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in TABLES[table_id].columns:
        for spelling in (col.id, col.zh, *col.aliases):
            index.setdefault(_key(spelling), col.id)
    return index


def match_header(table: Table, text: object) -> tuple[Column | None, str | None]:
    """The column a header cell names, and the unit it carries.

    The whole cell is tried first (an alias may itself contain brackets: ``所属镇（街道）``),
    then the cell without its trailing unit. Returns ``(None, unit)`` for a header that
    names no column of the table.
    """
    index = _header_index(table.id)
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None, None
    whole = _key(str(text))
    name, unit = split_header(text)
    if whole in index:
        return table.column(index[whole]), None
    if name in index:
        return table.column(index[name]), unit
    return None, unit


# ---------------------------------------------------------------------------------
# file and sheet names

_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}(?:年度?|[-_.])?")
_NAME_SEPARATORS = re.compile(r"[\s_\-]+")


def name_key(name: str) -> str:
    """A file or sheet name normalised for matching: no extension is removed here.

    Surrounding spaces, case, full-width forms, separators and a leading year
    (``2025年``, ``2025年度``, ``2025_``) are ignored.
    """
    key = nfkc(name).strip().lower()
    key = _YEAR_PREFIX.sub("", key)
    return _NAME_SEPARATORS.sub("", key)


@cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for t in TABLES.values():
        for spelling in t.accepted_names:
            index[name_key(spelling)] = t.id
    return index


def match_table_name(name: str) -> str | None:
    """The table id a file stem or sheet name names, or None (``2025年技术合同登记`` → tech_contracts)."""
    return _name_index().get(name_key(name))


# ---------------------------------------------------------------------------------
# cells


_STRING = "string[pyarrow]"
_NULL = pa.scalar(None, pa.string())


def _pa(text: pd.Series) -> pa.ChunkedArray | pa.Array:
    """The Arrow array behind a string series (any raw series is first cast to strings)."""
    if text.dtype != _STRING:
        text = text.astype(_STRING)
    return pa.array(text)


def _pd(arr: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(arr, dtype=_STRING), index=index)


def regex_replace(text: pd.Series, pattern: str, replacement: str) -> pd.Series:
    """``text`` with every match of ``pattern`` replaced, in Arrow (RE2; ``\\1`` back-references work)."""
    return _pd(pc.replace_substring_regex(_pa(text), pattern, replacement), text.index)


def regex_match(text: pd.Series, pattern: str) -> np.ndarray:
    """Boolean array: does ``pattern`` (RE2) match at the start of each cell (False for NA)."""
    found = pc.match_substring_regex(_pa(text), pattern)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def _is_str(raw: pd.Series) -> pd.Series:
    if raw.dtype == _STRING or (pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object):
        return raw.notna()
    return raw.map(type, na_action="ignore").eq(str).astype(bool)


def blank_text(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """True where an Arrow string is missing, empty or only (Unicode) whitespace.

    The same cells as "trimmed, it is empty", without building the trimmed strings:
    ``utf8_is_space`` and ``utf8_trim_whitespace`` share Arrow's definition of whitespace
    (checked over every code point), and an empty string's length is read from the offsets.
    """
    return pc.fill_null(pc.or_(pc.equal(pc.binary_length(arr), 0), pc.utf8_is_space(arr)), True)


# Arrow's whitespace (what ``utf8_trim_whitespace`` trims and ``utf8_is_space`` accepts),
# listed; checked over every code point in tests/test_normalize.py
_SPACE_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _SPACE_CHARS) + "]"
_EDGE_SPACE = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"


def trim(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``utf8_trim_whitespace``, done only when some cell starts or ends with whitespace.

    Finding those cells is a scan; trimming builds every string anew, three to five times
    the cost on a national-size column where (as almost always) no cell needs it.
    """
    if pc.any(pc.match_substring_regex(arr, _EDGE_SPACE)).as_py():
        return pc.utf8_trim_whitespace(arr)
    return arr


def empty_mask(raw: pd.Series) -> pd.Series:
    """True where a raw cell is empty: missing, NaN or only spaces."""
    if raw.dtype == _STRING:  # all-text column: one Arrow expression
        return pd.Series(blank_text(_pa(raw)).to_numpy(zero_copy_only=False), index=raw.index)
    na = (raw.isna() | raw.eq("")).fillna(True).astype(bool)
    strings = _is_str(raw) & ~na
    if strings.any():
        blank = blank_text(_pa(raw[strings])).to_numpy(zero_copy_only=False)
        na[strings] = blank
    return na


def as_text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Raw cells as stripped NFKC text (Arrow-backed strings, NA when empty) and the empty mask.

    Integral floats (an ID typed into Excel as a number) lose their ``.0``.
    """
    arr = _per_distinct(_pa(raw), _clean_text)
    empty = pc.is_null(arr)
    return _pd(arr, raw.index), pd.Series(empty.to_numpy(zero_copy_only=False), index=raw.index)


def _clean_text(arr: pa.Array) -> pa.Array:
    """``as_text``'s work on Arrow strings: NFKC, trimmed, ``12.0`` → ``12``, "" → null."""
    if pc.all(pc.string_is_ascii(arr)).as_py() is not True:  # ASCII is its own NFKC form
        arr = pc.utf8_normalize(arr, "NFKC")
    arr = trim(arr)
    if pc.any(pc.ends_with(arr, ".0")).as_py():
        arr = pc.replace_substring_regex(arr, r"^(\d+)\.0$", r"\1")
    return pc.if_else(pc.fill_null(pc.equal(arr, ""), True), _NULL, arr)


def _per_distinct(arr: pa.Array | pa.ChunkedArray, work) -> pa.Array | pa.ChunkedArray:
    """``work`` (a cell-by-cell Arrow string function) applied once per distinct value.

    Enum columns and the codes of a large table repeat the same few values many times
    (3.6 M contracts name 480 k sellers): the work is done on the distinct values and
    spread back with ``take``. ASCII columns (codes, IDs: no NFKC to do, the costly part)
    and columns of mostly distinct values are worked on directly.
    """
    if (
        len(arr) < 4096
        or arr.nbytes > (1 << 30)
        or pc.all(pc.string_is_ascii(arr)).as_py() is not False
    ):
        return work(arr)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    encoded = pc.dictionary_encode(arr)
    if 2 * len(encoded.dictionary) > len(arr):
        return work(arr)
    return work(encoded.dictionary).take(encoded.indices)


def _extract(text: pd.Series, pattern: str) -> pd.DataFrame:
    """Named groups of ``pattern`` (RE2 syntax) per cell; None where it does not match."""
    found = pc.extract_regex(_pa(text), pattern)
    matched = pc.is_valid(found)
    out = {}
    for i, f in enumerate(found.type):
        col = pc.if_else(matched, pc.struct_field(found, [i]), _NULL)
        col = pc.if_else(pc.equal(col, ""), _NULL, col)
        out[f.name] = col.to_pandas().to_numpy()  # positional: text.index need not be 0..n-1
    return pd.DataFrame(out, index=text.index) if out else pd.DataFrame(index=text.index)


def parse_text(raw: pd.Series, *, is_id: bool = False) -> tuple[pd.Series, pd.Series]:
    """Free text (stripped, kept as written) or an ID (NFKC, so full-width digits become ASCII).

    Returns (values with NA for empty, all-False error mask): text never fails.
    """
    if is_id:
        text, _ = as_text(raw)
    else:
        text = _pd(trim(_pa(raw)), raw.index)
        text = text.mask(text.eq("").fillna(True))
    return text, pd.Series(False, index=raw.index)


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_MONEY_CELL = rf"^(?P<num>{_NUMBER})(?P<unit>千元|万元|亿元|元|万|亿)?$"
_NUMBER_CELL = rf"^(?P<num>{_NUMBER})$"
_SEPARATORS = r"[,，'\s\x{00a0}\x{2009}\x{202f}]"


def _numeric_fast(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers read directly, empty mask, mask of cells left for the text path).

    Plain numbers (Excel numeric cells, ``1234.5`` as text) are read in one vectorised
    step; only the rest (separators, units, full-width digits, dates) go through regexes.
    A column that already holds numbers (Parquet) is read without looking at its cells
    one by one; infinities are left for the text path, which rejects them.
    """
    if _is_numeric(raw):
        values = raw.to_numpy(dtype=float, na_value=np.nan)
        empty = pd.Series(np.isnan(values), index=raw.index)
        number = pd.Series(np.where(np.isfinite(values), values, np.nan), index=raw.index)
        return number, empty, ~empty & number.isna()
    empty = (raw.isna() | raw.eq("")).fillna(True).astype(bool)
    strings = _is_str(raw) & ~empty
    number = pd.Series(np.nan, index=raw.index)
    others = ~strings & ~empty
    if others.any():
        values = raw[others]
        values = values.where(values.map(type).ne(bool), None)  # True is not a number here
        number[others] = pd.to_numeric(values, errors="coerce").astype(float)
    if strings.any():
        arr = trim(_pa(raw[strings]))
        plain = pc.match_substring_regex(arr, r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
        number[strings] = pc.cast(pc.if_else(plain, arr, _NULL), pa.float64()).to_numpy(
            zero_copy_only=False
        )
    number = number.where(np.isfinite(number))
    rest = ~empty & number.isna()
    return number, empty, rest


def _is_numeric(raw: pd.Series) -> bool:
    """A column of numbers (not flags, not text, not Python objects)."""
    dtype = raw.dtype
    return (
        not pd.api.types.is_object_dtype(dtype)
        and pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
    )


def _number_text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    text, empty = as_text(raw)
    return regex_replace(text, _SEPARATORS, ""), empty


def parse_money(raw: pd.Series, unit: str | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Amounts → Float64 in 万元 (4 decimals), with masks (bad number, no unit).

    ``unit`` is the column's unit from its header or a ``单位：`` note (None if neither
    gives one); a unit written in the cell (``4.5亿``, ``1,234.5万元``) wins over it. A
    cell with a number but no unit in a column without a unit is not guessed: it is
    flagged in the third mask.
    """
    number, empty, rest = _numeric_fast(raw)
    cell_factor = pd.Series(np.nan, index=raw.index)
    if rest.any():
        text, blank = _number_text(raw[rest])
        parts = _extract(text, _MONEY_CELL)
        number[rest] = pd.to_numeric(parts["num"], errors="coerce").astype(float)
        cell_factor[rest] = parts["unit"].map(MONEY_UNITS).astype(float)
        empty[rest] = blank
    column_factor = MONEY_UNITS[unit] if unit else np.nan
    factor = cell_factor.fillna(column_factor)
    bad = ~empty & number.isna()
    no_unit = ~empty & ~bad & factor.isna()
    value = pd.Series((number * factor).round(4), index=raw.index).astype("Float64")
    value = value.mask(empty | bad | no_unit)
    return value, bad, no_unit


def parse_number(raw: pd.Series, *, integer: bool = False) -> tuple[pd.Series, pd.Series]:
    """Numbers with thousands separators, full-width digits and spaces → Float64 (or Int64)."""
    number, empty, rest = _numeric_fast(raw)
    if rest.any():
        text, blank = _number_text(raw[rest])
        number[rest] = pd.to_numeric(_extract(text, _NUMBER_CELL)["num"], errors="coerce").astype(
            float
        )
        empty[rest] = blank
    bad = ~empty & number.isna()
    if integer:
        # a whole number Int64 cannot hold exactly (≥ 2^53) is not read as one
        huge = number.abs() >= 2.0**53
        bad = bad | (~empty & number.notna() & ((number != number.round()) | huge))
        out = number.where(~bad & ~empty).round().astype("Int64")
    else:
        out = number.where(~bad & ~empty).astype("Float64")
    return out, bad


def parse_year(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Years as ``2025`` or ``2025年`` → Int64 (1900–2100)."""
    if _is_numeric(raw) and pd.api.types.is_integer_dtype(
        raw.dtype
    ):  # Parquet integers: no text needed
        year = raw.astype("Int64")
        empty = year.isna().to_numpy(dtype=bool)
        ok = ((year >= 1900) & (year <= 2100)).fillna(False).to_numpy(dtype=bool)
        return year.where(ok).astype("Int64"), pd.Series(~empty & ~ok, index=raw.index)
    text, empty = as_text(raw)
    text = regex_replace(text, r"年度?$", "")
    year, bad = parse_number(text.astype(object).where(~empty, None))
    whole = year.notna() & (year == year.round())
    ok = (whole & (year >= 1900) & (year <= 2100)).fillna(False).astype(bool)
    bad = (bad | (~empty & ~ok)).astype(bool)
    return year.where(ok).round().astype("Int64"), bad


_DATE_YMD = (
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
# Excel serial day numbers: 20000 (1954-10-03) to 80000 (2119-01-10)
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_DATE_TYPES = (dt.datetime, dt.date, pd.Timestamp)


def _ymd(y: pd.Series, m: pd.Series, d: pd.Series) -> pd.Series:
    """Dates from year, month, day parts (text or numbers); NaT where the date does not exist."""
    index = y.index
    y, m, d = (
        pd.to_numeric(
            pd.Series(np.asarray(v, dtype=object), index=index), errors="coerce"
        ).to_numpy(dtype=float)
        for v in (y, m, d)
    )
    ok = (
        ~(np.isnan(y) | np.isnan(m) | np.isnan(d))
        & (m >= 1)
        & (m <= 12)
        & (d >= 1)
        & (d <= 31)
        & (y >= 1800)
        & (y <= 2200)
    )
    y, m, d = (np.where(ok, v, 1).astype("int64") for v in (y, m, d))
    months = (y - 1970) * 12 + (m - 1)
    dates = months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1)
    ok &= dates.astype("datetime64[M]") == months.astype(
        "datetime64[M]"
    )  # 2025-02-30 rolls over: reject
    out = np.where(ok, dates.astype("datetime64[s]"), np.datetime64("NaT", "s"))
    return pd.Series(out, index=index, dtype="datetime64[s]")


def parse_date(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates → datetime64[s] (day precision), with the mask of unreadable cells.

    Accepted: ``2025-03-01``, ``2025/3/1``, ``2025.3.1``, ``2025年3月1日``, ``20250301``,
    Excel serial numbers (a date cell exported unformatted, 20000–80000), and real date
    cells from Excel or Parquet. An impossible date (``2025-02-30``) is unreadable.
    """
    if pd.api.types.is_datetime64_dtype(raw.dtype):  # typed dates (Parquet): the day of each
        return raw.dt.normalize().astype("datetime64[s]"), pd.Series(False, index=raw.index)
    if raw.dtype == _STRING:  # common case first: ISO text, checked by writing it back
        arr = trim(_pa(raw))
        iso = pc.strptime(arr, format="%Y-%m-%d", unit="s", error_is_null=True)
        blank = pc.fill_null(pc.equal(arr, ""), True)
        exact = pc.or_(
            blank, pc.fill_null(pc.equal(pc.strftime(iso, format="%Y-%m-%d"), arr), False)
        )
        if pc.all(exact).as_py():
            return pd.Series(
                iso.to_numpy(zero_copy_only=False).astype("datetime64[s]"), index=raw.index
            ), pd.Series(False, index=raw.index)
    if raw.dtype == object:  # real date cells (Excel, Parquet) convert directly
        is_date = raw.map(type, na_action="ignore").isin(_DATE_TYPES).astype(bool)
        if is_date.any():
            dates = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
            dates[is_date] = pd.to_datetime(raw[is_date]).dt.normalize().astype("datetime64[s]")
            if not is_date.all():
                other, other_bad = parse_date(raw[~is_date])
                dates[~is_date] = other
                return dates, (~is_date & other_bad.reindex(raw.index, fill_value=False)).astype(
                    bool
                )
            return dates, pd.Series(False, index=raw.index)
    number, empty, rest = _numeric_fast(raw)
    dates = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
    whole = number.notna() & (number == number.round())
    serial = whole & (number >= _SERIAL_MIN) & (number <= _SERIAL_MAX)
    if serial.any():
        days = number[serial].to_numpy().astype("int64")
        dates[serial] = (_EXCEL_EPOCH + days).astype("datetime64[s]")
    compact = whole & (number >= 19000101) & (number <= 21001231)
    if compact.any():
        n = number[compact].astype("int64")
        dates[compact] = _ymd(n // 10000, n // 100 % 100, n % 100).astype("datetime64[s]")
    if rest.any():
        text, blank = as_text(raw[rest])
        parts = _extract(text, _DATE_YMD)
        packed = _extract(text, _DATE_COMPACT)
        parts = parts.fillna(packed)
        dates[rest] = _ymd(parts["y"], parts["m"], parts["d"]).astype("datetime64[s]")
        empty[rest] = blank
    dates = dates.where(~empty)
    bad = ~empty & dates.isna()
    return dates.astype("datetime64[s]"), bad.astype(bool)


_BOOLEANS = {
    "是": True,
    "否": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
    "true": True,
    "false": False,
    "√": True,
    "×": False,
    "✓": True,
    "✔": True,
    "✗": False,
    "✘": False,
    "x": False,
    "有": True,
    "无": False,
    "t": True,
    "f": False,
}


def parse_bool(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, yes/no, 1/0, true/false, √/×, 有/无 → boolean."""
    if pd.api.types.is_bool_dtype(raw.dtype):  # typed flags (Parquet)
        return raw.astype("boolean"), pd.Series(False, index=raw.index)
    text, empty = as_text(raw)
    value = text.str.lower().astype(object).map(_BOOLEANS)
    bad = ~empty & value.isna()
    return value.where(~empty & ~bad).astype("boolean"), bad.astype(bool)


def parse_percent(raw: pd.Series, rate: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Target values → Float64 in the indicator's unit, masks (unreadable, read as fraction).

    ``59%`` and ``59`` are 59; a bare value below 1.5 where ``rate`` (the indicator's unit
    is a rate, %) is True is read as a fraction: ``0.59`` → 59, and flagged so that the
    load report can say so.
    """
    text, empty = _number_text(raw)
    percent = text.str.endswith("%").fillna(False).astype(bool)
    number, bad = parse_number(text.str.rstrip("%").astype(object).where(~empty, None))
    fraction = (
        (rate.astype(bool) & ~percent & number.notna() & (number.abs() < 1.5))
        .fillna(False)
        .astype(bool)
    )
    number = number.where(~fraction, (number * 100).round(10))
    return number, bad, fraction


# ---------------------------------------------------------------------------------
# encodings


def decode_csv(data: bytes) -> tuple[str, str]:
    """CSV bytes → (text, encoding name): UTF-8 (with or without BOM), else GB18030.

    GB18030 is a superset of GBK and GB2312, the default of Excel on Chinese Windows.
    UTF-8 is tried first because GBK text is almost never valid UTF-8. Raises
    UnicodeDecodeError when neither fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8-BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "GB18030"


# ---------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714-1997)

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
_USCC_SHAPE = r"^[0-9A-HJ-NPQRTUWXY]{18}$"

_USCC_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_CHARS):
    _USCC_VALUE[ord(_c)] = _i
_ORG_VALUE = np.full(256, -1, dtype=np.int64)  # GB 11714: digits 0–9, letters A–Z = 10–35
for _c in "0123456789":
    _ORG_VALUE[ord(_c)] = int(_c)
for _c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _ORG_VALUE[ord(_c)] = ord(_c) - 55


_USCC_VALUE8 = np.maximum(_USCC_VALUE, 0).astype(np.int8)  # lookups without int64 temporaries
_ORG_VALUE8 = np.maximum(_ORG_VALUE, 0).astype(np.int8)


def _weighted(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``values @ weights`` column by column in int32 (no (n, k) int64 temporary)."""
    total = np.zeros(len(values), dtype=np.int32)
    for k, w in enumerate(weights):
        total += values[:, k].astype(np.int32) * np.int32(w)
    return total


def _org_check_char(values: np.ndarray) -> np.ndarray:
    """GB 11714 check characters ('0'–'9', 'X') for an (n, 8) array of character values."""
    c = 11 - _weighted(values, _ORG_WEIGHTS) % 11
    return np.where(c == 11, ord("0"), np.where(c == 10, ord("X"), ord("0") + c))


def _uscc_check_value(values: np.ndarray) -> np.ndarray:
    c = 31 - _weighted(values, _USCC_WEIGHTS) % 31
    return np.where(c == 31, 0, c)


def normalize_uscc(raw: pd.Series) -> pd.Series:
    """Codes as typed → NFKC, spaces removed, upper case (None for empty cells)."""

    def work(arr: pa.Array) -> pa.Array:
        arr = _clean_text(arr)
        if pc.any(pc.match_substring_regex(arr, r"\s")).as_py():  # (a scan, cheaper than a rewrite)
            arr = pc.replace_substring_regex(arr, r"\s+", "")
        return pc.utf8_upper(arr)

    return _pd(_per_distinct(_pa(raw), work), raw.index)


def uscc_valid(codes: pd.Series) -> pd.Series:
    """True where a (normalised) code is a valid 统一社会信用代码.

    Checks the shape (18 characters from the 31-character alphabet), the GB 32100-2015
    check character (18th) and the GB 11714 check character of the embedded
    organisation code (characters 9–17). Empty cells are False.
    """
    arr = _pa(codes)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    shaped = pc.fill_null(pc.match_substring_regex(arr, _USCC_SHAPE), False)
    result = np.zeros(len(codes), dtype=bool)
    mask = shaped.to_numpy(zero_copy_only=False)
    if mask.any():
        # the shaped codes are 18 ASCII bytes each: their Arrow data buffer is the (n, 18) array
        picked = pc.filter(arr, shaped).cast(pa.large_string())
        _, offsets, data = picked.buffers()
        start = int(np.frombuffer(offsets, dtype=np.int64)[picked.offset])
        chars = np.frombuffer(data, dtype=np.uint8)[start : start + 18 * len(picked)].reshape(
            -1, 18
        )
        values = _USCC_VALUE8[chars]  # shaped: every character has a value 0–30
        ok_main = _uscc_check_value(values[:, :17]) == values[:, 17]
        org = _ORG_VALUE8[chars[:, 8:16]]
        ok_org = _org_check_char(org) == chars[:, 16]
        result[shaped] = ok_main & ok_org
    return pd.Series(result, index=codes.index)


def complete_usccs(bodies: np.ndarray) -> np.ndarray:
    """Valid 统一社会信用代码 from many 16-character bodies at once (array of str → array of str).

    The vectorised form of ``complete_uscc`` (the synthetic generator makes hundreds of
    thousands): the one implementation of both check characters is the one above.
    """
    bodies = np.asarray(bodies, dtype="<U16")
    chars = np.frombuffer(np.char.encode(bodies, "ascii").astype("S16").tobytes(), np.uint8)
    chars = chars.reshape(-1, 16)
    org_check = _org_check_char(_ORG_VALUE[chars[:, 8:16]]).astype(np.uint8)
    first17 = np.concatenate([chars, org_check[:, None]], axis=1)
    check = np.frombuffer(USCC_CHARS.encode("ascii"), np.uint8)[
        _uscc_check_value(_USCC_VALUE[first17])
    ]
    codes = np.concatenate([first17, check[:, None]], axis=1).astype(np.uint8)
    return np.char.decode(codes.view("S18").ravel(), "ascii").astype(str)


def complete_uscc(body: str) -> str:
    """A valid 统一社会信用代码 from its first 16 characters (both check characters added).

    ``body`` = registration authority and type (2), division code (6), organisation code
    body (8). Used by the synthetic generator and by tests.
    """
    body = body.upper()
    if len(body) != 16 or any(ch not in USCC_CHARS for ch in body):
        raise ValueError(f"a USCC body is 16 characters from {USCC_CHARS}: {body!r}")
    org = _ORG_VALUE[np.frombuffer(body[8:].encode("ascii"), dtype=np.uint8)][None, :]
    first17 = body + chr(int(_org_check_char(org)[0]))
    values = _USCC_VALUE[np.frombuffer(first17.encode("ascii"), dtype=np.uint8)][None, :]
    return first17 + USCC_CHARS[int(_uscc_check_value(values)[0])]
