"""Small helpers the comparison modules share: declaration files and numbers from mixed input."""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd


@cache
def spec_text(name: str) -> str:
    """The text of a declaration file in ``innolib/registry/`` (``comparisons.yaml``, ``index.yaml``)."""
    return resources.files("innolib").joinpath(f"registry/{name}").read_text(encoding="utf-8")


def num(x: Any) -> float | None:
    """``x`` as a float, or None for None, NA, NaN and anything that is not a number."""
    if x is None or x is pd.NA:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f
