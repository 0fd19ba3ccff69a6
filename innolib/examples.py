"""Names the bulletin may cite beside a figure (the examples of docs/prose.md).

A bulletin names what the bureau's work produced: the enterprises that won a provincial
platform, the projects selected, the universities met. Only public facts, from the very
rows an indicator counts (``indicators.selected_rows``), never amounts, never the
confidential tables. One naming style per list: the enterprises' short names (企业简称)
when every enterprise cited has one, else their full names.
"""

from __future__ import annotations

import re
from typing import Any

from innolib.periods import Period


def example_names(package: Any, period: Period) -> dict[str, list[str]]:
    """Names the bulletin may cite beside a figure: public facts only.

    For the indicators in ``_EXAMPLE_RENDERERS`` (new platforms, provincial projects,
    enterprises appointing a 科技副总, subsidy applicants, the institutions behind expert
    visits and matchmaking meetings): the names of the host or bearer enterprises (and
    project titles) or partner institutions of the very rows the indicator counts
    (``indicators.selected_rows``: the rule engine's selection, never a copy of the
    rule; for a participants indicator, the activities those participants attended), in
    date order. Never amounts, never the confidential tables. Names containing digits are
    left out by the writer (every digit of the text must be a traced figure).
    """
    from innolib.indicators import selected_rows
    from innolib.registry import indicator_def

    tables = getattr(package, "tables", {})
    if "enterprises" not in tables:
        return {}
    enterprises = tables["enterprises"]
    full = dict(zip(enterprises["uscc"], enterprises["name"]))
    short = {}
    if "short_name" in enterprises.columns:
        short = {
            u: s
            for u, s in zip(enterprises["uscc"], enterprises["short_name"])
            if isinstance(s, str) and s.strip()
        }
    out: dict[str, list[str]] = {}
    for iid, render in _EXAMPLE_RENDERERS.items():
        rule = indicator_def(iid).compute
        if indicator_def(iid).confidential or rule["method"] not in ("rows", "participants"):
            continue
        rows = selected_rows(package, iid, period)
        date = rule.get("date", "date")
        if rule["method"] == "participants" and len(rows):
            activities = tables["activities"]
            rows = activities[activities["activity_id"].isin(rows["activity_id"]).to_numpy()]
        if rows.empty:
            out[iid] = []
            continue
        records = rows.sort_values(date, kind="stable").to_dict("records")
        out[iid] = _cited(records, render, full, short)
    return out


class _NameBook:
    """uscc → the name to cite, remembering whether a district enterprise had none."""

    def __init__(self, names: dict, known: dict):
        self.names, self.known, self.missed = names, known, False

    def get(self, uscc: Any, default: str = "") -> str:
        if uscc in self.known and uscc not in self.names:
            self.missed = True
        return self.names.get(uscc, default)


def _cited(records: list[dict], render: Any, full: dict, short: dict) -> list[str]:
    """The names of ``records``, in order, once each: one naming style per list — the
    enterprises' short names (企业简称) when every enterprise cited has one, else the full
    names."""
    for lookup in ([short] if short else []) + [full]:
        book = _NameBook(lookup, full)
        cited: list[str] = []
        for r in records:
            got = render(r, book)
            cited.extend(got if isinstance(got, list) else [got])
        if not book.missed:
            break
    return list(dict.fromkeys(c for c in cited if c))


def _partners(row: dict) -> list[str]:
    """The partner institutions of an activity (universities, academies, banks): ``;``-separated."""
    value = row.get("partners")
    if not isinstance(value, str):
        return []
    return [p.strip() for p in re.split(r"[;；]", value) if p.strip()]


def _enterprise(row: dict, names: Any, column: str = "uscc") -> str:
    value = row.get(column)
    return str(names.get(value, "")) if isinstance(value, str) else ""


_EXAMPLE_RENDERERS = {
    "platforms.new_national": lambda r, n: _enterprise(r, n),
    "platforms.new_provincial": lambda r, n: _enterprise(r, n),
    "projects.provincial_approved": lambda r, n: (
        f"{_enterprise(r, n) or r.get('name') or ''}“{r['title']}”" if r.get("title") else ""
    ),
    "talent.vp_enterprises": lambda r, n: _enterprise(r, n),
    "subsidy.applicants": lambda r, n: _enterprise(r, n),
    "collab.expert_visits": lambda r, n: _partners(r),
    "collab.matchmaking_private": lambda r, n: _partners(r),
}
