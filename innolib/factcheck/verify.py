"""Claims checked against the data: the interval a figure claims given its qualifier, and
the data's value (or change against a year earlier) in the claim's unit.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from innolib.factcheck.claims import CheckResult, Claim
from innolib.factcheck.draft import Draft
from innolib.factcheck.extract import extract_claims
from innolib.factcheck.qualifiers import OTHER_BASE, YOY_BASE
from innolib.factcheck.vocabulary import unit_base

# ----------------------------------------------------------------------------- verification


def _decimals(text: str) -> int:
    t = text.replace(",", "").replace("，", "")
    return len(t.split(".")[1]) if "." in t else 0


def _step(text: str, value: Decimal, qualifier_kind: str) -> Decimal:
    """One step of the last digit the figure shows (the rounding it implies)."""
    d = _decimals(text)
    if d:
        return Decimal(1).scaleb(-d)
    n = int(value)
    if n == 0:
        return Decimal(1)
    trailing = len(str(n)) - len(str(n).rstrip("0"))
    if qualifier_kind == "approx_more":
        return Decimal(10) ** trailing
    if qualifier_kind == "about":
        return Decimal(10) ** min(trailing, max(0, len(str(n)) - 2))
    return Decimal(1)


def interval(
    value: float | int | Decimal,
    value_text: str,
    qualifier: str,
    value_max: float | int | Decimal | None = None,
) -> tuple[Decimal | None, bool, Decimal | None, bool]:
    """(low, low_inclusive, high, high_inclusive) a figure claims, in its own unit.

    ``None`` is unbounded. See the module docstring for what each qualifier means; a range
    (4到5场: value 4, value_max 5) claims value ≤ x ≤ value_max.
    """
    v = Decimal(str(value))
    if value_max is not None:
        return v, True, Decimal(str(value_max)), True
    q = qualifier
    if "不足" in q or "不到" in q:
        return None, False, v, False
    if "不超过" in q or "不高于" in q or "以内" in q:
        return None, False, v, True
    if "不少于" in q or "不低于" in q:
        return v, True, None, False
    if re.search(r"超过|突破|逾|超出|(?<![约近])超", q):
        return v, False, None, False
    if "以上" in q:
        return v, True, None, False
    if "近" in q or "接近" in q:
        return v * Decimal("0.9"), True, v, False
    if "余" in q or re.search(r"多$|多…|^多", q) or q.endswith("多"):
        step = _step(value_text, v, "approx_more")
        return v, True, v + step, False
    kind = "about" if ("约" in q or "左右" in q) else "exact"
    step = _step(value_text, v, kind)
    return v - step / 2, True, v + step / 2, False


def holds(
    x: float, low: Decimal | None, low_inc: bool, high: Decimal | None, high_inc: bool
) -> bool:
    """Whether the data's value ``x`` lies in the claimed interval."""
    dx = Decimal(repr(float(x)))
    if low is not None and (dx < low or (dx == low and not low_inc)):
        return False
    return not (high is not None and (dx > high or (dx == high and not high_inc)))


def _factor(claim_unit: str, indicator_unit: str) -> Decimal:
    """How many of the indicator's units one of the claim's units is (亿元 -> 万元: 10000)."""
    mult, base = unit_base(claim_unit)
    if indicator_unit == "万元" and (base == "元" or base == ""):
        return mult / Decimal(10000)
    return mult


#: a qualifier that makes a figure a target or a forecast (目标…, 力争, 预计, 到2027年): what
#: is wanted or expected is no statement about the data, so it gets no verdict
_FORWARD = re.compile(r"目标|力争|预计|争取|到\d{4}年")


