"""What every ledger generator shares: the district, the years, one seeded stream, the profile, the register.

One ``numpy.random.Generator`` is drawn from in a fixed order (the orchestrator calls the
ledgers in sequence), so the same seed gives byte-identical packages.
"""

from __future__ import annotations

import numpy as np

from innolib.synth.enterprises import Enterprises, build_enterprises
from innolib.synth.profile import CITY, PROVINCE, DistrictSpec, Profile


class Context:
    """The state of one generation run: district, window years, random stream, profile, enterprises."""

    def __init__(self, spec: DistrictSpec, years: list[int], scale: float, seed: int) -> None:
        self.spec = spec
        self.years = sorted(years)
        self.rng = np.random.default_rng(seed)
        self.profile = Profile(spec, scale, self.rng)
        self.ent: Enterprises = build_enterprises(self.rng, spec, self.profile, self.years[-1])

    @property
    def loan_product(self) -> str:
        """The district's own loan product by its city's defaults (郑科贷 in 郑州市), else
        科技信贷 (a listed product, so the draws of the ledger stay the same)."""
        from types import SimpleNamespace

        from innolib.present.facts import district_facts

        district = SimpleNamespace(name=self.spec.name, city=CITY, province=PROVINCE, facts={})
        return district_facts(district, "zh")[0]["loan_product"] or "科技信贷"

    @property
    def calibrated(self) -> bool:
        """Whether this is the calibrated sample (shangjie), whose public facts are placed by hand."""
        return self.spec.id == "shangjie"

    def public(self, key: str) -> int | None:
        """The register row of a public body the bulletin names (None outside shangjie)."""
        return self.ent.public.get(key)

    def with_forced(self, chosen: np.ndarray, forced: list[int], k: int) -> np.ndarray:
        """``chosen`` with the ``forced`` members first, still ``k`` long and distinct."""
        forced = [f for f in forced if f is not None]
        rest = chosen[~np.isin(chosen, forced)]
        return np.concatenate([np.asarray(forced, dtype=np.int64), rest])[:k]
