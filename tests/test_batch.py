"""The papermill batch: layout, manifests, index, failures, atomic replacement, dask.

Every batch here runs a tiny notebook written by the test over tiny packages written by
the test (two enterprises each), so a batch takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from innolib import batch
from innolib.cli import main
from innolib.errors import UsageError
from innolib.package import District, Package
from innolib.tables import TABLES

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _uscc(serial: int, region: str = "410106") -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 and GB 11714 check digits worked out here)."""
    org = f"{serial:08d}"
    c9 = 11 - sum(_ORG_CHARS.index(ch) * w for ch, w in zip(org, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    org += {10: "X", 11: "0"}.get(c9, str(c9))
    body = "91" + region + org
    weights = [pow(3, i, 31) for i in range(17)]
    c18 = (31 - sum(_USCC_CHARS.index(ch) * w for ch, w in zip(body, weights)) % 31) % 31
    return body + _USCC_CHARS[c18]


def _write_package(folder: Path, name: str, usccs: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "district.yaml").write_text(
        f'code: "410106"\nname: {name}\ncity: 郑州市\nprovince: 河南省\ntowns: [峡窝镇, 矿山街道]\n',
        encoding="utf-8",
    )
    rows = pd.DataFrame(
        [
            {
                "uscc": u,
                "name": f"测试企业{i}",
                "town": "峡窝镇",
                "industry_code": "30",
                "sector": "先进材料",
                "above_scale": "规上工业",
                "ownership": "民营",
                "established": "2015-03-01",
            }
            for i, u in enumerate(usccs)
        ]
    )
    headers = {c.id: c.zh for c in TABLES["enterprises"].columns}
    rows.rename(columns=headers).to_csv(folder / "enterprises.csv", index=False, encoding="utf-8")
    return folder


_TINY = [
    (
        "code",
        'data = "../data/x"\nperiod = "2025"\nlang = "zh"\nlenient = False\nout = None',
        ["parameters"],
    ),
    ("code", "import innolib\npackage = innolib.load_package(data, lenient=lenient)", []),
    (
        "code",
        "print(f\"{package.district.name} {period} 企业{len(package['enterprises'])}家\")",
        [],
    ),
    (
        "code",
        'from pathlib import Path\n(Path(out) / "figures").mkdir(exist_ok=True)\n'
        '(Path(out) / "figures" / "count.txt").write_text(period)',
        [],
    ),
    (
        "code",
        "import matplotlib.pyplot as plt\nfrom IPython.display import display\ninnolib.set_theme()\n"
        'fig, ax = plt.subplots(figsize=(3, 2))\nax.bar(["甲", "乙"], [2, 1])\nax.set_title("企业数")\n'
        "display(fig)\nplt.close(fig)",
        [],
    ),
    ("markdown", "## 小结", []),
]


def _tiny_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, source, tags in _TINY:
        cell = (
            nbformat.v4.new_code_cell(source)
            if kind == "code"
            else nbformat.v4.new_markdown_cell(source)
        )
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    good = _write_package(root / "data" / "alpha", "甲区", [_uscc(1), _uscc(2)])
    broken = _write_package(root / "data" / "broken", "乙区", [_uscc(3), "91410106BADUSCC000"])
    notebook = _tiny_notebook(root / "tiny.ipynb")
    return root, good, broken, notebook


@pytest.fixture(scope="module")
def first_batch(world):
    """One CLI batch over a good and a broken package, two periods: (exit code, out)."""
    root, good, broken, notebook = world
    out = root / "outputs"
    out.mkdir()
    (out / "alpha" / "2025").mkdir(parents=True)
    (out / "alpha" / "2025" / "stale-from-an-earlier-batch.txt").write_text("old")
    code = main(
        [
            "run",
            "--data",
            str(good),
            "--data",
            str(broken),
            "--period",
            "2024..2025",
            "--notebook",
            str(notebook),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--quiet",
        ]
    )
    return code, out


def test_one_broken_package_fails_exactly_its_runs_and_the_exit_code_is_1(first_batch):
    code, out = first_batch
    assert code == 1
    for period in ("2024", "2025"):
        good = json.loads(
            (out / "alpha" / period / "internal" / "manifest.json").read_text(encoding="utf-8")
        )
        bad = json.loads(
            (out / "broken" / period / "internal" / "manifest.json").read_text(encoding="utf-8")
        )
        assert good["status"] == "ok" and [r["status"] for r in good["runs"]] == ["ok"]
        assert bad["status"] == "failed" and [r["status"] for r in bad["runs"]] == ["failed"]
        assert "BADUSCC" in bad["runs"][0]["error"]
        assert good["runs"][0]["error"] == ""


def test_outputs_layout(first_batch):
    _, out = first_batch
    for period in ("2024", "2025"):
        folder = out / "alpha" / period
        # what circulates beside internal/: the reader's page and the figures
        assert {p.name for p in folder.iterdir()} == {"tiny.html", "figures", "internal"}
        assert {p.name for p in (folder / "internal").iterdir()} == {
            "tiny.ipynb",
            "tiny.html",
            "manifest.json",
            "run.html",
        }
        assert (folder / "figures" / "count.txt").read_text() == period
        executed = nbformat.read(str(folder / "internal" / "tiny.ipynb"), as_version=4)
        printed = [
            o["text"]
            for c in executed.cells
            if c.cell_type == "code"
            for o in c.outputs
            if o.get("name") == "stdout"
        ]
        assert printed == [f"甲区 {period} 企业2家\n"]
    # the stale file of an earlier batch is gone: the folder was replaced as a whole
    assert not (out / "alpha" / "2025" / "stale-from-an-earlier-batch.txt").exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith((".tmp-", ".old-", ".index-"))]


def test_manifest_fields(first_batch, world):
    _, out = first_batch
    _, good, _, _notebook = world
    manifest = json.loads(
        (out / "alpha" / "2024" / "internal" / "manifest.json").read_text(encoding="utf-8")
    )
    assert manifest["district"] == "alpha" and manifest["period"] == "2024"
    assert manifest["parameters"] == {
        "data": str(good.resolve()),
        "period": "2024",
        "lang": "zh",
        "lenient": False,
    }
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", manifest["innolib_version"])
    started = dt.datetime.fromisoformat(manifest["started"])
    assert started <= dt.datetime.fromisoformat(manifest["finished"])
    package = manifest["packages"][0]
    digest = hashlib.sha256((good / "enterprises.csv").read_bytes()).hexdigest()
    assert digest in package["files"].values()
    assert package["district"]["name"] == "甲区" and package["rows"] is not None
    run = manifest["runs"][0]
    assert run["notebook"] == "tiny" and run["outputs"] == {
        "ipynb": "alpha/2024/internal/tiny.ipynb",
        "internal_html": "alpha/2024/internal/tiny.html",
        "html": "alpha/2024/tiny.html",
    }
    assert run["title"] == "tiny"  # no level-1 heading: the notebook's name
    assert set(manifest["files"]) == {
        "internal/tiny.ipynb",
        "internal/tiny.html",
        "internal/run.html",
        "internal/manifest.json",
        "tiny.html",
        "figures/count.txt",
    }


def test_index_lists_every_run_with_status_links_and_errors(first_batch):
    """The reader's index names districts by their Chinese names, newest period first,
    links the reader's pages only; the errors are in the internal run logs."""
    _, out = first_batch
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.index("甲区") < html.index("乙区")  # district.yaml names, even for the broken one
    alpha = html[html.index("甲区") : html.index("乙区")]
    assert alpha.index("2025年") < alpha.index("2024年")
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert "alpha/2025/tiny.html" in links and "alpha/2024/tiny.html" in links
    assert not [link for link in links if "internal" in link]
    assert "BADUSCC" not in html and "broken/2025/tiny.html" not in links  # failed: no page
    assert html.count("1个页面未生成") == 2  # broken: 2024 and 2025, one compact line each
    # the district's own index: the same links, relative to its folder
    own = (out / "alpha" / "index.html").read_text(encoding="utf-8")
    assert 'href="2025/tiny.html"' in own and "乙区" not in own
    # the analysts' run index and each period's run log carry the errors, under 内部
    runs = (out / "internal" / "index.html").read_text(encoding="utf-8")
    assert "内部资料，不得外传" in runs and runs.count("BADUSCC") == 2
    assert 'href="../alpha/2025/internal/tiny.html"' in runs
    log = (out / "broken" / "2025" / "internal" / "run.html").read_text(encoding="utf-8")
    assert "内部资料，不得外传" in log and "BADUSCC" in log
    assert 'href="../../../broken/2025/internal/tiny.ipynb"' in log


def test_html_is_offline_with_code_hidden(first_batch):
    _, out = first_batch
    for page in ("tiny.html", "internal/tiny.html"):
        html = (out / "alpha" / "2025" / page).read_text(encoding="utf-8")
        assert "甲区 2025 企业2家" in html
        assert not re.search(r"<script[^>]+src=", html)
        assert "load_package" not in html  # code hidden
    assert "内部资料，不得外传" in (out / "alpha" / "2025" / "internal" / "tiny.html").read_text(
        encoding="utf-8"
    )
    reader = (out / "alpha" / "2025" / "tiny.html").read_text(encoding="utf-8")
    assert "内部" not in reader and 'href="../index.html"' in reader and "甲区 · 2025年" in reader


def test_a_killed_batch_leaves_nothing_that_looks_finished(world, tmp_path):
    _root, good, _, notebook = world
    out = tmp_path / "outputs"
    (out / ".tmp-alpha-2023-deadbeef").mkdir(parents=True)  # what a killed batch leaves
    (out / ".tmp-alpha-2023-deadbeef" / "tiny.ipynb").write_text("{}")
    summary = batch.run_batch(
        data=[good], periods=["2025"], notebooks=[str(notebook)], out=out, jobs=1, progress=False
    )
    assert summary.ok and [(r.district, r.period, r.status) for r in summary.runs] == [
        ("alpha", "2025", "ok")
    ]
    assert not (out / "alpha" / "2023").exists()
    assert "2023" not in (out / "index.html").read_text(encoding="utf-8")
    # and the next batch removed what the killed one left
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "index.html", "internal"]


