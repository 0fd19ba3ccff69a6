"""District metadata: ``district.yaml`` beside the tables, or a 说明/district sheet.

The metadata names the district (its id names ``outputs/<id>/``), its towns (the
enterprises' towns are checked against them), an optional data cutoff and population.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from innolib.errors import DataError
from innolib.load.grid import Sheet
from innolib.load.paths import read_bounded, safe_name
from innolib.normalize import nfkc, parse_date
from innolib.package import District
from innolib.tables import DISTRICT_FIELDS

META_SHEETS = ("district", "说明")
# the district's own words for the bulletin (see innolib.wording.district_facts)
FACT_KEYS = (
    "district_word",
    "office",
    "signature",
    "tier_programme",
    "province_prefix",
    "loan_product",
    "bulletin_name",
)
# the 版记's lists (innolib.word): a list, or one text with a line or ；between receivers
LIST_FACT_KEYS = ("bulletin_to", "bulletin_copy")


_SEPARATORS = r"[、,，;；\s]+"
_POPULATION_PAIR = r"([^\s:：、,，;；]+)\s*[:：]\s*([^\s、,，;；]+)"
_MAX_TOWNS = 1000
_MAX_POPULATION = 10**9


def _error(where: str, field: str, value: object, zh: str, en: str) -> DataError:
    """A metadata error naming the file (and sheet), the field, the value and the rule."""
    shown = _shown(value)
    return DataError(
        f"{where}：区县信息字段 {field} 的值「{shown}」{zh}",
        f"{where}: district field {field} = {shown!r}: {en}",
        file=where,
        column=field,
        value=shown,
        rule="district",
    )


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _text(data: dict, field: str, where: str, required: bool = True) -> str:
    """A one-line text field (a scalar: text or a number written without quotes)."""
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise _error(where, field, "", "不能为空", "is required")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _error(where, field, value, "须为一段文字", "must be text")
    text = str(value).strip()
    if not text or any(ch < " " for ch in text) or len(text) > 200:
        raise _error(where, field, value, "须为一行文字（≤200字）", "must be one line of text")
    return text


def _code(data: dict, where: str) -> str:
    value = data.get("code")
    code = (
        str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    )
    if not re.fullmatch(r"\d{6}", code):
        raise _error(where, "code", value, "须为6位行政区划代码", "must be a 6-digit division code")
    return code


def _towns(data: dict, where: str) -> tuple[str, ...]:
    """A list of town names (or one text with 、/,/; between them)."""
    value = data.get("towns")
    if isinstance(value, str):
        value = [t for t in re.split(_SEPARATORS, value) if t]
    if not isinstance(value, list) or not value or len(value) > _MAX_TOWNS:
        raise _error(
            where,
            "towns",
            value,
            "须为镇街名称的列表（如 [峡窝镇, 济源路街道]）",
            "must be a list of town names",
        )
    towns = []
    for town in value:
        if not isinstance(town, str) or not town.strip() or any(ch < " " for ch in town):
            raise _error(where, "towns", town, "镇街名称须为文字", "a town name must be text")
        towns.append(town.strip())
    return tuple(towns)


def _population(data: dict, where: str) -> dict[str, int]:
    """Population by town: a mapping (or ``镇:人数`` text) of whole non-negative numbers."""
    value = data.get("population")
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        value = dict(re.findall(_POPULATION_PAIR, value)) or value
    if not isinstance(value, dict):
        raise _error(
            where,
            "population",
            value,
            "须为“镇街: 人数”的对应表",
            "must be a mapping town: number of residents",
        )
    out = {}
    for town, people in value.items():
        number = people
        if isinstance(people, str) and re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", people.strip()):
            number = int(people.strip().replace(",", ""))
        elif isinstance(people, float) and people.is_integer():
            number = int(people)
        if isinstance(number, bool) or not isinstance(number, int):
            raise _error(
                where,
                f"population.{town}",
                people,
                "须为整数人数（如27000，不写“约”“万”）",
                "must be a whole number of residents (27000, not 约2.7万)",
            )
        if not 0 <= number <= _MAX_POPULATION:
            raise _error(where, f"population.{town}", people, "须在0到10亿之间", "must be 0..10^9")
        out[str(town).strip()] = number
    return out


def _cutoff(data: dict, where: str) -> dt.date | None:
    value = data.get("cutoff")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        raise _error(where, "cutoff", value, "须为日期", "must be a date")
    parsed, bad = parse_date(pd.Series([value], dtype=object))
    if bad.iloc[0] or pd.isna(parsed.iloc[0]):
        raise _error(
            where,
            "cutoff",
            value,
            "不是有效日期（如2025-12-31）",
            "is not a date (e.g. 2025-12-31)",
        )
    return parsed.iloc[0].date()


def district_from_mapping(data: object, district_id: str, where: str) -> District:
    """The district metadata of ``data`` (a YAML mapping or a 说明 sheet's key–value rows).

    Every field is checked against its declared shape (``tables.DISTRICT_FIELDS``): a list
    or a number where text belongs, 5 towns written as ``towns: 5``, a population of
    ``约2.7万`` or an impossible cutoff is a ``DataError`` naming the field and the value.
    """
    if not isinstance(data, dict):
        raise DataError(
            f"{where}：区县信息须为“字段: 值”的对应表，现为{type(data).__name__}",
            f"{where}: district metadata must be a mapping of fields, got {type(data).__name__}",
            file=where,
            rule="district",
        )
    known = {f.id for f in DISTRICT_FIELDS}
    unknown = [str(k) for k in data if k not in known]
    if unknown:
        raise _error(
            where,
            unknown[0],
            data[unknown[0]],
            f"不是区县信息字段（可用：{'、'.join(sorted(known))}）",
            f"is not a district field (known: {', '.join(sorted(known))})",
        )
    missing = [f for f in DISTRICT_FIELDS if f.required and data.get(f.id) in (None, "", [])]
    if missing:
        zh = "、".join(f"{f.zh}({f.id})" for f in missing)
        raise DataError(
            f"{where}：缺少区县信息字段 {zh}",
            f"{where}: district metadata lacks {', '.join(f.id for f in missing)}",
            file=where,
            column=missing[0].id,
            rule="district",
        )
    unit = _text(data, "currency_unit", where, required=False) or "万元"
    if unit != "万元":
        raise _error(where, "currency_unit", unit, "只能是万元", "must be 万元")
    package_id = data.get("id")
    if package_id is None or package_id == "":
        package_id = district_id
    elif isinstance(package_id, bool) or not isinstance(package_id, (str, int)):
        raise _error(where, "id", package_id, "须为一段文字", "must be text")
    return District(
        id=safe_name(str(package_id), where, "id"),
        code=_code(data, where),
        name=_text(data, "name", where),
        city=_text(data, "city", where),
        province=_text(data, "province", where),
        towns=_towns(data, where),
        name_en=_text(data, "name_en", where, required=False),
        currency_unit=unit,
        cutoff=_cutoff(data, where),
        population=_population(data, where),
        synthetic=_flag(data, "synthetic", where),
        facts={
            **{k: v for k in FACT_KEYS if (v := _text(data, k, where, required=False))},
            **{k: v for k in LIST_FACT_KEYS if (v := _receivers(data, k, where))},
        },
    )


def _receivers(data: dict, field: str, where: str) -> str:
    """A 送/发 list of ``district.yaml``, kept as one receiver a line (``""`` when absent)."""
    value = data.get(field)
    if isinstance(value, str):
        value = [t for t in re.split(r"[\n;；]+", value) if t.strip()]
    if value is None or value == []:
        return ""
    if not isinstance(value, list) or len(value) > 100:
        raise _error(where, field, value, "须为单位名称的列表", "must be a list of receivers")
    return "\n".join(_text({field: item}, field, where) for item in value)


def _flag(data: dict, field: str, where: str) -> bool:
    """A yes/no field (true/false, 是/否); absent is no."""
    value = data.get(field)
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "是"):
        return True
    if text in ("false", "no", "0", "否"):
        return False
    raise _error(where, field, value, "须为true/false（是/否）", "must be true or false")


_YAML_LIMIT = 1 << 20  # bytes of a district.yaml
_YAML_NODES = 100_000  # nodes of the document with every alias expanded


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without implicit timestamps (dates are parsed by ``parse_date``,
    so ``cutoff: 2025-13-45`` is a clear error instead of a ValueError inside PyYAML)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes the document has once every alias is expanded (memoised per node)."""
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = 1  # a cycle counts once (the constructor builds it as a reference)
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    sizes[id(node)] = min(total, _YAML_NODES + 1)
    return sizes[id(node)]


def safe_yaml(text: str, where: str) -> object:
    """A YAML document as Python data, safely: no tags beyond plain data, bounded aliases.

    An alias bomb (a few hundred bytes whose aliases expand to billions of nodes) is refused
    before anything is built, by counting the expanded nodes of the composed graph.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > _YAML_NODES:
            raise DataError(
                f"{where}：YAML 别名展开后过大（超过{_YAML_NODES:,}个节点），拒绝读取",
                f"{where}: YAML aliases expand to more than {_YAML_NODES:,} nodes; refused",
                file=where,
                rule="yaml",
            )
        return loader.construct_document(node)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DataError(
            f"{where}：不是有效的 YAML（{detail}）",
            f"{where}: not valid YAML ({detail})",
            file=where,
            rule="yaml",
        ) from None
    finally:
        loader.dispose()


def district_from_yaml(folder: Path, district_id: str) -> District:
    """The metadata in ``folder/district.yaml`` (``district_id``: the folder's name)."""
    for name in ("district.yaml", "district.yml"):
        p = folder / name
        if p.is_symlink() or p.exists():
            data = read_bounded(p, str(p), _YAML_LIMIT)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise DataError(
                    f"{p}：不是UTF-8文本（第{error.start}字节）",
                    f"{p}: not UTF-8 text (byte {error.start})",
                    file=str(p),
                    rule="encoding",
                ) from None
            document = safe_yaml(text, str(p))
            if document is None:
                document = {}
            if isinstance(document, dict):
                document.pop("id", None)  # a folder's id is its name
            return district_from_mapping(document, district_id, str(p))
    raise DataError(
        f"{folder}：缺少 district.yaml（区县信息）",
        f"{folder}: district.yaml (district metadata) is missing",
        file=str(folder),
        rule="district",
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
            if sheet.hidden:
                continue
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
