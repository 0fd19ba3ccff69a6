"""innolib: a district science and technology bureau's statistics, from raw tables to bulletin.

Notebooks import the public functions from here::

    import innolib as il
    package = il.load_package("../data/shangjie")
    result = il.compute_indicators(package, "2025")   # result.period: the clipped Period
    il.indicator_table(result)                         # computed once, then handed on

These functions are the edge: where one takes a ``period`` (or ``periods``), it may be a
label (``"2025"``, ``"2025Q3"``; ``periods`` also ``"2021..2025"``), parsed here once;
every function below (``innolib.indicators.compute_indicators`` …) takes ``Period``
objects only. A name here is always the same thing: a function stays a function, and a
submodule (``il.registry``, ``il.narrative``, ``il.comparisons``) is always the module,
whether or not it was imported before.

Names are resolved lazily so that ``import innolib`` stays cheap (the CLI and papermill
kernels pay only for what they use).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect

__version__ = "0.1.0"

# public name -> module that defines it
_PUBLIC = {
    "TABLES": "innolib.tables",
    "District": "innolib.package",
    "Package": "innolib.package",
    "Period": "innolib.periods",
    "parse_period": "innolib.periods",
    "parse_periods": "innolib.periods",
    "set_theme": "innolib.theme",
    "funnel_chart": "innolib.charts",
    "trend_chart": "innolib.charts",
    "breakdown_chart": "innolib.charts",
    "rd_intensity_chart": "innolib.charts",
    "platforms_chart": "innolib.charts",
    "contract_mix_chart": "innolib.charts",
    "financing_chart": "innolib.charts",
    "index_chart": "innolib.charts",
    "save_figure": "innolib.charts",
    "load_package": "innolib.load",
    "write_rejects": "innolib.load",
    "PackageInvalid": "innolib.load",
    "compute_indicators": "innolib.indicators",
    "compute_indicator": "innolib.indicators",
    "breakdown": "innolib.indicators",
    "contributions": "innolib.indicators",
    "trend": "innolib.indicators",
    "indicator_table": "innolib.present.tables",
    "IndicatorSet": "innolib.indicators",
    "IndicatorValue": "innolib.indicators",
    "valid_certificates": "innolib.indicators",
    "in_period": "innolib.indicators",
    "load_registry": "innolib.registry",
    "indicator_def": "innolib.registry",
    "write_narrative": "innolib.narrative",
    "write_report": "innolib.export",
    "circulated": "innolib.narrative",
    "circulated_trend": "innolib.circulation",
    "protected_breakdown": "innolib.circulation",
    "circulated_contract_mix": "innolib.circulation",
    "circulated_financing": "innolib.circulation",
    "protect_table": "innolib.disclosure",
    "cell_is_safe": "innolib.disclosure",
    "check_text": "innolib.factcheck",
    "extract_claims": "innolib.factcheck",
    "format_claims": "innolib.factcheck",
    "generate": "innolib.synth",
    "write_template": "innolib.template",
    "run_batch": "innolib.batch",
    "pipeline_conversion": "innolib.analyses",
    "pipeline_funnel": "innolib.analyses",
    "expiring_hnte": "innolib.analyses",
    "industrial_without_rd": "innolib.analyses",
    "rd_intensity": "innolib.analyses",
    "contract_mix": "innolib.analyses",
    "financing_summary": "innolib.analyses",
    "targets_vs_actual": "innolib.analyses",
    "is_internal": "innolib.analyses",
    "load_reference": "innolib.reference",
    "compare": "innolib.comparisons",
    "comparison_table": "innolib.comparisons",
    "index_inputs": "innolib.comparisons",
    "composite_index": "innolib.comparisons",
    "index_sensitivity": "innolib.comparisons",
    "index_periods": "innolib.comparisons",
    "comparison_narrative": "innolib.comparisons",
}


#: public functions with a ``period`` or ``periods`` parameter: labels are parsed here
_EDGE = {
    "compute_indicators",
    "compute_indicator",
    "breakdown",
    "contributions",
    "trend",
    "write_narrative",
    "write_report",
    "pipeline_conversion",
    "pipeline_funnel",
    "expiring_hnte",
    "industrial_without_rd",
    "rd_intensity",
    "contract_mix",
    "financing_summary",
    "targets_vs_actual",
    "circulated_trend",
    "protected_breakdown",
    "circulated_contract_mix",
    "circulated_financing",
}


def _at_edge(function):
    """``function`` with a label given for ``period`` (or ``periods``) parsed into ``Period``s."""
    from innolib.periods import parse_period, parse_periods

    signature = inspect.signature(function)

    @functools.wraps(function)
    def edge(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        given = bound.arguments
        if isinstance(given.get("period"), str):
            given["period"] = parse_period(given["period"])
        if isinstance(given.get("periods"), str):
            given["periods"] = parse_periods(given["periods"])
        elif "periods" in given:
            given["periods"] = [
                parse_period(p) if isinstance(p, str) else p for p in given["periods"]
            ]
        return function(*bound.args, **bound.kwargs)

    return edge


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        if importlib.util.find_spec(f"innolib.{name}") is not None:
            return importlib.import_module(f"innolib.{name}")  # a submodule, always
        raise AttributeError(f"module 'innolib' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    if name in _EDGE:
        value = _at_edge(value)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
