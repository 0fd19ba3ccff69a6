"""The technology-contract mix: shares of turnover by contract type and by buyer region."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from innolib.charts.adapters import has_column, mix_panel
from innolib.charts.layout import (
    ACCENT,
    ANNOTATION_SIZE,
    FIGSIZE_PAIR,
    FIGSIZE_WIDE,
    footnote,
    mark_missing,
    new_figure,
    palette,
    set_title,
)
from innolib.charts.text import axis_label, when_text
from innolib.charts.wording import words
from innolib.present.numbers import format_money, format_rate, money_scale, rate_cell
from innolib.tables import BUYER_REGIONS, CONTRACT_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def contract_mix_chart(
    by_type: Any, by_region: Any = None, *, period: Any = None, lang: str = "zh"
) -> Figure:
    """Returns the shares of technology-contract turnover by contract type and by buyer region.

    ``by_type``: the frame of ``analyses.contract_mix`` (``by`` = ``type`` /
    ``buyer_region``, ``category``, ``amount``, ``amount_share``): both panels come from
    it. Or two inputs, ``by_type`` and ``by_region``, each a Series from category to
    amount (万元) or a frame with the category (first column, ``category``, or index),
    ``amount`` and optionally ``share``/``amount_share`` (percent) and ``status``. A
    category withheld by disclosure control (status) is marked ``—``; without a given
    share, shares are of the sum of the amounts, and when a cell is withheld they cannot
    be known, so that panel draws amounts instead. The ``sensitive`` flag of
    ``analyses.contract_mix`` is not acted on here: pass a disclosure-controlled frame
    for circulation. ``lang="en"``: in English (the categories translated).
    """
    w = words(lang)
    panels = _mix_panels(by_type, by_region, w)
    fig, axes = new_figure(FIGSIZE_PAIR if len(panels) == 2 else FIGSIZE_WIDE, ncols=len(panels))
    axes = [axes] if len(panels) == 1 else list(axes)
    scale, money_unit = money_scale(
        [a for _, _, m in panels for a, s in zip(m["amount"], m["status"]) if s == "ok"], lang
    )
    for ax, (heading, _, mix) in zip(axes, panels):
        _draw_mix_panel(ax, heading, mix, (scale, money_unit), w)
    withheld = any("suppressed" in m["status"] for _, _, m in panels)
    footnote(fig, sources=("tech_contracts",), withheld=withheld, lang=lang)
    when = when_text(period, lang)
    set_title(fig, _contract_mix_title([(k, m) for _, k, m in panels], when, w))
    return fig


def _mix_panels(by_type: Any, by_region: Any, w) -> list[tuple[str, str, dict[str, Any]]]:
    """(heading, kind, panel) for each panel: from the long frame, or from one or two inputs."""
    if by_region is None and has_column(by_type, "by"):
        frame = by_type
        panels = [
            (
                w.labels["mix_by_type"],
                "type",
                mix_panel(frame[frame["by"] == "type"], CONTRACT_TYPES),
            ),
            (
                w.labels["mix_by_region"],
                "buyer_region",
                mix_panel(frame[frame["by"] == "buyer_region"], BUYER_REGIONS),
            ),
        ]
        if getattr(frame, "attrs", {}).get("status") == "no_data":
            panels = [(h, k, {**m, "status": ["no_data"] * len(m["status"])}) for h, k, m in panels]
        return panels
    panels = [(w.labels["mix_by_type"], "type", mix_panel(by_type, CONTRACT_TYPES))]
    if by_region is not None:
        panels.append(
            (w.labels["mix_by_region"], "buyer_region", mix_panel(by_region, BUYER_REGIONS))
        )
    return panels


def _draw_mix_panel(ax, heading: str, mix: dict[str, Any], axis: tuple[float, str], w) -> None:
    """One panel: a bar per category (share, or amount when shares are unknowable), labelled."""
    scale, money_unit = axis
    colors = palette()
    use_share = mix["has_share"]
    ys = list(range(len(mix["labels"])))[::-1]
    rows = [
        # a share of nothing (no contract in the period: 0 of 0) is no data, not a bar
        (y, a, sh, s if s != "ok" or _finite(sh if use_share else a) else "no_data")
        for y, a, sh, s in zip(ys, mix["amount"], mix["share"], mix["status"])
    ]
    ok = [(y, sh if use_share else a / scale) for y, a, sh, s in rows if s == "ok"]
    ax.barh([y for y, _ in ok], [v for _, v in ok], height=0.62, color=colors[ACCENT])
    top = max([v for _, v in ok] + [0.0]) or 1.0
    for y, amount, share, status in rows:
        if status != "ok":
            mark_missing(ax, 0, y, status, colors, ha="left", offset=(4, 0), lang=w.lang)
            continue
        money = format_money(amount, "exact", w.lang)
        text = (
            w.labels["mix_value"].format(share=rate_cell(share, w.lang), amount=money)
            if use_share
            else money
        )
        ax.annotate(
            text,
            (share if use_share else amount / scale, y),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=ANNOTATION_SIZE,
        )
    ax.set_yticks(ys, [w.category(label) for label in mix["labels"]])
    ax.set_ylim(-0.6, len(ys) - 0.4)
    ax.set_xlim(0, top * 1.6)
    ax.set_xlabel(w.labels["axis_share"] if use_share else axis_label("money", money_unit, w.lang))
    ax.set_title(heading, fontsize=ANNOTATION_SIZE + 2, fontweight="normal", loc="left")
    ax.grid(axis="y", visible=False)


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _contract_mix_title(panels, when, w) -> str:
    tops = {}
    for kind, mix in panels:
        ok = [
            (sh, label)
            for label, sh, s in zip(mix["labels"], mix["share"], mix["status"])
            if s == "ok" and _finite(sh)
        ]
        if ok and mix["has_share"] and max(sh for sh, _ in ok) > 0:
            # the largest share; equal shares go to the category listed first (docs/data.md order)
            share, label = max(ok, key=lambda t: (t[0], -mix["labels"].index(t[1])))
            tops[kind] = (w.category(label), share)
    if "type" in tops and "buyer_region" in tops:
        return w.titles["contract_mix"].format(
            when=when,
            top_type=tops["type"][0],
            type_share=format_rate(tops["type"][1], lang=w.lang),
            top_region=tops["buyer_region"][0],
            region_share=format_rate(tops["buyer_region"][1], lang=w.lang),
        )
    for kind in ("type", "buyer_region"):
        if kind in tops:
            template = "contract_mix_type" if kind == "type" else "contract_mix_region"
            return w.titles[template].format(
                when=when, top=tops[kind][0], share=format_rate(tops[kind][1], lang=w.lang)
            )
    for kind, mix in panels:  # shares unknowable (a withheld cell): the largest published amount
        ok = [
            (a, label)
            for label, a, s in zip(mix["labels"], mix["amount"], mix["status"])
            if s == "ok"
        ]
        if kind == "type" and ok and max(a for a, _ in ok) > 0:
            amount, label = max(ok, key=lambda t: (t[0], -mix["labels"].index(t[1])))
            return w.titles["contract_mix_amount"].format(
                when=when, top=w.category(label), amount=format_money(amount, "exact", w.lang)
            )
    return w.titles["contract_mix_no_data"].format(when=when)
