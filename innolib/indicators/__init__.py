"""Indicators: (registry id, package, period) → value, previous, change, breakdowns.

Every published number is computed here, from the raw tables of a ``Package``, by the
rule its registry entry declares (``innolib/registry/indicators.yaml``, ``compute``).
The counting rules are those of docs/indicators.md:

- **flow**: rows of the named stage/type whose own date (``date``, ``registered``,
  ``approved``) lies in the period, bounds included; enterprises counted distinct by
  ``uscc``, events as rows;
- **stock**: what is in force on the period's end: a certificate recognised (认定) on
  or before it, ``valid_until`` on or after it (empty = no expiry), and no 撤销 of the
  same tier dated between that recognition and the end (a 撤销 on the day of a 认定
  ends it too; a later 认定 starts anew); a platform approved by the end and not revoked
  on or before it;
- **cumulative**: distinct enterprises ever 认定 up to the end;
- **annual**: rd_survey rows of the period's year, only when the (clipped) period ends
  on 31 December; a row's own ``above_scale`` overrides the enterprise's class.

A package's ``cutoff`` clips every period first (``Period.clip``). Status is ``ok`` or
``no_data`` (a source table is absent, an annual survey on a part-year period, or a rate
over an empty base); ``suppressed`` is applied later by the export layer, never here.
``previous`` is the same indicator for ``period.previous_year()``; ``change`` is percent
for counts and money (None when the base is 0 or missing), percentage points for rates.

Public helpers shared with ``innolib.analyses``: ``in_period``, ``rows_in_period``,
``valid_certificates``, ``ever_certified``, ``platforms_in_force``, ``survey_rows``,
``enterprise_attributes``.

Shared parameters (all public functions): ``package`` a loaded ``Package``; ``period`` a
``Period`` (never a label: labels are parsed once, at the edge — the CLI, the ``il.*``
functions, the batch plan), clipped here by the package's cutoff; ``indicator_id`` / ``id``
a registry id.

The subpackage, along its seams: ``results`` (IndicatorValue, IndicatorSet), ``columns``
(column arrays and masks, computed once per call), ``rules`` (the counting rules shared
with analyses), ``evaluate`` (selection, aggregation, ``compute_*``, ``trend``),
``breakdowns`` (by town/sector, per-enterprise contributions).
"""

from __future__ import annotations

from innolib.indicators.breakdowns import breakdown, contributions, monthly_contributions
from innolib.indicators.evaluate import (
    compute_indicator,
    compute_indicators,
    selected_rows,
    trend,
)
from innolib.indicators.results import (
    NO_DATA,
    OK,
    SUPPRESSED,
    UNASSIGNED,
    IndicatorSet,
    IndicatorValue,
)
from innolib.indicators.rules import (
    effective_period,
    enterprise_attributes,
    ever_certified,
    in_period,
    platforms_in_force,
    rows_in_period,
    survey_rows,
    valid_certificates,
)

__all__ = [
    "NO_DATA",
    "OK",
    "SUPPRESSED",
    "UNASSIGNED",
    "IndicatorSet",
    "IndicatorValue",
    "breakdown",
    "compute_indicator",
    "compute_indicators",
    "contributions",
    "effective_period",
    "enterprise_attributes",
    "ever_certified",
    "in_period",
    "monthly_contributions",
    "platforms_in_force",
    "rows_in_period",
    "selected_rows",
    "survey_rows",
    "trend",
    "valid_certificates",
]
