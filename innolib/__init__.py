"""innolib: a district science and technology bureau's statistics, from raw tables to bulletin.

Notebooks import the public functions from here::

    import innolib as il
    package = il.load_package("../data/shangjie")
    result = il.compute_indicators(package, il.parse_period("2025"))

Names are resolved lazily so that ``import innolib`` stays cheap (the CLI and papermill
kernels pay only for what they use).
"""

from __future__ import annotations

import importlib

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
    "indicator": "innolib.indicators",
    "indicator_table": "innolib.present.tables",
    "IndicatorSet": "innolib.indicators",
    "IndicatorValue": "innolib.indicators",
    "valid_certificates": "innolib.indicators",
    "in_period": "innolib.indicators",
    "load_registry": "innolib.registry",
    "indicator_def": "innolib.registry",
    "registry": "innolib.registry",
    "narrative": "innolib.narrative",
    "write_report": "innolib.export",
    "circulated": "innolib.narrative",
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
    "comparisons": "innolib.comparisons",
    "comparison_table": "innolib.comparisons",
    "index_inputs": "innolib.comparisons",
    "composite_index": "innolib.comparisons",
    "index_sensitivity": "innolib.comparisons",
    "index_periods": "innolib.comparisons",
    "comparison_narrative": "innolib.comparisons",
}


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'innolib' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
