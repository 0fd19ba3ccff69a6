"""Seeded synthetic district packages: the shangjie sample and benchmark-sized variants.

``generate(out_dir)`` writes a complete package (all twelve tables of ``tables.TABLES``
plus ``district.yaml``) whose 2025 figures are those of the model bulletin for 上街区
(docs/indicators.md), with a believable 2021–2024 history behind them. The figures come out
of the counting rules because the data are *constructed* to meet them: the generator
decides how many enterprises are recommended, recognised, revoked, surveyed … in each
year (the ``profile`` of ``profiles.yaml``), and every stock follows from those flows (a 高企 certificate is
valid three years, so the 2025 stock is the 2023–2025 cohorts less revocations).

Everything else is drawn from a seeded ``numpy.random.Generator``: who the enterprises
are, which of them reach which tier, amounts (heavy-tailed, then scaled to the year's
total), dates. The same seed gives byte-identical files; the default seed is derived
from the district id. ``scale`` multiplies every population (enterprises, contracts,
survey rows, events) for benchmarks; the work is vectorised (numpy/pandas, loops only
over years, tiers and tables), so ``scale=1000`` (~480k enterprises, ~900k contracts a
year) runs in minutes. Another district of the same city (``district="jinshui"`` or
``"中原区"``, or ``"NAME:CODE"``) gets its own seed, size, towns and sector mix; only
shangjie at scale 1 is calibrated to the bulletin.

The enterprises are fictional (names composed from random character pairs; any
resemblance to a real firm is coincidental) except the public bodies the bulletin
itself names for its public facts (``enterprises.PUBLIC_BODIES``), which keep those names.

The package's rooms: ``profiles.yaml`` (the calibration numbers and the districts, as data)
read by ``profile``; ``enterprises`` (the register) with ``words`` (name vocabulary) and
``sampling`` (vectorised helpers); one generator per ledger (``qualifications``,
``rd_survey``, ``projects``, ``platforms``, ``activities``, ``talent``, ``contracts``,
``achievements``, ``finance``, ``targets``); ``context`` (what they share) and
``generator`` (the orchestrator and the writer).
"""

from __future__ import annotations

from innolib.synth.generator import DEFAULT_YEARS, generate

__all__ = ["DEFAULT_YEARS", "generate"]
