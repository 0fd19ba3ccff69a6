"""Disclosure control for money cells built from confidential tables.

统计法 forbids publishing figures from which one respondent's data can be identified or
inferred (docs/data.md, "Confidentiality"). Every money cell that a circulated output builds
from ``rd_survey``, ``financing`` or ``tech_contracts`` goes through the rules here:

* **primary suppression** – a cell is unsafe when fewer than 3 enterprises contribute
  to it (minimum frequency) or when its two largest contributors make up more than
  85% of it (the (2, 85) dominance rule);
* **secondary (complementary) suppression** – a suppressed cell that could be worked
  back from a published total and the other published cells of its row or column is
  protected by suppressing further cells, the smallest safe cell that gives enough
  cover first, until no suppressed cell can be recovered.

Counts of enterprises are never suppressed (docs/data.md). The input is the per-enterprise
contributions of a money indicator (``indicators.contributions``: one row per
enterprise with ``uscc``, ``town``, ``sector``, ``value`` in 万元). Everything here is
pure: frames in, frames out.

Cover ("protection"). Suppressing a second cell on a line with a published total tells
a reader the *sum* of the suppressed cells, so the cover a primary cell gets is the
value of the other suppressed cells on that line. We require as much cover as the
dominance rule itself demands of a cell: a cell whose two largest contributors hold
``top2`` and whose other contributors hold ``rest`` would pass (2, 85) if ``rest`` were
at least ``top2 × 15/85``; the shortfall ``top2 × 15/85 − rest`` is the cover that the
other suppressed cells of each of its lines must add. A final audit checks, by linear
algebra over all lines at once, that no suppressed cell is determined exactly by the
published cells (τ-ARGUS / sdcTable call this "exact recovery").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from innolib.present.vocabulary import words

MIN_ENTERPRISES = 3
"""Minimum-frequency rule: a cell needs at least this many contributing enterprises."""

DOMINANCE_N = 2
DOMINANCE_K = 85.0
"""(n, k) dominance rule: the n largest contributors may make up at most k% of the cell."""

SUPPRESSED = words("zh")["suppressed"]
"""How a suppressed cell is shown in every circulated output (the presentation layer's
suppressed marker, ``innolib/templates/vocabulary.yaml``; the same in both languages)."""

TOTAL = "合计"
"""The label of the margin cells (row, column and grand totals) in a protected table."""

# reasons (stable codes; text for people in REASONS)
SAFE = "safe"
MIN_FREQUENCY = "min_frequency"
DOMINANCE = "dominance"
SECONDARY = "secondary"
EMPTY = "empty"

REASONS = {
    SAFE: ("可公布", "publishable"),
    EMPTY: ("无企业，不涉及保密", "no enterprise, nothing to protect"),
    MIN_FREQUENCY: (
        f"涉及企业少于{MIN_ENTERPRISES}家",
        f"fewer than {MIN_ENTERPRISES} enterprises",
    ),
    DOMINANCE: (
        f"最大{DOMINANCE_N}家企业合计占比超过{DOMINANCE_K:g}%",
        f"the {DOMINANCE_N} largest enterprises make up more than {DOMINANCE_K:g}%",
    ),
    SECONDARY: (
        "为防止由合计数反推而隐去",
        "suppressed so that another suppressed cell cannot be worked back from a total",
    ),
}

FOOTNOTE = tuple(
    words(lang)["suppressed_legend"].format(
        min=MIN_ENTERPRISES, n=DOMINANCE_N, k=f"{DOMINANCE_K:g}"
    )
    for lang in ("zh", "en")
)
"""The footnote (zh, en) every output that shows a ``—`` carries."""


def cell_is_safe(values: Iterable[float]) -> tuple[bool, str]:
    """Whether a cell made of these per-enterprise values may be published, and why.

    ``values`` holds one value per contributing enterprise (missing values count as 0:
    the enterprise is still a respondent of the cell). Returns ``(True, "safe")``,
    ``(True, "empty")`` for a cell without enterprises (a structural zero discloses no
    one), or ``(False, "min_frequency" | "dominance")``.
    """
    arr = _as_array(values)
    if arr.size == 0:
        return True, EMPTY
    if arr.size < MIN_ENTERPRISES:
        return False, MIN_FREQUENCY
    if _dominance_shortfall(arr) > 0:
        return False, DOMINANCE
    return True, SAFE


def required_cover(values: Iterable[float]) -> float:
    """The cover (万元) other suppressed cells must add so that this cell is protected.

    Zero for a safe cell; for an unsafe one, the shortfall against the dominance rule:
    ``top2 × (100 − k)/k − rest``. A cell of one or two enterprises has ``rest`` = 0.
    """
    arr = _as_array(values)
    if arr.size == 0:
        return 0.0
    shortfall = _dominance_shortfall(arr)
    if arr.size < MIN_ENTERPRISES:
        top = float(np.sort(arr)[::-1][:DOMINANCE_N].sum())
        return max(shortfall, top * (100.0 - DOMINANCE_K) / DOMINANCE_K)
    return max(shortfall, 0.0)


def _as_array(values: Iterable[float]) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":  # the families' fast path
        return np.where(np.isnan(values), 0.0, values).astype(float)
    s = pd.Series(
        list(values) if not isinstance(values, (pd.Series, np.ndarray)) else values, dtype="Float64"
    )
    return s.fillna(0.0).to_numpy(dtype=float)


def _dominance_shortfall(arr: np.ndarray) -> float:
    total = float(arr.sum())
    if total <= 0:
        return 0.0
    ordered = np.sort(arr)[::-1]
    top = float(ordered[:DOMINANCE_N].sum())
    rest = total - top
    # unsafe when top > k% of total  <=>  rest < top*(100-k)/k
    return top * (100.0 - DOMINANCE_K) / DOMINANCE_K - rest


@dataclass
class ProtectedTable:
    """A money table after disclosure control.

    ``cells`` has one row per cell: the ``by`` column(s) (``合计`` in margins), ``value``
    (万元, the true value – internal only), ``enterprises`` (count, always publishable),
    ``status`` (``published`` | ``primary`` | ``secondary``), ``reason`` (a code of
    ``REASONS``), ``reason_zh``/``reason_en``, and ``display`` (the value as circulated:
    the number, or ``—``). ``published`` is ``cells`` without the true values of the
    suppressed cells (``value`` is null there): the only frame to hand to a chart or an
    export.
    """

    by: tuple[str, ...]
    cells: pd.DataFrame
    total: bool
    footnote_zh: str = FOOTNOTE[0]
    footnote_en: str = FOOTNOTE[1]

    @property
    def published(self) -> pd.DataFrame:
        """The cells as they may circulate: suppressed values are null, ``display`` is ``—``."""
        out = self.cells.copy()
        out["value"] = out["value"].mask(out["status"] != "published")
        return out

    @property
    def any_suppressed(self) -> bool:
        return bool((self.cells["status"] != "published").any())

    def footnote(self, lang: str = "zh") -> str:
        """The footnote to print under the table, or "" when nothing is suppressed."""
        if not self.any_suppressed:
            return ""
        return self.footnote_en if lang == "en" else self.footnote_zh


def protect_table(
    contribs: pd.DataFrame,
    by: str | Sequence[str] = "town",
    total: bool = True,
    *,
    categories: dict[str, Sequence[str]] | None = None,
    value: str = "value",
    digits: int = 1,
) -> ProtectedTable:
    """The table of ``contribs`` summed by ``by`` (one or two columns), made safe to circulate.

    ``contribs``: per-enterprise contributions (``uscc``, the ``by`` columns, ``value``);
    several rows of one enterprise in one cell are summed first. ``by``: ``"town"``,
    ``"sector"`` or a pair such as ``("town", "sector")`` for a two-way table with row and
    column totals. ``total``: whether the table (or anything published with it, such as
    the bulletin's district figure) shows the total – then the margins are cells too and
    secondary suppression protects against recovery from them. Pass ``total=True``
    whenever the district total is published anywhere beside the table.
    ``categories`` lists categories to show even when empty (e.g. every town of the
    district). ``digits``: decimals of ``display``.
    """
    dims = (by,) if isinstance(by, str) else tuple(by)
    if len(dims) not in (1, 2):
        raise ValueError("protect_table: by must name one or two columns")
    missing = [c for c in ("uscc", *dims, value) if c not in contribs.columns]
    if missing:
        raise ValueError(f"protect_table: contributions lack column(s) {missing}")

    per_firm = (
        contribs.assign(
            **{value: pd.to_numeric(contribs[value], errors="coerce").astype(float).fillna(0.0)}
        )
        .astype({d: str for d in dims})
        .groupby([*dims, "uscc"], sort=False, dropna=False)[value]
        .sum()
        .rename("value")
        .reset_index()
    )
    levels = [_levels(per_firm, d, (categories or {}).get(d)) for d in dims]
    keys = _cell_keys(levels, total)
    members = {k: _members(per_firm, dims, k) for k in keys}

    rows = []
    for k in keys:
        vals = members[k]
        ok, reason = cell_is_safe(vals)
        rows.append(
            {
                **dict(zip(dims, k)),
                "value": float(vals.sum()),
                "enterprises": int(vals.size),
                "status": "published" if ok else "primary",
                "reason": reason,
                "_cover": required_cover(vals),
            }
        )
    cells = pd.DataFrame(rows)
    cells.index = (
        pd.MultiIndex.from_tuples(keys) if len(dims) == 2 else pd.Index([k[0] for k in keys])
    )

    lines = _lines(levels, total)
    index_of = {k: (k if len(dims) == 2 else k[0]) for k in keys}
    _secondary(
        cells,
        [[index_of[k] for k in line] for line in lines],
        [index_of[line[-1]] for line in lines],
    )
    _audit_exact(cells, [[index_of[k] for k in line] for line in lines])

    cells = cells.drop(columns="_cover").reset_index(drop=True)
    cells["reason_zh"] = cells["reason"].map(lambda r: REASONS[r][0])
    cells["reason_en"] = cells["reason"].map(lambda r: REASONS[r][1])
    fmt = f"{{:,.{digits}f}}"
    cells["display"] = [
        fmt.format(v) if s == "published" else SUPPRESSED
        for v, s in zip(cells["value"], cells["status"])
    ]
    return ProtectedTable(by=dims, cells=cells, total=total)


def _levels(frame: pd.DataFrame, dim: str, wanted: Sequence[str] | None) -> list[str]:
    seen = list(dict.fromkeys(frame[dim].tolist()))
    if wanted is None:
        return seen
    return list(wanted) + [x for x in seen if x not in set(wanted)]


def _cell_keys(levels: list[list[str]], total: bool) -> list[tuple]:
    if len(levels) == 1:
        return [(x,) for x in levels[0]] + ([(TOTAL,)] if total else [])
    rows, cols = levels
    keys = [(r, c) for r in rows for c in cols]
    if total:
        keys += [(r, TOTAL) for r in rows] + [(TOTAL, c) for c in cols] + [(TOTAL, TOTAL)]
    return keys


def _members(per_firm: pd.DataFrame, dims: tuple[str, ...], key: tuple) -> np.ndarray:
    mask = np.ones(len(per_firm), dtype=bool)
    for d, k in zip(dims, key):
        if k != TOTAL:
            mask &= (per_firm[d] == k).to_numpy()
    sub = per_firm[mask]
    # an enterprise appears once per cell: sum its parts across the collapsed dimension
    return sub.groupby("uscc", sort=False)["value"].sum().to_numpy(dtype=float)


def _lines(levels: list[list[str]], total: bool) -> list[list[tuple]]:
    """Each additive relation of the table as a list of keys, its total last."""
    if not total:
        return []
    if len(levels) == 1:
        return [[(x,) for x in levels[0]] + [(TOTAL,)]]
    rows, cols = levels
    out = [[(r, c) for c in cols] + [(r, TOTAL)] for r in rows]
    out += [[(r, c) for r in rows] + [(TOTAL, c)] for c in cols]
    out.append([(r, TOTAL) for r in rows] + [(TOTAL, TOTAL)])
    out.append([(TOTAL, c) for c in cols] + [(TOTAL, TOTAL)])
    return out


def _hidden(cells: pd.DataFrame, key) -> bool:
    return cells.at[key, "status"] != "published"


def _secondary(cells: pd.DataFrame, lines: list[list], totals: list) -> None:
    """Suppress complementary cells until every line gives each suppressed cell its cover.

    On a line whose total is published, a suppressed inner cell needs the other
    suppressed inner cells of the line to add up to its required cover (and at least one
    of them to exist); a suppressed total needs suppressed inner cells worth its cover
    (otherwise the total is the sum of the published cells). The candidate chosen is the
    smallest published, non-empty cell of the line that covers the shortfall alone, else
    the largest one (fewest cells lost); repeated until no line changes.
    """
    changed = True
    while changed:
        changed = False
        for line, tot in zip(lines, totals):
            inner = [k for k in line if k != tot]
            hidden_inner = [k for k in inner if _hidden(cells, k)]
            if not hidden_inner and not _hidden(cells, tot):
                continue
            if _hidden(cells, tot):
                # the total is unknown: inner cells are free; the total needs hidden inner cells
                need = max(cells.at[tot, "_cover"], 1e-9)
                have = sum(cells.at[k, "value"] for k in hidden_inner)
                if hidden_inner and have >= need:
                    continue
                shortfall = need - have
            else:
                shortfall = 0.0
                for k in hidden_inner:
                    others = sum(cells.at[j, "value"] for j in hidden_inner if j != k)
                    need = max(cells.at[k, "_cover"], 1e-9)
                    if len(hidden_inner) < 2 or others < need:
                        shortfall = max(shortfall, need - others)
                if shortfall <= 0:
                    continue
            pick = _pick(cells, [k for k in inner if not _hidden(cells, k)], shortfall)
            if pick is None:
                if not _hidden(cells, tot):
                    pick = tot  # nothing left on the line: the total itself must go
                else:
                    continue
            cells.at[pick, "status"] = "secondary"
            cells.at[pick, "reason"] = SECONDARY
            changed = True


def _pick(cells: pd.DataFrame, candidates: list, shortfall: float):
    usable = [k for k in candidates if cells.at[k, "enterprises"] > 0]
    if not usable:
        return None
    by_value = sorted(usable, key=lambda k: (cells.at[k, "value"], str(k)))
    for k in by_value:
        if cells.at[k, "value"] >= shortfall:
            return k
    return by_value[-1]


def _audit_exact(cells: pd.DataFrame, lines: list[list]) -> None:
    """Suppress further cells while some suppressed cell is determined exactly by the lines.

    With the suppressed cells as unknowns, each line is one linear equation; an unknown
    is determined exactly when its unit vector lies in the row space of the equations'
    coefficient matrix. Rare after ``_secondary`` (it can happen in two-way tables);
    fixed by hiding the smallest published non-empty cell on a line of the exposed cell.
    """
    if not lines:
        return
    for _ in range(len(cells)):
        exposed = recoverable_cells(cells["status"] != "published", lines)
        if not exposed:
            return
        target = exposed[0]
        cand = [k for line in lines if target in line for k in line if not _hidden(cells, k)]
        pick = _pick(cells, list(dict.fromkeys(cand)), 0.0)
        if pick is None:
            return
        cells.at[pick, "status"] = "secondary"
        cells.at[pick, "reason"] = SECONDARY


def recoverable_cells(hidden: pd.Series, lines: list[list]) -> list:
    """Hidden cells whose value follows exactly from the published cells and the lines.

    ``hidden``: boolean Series indexed by cell key; ``lines``: additive relations as lists
    of keys with the total last (total = sum of the others). Used by the audit and by
    tests to prove a table safe.
    """
    unknowns = [k for k in hidden.index if bool(hidden[k])]
    if not unknowns or not lines:
        return []
    pos = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = np.zeros(len(unknowns))
        for k in line[:-1]:
            if k in pos:
                row[pos[k]] += 1.0
        if line[-1] in pos:
            row[pos[line[-1]]] -= 1.0
        if row.any():
            rows.append(row)
    if not rows:
        return []
    a = np.vstack(rows)
    rank = np.linalg.matrix_rank(a)
    out = []
    for k, i in pos.items():
        e = np.zeros(len(unknowns))
        e[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            out.append(k)
    return out


def table_lines(table: ProtectedTable) -> list[list]:
    """The additive relations of a protected table, as lists of row positions, total last."""
    dims = table.by
    cells = table.cells
    key_to_pos = {
        tuple(r): i for i, r in enumerate(cells[list(dims)].itertuples(index=False, name=None))
    }
    levels = [[x for x in dict.fromkeys(cells[d].tolist()) if x != TOTAL] for d in dims]
    return [[key_to_pos[k] for k in line] for line in _lines(levels, table.total)]


# --------------------------------------------------------------------------- the family of periods
# A year's periods published together – the year, its halves, quarters and year-to-date
# months – are cells tied by additive relations (year = H1 + H2 = Q1 + … + Q4, H1 = Q1 + Q2,
# 2025M09 = Q1 + Q2 + Q3 …): a quarter withheld on its own is recovered by subtraction.
# Every such period is a run of whole months, so the family is protected over its months:
# cell (i, j) is months i..j. A reader who knows the published cells also knows every
# difference of them (April alone = 1—4月 − 第一季度), so every run of months is checked
# by the primary rules, not only the runs that are published.


@dataclass
class ProtectedFamily:
    """The cells of one confidential flow indicator over one year, after disclosure control.

    ``cells``: one row per distinct run of months a period of the family covers, indexed
    by ``(first, last)`` month: ``labels`` (the periods with that run, e.g. ``2025Q1`` and
    ``2025M03``), ``value`` (万元, true value: internal), ``enterprises``, ``status``
    (``published`` | ``primary`` | ``secondary``), ``reason``. ``unsafe``: every run of
    months (published or not) that fails a primary rule, with ``value``, ``cover`` and
    ``upper`` – the largest value a reader can deduce for it from the published cells
    (``inf`` when unbounded). ``exposed`` lists unsafe runs still short of cover: empty
    unless the headline itself would have to go (never in practice: see ``protect_family``).
    """

    year_cell: tuple[int, int]
    cells: pd.DataFrame
    unsafe: pd.DataFrame
    exposed: list[tuple[int, int]]

    def status(self, run: tuple[int, int]) -> str:
        """``published``, ``primary`` or ``secondary`` for the cell of months ``run``."""
        return str(self.cells.at[run, "status"])

    def published(self, run: tuple[int, int]) -> bool:
        return self.status(run) == "published"


def protect_family(
    months: pd.DataFrame, cells: dict[tuple[int, int], Sequence[str]], year_cell: tuple[int, int]
) -> ProtectedFamily:
    """Primary and complementary suppression over one year's family of periods.

    ``months``: per-enterprise parts by month (``uscc``, ``month`` 1..m, ``value`` in 万元;
    one row per enterprise and month it has rows in, a zero amount included: it still
    counts as a respondent). ``cells``: the published periods as runs of months
    ``(first, last)`` → their labels. ``year_cell``: the full-year (headline) run.

    Primary: a cell failing minimum frequency or (2, 85) dominance is withheld. Every run
    of months ``(i, j)`` that fails them – published or not – must then be protected:
    the largest value a reader can deduce for it from the published cells (months are
    non-negative) must exceed its true value by at least its ``required_cover`` (the
    upper protection of τ-ARGUS; exact recovery is the case of no margin at all).
    Complementary: while a run is short, the fewest published cells whose withholding
    gives it cover are withheld, the smallest total value first (an exhaustive search
    over sets of up to three cells: a family has at most 16); **never the full-year
    cell**. Withholding every sub-year cell always suffices when the year passes the
    primary rules (its third and further enterprises then hold at least 15/85 of its
    two largest, which is the cover any run of it needs), so the year stays published.
    """
    last = max(j for _, j in cells)
    firm_month = _firm_months(months, last)
    values, present = firm_month
    runs = [(i, j) for i in range(1, last + 1) for j in range(i, last + 1)]
    unsafe_rows, info = [], {}
    for i, j in runs:
        members = values[present[:, i - 1 : j].any(axis=1), i - 1 : j].sum(axis=1)
        ok, reason = cell_is_safe(members)
        info[(i, j)] = (float(members.sum()), int(members.size), reason)
        if not ok:
            unsafe_rows.append(
                {"run": (i, j), "value": float(members.sum()), "cover": required_cover(members)}
            )
    table = pd.DataFrame(
        [
            {
                "run": run,
                "labels": tuple(labels),
                "value": info[run][0],
                "enterprises": info[run][1],
                "status": "published" if info[run][2] in (SAFE, EMPTY) else "primary",
                "reason": info[run][2],
            }
            for run, labels in sorted(cells.items())
        ]
    ).set_index("run")
    hidden = {run for run in table.index if table.at[run, "status"] != "published"}
    for run in _complements(table, unsafe_rows, hidden, year_cell, last):
        table.at[run, "status"] = "secondary"
        table.at[run, "reason"] = SECONDARY
        hidden.add(run)
    bounds = _reader_bounds(_values(table), hidden, last)
    unsafe = pd.DataFrame(unsafe_rows, columns=["run", "value", "cover"]).set_index("run")
    unsafe["upper"] = [bounds[i - 1, j] for i, j in unsafe.index]
    exposed = [
        r["run"] for r in unsafe_rows if not _covered([(r["run"], r["value"], r["cover"])], bounds)
    ]
    return ProtectedFamily(year_cell=year_cell, cells=table, unsafe=unsafe, exposed=exposed)


def _firm_months(months: pd.DataFrame, last: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, present): enterprise × month matrices of the parts and of having rows."""
    frame = months[months["month"].between(1, last)]
    firms = list(dict.fromkeys(frame["uscc"].astype(str)))
    pos = {u: k for k, u in enumerate(firms)}
    values = np.zeros((len(firms), last))
    present = np.zeros((len(firms), last), dtype=bool)
    amounts = pd.to_numeric(frame["value"], errors="coerce").astype(float).fillna(0.0)
    for u, m, v in zip(frame["uscc"].astype(str), frame["month"].astype(int), amounts):
        values[pos[u], m - 1] += v
        present[pos[u], m - 1] = True
    return values, present


def _values(table: pd.DataFrame) -> dict[tuple[int, int], float]:
    """The family table's cell values by run, as plain floats (the searches below read
    them thousands of times)."""
    return {run: float(value) for run, value in table["value"].items()}


def _reader_bounds(values: dict, hidden: set, last: int) -> np.ndarray:
    """``d[a, b]``: the largest value of months a+1..b a reader can deduce (inf: none).

    ``values``: every cell's value by run; the ``hidden`` ones are not published. With
    ``x_k`` the year-to-date sum to month k, a published run (i, j) of value s says
    ``x_j − x_{i−1} = s`` and non-negative months say ``x_{k−1} ≤ x_k``: difference
    constraints, so the largest deducible ``x_b − x_a`` is the shortest path from a to b
    in their graph (Floyd–Warshall over at most 13 nodes).
    """
    d = np.full((last + 1, last + 1), np.inf)
    np.fill_diagonal(d, 0.0)
    for k in range(1, last + 1):
        d[k, k - 1] = 0.0
    for (i, j), value in values.items():
        if (i, j) in hidden:
            continue
        d[i - 1, j] = min(d[i - 1, j], value)
        d[j, i - 1] = min(d[j, i - 1], -value)
    for k in range(last + 1):
        d = np.minimum(d, d[:, [k]] + d[[k], :])
    return d


_TOLERANCE = 1e-6  # 万元: sums of values rounded to 4 decimals


def _covered(unsafe: Sequence[tuple[tuple[int, int], float, float]], bounds: np.ndarray) -> bool:
    """Whether every unsafe run ``(run, value, cover)`` has its cover: deducible upper
    bound ≥ value + cover."""
    for (i, j), value, cover in unsafe:
        margin = bounds[i - 1, j] - value
        if margin < max(cover, _TOLERANCE) - _TOLERANCE or margin <= _TOLERANCE:
            return False
    return True


def _complements(
    table: pd.DataFrame, unsafe_rows: list[dict], hidden: set, year_cell: tuple, last: int
) -> list[tuple[int, int]]:
    """The cells to withhold so that every unsafe run has its cover (never ``year_cell``)."""
    values = _values(table)
    hidden, chosen = set(hidden), []
    for row in unsafe_rows:  # runs in order; withholding only ever widens the bounds
        one = [(row["run"], row["value"], row["cover"])]
        if _covered(one, _reader_bounds(values, hidden, last)):
            continue
        free = [
            c
            for c in table.index
            if c not in hidden and c != year_cell and table.at[c, "enterprises"]
        ]
        pick = _cheapest_cover(values, one, hidden, free, last)
        chosen.extend(pick)
        hidden.update(pick)
    return chosen


def _cheapest_cover(values: dict, one, hidden: set, free: list, last: int) -> list:
    """The fewest cells of ``free`` (smallest total value first) that give ``one`` its cover;
    every one of them when no set of up to three does."""
    from itertools import combinations

    for size in (1, 2, 3):
        options = sorted(
            combinations(free, size),
            key=lambda s: (sum(values[c] for c in s), s),
        )
        for option in options:
            if _covered(one, _reader_bounds(values, hidden | set(option), last)):
                return list(option)
    return list(free)
