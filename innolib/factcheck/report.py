"""The check as a table for people: one row per claim, then the counts by status."""

from __future__ import annotations

from innolib.factcheck.claims import CheckResult
from innolib.present.numbers import format_number
from innolib.present.tables import display_width, pad

# ----------------------------------------------------------------------------- output

_STATUS_ZH = {
    "verified": "相符",
    "contradicted": "不符",
    "unmatched": "未匹配",
    "no_data": "无数据",
}


def _clip(s: str, width: int) -> str:
    out, w = "", 0
    for ch in s:
        cw = display_width(ch)
        if w + cw > width - 1:
            return out + "…"
        out += ch
        w += cw
    return out


def _fmt_expected(x: float | None) -> str:
    if x is None:
        return "—"
    return format_number(x, 4, thousands=True)  # the exact figure, to compare with the text


def format_claims(result: CheckResult) -> str:
    """A table for people: one row per claim (status, claim as written, indicator, data, sentence)."""
    head = [
        "#",
        "状态 status",
        "说法 claim (phrase｜qualifier｜figure)",
        "指标 indicator",
        "数据 data",
        "原文 in the text",
    ]
    rows = []
    for n, c in enumerate(result.claims, 1):
        claim = f"{c.phrase}｜{c.qualifier + '｜' if c.qualifier else ''}{c.figure or c.value_text + c.unit}"
        rows.append(
            [
                str(n),
                f"{_STATUS_ZH[c.status]} {c.status}",
                _clip(claim, 44),
                c.indicator or "—",
                _fmt_expected(c.expected),
                "…" + c.context if c.context else "",
            ]
        )
    widths = [max(display_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(pad(h, w) for h, w in zip(head, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(pad(v, w) for v, w in zip(r, widths)).rstrip() for r in rows]
    counts = result.counts()
    lines.append("")
    lines.append(
        f"{len(result.claims)} 条数字说法 claims：相符 verified {counts['verified']}，不符 contradicted "
        f"{counts['contradicted']}，未匹配 unmatched {counts['unmatched']}，无数据 no data {counts['no_data']}"
        + (f"（{result.district} {result.period}）" if result.district else "")
    )
    return "\n".join(lines)
