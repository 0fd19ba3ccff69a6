"""The counting rules shared with ``innolib.analyses``: periods, certificates in force,
the cumulative rule, platforms in force, the survey's classes (docs/indicators.md).

Each public helper returns the rows a rule selects, computed by the same positions
functions that ``compute_indicators`` uses, so analyses and indicators always agree.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from innolib.indicators.columns import _Columns, _day, _ts
from innolib.package import Package
from innolib.periods import Period, require_period


def effective_period(package: Package, period: Period) -> Period:
    """``period`` as every indicator sees it: clipped by the package's coverage end (its
    cutoff; ``innolib.coverage``) when that falls inside it; a period that starts after
    the coverage end is returned as it is (it has no data). A label is a ``TypeError``
    (see ``periods.require_period``)."""
    from innolib.coverage import coverage

    period = require_period(period)
    cover = coverage(package)
    if cover.end is None or not cover.covers(period.start):
        return period
    return period.clip(cover.end)


def in_period(frame: pd.DataFrame, column: str, period: Period) -> pd.Series:
    """Boolean mask: rows whose ``column`` date lies in ``[period.start, period.end]``.

    Empty dates are outside every period. ``period`` is used as given (clip it first with
    ``effective_period``).
    """
    dates = frame[column]
    return ((dates >= _ts(period.start)) & (dates <= _ts(period.end))).fillna(False).astype(bool)


def rows_in_period(frame: pd.DataFrame, column: str, period: Period) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` date lies in the period (see ``in_period``)."""
    return frame[in_period(frame, column, period).to_numpy()]


def _valid_certificate_positions(cols: _Columns, tier: str, day: dt.date) -> np.ndarray:
    """Row positions in ``certifications`` of the certificates in force (see ``valid_certificates``)."""
    of_tier = cols.isin("certifications", "tier", (tier,)) & cols.on_or_before(
        "certifications", "date", day
    )
    until = cols.array("certifications", "valid_until")
    recognised = (
        of_tier
        & cols.isin("certifications", "stage", ("认定",))
        & (np.isnat(until) | (until >= _day(day)))
    )
    positions = np.flatnonzero(recognised)
    if not len(positions):
        return positions
    owner, _ = cols.codes("certifications", "uscc")  # enterprises as integer codes (-1 = empty)
    dates = cols.array("certifications", "date")
    revoked = np.flatnonzero(of_tier & cols.isin("certifications", "stage", ("撤销",)))
    revoked = revoked[owner[revoked] >= 0]  # a 撤销 without an enterprise revokes nothing
    if len(revoked):
        last = pd.Series(dates[revoked]).groupby(owner[revoked]).max()
        last_revocation = pd.Series(owner[positions]).map(last).to_numpy(dtype="datetime64[s]")
        positions = positions[np.isnat(last_revocation) | (last_revocation < dates[positions])]
    # one certificate per enterprise: the latest recognition
    order = positions[np.argsort(dates[positions], kind="stable")]
    keep = ~pd.Series(owner[order]).duplicated(keep="last").to_numpy()
    return np.sort(order[keep])


def valid_certificates(package: Package, tier: str, on_date: dt.date) -> pd.DataFrame:
    """The certificates of ``tier`` in force on ``on_date``: one 认定 row per enterprise.

    In force: recognised on or before ``on_date``, ``valid_until`` on or after it (empty
    means no expiry), and no 撤销 row of the tier for that enterprise dated on or after
    the recognition and on or before ``on_date`` (a 撤销 on the day of a 认定 ends it).
    Where an enterprise holds several, the latest recognition is kept. Columns are those
    of ``certifications``. Raises ``KeyError`` if the package has no ``certifications``.
    """
    return package["certifications"].iloc[
        _valid_certificate_positions(_Columns(package), tier, on_date)
    ]


def _ever_certified_positions(cols: _Columns, tier: str, day: dt.date) -> np.ndarray:
    mask = (
        cols.isin("certifications", "tier", (tier,))
        & cols.isin("certifications", "stage", ("认定",))
        & cols.on_or_before("certifications", "date", day)
    )
    positions = np.flatnonzero(mask)
    order = positions[np.argsort(cols.array("certifications", "date")[positions], kind="stable")]
    keep = (
        ~pd.Series(cols.codes("certifications", "uscc")[0][order])
        .duplicated(keep="first")
        .to_numpy()
    )
    return np.sort(order[keep])


def ever_certified(package: Package, tier: str, on_date: dt.date) -> pd.DataFrame:
    """The first 认定 row of ``tier`` per enterprise dated on or before ``on_date`` (cumulative)."""
    return package["certifications"].iloc[
        _ever_certified_positions(_Columns(package), tier, on_date)
    ]


def _platform_positions(cols: _Columns, day: dt.date, level: str | None) -> np.ndarray:
    revoked = cols.array("platforms", "revoked")
    mask = cols.on_or_before("platforms", "approved", day) & (
        np.isnat(revoked) | (revoked > _day(day))
    )
    if level is not None:
        mask = mask & cols.isin("platforms", "level", (level,))
    return np.flatnonzero(mask)


def platforms_in_force(
    package: Package, on_date: dt.date, level: str | None = None
) -> pd.DataFrame:
    """Platforms (of ``level``, or all) approved on or before ``on_date`` and not revoked by then."""
    return package["platforms"].iloc[_platform_positions(_Columns(package), on_date, level)]


def _survey_positions(cols: _Columns, year: int, classes: str) -> np.ndarray:
    return np.flatnonzero(cols.isin("rd_survey", "year", (year,)) & cols.survey_in(classes))


def survey_rows(package: Package, year: int, classes: str = "four_up") -> pd.DataFrame:
    """rd_survey rows of ``year`` in ``classes``, with the resolved class in column ``class``.

    ``classes``: ``four_up`` (every class but 无), a class (``规上工业``), or ``all``. A row's
    own ``above_scale`` (the class that year) overrides the class in ``enterprises``;
    empty everywhere means 无.
    """
    cols = _Columns(package)
    positions = _survey_positions(cols, year, classes)
    rows = package["rd_survey"].iloc[positions]
    return rows.assign(**{"class": cols.survey_class()[positions]})


def enterprise_attributes(package: Package) -> pd.DataFrame:
    """``enterprises`` indexed by ``uscc`` with ``town`` and ``sector`` (for breakdowns)."""
    return package["enterprises"].set_index("uscc")[
        ["name", "town", "sector", "above_scale", "ownership"]
    ]