def test_latest_full_year_follows_the_census_and_the_cutoff():
    district = District("x", "410106", "某区", "郑州市", "河南省", ("峡窝镇",))
    survey = pd.DataFrame({"year": [2023, 2024], "uscc": [_uscc(1), _uscc(1)]})
    events = pd.DataFrame(
        {
            "uscc": [_uscc(1)],
            "tier": ["科技型企业"],
            "stage": ["推荐"],
            "date": [pd.Timestamp("2026-02-01")],
        }
    )
    package = Package.from_frames(district, {"rd_survey": survey, "certifications": events})
    assert batch.latest_full_year(package) == "2024"  # the census, not the 2026 event
    package = Package.from_frames(district, {"certifications": events})
    assert batch.latest_full_year(package) == "2026"
    clipped = District(
        "x", "410106", "某区", "郑州市", "河南省", ("峡窝镇",), cutoff=dt.date(2024, 10, 31)
    )
    assert batch.latest_full_year(Package.from_frames(clipped, {"rd_survey": survey})) == "2023"
    at_year_end = District(
        "x", "410106", "某区", "郑州市", "河南省", ("峡窝镇",), cutoff=dt.date(2024, 12, 31)
    )
    assert batch.latest_full_year(Package.from_frames(at_year_end, {"rd_survey": survey})) == "2024"


