"""The orchestrator: every ledger in a fixed order, then the package written to disk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from innolib.errors import UsageError
from innolib.synth.achievements import achievements
from innolib.synth.activities import activities
from innolib.synth.context import Context
from innolib.synth.contracts import tech_contracts
from innolib.synth.finance import financing
from innolib.synth.measures import synthetic_measures
from innolib.synth.platforms import platforms
from innolib.synth.profile import CITY, PROVINCE, DistrictSpec, default_seed, district_spec
from innolib.synth.projects import projects
from innolib.synth.qualifications import certifications
from innolib.synth.rd_survey import above_scale, rd_survey
from innolib.synth.sampling import conform, table_frame
from innolib.synth.talent import talent
from innolib.synth.targets import targets
from innolib.tables import BOOL, DATE, TABLES

DEFAULT_YEARS = (2021, 2022, 2023, 2024, 2025)


def build_tables(ctx: Context) -> dict[str, pd.DataFrame]:
    """All the tables of one package, each conformed to its declaration.

    The order of the calls is the order of draws from the one random stream: changing it
    changes every package (and ``data/shangjie``), so new ledgers go at the end.
    """
    classes = above_scale(ctx)
    ent = ctx.ent
    tables: dict[str, pd.DataFrame] = {}
    tables["enterprises"] = table_frame(
        {
            "uscc": ent.uscc,
            "name": ent.name,
            "town": ent.town,
            "industry_code": ent.industry_code,
            "sector": ent.sector,
            "above_scale": classes[ctx.years[-1]],
            "ownership": ent.ownership,
            "established": ent.established,
        }
    )
    tables["certifications"] = certifications(ctx)
    tables["rd_survey"] = rd_survey(ctx, classes)
    tables["projects"] = projects(ctx, tables["rd_survey"])
    tables["platforms"] = platforms(ctx)
    meetings, participants = activities(ctx)
    tables["talent"] = talent(ctx)
    tables["tech_contracts"] = tech_contracts(ctx)
    tables["achievements"] = achievements(ctx)
    tables["financing"], meetings, participants = financing(ctx, meetings, participants)
    tables["activities"] = meetings
    tables["activity_participants"] = participants
    tables["targets"] = targets(ctx)
    return {tid: conform(tid, tables[tid]) for tid in TABLES if tid in tables}


def _csv_frame(table_id: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table as a clerk's CSV shows it: Chinese headers, ISO dates, 是/否."""
    decl = TABLES[table_id]
    out = {}
    for col in decl.columns:
        s = df[col.id]
        if col.type == DATE:
            s = s.dt.strftime("%Y-%m-%d")
        elif col.type == BOOL:
            s = s.map({True: "是", False: "否"}).astype("object")
        out[col.header] = s
    return pd.DataFrame(out)


def _district_yaml(spec: DistrictSpec) -> dict:
    return {
        "code": spec.code,
        "name": spec.name,
        "name_en": spec.name_en,
        "city": CITY,
        "province": PROVINCE,
        "towns": list(spec.towns),
        "currency_unit": "万元",
        "population": dict(zip(spec.towns, spec.population)),
        "synthetic": True,
        **_bulletin_lists(spec),
    }


def _bulletin_lists(spec: DistrictSpec) -> dict:
    """The 版记's 送/发 lists a district 简报 typically carries (plausible, made up)."""
    word = spec.name[-1] if spec.name[-1:] in ("区", "县", "市") else "区"
    towns = [t for t in spec.towns if t.endswith(("镇", "乡"))]
    streets = ["各街道办事处"] if any(t.endswith("街道") for t in spec.towns) else []
    return {
        "bulletin_to": ["市科技局", f"{word}委、{word}人大、{word}政府、{word}政协领导"],
        "bulletin_copy": [*towns, *streets, f"{word}直各单位"],
    }


def generate(
    out_dir: str | Path,
    district: str = "shangjie",
    years: list[int] | tuple[int, ...] = DEFAULT_YEARS,
    scale: float = 1.0,
    seed: int | None = None,
    fmt: str | None = None,
) -> Path:
    """Write a synthetic package into ``out_dir`` and return that folder.

    ``district``: ``shangjie`` (the calibrated sample) or another district of 郑州市 as
    ``NAME[:CODE]``. ``years``: the years whose annual tables get rows (certificates and
    platforms also get the earlier history their stocks need). ``scale`` multiplies
    every population. ``seed``: default derived from the district, so that the default
    call reproduces ``data/shangjie`` byte for byte. ``fmt``: ``csv`` (files named by the
    tables' Chinese names, Chinese headers) or ``parquet`` (files named by table id, id
    headers); default csv up to scale 10, parquet above.
    """
    spec = district_spec(district)
    years = sorted({int(y) for y in years})
    if not years:
        raise UsageError("至少需要一个年份", "at least one year is needed")
    if scale <= 0:
        raise UsageError("--scale 须为正数", "--scale must be positive")
    fmt = fmt or ("parquet" if scale > 10 else "csv")
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"不支持的格式：{fmt}", f"unsupported format: {fmt} (csv or parquet)")
    seed = default_seed(spec.id) if seed is None else int(seed)
    tables = build_tables(Context(spec, years, scale, seed))
    tables["measures"] = synthetic_measures(spec.id, years, seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for table_id, df in tables.items():
        decl = TABLES[table_id]
        for stale in (out / f"{decl.zh}.csv", out / f"{table_id}.parquet"):
            stale.unlink(missing_ok=True)
        if fmt == "csv":
            _csv_frame(table_id, df).to_csv(
                out / f"{decl.zh}.csv", index=False, encoding="utf-8", lineterminator="\n"
            )
        else:
            df.to_parquet(out / f"{table_id}.parquet", index=False)
    header = (
        f"# Synthetic package generated by `innolib synth` (district {spec.id}, seed {seed}, "
        f"scale {scale:g}, years {years[0]}–{years[-1]}). Not real data.\n"
    )
    text = yaml.safe_dump(_district_yaml(spec), allow_unicode=True, sort_keys=False, width=120)
    (out / "district.yaml").write_text(header + text, encoding="utf-8")
    return out
