"""Wording the data chooses, for the bulletin templates: what a template may ask of the data.

The templates (``templates/bulletin.<lang>.md.j2``) hold every sentence; ``narrative``
renders them with the globals of a ``Wording`` besides its claim writer:

- ``direction(id)``: ``up``/``down``/``flat`` by the year-on-year rule of
  ``innolib.present.changes`` (None without last year's value). A template states a fall
  plainly and never with an upbeat verb (``达``, ``实现``) before it.
- ``first(id)``: the value is above zero and every earlier year of the ledger with data was
  zero (at least one such year): 首次 / 实现零的突破.
- ``record(id)``: at least ``RECORD_YEARS`` earlier years with data and the value above all
  of them: 创历史新高. The history is the same period of each earlier year (``trend``).
- ``target(id)``: the year's target from the ``targets`` table, from unrounded values:
  完成年度目标的108% / 完成年度目标的85%，尚差3家; a part-year period shows progress
  (完成全年目标的45%) without saying met or missed. Its words are the vocabulary's.
- ``names(id)`` and ``named(id, many, one)``: the names behind a figure; ``等`` only after
  two or more names, a single name stands alone (甲公司新获批…, never 甲公司等1家).
- ``section_points(n, [(point, claims), …])``: each point of section ``n`` as (topic, body):
  the bureau's own text for the point (the ``measures`` table of the period), then the
  claims; a point with neither is left out. An internal draft marks a point that has
  claims but no measures text with the vocabulary's placeholder (``missing`` lists them).
- ``facts``: the district's words (``district_facts``): the area word (全区/全县/全市),
  the office, the tier programme and provincial prefix, the signature.
"""

from __future__ import annotations

import math
import re
from typing import Any

from innolib.periods import Period
from innolib.present.changes import change_of
from innolib.present.facts import district_facts  # noqa: F401  (the templates' facts)
from innolib.present.numbers import format_count, format_money, format_rate, rounded
from innolib.present.vocabulary import words

#: earlier years with data a value must exceed to be called a record (创历史新高)
RECORD_YEARS = 5
#: how far back the ledger is searched for firsts and records
HISTORY_YEARS = 15

_DIGIT = re.compile(r"\d+(?:\.\d+)?")


def lead_indicators() -> list[str]:
    """Ids the registry marks ``lead: true``: what a title and lead drawn from the data may cite."""
    from innolib.registry import load_registry

    return [d.id for d in load_registry().values() if getattr(d, "lead", False)]


