"""District metadata: ``district.yaml`` beside the tables, or a 说明/district sheet.

The metadata names the district (its id names ``outputs/<id>/``), its towns (the
enterprises' towns are checked against them), an optional data cutoff and population.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from innolib.errors import DataError
from innolib.load.grid import Sheet
from innolib.normalize import nfkc, parse_date
from innolib.package import District
from innolib.tables import DISTRICT_FIELDS

META_SHEETS = ("district", "说明")


def district_from_mapping(data: dict, district_id: str, where: str) -> District:
    missing = [f.id for f in DISTRICT_FIELDS if f.required and not data.get(f.id)]
    if missing:
        zh = "、".join(f"{f.zh}({f.id})" for f in DISTRICT_FIELDS if f.id in missing)
        raise DataError(
            f"{where}：缺少区县信息字段 {zh}",
            f"{where}: district metadata lacks {', '.join(missing)}",
        )
    code = str(data["code"]).strip()
    if code.endswith(".0"):
        code = code[:-2]
    if not re.fullmatch(r"\d{6}", code):
        raise DataError(
            f"{where}：行政区划代码须为6位数字，现为「{code}」",
            f"{where}: code must be a 6-digit division code, got {code!r}",
        )
    towns = data["towns"]
    if isinstance(towns, str):
        towns = [t for t in re.split(r"[、,，;；\s]+", towns) if t]
    population = data.get("population") or {}
    if isinstance(population, str):
        population = {
            k: v for k, v in re.findall(r"([^\s:：、,，;；]+)\s*[:：]\s*([\d,]+)", population)
        }
    population = {str(k): int(str(v).replace(",", "")) for k, v in population.items()}
    cutoff = data.get("cutoff")
    if cutoff not in (None, ""):
        parsed, bad = parse_date(pd.Series([cutoff], dtype=object))
        if bad.iloc[0]:
            raise DataError(
                f"{where}：数据截止日期无法识别「{cutoff}」",
                f"{where}: unreadable cutoff {cutoff!r}",
            )
        cutoff = parsed.iloc[0].date()
    else:
        cutoff = None
    unit = str(data.get("currency_unit") or "万元")
    if unit != "万元":
        raise DataError(
            f"{where}：currency_unit 只能是万元", f"{where}: currency_unit must be 万元"
        )
    return District(
        id=str(data.get("id") or district_id),
        code=code,
        name=str(data["name"]),
        city=str(data["city"]),
        province=str(data["province"]),
        towns=tuple(str(t).strip() for t in towns),
        name_en=str(data.get("name_en") or ""),
        currency_unit=unit,
        cutoff=cutoff,
        population=population,
    )


def district_from_yaml(folder: Path, district_id: str) -> District:
    for name in ("district.yaml", "district.yml"):
        p = folder / name
        if p.is_file():
            try:
                data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as error:
                raise DataError(
                    f"{p}：无法读取（{error}）", f"{p}: unreadable ({error})"
                ) from error
            data.pop("id", None)  # a folder's id is its name
            return district_from_mapping(data, district_id, str(p))
    raise DataError(
        f"{folder}：缺少 district.yaml（区县信息）",
        f"{folder}: district.yaml (district metadata) is missing",
    )


FIELD_BY_KEY = {k: f.id for f in DISTRICT_FIELDS for k in (f.id, f.zh)}


def metadata_from_grid(grid: pd.DataFrame) -> dict:
    """Key–value rows of a 说明/district sheet: key (field id or 中文名) then its value."""
    data: dict = {}
    rows = [
        [
            "" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v
            for v in row
        ]
        for row in grid.itertuples(index=False)
    ]  # a handful of rows
    value_column = None
    for r, cells in enumerate(rows[:5]):  # a header row naming the value column (the template's)
        labels = [nfkc(str(c)).strip().lower() for c in cells]
        if "值" in labels or "value" in labels:
            value_column = labels.index("值") if "值" in labels else labels.index("value")
            rows = rows[r + 1 :]
            break
    for cells in rows:
        if value_column is not None:
            key = next(
                (
                    FIELD_BY_KEY.get(nfkc(str(c)).strip())
                    for c in cells[:value_column]
                    if FIELD_BY_KEY.get(nfkc(str(c)).strip())
                ),
                None,
            )
            value = cells[value_column] if value_column < len(cells) else ""
            if key and str(value).strip() != "":
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                data[key] = value.strip() if isinstance(value, str) else value
            continue
        last_key = None
        for i, cell in enumerate(cells[:3]):
            key = FIELD_BY_KEY.get(nfkc(str(cell)).strip())
            if key is None:
                break
            last_key = (i, key)
        if last_key is None:
            continue
        i, key = last_key
        values = [v for v in cells[i + 1 :] if str(v).strip() != ""]
        if values:
            value = values[0]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            data[key] = value if not isinstance(value, str) else value.strip()
    return data


def is_metadata_sheet(grid: pd.DataFrame) -> bool:
    data = metadata_from_grid(grid)
    return "code" in data and "name" in data


def district_of_workbook(path: Path, sheets: dict[str, Sheet]) -> tuple[District, str | None]:
    for wanted in META_SHEETS:
        for name, sheet in sheets.items():
            # a sheet named district is the metadata (missing fields are reported); a 说明
            # sheet only when it holds key–value rows (a template's 说明 is its notes)
            if name.strip().lower() == wanted and (
                wanted == "district" or is_metadata_sheet(sheet.grid)
            ):
                data = metadata_from_grid(sheet.grid)
                return district_from_mapping(
                    data, str(data.get("id") or path.stem), f"{path.name}[{name}]"
                ), name
    if any((path.parent / n).is_file() for n in ("district.yaml", "district.yml")):
        return district_from_yaml(path.parent, path.stem), None
    raise DataError(
        f"{path.name}：没有“说明”或“district”区县信息表，旁边也没有 district.yaml",
        f"{path.name}: no 说明/district metadata sheet and no district.yaml beside it",
    )


# ====================================================================================
