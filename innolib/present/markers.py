"""The two markers of a table cell without a figure, each with its legend.

- **no data** (``无数据`` / ``n/a``): a table the figure needs is missing, its records had
  not begun, or an annual survey does not apply to the period. Never zero.
- **suppressed** (``—``): withheld by disclosure control (``innolib.disclosure``); the
  legend is the Statistics Law footnote, with the rules' thresholds.

A table prints the legend of each marker it shows, and only those.
"""

from __future__ import annotations

from innolib.present.vocabulary import words

NO_DATA, SUPPRESSED = "no_data", "suppressed"


def marker(kind: str, lang: str = "zh") -> str:
    """The marker of ``kind`` (``no_data`` or ``suppressed``) in ``lang``."""
    return words(lang)[_key(kind)]


def legend(kind: str, lang: str = "zh") -> str:
    """The legend line of the marker of ``kind`` in ``lang``."""
    if kind == SUPPRESSED:  # the Statistics Law footnote, with disclosure control's thresholds
        from innolib.disclosure import FOOTNOTE

        return FOOTNOTE[0 if lang == "zh" else 1]
    return words(lang)[_key(kind) + "_legend"]


def _key(kind: str) -> str:
    if kind not in (NO_DATA, SUPPRESSED):
        raise ValueError(f"unknown marker {kind!r}")
    return kind