def _check_one(claim: Claim, values: Any, units: dict[str, str]) -> Claim:
    if claim.indicator is None:
        return replace(claim, status="unmatched", expected=None)
    if _FORWARD.search(claim.qualifier):
        return replace(
            claim,
            indicator=None,
            status="unmatched",
            expected=None,
            note="a target or a forecast, not a statement about the data",
        )
    if (
        claim.role == "growth"
        and OTHER_BASE.search(claim.qualifier)
        and not YOY_BASE.search(claim.qualifier)
    ):
        return replace(
            claim,
            indicator=None,
            status="unmatched",
            expected=None,
            note="growth against another base than a year earlier",
        )
    if claim.role == "growth" and "年均" in claim.qualifier:
        return replace(
            claim,
            indicator=None,
            status="unmatched",
            expected=None,
            note="average annual growth needs a series of years",
        )
    period = getattr(values, "period", None)
    if claim.year is not None and period is not None:
        wanted = period.year - 1 if claim.role == "base" else period.year
        if claim.year != wanted:
            return replace(
                claim,
                indicator=None,
                status="unmatched",
                expected=None,
                note=f"a figure for {claim.year}, not for the period checked",
            )
    iv = _lookup(values, claim.indicator)
    if iv is None or getattr(iv, "status", "ok") != "ok" or iv.value is None or _isnan(iv.value):
        return replace(claim, status="no_data", expected=None)
    iunit = getattr(iv, "unit", None) or units.get(claim.indicator, "")
    negative = bool(re.search(r"下降|减少|降低", claim.qualifier))
    _mult, base = unit_base(claim.unit)
    if claim.role == "growth":
        prev = iv.previous
        if prev is None or _isnan(prev):
            return replace(claim, status="no_data", expected=None)
        cur, prev = float(iv.value), float(prev)
        if base in ("%", "倍"):
            if prev == 0:
                return replace(claim, status="no_data", expected=None)
            x = (cur - prev) / prev * 100
            if base == "倍":
                x /= 100
        elif base in ("个百分点", "百分点"):
            x = cur - prev
        else:
            x = (cur - prev) / float(_factor(claim.unit, iunit))
        if negative:
            x = -x
    else:
        raw = iv.value if claim.role != "base" else iv.previous
        if raw is None or _isnan(raw):
            return replace(claim, status="no_data", expected=None)
        x = float(raw) / float(_factor(claim.unit, iunit))
    if not math.isfinite(x):  # an overflowed sum in the data is no value to check against
        return replace(
            claim, status="no_data", expected=None, note="the data's value is not finite"
        )
    if isinstance(claim.value, float) and not math.isfinite(claim.value):
        return replace(claim, status="unmatched", expected=None, note="the figure is too large")
    low, li, high, hi = interval(claim.value, claim.value_text, claim.qualifier, claim.value_max)
    status = "verified" if holds(round(x, 9), low, li, high, hi) else "contradicted"
    return replace(claim, status=status, expected=round(x, 6))


def _lookup(values: Any, iid: str) -> Any:
    mapping = getattr(values, "values", values)
    if isinstance(mapping, dict):
        return mapping.get(iid)
    try:
        return values[iid]
    except (KeyError, TypeError):
        return None


def _isnan(x: Any) -> bool:
    try:
        return x != x  # NaN and pandas NA-like
    except TypeError:
        return True


def check_claims(
    claims: list[Claim], indicator_set: Any, registry: dict[str, Any] | None = None
) -> list[Claim]:
    """The claims with status and expected value filled in from an IndicatorSet-like object.

    ``indicator_set`` needs ``.values`` (id -> object with ``value``, ``previous``,
    ``status``, ``unit``) or ``__getitem__``.
    """
    units = {i: d.unit for i, d in (registry or {}).items()}
    return [_check_one(c, indicator_set, units) for c in claims]


def check_text(
    text: str | Draft, package: Any, period: Any, registry: dict[str, Any] | None = None
) -> CheckResult:
    """Every numeric claim of ``text`` (a string or a ``Draft`` read by ``read_draft``) checked
    against the package's indicators for ``period``."""
    from innolib.indicators import compute_indicators
    from innolib.periods import parse_period

    if registry is None:
        from innolib.registry import load_registry

        registry = load_registry()
    if isinstance(period, str):
        period = parse_period(period)
    claims = extract_claims(text, registry)
    ids = sorted({c.indicator for c in claims if c.indicator})
    indicator_set = compute_indicators(package, period, ids=ids or None) if ids else None
    checked = check_claims(claims, indicator_set if indicator_set is not None else {}, registry)
    district = getattr(getattr(package, "district", None), "id", None)
    return CheckResult(checked, district=district, period=getattr(period, "label", str(period)))