def test_notebook_names_resolve_with_or_without_suffix(tmp_path):
    (tmp_path / "01_a.ipynb").write_text("{}")
    (tmp_path / "02_b.ipynb").write_text("{}")
    assert batch.find_notebooks(["01_a"], root=tmp_path) == [tmp_path / "01_a.ipynb"]
    assert batch.find_notebooks(["02_b.ipynb"], root=tmp_path) == [tmp_path / "02_b.ipynb"]
    assert batch.find_notebooks(None, root=tmp_path) == [
        tmp_path / "01_a.ipynb",
        tmp_path / "02_b.ipynb",
    ]
    with pytest.raises(UsageError, match="03_c"):
        batch.find_notebooks(["03_c"], root=tmp_path)


def test_packages_are_folders_with_district_yaml_or_a_workbook(tmp_path):
    for name in ("shangjie", "reference", "notes"):
        (tmp_path / name).mkdir()
    (tmp_path / "shangjie" / "district.yaml").write_text("code: '410106'")
    (tmp_path / "reference" / "district.yaml").write_text("code: '000000'")
    (tmp_path / "one.xlsx").write_bytes(b"")
    assert batch.find_packages(tmp_path) == [tmp_path / "one.xlsx", tmp_path / "shangjie"]


def _outputs(path: Path) -> list:
    nb = nbformat.read(str(path), as_version=4)
    return [
        [{k: v for k, v in o.items() if k != "execution_count"} for o in c.outputs]
        for c in nb.cells
        if c.cell_type == "code"
    ]


