"""The measures (工作举措) table of a synthetic package: ``synthetic_measures``.

Staff write what the bureau did; a synthetic package needs such text too, or its bulletin
would be the claims alone. The texts live in ``templates/synth_measures.yaml``: for the
sample district (id ``shangjie``) one text per year and point plus a title and lead, and
for every other district a pool of generic texts per point, one chosen per (year, point)
by a random generator of its own seeded from the package's seed (the other tables' draws
are untouched, so adding measures changes no other file). Generic texts name no place,
hold no figure and no year-specific policy word.
"""

from __future__ import annotations

import functools
import random
from importlib import resources

import pandas as pd
import yaml

from innolib.measures import points


@functools.cache
def _texts() -> dict:
    text = (
        resources.files("innolib")
        .joinpath("templates/synth_measures.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


_LABEL = {"title": "标题", "lead": "导语"}  # written as staff would; the loader reads both


def synthetic_measures(district_id: str, years: list[int], seed: int) -> pd.DataFrame:
    """Rows of the measures table (period, section, point, text) for ``years``; points
    and the title and lead rows are named by their Chinese labels, as staff write them."""
    texts = _texts()
    own = texts.get("by_district", {}).get(district_id)
    rng = random.Random(f"measures:{district_id}:{seed}")
    rows = []
    for year in years:
        year_texts = (own or {}).get(year) or (own or {}).get(str(year))
        if year_texts:
            for key in ("title", "lead"):
                if year_texts.get(key):
                    rows.append((str(year), None, _LABEL[key], year_texts[key]))
        for p in points():
            key = f"{p.section}.{p.id}"
            if year_texts and year_texts.get(key):
                text = year_texts[key]
            else:
                text = rng.choice(texts["generic"][key])
            rows.append((str(year), str(p.section), p.zh, text))
    return pd.DataFrame(rows, columns=["period", "section", "point", "text"])
