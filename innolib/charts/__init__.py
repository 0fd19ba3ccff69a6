"""The bulletin's standard charts: each returns a matplotlib Figure whose title states the finding.

Every chart takes numbers already computed by ``innolib.indicators``, ``innolib.analyses``
or ``innolib.disclosure`` (their frames and result objects are accepted as they come; the
shapes are in each docstring), draws them in the house theme (``innolib.theme.set_theme``:
seaborn ``whitegrid`` and the bundled Chinese font), labels axes in Chinese with units
(家, 项, 万元/亿元, %) and writes a title that says what the numbers show
("2025年有效期内高新技术企业106家，同比增长8.2%"). The title is computed from the same
numbers that are drawn, so a chart cannot say something its bars contradict. Every chart
takes ``lang="en"`` for the same chart in English.

The package's rooms:

- ``wording``: every sentence and label around the figures (``TITLES``, ``LABELS``, tier
  and platform-level names, the sources), in Chinese and English (``words(lang)``); the
  functions only fill them in.
- ``text``: which form of the presentation layer (``innolib.present``) a value or a
  change takes on a chart (prose in titles, cells beside bars), and period words. No
  chart formats a number itself: money, rates, counts, THE change rule and the markers
  are ``innolib.present``'s, as in the tables and the prose.
- ``adapters``: from indicator results and analysis frames to labels, floats, statuses.
- ``layout``: figure, palette, title, footnote, markers and ``save_figure``.
- the chart families: ``pipeline`` (funnel), ``trends`` (trend, platforms by level),
  ``breakdown`` (by town or sector, R&D intensity), ``mix`` (contract mix),
  ``financing``, ``index`` (composite innovation index).

Statuses: a cell is drawn only when publishable (``ok``; ``published`` in a
``disclosure.ProtectedTable``). Cells withheld by disclosure control (``suppressed``,
``primary``, ``secondary``) keep their place on the axis, are marked ``—`` and are never
drawn as bars. Values with no data (status ``no_data``, or an empty value without a
status) are marked ``无数据`` (``innolib.present.marker``), never drawn as 0. The footnote under a chart with withheld
cells is ``innolib.disclosure.FOOTNOTE``, the one every circulated output uses.

Charts create figures through pyplot, so that Jupyter's inline backend shows them, and
close nothing: ``save_figure`` writes a PNG and closes the figure; whoever draws without
saving closes it. Output is deterministic: fixed figure sizes, no timestamp or software
version in the PNG metadata, so the same numbers give byte-identical files.

Importing this package is cheap: matplotlib, seaborn and pandas are imported inside the
functions that draw.
"""

from __future__ import annotations

from innolib.charts.breakdown import breakdown_chart, rd_intensity_chart
from innolib.charts.financing import financing_chart
from innolib.charts.index import index_chart
from innolib.charts.layout import FIGSIZE_PAIR, FIGSIZE_WIDE, SAVE_DPI, save_figure
from innolib.charts.mix import contract_mix_chart
from innolib.charts.pipeline import funnel_chart
from innolib.charts.trends import platforms_chart, trend_chart
from innolib.charts.wording import LABELS, PLATFORM_INDICATORS, PLATFORM_LEVELS, TITLES

__all__ = [
    "FIGSIZE_PAIR",
    "FIGSIZE_WIDE",
    "LABELS",
    "PLATFORM_INDICATORS",
    "PLATFORM_LEVELS",
    "SAVE_DPI",
    "TITLES",
    "breakdown_chart",
    "contract_mix_chart",
    "financing_chart",
    "funnel_chart",
    "index_chart",
    "platforms_chart",
    "rd_intensity_chart",
    "save_figure",
    "trend_chart",
]
