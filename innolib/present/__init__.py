"""The presentation layer: every way a value becomes text, in Chinese and English.

- ``numbers``: money (万元/亿元, 约/余; CNY million), counts, rates, dates, ordinals, and
  table cells (and a chart's bar labels and money axis); one rounding (half up) and one
  step per kind;
- ``changes``: THE year-on-year rule (points for rates, the difference for a count under
  10 a year earlier, else the percent) and its wording in prose and in tables;
- ``markers``: the no-data and suppressed markers with their legends;
- ``facts``: the district's own words (programme names, office) and indicator names;
- ``markup``: text from data made safe where it lands (Markdown, HTML, Word);
- ``tables``: one renderer for indicator tables (CLI text, notebooks, Markdown, Word);
- ``vocabulary``: the words, read from ``innolib/templates/vocabulary.yaml``.

Period words are ``Period.wording`` (``innolib.periods``). Names are resolved lazily so
that ``innolib.disclosure`` (a lower floor) can read the vocabulary without importing the
rest of this package.
"""

from __future__ import annotations

import importlib

_PUBLIC = {
    "LANGS": "vocabulary",
    "check_lang": "vocabulary",
    "words": "vocabulary",
    "format_money": "numbers",
    "format_count": "numbers",
    "format_rate": "numbers",
    "format_date": "numbers",
    "ordinal_word": "numbers",
    "rank_word": "numbers",
    "table_number": "numbers",
    "format_number": "numbers",
    "format_value": "numbers",
    "rate_cell": "numbers",
    "money_scale": "numbers",
    "scaled_money_cell": "numbers",
    "change_phrase": "changes",
    "Change": "changes",
    "change_of": "changes",
    "change_cell": "changes",
    "format_change": "changes",
    "marker": "markers",
    "legend": "markers",
    "district_facts": "facts",
    "indicator_name": "facts",
    "markdown_text": "markup",
    "markdown_cell": "markup",
    "plain_text": "markup",
    "IndicatorTable": "tables",
    "indicator_table": "tables",
    "table_title": "tables",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'innolib.present' has no attribute {name!r}")
    return getattr(importlib.import_module(f"innolib.present.{module}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
