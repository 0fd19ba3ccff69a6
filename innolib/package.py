"""The in-memory data package: district metadata plus one typed DataFrame per table.

Every layer above the loader works on a ``Package``: indicators, narrative, charts,
notebooks. Tables are keyed by their id (``tables.TABLES``); columns are the English
ids; money is in 万元 (float), dates are ``datetime64`` (day precision, naive), booleans
are pandas ``boolean``, integers ``Int64``, enums and text are ``str``. A table the
package does not have is simply absent from ``Package.tables`` (never an empty frame),
so that indicators can tell "no data" from zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from innolib.tables import BOOL, DATE, ENUM, INT, MONEY, STR, TABLES, YEAR


@dataclass(frozen=True)
class District:
    """A district's metadata (``district.yaml``); ``id`` names ``outputs/<id>/``."""

    id: str
    code: str
    name: str
    city: str
    province: str
    towns: tuple[str, ...]
    name_en: str = ""
    currency_unit: str = "万元"
    cutoff: dt.date | None = None
    population: dict[str, int] = field(default_factory=dict)
    # synthetic sample data: every circulated output is stamped 示例数据（合成，非真实统计）
    synthetic: bool = False
    # the district's own words (district_word, office, signature, tier_programme,
    # province_prefix, loan_product); what is absent comes from innolib.wording's defaults
    facts: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "name_en": self.name_en,
            "city": self.city,
            "province": self.province,
            "towns": list(self.towns),
            "currency_unit": self.currency_unit,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "population": dict(self.population),
            "synthetic": self.synthetic,
            "facts": dict(self.facts),
        }


@dataclass
class Package:
    """A loaded district package: metadata, typed tables and the load report.

    ``report`` is the loader's ``LoadReport`` (row accounting, rejects, ignored sheets);
    ``files`` maps each input file's path to its SHA-256, for manifests and caches.
    """

    district: District
    tables: dict[str, pd.DataFrame]
    report: Any = None
    files: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def has(self, table_id: str) -> bool:
        """Whether the package has this table (a missing table means "no data")."""
        return table_id in self.tables

    def __getitem__(self, table_id: str) -> pd.DataFrame:
        return self.tables[table_id]

    @classmethod
    def from_frames(
        cls, district: District, frames: dict[str, pd.DataFrame], **kwargs: Any
    ) -> Package:
        """A package from clean frames with id columns (tests, generator, cache).

        Applies the declared dtypes; columns a frame lacks are added empty. No validation
        beyond typing: use ``innolib.load`` for untrusted input.
        """
        return cls(district, {tid: coerce_types(tid, df) for tid, df in frames.items()}, **kwargs)


DTYPES = {
    STR: "str",
    ENUM: "str",
    INT: "Int64",
    YEAR: "Int64",
    MONEY: "Float64",
    BOOL: "boolean",
    DATE: "datetime64[s]",
}
"""The pandas dtype of each column type once loaded (the one map: loader, cache, tests)."""


def empty_column(col, n: int) -> pd.Series:
    """``n`` empty cells of ``col``'s loaded dtype (text stays object: None, not "")."""
    dtype = object if col.type in (STR, ENUM) else DTYPES[col.type]
    return pd.Series([None] * n, dtype=dtype)


def coerce_types(table_id: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with exactly the declared columns of ``table_id``, in order, typed.

    Values must already be clean (numbers, dates, booleans); this only fixes dtypes.
    """
    decl = TABLES[table_id]
    out = {}
    n = len(df)
    for col in decl.columns:
        s = (
            df[col.id]
            if col.id in df.columns
            else pd.Series([None] * n, index=df.index, dtype="object")
        )
        if col.type == DATE:
            s = pd.to_datetime(s).astype(DTYPES[DATE])
        else:
            s = s.astype(DTYPES[col.type])
        out[col.id] = s
    return (
        pd.DataFrame(out, index=pd.RangeIndex(n))
        if n == 0
        else pd.DataFrame(out).reset_index(drop=True)
    )
