"""The adversarial package: nothing that disclosure control withholds reaches a reader.

A small district built to break disclosure control (issue 15), every unsafe value worked
out by hand:

* **R&D** 2025: enterprise 1 spends 61,234万元, enterprises 2–4 100 each, 5 none: the
  district's 研发经费支出 61,534 has its two largest at 99.7% – withheld (dominance);
* **contracts** 2025, all in the middle month of each quarter (amount = tech_amount):
  Feb: sellers 1 (3,100 技术开发 省内), 2 (2,900 技术服务 市内), 3 (2,800 技术开发 省外);
  May, **two sellers**: 4 (4,321.09 技术服务 省内), 5 (3,456.78 技术开发 市内) – the
  second quarter, 7,777.87, is withheld (minimum frequency); Aug: 1 (3,000 技术服务 省内),
  2 (3,200 技术开发 市内), 3 (2,600 技术开发 省外), 6 (987.65 **技术许可**, 省内: the only
  licence); Nov: 1 (3,300 技术开发 省内), 2 (2,500 技术服务 市内), 4 (1,357.91 技术服务
  **境外**: the only foreign buyer). Year 33,523.43, two largest (1: 9,400; 2: 8,600) 53.7%:
  published. By type, 技术许可 987.65 is one seller; by region, 境外 1,357.91 is one seller;
* **financing** 2025 (requested / resolved): March, 科技信贷: 1 (5,000 / 4,000), 2
  (4,500 / 3,500), 4 (4,200 / 3,300), and 郑科贷: 6 (1,500 / 1,200); June, **其他:
  enterprise 3 alone** (2,222.22 / 1,111.11); September, 郑科贷: 2 (3,000 / 2,500), 5
  (2,800 / 2,600), 6 (3,100 / 2,700). Year resolved 20,911.11 (two largest 2: 6,000 and
  1: 4,000, 47.8%), requested 26,322.22: published. The second quarter (June alone) is enterprise 3: withheld, and so
  is the 其他 row of the product table;
* 2024 contracts: May 30,123.45 (seller 1), June 10,234.56 (2), July 10,345.67 (4): 2024H1
  = 2024Q2 = 40,358.01 from two sellers, withheld; 2024 = 50,703.68 (top two 79.6%)
  published.

The circulated outputs – ``write_report`` in Chinese and English (Markdown, Word, CSV,
JSON, any xlsx), the notebooks' displays (their code cells run in-process on this package,
tables and Markdown as a reader page shows them) and every text object of their charts –
are scanned for every rendering of each withheld value (万元 and 亿元, 0–2 decimals, 约/余,
``innolib.present``'s formatters, plain numbers), and the published periods of the year are
checked by linear algebra: no withheld period follows from them.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import ROOT, _e, frames, mini_package, recoverable_runs
from matplotlib.text import Text

import innolib
from innolib import circulation
from innolib.export import write_report
from innolib.indicators import compute_indicators
from innolib.periods import parse_period
from innolib.present.numbers import format_money, format_value, scaled_money_cell, table_number

RD_2025 = 61534.0
CONTRACTS_Q2 = 7777.87
LICENCE = 987.65
FOREIGN = 1357.91
OTHER_RESOLVED, OTHER_REQUESTED = 1111.11, 2222.22
CONTRACTS_2024_H1 = 40358.01
#: the withheld values worked out by hand (module docstring)
BY_HAND = (
    RD_2025,
    CONTRACTS_Q2,
    LICENCE,
    FOREIGN,
    OTHER_RESOLVED,
    OTHER_REQUESTED,
    CONTRACTS_2024_H1,
)


def _contract(cid, seller, date, kind, region, amount):
    return {
        "contract_id": cid,
        "registered": date,
        "seller_uscc": _e(seller),
        "buyer": "某公司",
        "buyer_region": region,
        "type": kind,
        "amount": amount,
        "tech_amount": amount,
    }


def _financing(rid, n, date, product, requested, resolved):
    return {
        "record_id": rid,
        "uscc": _e(n),
        "product": product,
        "bank": "某银行",
        "date": date,
        "requested": requested,
        "resolved": resolved,
    }


def adversarial_package():
    f = frames()
    survey = f["rd_survey"]
    survey = survey[survey["year"] != 2025]
    rd_2025 = [(1, 61234.0, True), (2, 100.0, True), (3, 100.0, True), (4, 100.0, True)]
    rd_2025 += [(5, 0.0, False)]
    rows_2025 = pd.DataFrame(
        [
            {
                "year": 2025,
                "uscc": _e(n),
                "above_scale": "规上服务业" if n == 4 else "规上工业",
                "reported": True,
                "has_rd": has,
                "rd_expenditure": x,
                "revenue": 100000.0,
                "rd_staff": 10,
            }
            for n, x, has in rd_2025
        ]
    )
    contracts = [
        ("A1", 1, "2025-02-10", "技术开发", "省内", 3100.0),
        ("A2", 2, "2025-02-11", "技术服务", "市内", 2900.0),
        ("A3", 3, "2025-02-12", "技术开发", "省外", 2800.0),
        ("B1", 4, "2025-05-10", "技术服务", "省内", 4321.09),
        ("B2", 5, "2025-05-11", "技术开发", "市内", 3456.78),
        ("C1", 1, "2025-08-10", "技术服务", "省内", 3000.0),
        ("C2", 2, "2025-08-11", "技术开发", "市内", 3200.0),
        ("C3", 3, "2025-08-12", "技术开发", "省外", 2600.0),
        ("C4", 6, "2025-08-13", "技术许可", "省内", 987.65),
        ("D1", 1, "2025-11-10", "技术开发", "省内", 3300.0),
        ("D2", 2, "2025-11-11", "技术服务", "市内", 2500.0),
        ("D3", 4, "2025-11-12", "技术服务", "境外", 1357.91),
    ]
    contracts += [
        ("E1", 1, "2024-05-01", "技术开发", "省内", 30123.45),
        ("E2", 2, "2024-06-01", "技术服务", "省内", 10234.56),
        ("E3", 4, "2024-07-01", "技术咨询", "省内", 10345.67),
    ]
    tech = pd.DataFrame([_contract(*c) for c in contracts])
    financing = [
        ("F1", 1, "2025-03-05", "科技信贷", 5000.0, 4000.0),
        ("F2", 2, "2025-03-06", "科技信贷", 4500.0, 3500.0),
        ("F3", 4, "2025-03-07", "科技信贷", 4200.0, 3300.0),
        ("F8", 6, "2025-03-08", "郑科贷", 1500.0, 1200.0),
        ("F4", 3, "2025-06-05", "其他", 2222.22, 1111.11),
        ("F5", 2, "2025-09-05", "郑科贷", 3000.0, 2500.0),
        ("F6", 5, "2025-09-06", "郑科贷", 2800.0, 2600.0),
        ("F7", 6, "2025-09-07", "郑科贷", 3100.0, 2700.0),
    ]
    return mini_package(
        rd_survey=pd.concat([survey, rows_2025], ignore_index=True),
        tech_contracts=tech,
        financing=pd.DataFrame([_financing(*r) for r in financing]),
    )


# --------------------------------------------------------------------------- the withheld values


def withheld_values(pkg) -> set[float]:
    """Every true value disclosure control withholds on this package: the by-hand values and
    every withheld period of the 2024 and 2025 families (the complements are the code's),
    except those equal to a published period of the same family (April and May without
    financing: 1—5月 = 一季度)."""
    values = set(BY_HAND)
    for iid in (
        "contracts.amount",
        "contracts.tech_amount",
        "finance.resolved",
        "finance.requested",
    ):
        for year in (2024, 2025):
            fam = circulation.family(pkg, iid, year)
            shown = fam.cells["status"] == "published"
            # a withheld period worth the same as a published one gives nothing away by it
            published = {round(float(v), 4) for v in fam.cells.loc[shown, "value"]}
            values |= {round(float(v), 4) for v in fam.cells.loc[~shown, "value"]} - published
    return values - {0.0}


def _fixed(value: float, decimals: int, rounding: str, thousands: bool = False) -> str:
    step = Decimal(1).scaleb(-decimals)
    number = Decimal(repr(value)).quantize(step, rounding=rounding)
    return f"{number:,.{decimals}f}" if thousands else f"{number:.{decimals}f}"


def renderings(value: float) -> set[str]:
    """The ways a value in 万元 can be written: the presentation layer's formatters in both
    languages; 万元 and 亿元 at 0–2 decimals, rounded (plain and with 约) or cut down (with
    余), with and without thousands separators; CNY million. Plain numbers of fewer than
    three digits are left out (too common to mean anything)."""
    out = {
        format_money(value, style, lang)
        for style in ("exact", "about", "floor")
        for lang in ("zh", "en")
    }
    out |= {table_number(value, "万元", lang) for lang in ("zh", "en")}
    out |= {format_value(value, "万元", "zh"), format_value(value, "万元", "en", "CNY million")}
    out.add(scaled_money_cell(value))
    for d in (0, 1, 2):
        for sep in (False, True):
            near = _fixed(value, d, ROUND_HALF_UP, sep)
            out |= {
                near,
                f"{near}万元",
                f"约{near}万元",
                f"{_fixed(value, d, ROUND_FLOOR, sep)}余万元",
            }
            million = _fixed(value / 100, d, ROUND_HALF_UP, sep)
            out |= {f"CNY {million} million", f"{million} million"}
        yi = _fixed(value / 10000, d, ROUND_HALF_UP)
        out |= {
            f"{yi}亿元",
            f"约{yi}亿元",
            f"{yi}亿",
            f"{_fixed(value / 10000, d, ROUND_FLOOR)}亿余元",
        }
    out.add(repr(float(value)))
    return {r for r in out if sum(ch.isdigit() for ch in r) >= 3 or re.search("亿|万|million", r)}


FAMILY_LABELS = ["", "H1", "H2", "Q1", "Q2", "Q3", "Q4", *[f"M{m:02d}" for m in range(1, 13)]]


def published_values(pkg) -> set[float]:
    """Every money figure the circulated results publish for the 2024 and 2025 periods
    (values and previous values): a rendering that is also one of theirs proves nothing."""
    out = set()
    for year in (2024, 2025):
        for suffix in FAMILY_LABELS:
            p = parse_period(f"{year}{suffix}")
            result = circulation.circulated_result(pkg, compute_indicators(pkg, p))
            for v in result:
                if v.unit == "万元":
                    out |= {round(float(x), 4) for x in (v.value, v.previous) if x is not None}
    return out


def leaks(text: str, values: set[float], published: set[float] = frozenset()) -> list:
    """(value, rendering) of each withheld value written in ``text``, leaving out renderings
    that a published figure shares (1.1亿 is 10,800 and 10,900 alike)."""
    shared = set().union(*(renderings(v) for v in published)) if published else set()
    found = []
    for v in sorted(values):
        for r in sorted(renderings(v) - shared):
            if re.search(rf"(?<![\d.,]){re.escape(r)}(?![\d])", text):
                found.append((v, r))
    return found


# --------------------------------------------------------------------------- circulated files


def _file_text(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        doc = docx.Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        for section in doc.sections:
            parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        return "\n".join(parts)
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        return "\n".join(
            str(c.value)
            for ws in book
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        )
    return path.read_text(encoding="utf-8-sig")


def circulated_files(pkg, tmp_path: Path, label: str, lang: str) -> dict[str, str]:
    out = tmp_path / f"{label}-{lang}"
    write_report(pkg, parse_period(label), out, lang=lang)
    return {
        str(p.relative_to(out)): _file_text(p)
        for p in sorted(out.rglob("*"))
        if p.is_file() and "internal" not in p.relative_to(out).parts
    }


# --------------------------------------------------------------------------- the notebooks, in-process


def _reprs(obj) -> list[str]:
    if obj is None:
        return []
    texts = []
    for name in ("_repr_markdown_", "_repr_html_"):
        method = getattr(obj, name, None)
        if callable(method):
            texts.append(str(method() or ""))
    texts.append(str(getattr(obj, "data", "") or ""))
    texts.append(str(obj))
    return texts


def notebook_outputs(pkg, name: str, period: str, lang: str, monkeypatch) -> list[str]:
    """The outputs a reader page of notebook ``name`` shows (cells tagged internal are never
    circulated), with the text of every matplotlib Text object of its charts."""
    from innolib import notebooks as nbh

    texts: list[str] = []

    def show(fig, out, figure_name):
        texts.extend(t.get_text() for t in fig.findobj(Text))
        plt.close(fig)

    monkeypatch.setattr(nbh, "show", show)
    monkeypatch.setattr(innolib, "load_package", lambda *a, **k: pkg, raising=False)
    monkeypatch.setattr(nbh, "load_packages", lambda *a, **k: [pkg])
    monkeypatch.chdir(ROOT / "notebooks")
    cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    namespace: dict = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        source = "".join(cell["source"])
        if "parameters" in tags:
            source += f"\nperiod = {period!r}\nlang = {lang!r}\nout = None\n"
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(tree, name, "exec"), namespace)
            value = (
                eval(compile(ast.Expression(last.value), name, "eval"), namespace) if last else None
            )
        if "internal" not in tags:
            texts.append(printed.getvalue())
            texts.extend(_reprs(value))
    return texts


# --------------------------------------------------------------------------- the tests


def test_the_adversarial_package_fails_where_it_was_built_to():
    pkg = adversarial_package()
    year = circulation.circulated_result(pkg, compute_indicators(pkg, parse_period("2025")))
    assert year["rd.expenditure"].status == "suppressed"
    assert year["contracts.amount"].value == pytest.approx(33523.43)
    assert year["finance.resolved"].value == pytest.approx(20911.11)
    assert year["finance.requested"].value == pytest.approx(26322.22)
    q2 = circulation.circulated_result(pkg, compute_indicators(pkg, parse_period("2025Q2")))
    assert q2["contracts.amount"].status == "suppressed"
    assert q2["finance.resolved"].status == "suppressed"
    contracts = circulation.family(pkg, "contracts.amount", 2025)
    assert contracts.cells.at[(4, 6), "value"] == pytest.approx(CONTRACTS_Q2)
    assert contracts.status((4, 6)) == "primary" and contracts.published((1, 12))


def test_no_withheld_period_follows_from_the_published_ones():
    pkg = adversarial_package()
    labels = ["2025", "2025H1", "2025H2", *[f"2025Q{q}" for q in range(1, 5)]]
    labels += [f"2025M{m:02d}" for m in range(1, 13)]
    for iid in ("contracts.amount", "finance.resolved", "finance.requested"):
        published, hidden = set(), set()
        for label in labels:
            p = parse_period(label)
            value = circulation.circulated_result(pkg, compute_indicators(pkg, p))[iid]
            run = (p.start.month, p.end.month)
            (published if value.value is not None else hidden).add(run)
        assert published & hidden == set()  # a run is one cell, whatever its name
        assert (1, 12) in published and (4, 6) in hidden
        fam = circulation.family(pkg, iid, 2025)
        assert recoverable_runs(sorted(published), sorted(hidden | set(fam.unsafe.index))) == []


@pytest.mark.parametrize("label", ["2025", "2025Q2", "2025H1"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_withheld_value_in_any_circulated_file(tmp_path, label, lang):
    pkg = adversarial_package()
    values = withheld_values(pkg)
    files = circulated_files(pkg, tmp_path, label, lang)
    assert {"bulletin.md", "bulletin.docx", "indicators.csv", "indicators.json"} <= set(files)
    published = published_values(pkg)
    found = {name: leaks(text, values, published) for name, text in files.items()}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize(
    "name",
    [
        "00_bulletin.ipynb",
        "01_enterprise_ecosystem.ipynb",
        "02_collaboration_chain.ipynb",
        "03_transfer_services.ipynb",
        "04_comparisons.ipynb",
    ],
)
def test_no_withheld_value_in_the_notebooks_or_their_charts(name, monkeypatch):
    pkg = adversarial_package()
    values = withheld_values(pkg)
    texts = notebook_outputs(pkg, name, "2025", "zh", monkeypatch)
    assert any(texts)
    assert leaks("\n".join(texts), values, published_values(pkg)) == []


def test_the_scan_finds_what_it_looks_for():
    # the checks above could not fail if the scan missed renderings: raw outputs must trip it
    from innolib import analyses
    from innolib import notebooks as nbh

    pkg = adversarial_package()
    raw = nbh.text(analyses.financing_summary(pkg, parse_period("2025")))
    assert (OTHER_RESOLVED, "1111.11") in leaks(raw, {OTHER_RESOLVED})
    assert (RD_2025, "约6.2亿元") in leaks("研发经费支出约6.2亿元，", {RD_2025})
    assert leaks("over CNY 610 million", {RD_2025})
    assert leaks("第二季度成交7,777.87万元", {CONTRACTS_Q2})
    # a rendering a published figure shares is not counted: 1.1亿 is 10,800 and 10,900 alike
    assert leaks("1.1亿", {10800.0}) and not leaks("1.1亿", {10800.0}, {10900.0})
