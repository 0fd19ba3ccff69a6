"""Comparisons with published statistics, and a composite innovation index over units.

A bulletin says how much; leaders ask "is that good?". Two answers live here:

1. ``compare`` / ``comparisons`` (``table``): the district's figures against the city's,
   province's and nation's published statistics (``data/reference/``, read by
   ``innolib.reference``; the comparator found by ``lookup``): shares (占全市的…%), levels
   of the same rate (percentage points) and growth rates. What to compare is declared in
   ``innolib/registry/comparisons.yaml``.
2. ``composite_index`` (``index``): an index over the towns (镇街) of one district, or the
   districts of several packages, by the European Innovation Scoreboard's method, with
   ``index_sensitivity`` and disclosure control of the money inputs.

``comparison_narrative`` (``narrative``) writes both as a paragraph.

Guide for ``notebooks/04_comparisons.ipynb`` (one call per cell; ``data`` may be a list)::

    from innolib import comparisons as cmp
    packages = nbh.load_packages(data, lenient=lenient)
    p = il.parse_period(period)
    reference = cmp.load_reference()                            # validated published statistics
    table = cmp.comparisons(packages[0], p, reference)          # one row per comparison × scope
    cmp.comparison_table(table)                                 # display: Chinese headers, footnotes
    inputs = cmp.index_inputs(packages, cmp.index_periods(p, years=5))  # same period, 5 years
    result = cmp.composite_index(inputs)                        # circulated: unsafe cells left out
    cmp.index_table(result)                                     # index, group, rank per unit
    cmp.index_inputs_table(inputs)                              # inputs, suppressed cells as —
    cmp.sensitivity_table(cmp.index_sensitivity(result))        # rank shift when one indicator is dropped
    cmp.comparison_narrative(table, result, district=packages[0].district, period=p)
"""

from __future__ import annotations

from innolib.comparisons.index import (
    IndexResult,
    IndexSpec,
    composite_index,
    index_inputs,
    index_inputs_table,
    index_periods,
    index_sensitivity,
    index_table,
    load_index_spec,
    scale_inputs,
    sensitivity_table,
    unit_denominators,
)
from innolib.comparisons.narrative import comparison_narrative
from innolib.comparisons.table import (
    ComparisonDef,
    compare,
    comparison_table,
    comparisons,
    load_comparison_spec,
)
from innolib.reference import load_reference

__all__ = [
    "ComparisonDef",
    "IndexResult",
    "IndexSpec",
    "compare",
    "comparison_narrative",
    "comparison_table",
    "comparisons",
    "composite_index",
    "index_inputs",
    "index_inputs_table",
    "index_periods",
    "index_sensitivity",
    "index_table",
    "load_comparison_spec",
    "load_index_spec",
    "load_reference",
    "scale_inputs",
    "sensitivity_table",
    "unit_denominators",
]