def test_a_local_dask_cluster_gives_the_same_outputs_as_a_local_run(world, tmp_path):
    _, good, _, notebook = world
    local = batch.run_batch(
        data=[good],
        periods=["2025"],
        notebooks=[str(notebook)],
        out=tmp_path / "local",
        jobs=1,
        progress=False,
    )
    dask = batch.run_batch(
        data=[good],
        periods=["2025"],
        notebooks=[str(notebook)],
        out=tmp_path / "dask",
        jobs=1,
        scheduler="local",
        progress=False,
    )
    assert local.ok and dask.ok
    left, right = tmp_path / "local" / "alpha" / "2025", tmp_path / "dask" / "alpha" / "2025"
    assert _outputs(left / "internal" / "tiny.ipynb") == _outputs(right / "internal" / "tiny.ipynb")
    assert (right / "figures" / "count.txt").read_text() == "2025"
    assert (right / "tiny.html").is_file() and (right / "internal" / "tiny.html").is_file()
    manifest = json.loads((right / "internal" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["executor"] == "dask"


def test_forked_kernels_give_the_same_outputs_as_plain_kernels(world, tmp_path, monkeypatch):
    _, good, _, notebook = world
    fork = batch.run_batch(
        data=[good],
        periods=["2025"],
        notebooks=[str(notebook)],
        out=tmp_path / "fork",
        jobs=1,
        progress=False,
    )
    monkeypatch.setenv("INNOLIB_KERNELS", "plain")
    plain = batch.run_batch(
        data=[good],
        periods=["2025"],
        notebooks=[str(notebook)],
        out=tmp_path / "plain",
        jobs=1,
        progress=False,
    )
    assert fork.ok and plain.ok
    left, right = (
        tmp_path / mode / "alpha" / "2025" / "internal" / "tiny.ipynb" for mode in ("fork", "plain")
    )
    outputs = _outputs(left)
    assert outputs == _outputs(right)
    assert any(
        "image/png" in o.get("data", {}) for o in outputs[-1]
    )  # the figure cell showed a PNG in both


def test_lenient_runs_leave_rejected_rows_out_and_write_them_to_rejects(world, tmp_path):
    _, _, broken, notebook = world
    summary = batch.run_batch(
        data=[broken],
        periods=["2025"],
        notebooks=[str(notebook)],
        out=tmp_path,
        jobs=1,
        lenient=True,
        progress=False,
    )
    assert summary.ok
    folder = tmp_path / "broken" / "2025"
    assert not (folder / "rejects").exists()  # rejected rows name enterprises: internal only
    rejects = pd.read_csv(folder / "internal" / "rejects" / "enterprises.csv", encoding="utf-8-sig")
    assert rejects["value"].tolist() == ["91410106BADUSCC000"]
    executed = nbformat.read(str(folder / "internal" / "tiny.ipynb"), as_version=4)
    printed = [
        o["text"]
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("name") == "stdout"
    ]
    assert printed == ["乙区 2025 企业1家\n"]  # the one valid enterprise of two
    # the reader's page says so, as every output does (its load note is the analyst's)
    reader = (folder / "tiny.html").read_text(encoding="utf-8")
    assert "宽松模式：1行未通过校验已剔除。" in reader and "91410106BADUSCC000" not in reader
    assert (
        json.loads((folder / "internal" / "manifest.json").read_text(encoding="utf-8"))[
            "parameters"
        ]["lenient"]
        is True
    )


def test_moving_into_place_replaces_the_old_folder_whole(tmp_path):
    final, tmp = tmp_path / "alpha" / "2025", tmp_path / ".tmp-alpha-2025-1"
    final.mkdir(parents=True)
    (final / "old.txt").write_text("old")
    tmp.mkdir()
    (tmp / "new.txt").write_text("new")
    from innolib.batch.staging import move_into_place

    move_into_place(tmp, final, lambda: tmp_path / ".tmp-alpha-2025-old")
    assert sorted(p.name for p in final.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha"]


def test_a_comparisons_notebook_runs_once_per_period_over_all_packages(world, tmp_path):
    _, good, broken, _ = world
    notebook = _code_notebook(
        tmp_path / "04_comparisons.ipynb",
        '["../data/x"]',
        'print(period, sorted(p.split("/")[-1] for p in data))',
    )
    summary = batch.run_batch(
        data=[good, broken],
        periods=["2025"],
        notebooks=[str(notebook)],
        out=tmp_path / "out",
        jobs=1,
        progress=False,
    )
    assert [(r.district, r.period, r.status) for r in summary.runs] == [
        ("comparisons", "2025", "ok")
    ]
    executed = nbformat.read(
        str(tmp_path / "out" / "comparisons" / "2025" / "internal" / "04_comparisons.ipynb"),
        as_version=4,
    )
    assert executed.cells[-1].outputs[0]["text"] == "2025 ['alpha', 'broken']\n"
    manifest = json.loads(
        (tmp_path / "out" / "comparisons" / "2025" / "internal" / "manifest.json").read_text(
            encoding="utf-8"
        )
    )
    assert [p["id"] for p in manifest["packages"]] == ["alpha", "broken"]


def _manifest(folder: Path, period: str, runs: list[dict], finished: str) -> None:
    (folder / "internal").mkdir(parents=True, exist_ok=True)
    manifest = {
        "district": "x",
        "period": period,
        "finished": finished,
        "packages": [{"id": "x", "district": {"name": "某<区>"}}],
        "runs": runs,
    }
    (folder / "internal" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _run(period: str, notebook: str, status: str = "ok", error: str = "", title: str = "") -> dict:
    outputs = {"ipynb": f"x/{period}/internal/{notebook}.ipynb"}
    if status == "ok":
        outputs["html"] = f"x/{period}/{notebook}.html"
    return {
        "district": "x",
        "period": period,
        "notebook": notebook,
        "title": title,
        "status": status,
        "started": "2026-12-05T02:29:00+00:00",
        "finished": "2026-12-05T02:30:00+00:00",
        "seconds": 1.25,
        "error": error,
        "outputs": outputs,
    }


def test_the_index_puts_the_bulletin_first_newest_period_first_in_beijing_time(tmp_path):
    from PIL import Image, PngImagePlugin

    late, early = tmp_path / "x" / "2025", tmp_path / "x" / "2024"
    quarter = tmp_path / "x" / "2025Q3"
    for folder in (late, early, quarter):
        folder.mkdir(parents=True)
    (late / "bulletin.docx").write_bytes(b"docx")  # no bulletin.md: not linked
    (late / "indicators.csv").write_text("id\n", encoding="utf-8")
    (late / "figures").mkdir()
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", "2025年登记技术合同成交额")
    Image.new("RGB", (4, 3)).save(late / "figures" / "03_trend.png", pnginfo=info)
    _manifest(
        late,
        "2025",
        [
            _run("2025", "00_bulletin", title="工作简报"),
            _run("2025", "01_enterprise", "failed", "KeyError: '<tier>'", "一、企业"),
            _run("2025", "02_chain", title="二、协同<创新>"),
        ],
        "2026-12-05T02:30:00+00:00",  # 10:30 in Beijing
    )
    _manifest(early, "2024", [_run("2024", "00_bulletin")], "2026-12-04T17:05:00+00:00")
    _manifest(quarter, "2025Q3", [_run("2025Q3", "00_bulletin")], "2026-12-05T01:00:00+00:00")
    html = batch.write_index(tmp_path).read_text(encoding="utf-8")
    assert "某&lt;区&gt;科技创新统计分析" in html and "某<区>" not in html  # autoescaped
    # newest first: the year 2025, its third quarter, then 2024
    assert html.index("<h3>2025年</h3>") < html.index("<h3>2025年第三季度</h3>")
    assert html.index("<h3>2025年第三季度</h3>") < html.index("<h3>2024年</h3>")
    assert "生成于2026年12月5日 10:30" in html and "生成于2026年12月5日 01:05" in html
    assert "+00:00" not in html and "UTC" not in html
    newest = html[html.index("<h3>2025年</h3>") : html.index("<h3>2025年第三季度</h3>")]
    links = re.findall(r'href="([^"]*)"', newest)
    # the bulletin first (Word, then its page), then the section pages, data files, figures
    assert links == [
        "x/2025/bulletin.docx",
        "x/2025/00_bulletin.html",
        "x/2025/02_chain.html",
        "x/2025/indicators.csv",
        "x/2025/figures/03_trend.png",
    ]
    assert "二、协同&lt;创新&gt;" in newest and "数据文件" in newest
    assert "<figcaption>2025年登记技术合同成交额</figcaption>" in newest
    assert "1个页面未生成</span>（一、企业；详见本期内部运行记录）" in newest
    assert "tier" not in html  # the error is the run log's
    runs = (tmp_path / "internal" / "index.html").read_text(encoding="utf-8")
    assert "KeyError: &#39;&lt;tier&gt;&#39;" in runs and "<tier>" not in runs
    assert "2026年12月5日 10:29" in runs


# ----------------------------------------------------------------------------- leftovers


def _children() -> dict[int, list[int]]:
    """Every live process's children, from /proc (zombies left out: they are gone)."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes().rsplit(b") ", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if stat[0] != b"Z":
            tree.setdefault(int(stat[1]), []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    tree = _children()
    living = {p for children in tree.values() for p in children}
    return pids & living


def _code_notebook(path: Path, data: str, *sources: str) -> Path:
    """A notebook of a parameters cell (``data`` as given) and code cells, kernel python3."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        f'data = {data}\nperiod = "2025"\nlang = "zh"\nlenient = False\nout = None'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(source) for source in sources)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


def _slow_notebook(path: Path) -> Path:
    return _code_notebook(
        path,
        '"../data/x"',
        "import time\nopen(f'started-{period}', 'w').close()\ntime.sleep(120)",
    )


def _start_slow_batch(world, out: Path, kernels: str):
    """``innolib run`` over two periods of a notebook that sleeps; returns it once both
    kernels are running (each has written its ``started-<period>`` file), with every
    process it has started by then."""
    import os
    import subprocess
    import sys
    import time

    root, good, _, _ = world
    slow = _slow_notebook(root / f"slow-{kernels}.ipynb")
    command = [sys.executable, "-m", "innolib.cli", "run", "--data", str(good)]
    command += ["--period", "2024..2025", "--notebook", str(slow), "--out", str(out)]
    command += ["--jobs", "2", "--quiet"]
    env = dict(os.environ, INNOLIB_KERNELS=kernels)
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(out.glob(".tmp-*/started-*"))) < 2:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the kernels never started"
        time.sleep(0.2)
    helpers = _descendants(proc.pid)
    # two workers and two kernels at least (the forked kind adds the batch's zygote)
    assert len(helpers) >= (5 if kernels == "fork" else 4), helpers
    return proc, helpers


def _gone(pids: set[int], seconds: float) -> set[int]:
    import time

    deadline = time.monotonic() + seconds
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _alive(pids)


@pytest.mark.parametrize("kernels", ["fork", "plain"])
def test_a_killed_batch_leaves_no_process_and_the_next_one_sweeps_its_staging(
    world, tmp_path, kernels
):
    """SIGKILL: workers, zygotes and kernels end with the batch (nobody could clean up);
    the staging folders stay until the next batch into the same folder removes them, and
    no period of the killed batch ever looks finished."""
    import signal

    _, good, _, notebook = world
    out = tmp_path / "outputs"
    proc, helpers = _start_slow_batch(world, out, kernels)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _gone(helpers, 8.0) == set()
    assert len(list(out.glob(".tmp-*"))) >= 3  # two staging folders and the lock: left behind
    assert not (out / "alpha").exists()  # nothing looks finished
    summary = batch.run_batch(
        data=[good], periods=["2025"], notebooks=[str(notebook)], out=out, jobs=1, progress=False
    )
    assert summary.ok
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "index.html", "internal"]
    assert sorted(p.name for p in (out / "alpha").iterdir()) == ["2025", "index.html"]


def test_sigterm_stops_a_batch_cleanly(world, tmp_path):
    """SIGTERM is handled like Ctrl-C: workers stopped, staging removed, exit 130."""
    import signal

    out = tmp_path / "outputs"
    proc, helpers = _start_slow_batch(world, out, "fork")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 130
    assert _gone(helpers, 8.0) == set()
    assert sorted(p.name for p in out.iterdir()) == []


def test_staging_of_a_live_batch_is_left_alone(tmp_path):
    """Only the staging of batches whose lock nobody holds is swept."""
    from innolib.batch.staging import Staging, remove_stale

    live = Staging(tmp_path)
    mine = live.path("folder")
    mine.mkdir()
    (tmp_path / ".tmp-alpha-2023-deadbeef").mkdir()  # an older innolib's leftover
    (tmp_path / ".tmp-123-cafe0000.lock").write_text("")  # a dead batch's lock …
    (tmp_path / ".tmp-123-cafe0000-1-folder").mkdir()  # … and its folder
    (tmp_path / "alpha").mkdir()
    removed = remove_stale(tmp_path)
    assert sorted(p.name for p in removed) == [
        ".tmp-123-cafe0000-1-folder",
        ".tmp-123-cafe0000.lock",
        ".tmp-alpha-2023-deadbeef",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["alpha", mine.name, live.lock.name]
    )
    live.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha"]


# ----------------------------------------------------------------------------- output paths


@pytest.mark.parametrize("bad_id", ["../../x", "/tmp/elsewhere", "a/../../b", ".."])
def test_a_package_id_that_leaves_the_output_folder_is_refused(world, tmp_path, bad_id):
    _, good, _, notebook = world
    info = {"id": bad_id, "path": str(good), "package": None, "error": ""}
    groups, unplanned = batch.plan_runs(
        [info], ["2025"], [Path(notebook)], out=tmp_path / "outputs"
    )
    assert groups == {}
    assert [(r.district, r.status) for r in unplanned] == [(bad_id, "failed")]
    assert "output path outside the output folder" in unplanned[0].error
    assert "输出路径越出输出目录" in unplanned[0].error


def test_inside_resolves_and_refuses_escapes(tmp_path):
    from innolib.errors import DataError
    from innolib.outputs import inside

    assert inside(tmp_path, "上街区", "2025") == tmp_path / "上街区" / "2025"
    for parts in (("..", "x"), ("a", "../../x"), ("/etc",), ("a/../..",)):
        with pytest.raises(DataError, match="outside the output folder"):
            inside(tmp_path, *parts)
    (tmp_path / "link").symlink_to("/tmp")  # a link out of the folder counts as outside
    with pytest.raises(DataError):
        inside(tmp_path, "link", "2025")


def test_the_batch_zygote_loads_each_package_once_for_every_run(world, tmp_path):
    """Forked kernels find their package already loaded (the batch's zygote held it); the
    broken package cannot be held, and its run still fails on its own load."""
    _, good, broken, _ = world
    notebook = _code_notebook(
        tmp_path / "held.ipynb",
        '"../data/x"',
        "from innolib.load import memory, load_package\n"
        "print('held', memory.held())\n"
        "package = load_package(data)",
    )
    summary = batch.run_batch(
        data=[good, broken],
        periods=["2025"],
        notebooks=[str(notebook)],
        out=tmp_path / "out",
        jobs=2,
        progress=False,
    )
    status = {run.district: run.status for run in summary.runs}
    assert status == {"alpha": "ok", "broken": "failed"}
    executed = nbformat.read(
        str(tmp_path / "out" / "alpha" / "2025" / "internal" / "held.ipynb"), 4
    )
    assert executed.cells[-1].outputs[0]["text"] == "held 1\n"  # alpha held, broken not