class Wording:
    """The data-chosen words of one rendering (see the module docstring)."""

    def __init__(
        self,
        writer: Any,
        package: Any,
        period: Period,
        lang: str,
        measures: dict[tuple[str, str], str] | None = None,
        draft: bool = False,
    ):
        self.writer = writer
        self.package = package
        self.period = period
        self.lang = lang
        self.measures = measures or {}
        self.draft = draft
        self.missing: list[tuple[int, str]] = []  # (section, point) with claims, no measures
        self._history: dict[str, list[float]] = {}

    # -- direction, firsts, records
    def _iv(self, indicator_id: str) -> Any:
        from innolib.narrative import _get, _status_ok

        iv = _get(self.writer.result, indicator_id)
        return iv if _status_ok(iv) else None

    def direction(self, indicator_id: str) -> str | None:
        """``up``/``down``/``flat`` as written by the change rule; None without a change."""
        iv = self._iv(indicator_id)
        if iv is None:
            return None
        change = change_of(iv.unit, iv.value, getattr(iv, "previous", None))
        return None if change is None else change.direction

    def previous(self, indicator_id: str) -> Any:
        """Last year's value (None when missing)."""
        iv = self._iv(indicator_id)
        return None if iv is None else getattr(iv, "previous", None)

    def history(self, indicator_id: str) -> list[float]:
        """Values of the same period in earlier years that have data (oldest first)."""
        if indicator_id not in self._history:
            from innolib.indicators import trend

            periods, p = [], self.period
            for _ in range(HISTORY_YEARS):
                p = p.previous_year()
                periods.append(p)
            values: list[float] = []
            if self.package is not None and getattr(self.package, "tables", None):
                frame = trend(self.package, indicator_id, list(reversed(periods)))
                values = [float(v) for v, s in zip(frame["value"], frame["status"]) if s == "ok"]
            self._history[indicator_id] = values
        return self._history[indicator_id]

    def first(self, indicator_id: str) -> bool:
        iv = self._iv(indicator_id)
        if iv is None or float(iv.value) <= 0:
            return False
        earlier = self.history(indicator_id)
        return bool(earlier) and all(v == 0 for v in earlier)

    def record(self, indicator_id: str) -> bool:
        iv = self._iv(indicator_id)
        if iv is None:
            return False
        earlier = self.history(indicator_id)
        return len(earlier) >= RECORD_YEARS and float(iv.value) > max(earlier)

    # -- targets
    def target_value(self, indicator_id: str) -> float | None:
        """The period year's target of the indicator (in its unit), or None."""
        tables = getattr(self.package, "tables", {}) or {}
        if "targets" not in tables:
            return None
        from innolib.analyses import parse_target

        t = tables["targets"]
        rows = t[(t["year"].astype("Int64") == self.period.year) & (t["indicator"] == indicator_id)]
        iv = self._iv(indicator_id)
        if rows.empty or iv is None:
            return None
        try:
            value, _note = parse_target(rows["target"].iloc[0], iv.unit)
        except ValueError:
            return None
        return value if value > 0 else None

    def target(self, indicator_id: str) -> str:
        """完成年度目标的108% / 完成年度目标的85%，尚差3家 / 完成全年目标的45% (part-year)."""
        iv = self._iv(indicator_id)
        goal = self.target_value(indicator_id)
        if iv is None or goal is None:
            return ""
        voc = words(self.lang)
        actual = float(iv.value)
        met = actual >= goal  # unrounded: 58.97 against 59 is not met
        part_year = not self.period.is_full_year or self.period.clipped
        if iv.unit == "%":  # a rate: the gap in points, never a percent of a percent
            if part_year:
                return ""
            if met:
                return voc["target_rate_met"]
            gap = goal - actual
            decimals = 1 if rounded(gap, 1) > 0 else 2
            text = voc["pp"].format(n=f"{rounded(gap, decimals)}")
            gap_fig = self.writer._figure((indicator_id,), gap, "target_gap", text)
            return voc["target_rate_missed"].format(gap=gap_fig)
        share = actual / goal * 100.0
        # a missed target is cut down (99.6% reads 99%), never rounded up to 100%
        share_text = format_rate(
            float(rounded(share, 0, "ROUND_FLOOR")) if not met else share, 0, self.lang
        )
        pct = self.writer._figure((indicator_id,), share, "target", share_text)
        if part_year:
            return voc["target_progress"].format(p=pct)
        if met:
            return voc["target_met"].format(p=pct)
        gap = goal - actual
        if iv.unit == "万元":
            gap_text = format_money(gap, "exact", self.lang)
        else:
            gap_text = format_count(math.ceil(gap - 1e-9), iv.unit, self.lang)
        gap_fig = self.writer._figure((indicator_id,), gap, "target_gap", gap_text)
        return voc["target_missed"].format(p=pct, gap=gap_fig)

    # -- names
    def name_list(self, indicator_id: str, limit: int = 3) -> list[str]:
        names = [n for n in self.writer.examples.get(indicator_id, []) if not re.search(r"\d", n)]
        return names[:limit]

    def names(self, indicator_id: str, limit: int = 3) -> str:
        return words(self.lang)["list_sep"].join(self.name_list(indicator_id, limit))

    def named(self, indicator_id: str, many: str, one: str, limit: int = 3) -> str:
        """Names then the claim: ``A、B等{n}…`` (two or more names), ``A…`` (the one
        name of a count of one: ``one``), else the claim ``many`` alone."""
        names = self.name_list(indicator_id, limit)
        iv = self._iv(indicator_id)
        voc = words(self.lang)
        if len(names) >= 2:
            claim = self.writer.claim(many)
            return (
                voc["names_etc"].format(names=voc["list_sep"].join(names), claim=claim)
                if claim
                else ""
            )
        if len(names) == 1 and iv is not None and float(iv.value) == 1:
            return names[0] + one  # the one name says the count
        return self.writer.claim(many)

    # -- points
    def section_points(self, section: int, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """(topic, body) of each point with measures text or claims (see the module docstring)."""
        from innolib.measures import points

        labels = {p.id: (p.zh if self.lang == "zh" else p.en) for p in points()}
        voc = words(self.lang)
        out = []
        for point, claims in pairs:
            own = self.measures.get((str(section), point), "")
            if not own and not claims.strip():
                continue
            body = ""
            if own:
                body = self.writer.own_words(own)
            elif self.draft:
                body = self.writer.placeholder(voc["placeholder"])
            if not own and claims.strip():
                self.missing.append((section, point))
            if body and claims and self.lang == "en":
                body += " "
            out.append((voc["point_topic"].format(label=labels[point]), body + claims))
        return out
