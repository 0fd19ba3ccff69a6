"""The records of a check: one ``Claim`` per numeric claim and the ``CheckResult`` of a text.

The fields and the claims document are the contract of ``innolib check --json`` (docs/factcheck.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

STATUSES = ("verified", "contradicted", "unmatched", "no_data")
# ----------------------------------------------------------------------------- the claim


@dataclass
class Claim:
    """One numeric claim of a text, with where it stands and (after checking) its verdict.

    ``value`` is the number as written (Chinese numerals converted; not converted to another
    unit); ``unit`` the unit as written without 余/多; ``span`` [start, end) offsets of the
    figure (number through unit) in the text as read; ``role`` see the module docstring.
    """

    sentence: str
    phrase: str
    value: int | float
    value_text: str
    unit: str
    qualifier: str
    span: tuple[int, int]
    role: str = "value"
    indicator: str | None = None
    status: str = "unmatched"
    expected: float | None = None
    note: str = ""
    year: int | None = None  # a year written with the figure (由2021年的0.86亿元): not the period's
    figure: str = ""  # the figure as written (4.7亿余元, 两批次), for people
    context: str = ""  # the words just before the figure in its sentence, for people
    value_max: int | float | None = None  # a range (4到5场): its upper end; value the lower
    phrase_rebuilt: bool = False  # the phrase joins the claim's own words to a shared head
    paragraph: int | None = None  # where the figure starts: paragraph (a .txt line) from 1
    char: int | None = None  # and character in that paragraph, from 1

    def to_dict(self) -> dict[str, Any]:
        """The claim as an entry of the claims document (docs/interface.md)."""
        return {
            "sentence": self.sentence,
            "phrase": self.phrase,
            "value": _finite(self.value),
            "value_text": self.value_text,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "span": [self.span[0], self.span[1]],
            "indicator": self.indicator,
            "status": self.status,
            "expected": _finite(self.expected),
            "value_max": _finite(self.value_max),
            "phrase_rebuilt": self.phrase_rebuilt,
            "paragraph": self.paragraph,
            "char": self.char,
            "note": self.note,
        }


def _finite(x: int | float | None) -> int | float | None:
    """A number JSON can hold: NaN and ±inf (an overflowed sum, a 400-digit figure) as null."""
    return x if x is None or isinstance(x, int) or math.isfinite(x) else None


@dataclass
class CheckResult:
    """Every claim of a text with its verdict; ``contradicted`` when any claim is."""

    claims: list[Claim]
    district: str | None = None
    period: str | None = None

    @property
    def contradicted(self) -> bool:
        return any(c.status == "contradicted" for c in self.claims)

    def counts(self) -> dict[str, int]:
        """How many claims have each status."""
        return {s: sum(c.status == s for c in self.claims) for s in STATUSES}

    def to_document(self) -> dict[str, Any]:
        """The claims document of ``innolib check --json``."""
        return {
            "district": self.district,
            "period": self.period,
            "contradicted": self.contradicted,
            "counts": self.counts(),
            "claims": [c.to_dict() for c in self.claims],
        }
