"""Claim extraction on the labelled sentences: recall, precision, phrase and qualifier.

Run: ``.venv/bin/python benchmarks/bench_factcheck.py [--show]``. Reads
``tests/data/factcheck_labelled.yaml`` and prints, separately for the part the extractor
was tuned on and the held-out part:
  recall     labelled (value, unit) pairs found / labelled
  precision  found (value, unit) pairs that are labelled / found
  phrase     share of found-and-labelled claims whose phrase is right: the same words
             (quotation marks ignored), or one containing the other with at least 2/3 of
             the longer one's characters
  qualifier  share of found-and-labelled claims whose qualifier is exactly the label
``--show`` lists every miss. ``--agreement`` scores a second, independent labelling of some
tuned bulletins (tests/data/bulletins/relabel/) against the first, beside the extractor
against each: how far the labels themselves agree.

``--speed [REV]`` times claim extraction (CPU seconds, so that other work on the machine
counts less) on drafts of 0.25, 0.5 and 1 MB made of the labelled sentences, and on the
same text with every sentence end removed (one endless sentence, the worst case of the old
reader), with the fact-checker of this tree and, when REV is given, the single-module
``innolib/factcheck.py`` of that git revision (e.g. b36a98b, before the subpackage): before
and after in one run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innolib.factcheck import extract_claims  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "factcheck_labelled.yaml"
BULLETINS = ROOT / "tests" / "data" / "bulletins"


def load_bulletins() -> list[dict]:
    """The real bulletins with their labels, as items ``score`` reads (id, part, text, claims)."""
    items = []
    for sidecar in sorted(BULLETINS.glob("*.yaml")):
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        text = sidecar.with_suffix(".txt").read_text(encoding="utf-8")
        items.append(
            {
                "id": sidecar.stem,
                "part": meta["part"],
                "batch": meta.get("batch", 1),
                "text": text,
                "claims": meta["claims"],
            }
        )
    return items


def _line(name: str, part: str, s: dict[str, float], width: int = 8) -> str:
    return (
        f"{name:15s} {part:{width}s} {s['labelled']:6d} {s['found']:5d} {s['recall']:6.3f} "
        f"{s['precision']:6.3f} {s['phrase']:6.3f} {s['qualifier']:6.3f}"
    )


def corpus(show: bool = False) -> dict[str, dict[str, float]]:
    """Print the scores of every real bulletin, then of each batch's part and each part.

    ``show`` lists the misses of tuned bulletins only: the held-back ones are scored, never
    looked at claim by claim (tests/data/bulletins/README.md).
    """
    items = load_bulletins()
    print(
        f"{'bulletin':15s} {'part':8s} {'claims':>6s} {'found':>5s} {'recall':>6s} {'prec.':>6s} {'phrase':>6s} {'qual.':>6s}"
    )
    totals = {}
    for part in ("tuned", "heldout"):
        subset = [i for i in items if i["part"] == part]
        for item in subset:
            print(_line(item["id"], part, score([item], show=show and part == "tuned")))
        for batch in sorted({i["batch"] for i in subset}):
            of_batch = [i for i in subset if i["batch"] == batch]
            print(_line(f"- batch {batch}", f"{len(of_batch)} texts", score(of_batch)))
        totals[part] = s = score(subset)
        print(_line(f"= {part}", f"{len(subset)} texts", s))
    totals["all"] = s = score(items)
    print(_line("= all", f"{len(items)} texts", s))
    return totals


def _strip(s: str) -> str:
    return "".join(ch for ch in str(s) if ch not in '“”‘’"')


def phrase_right(found: str, label: str) -> bool:
    a, b = _strip(found), _strip(label)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) * 3 >= len(long_) * 2


def _same(a: float | None, b: float | None) -> bool:
    """Whether two upper ends of a range are the same (both None: no range)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def as_labels(claims: list) -> list[dict]:
    """Labels (``[value, unit, phrase, qualifier, value_max?]``) as dicts."""
    return [
        dict(
            value=c[0],
            unit=str(c[1]),
            phrase=str(c[2]),
            qualifier=str(c[3]),
            value_max=c[4] if len(c) > 4 else None,
        )
        for c in claims
    ]


def compare(name: str, found: list, labels: list[dict], show: bool = False) -> dict[str, int]:
    """Counts of one text: ``found`` (claims, or another labeller's labels as objects with
    value, unit, value_max, phrase, qualifier) against ``labels``; a found claim pairs with
    the first unpaired label of the same value, unit and upper end."""
    paired = phrase_ok = qual_ok = 0
    left = list(found)
    for lab in labels:
        hit = next(
            (
                c
                for c in left
                if abs(float(c.value) - float(lab["value"]))
                <= 1e-6 * max(1.0, abs(float(lab["value"])))
                and c.unit == lab["unit"]
                and _same(getattr(c, "value_max", None), lab["value_max"])
            ),
            None,
        )
        if hit is None:
            if show:
                print(f"  MISS   {name}: {lab}")
            continue
        left.remove(hit)
        paired += 1
        p_ok = phrase_right(hit.phrase, lab["phrase"])
        q_ok = hit.qualifier == lab["qualifier"]
        phrase_ok += p_ok
        qual_ok += q_ok
        if show and not (p_ok and q_ok):
            print(
                f"  WORDS  {name}: {hit.value}{hit.unit} phrase {hit.phrase!r} (label {lab['phrase']!r}) "
                f"qualifier {hit.qualifier!r} (label {lab['qualifier']!r})"
            )
    if show:
        for c in left:
            print(
                f"  EXTRA  {name}: {getattr(c, 'value_text', c.value)}{c.unit} phrase {c.phrase!r} qualifier {c.qualifier!r}"
            )
    return dict(
        labelled=len(labels), found=len(found), paired=paired, phrase=phrase_ok, qualifier=qual_ok
    )


def rates(counts: list[dict[str, int]]) -> dict[str, float]:
    """Recall, precision, phrase and qualifier of summed counts."""
    t = {
        k: sum(c[k] for c in counts) for k in ("labelled", "found", "paired", "phrase", "qualifier")
    }
    return {
        "sentences": len(counts),
        "labelled": t["labelled"],
        "found": t["found"],
        "recall": t["paired"] / t["labelled"] if t["labelled"] else 1.0,
        "precision": t["paired"] / t["found"] if t["found"] else 1.0,
        "phrase": t["phrase"] / t["paired"] if t["paired"] else 1.0,
        "qualifier": t["qualifier"] / t["paired"] if t["paired"] else 1.0,
    }


def score(items: list[dict], registry=None, show: bool = False) -> dict[str, float]:
    """The extractor's claims of each item's text against its labels."""
    return rates(
        [
            compare(
                item["id"], extract_claims(item["text"], registry), as_labels(item["claims"]), show
            )
            for item in items
        ]
    )


RELABELLED = BULLETINS / "relabel"
RELABELLED_HELDOUT = BULLETINS / "relabel_heldout"


def agreement() -> dict[str, dict[str, float]]:
    """How far two labellers agree (a second labelling made without seeing the first,
    scored against the first as if it were found claims), beside the extractor against each
    of them, on the same texts: tuned texts (tests/data/bulletins/relabel/) text by text,
    held-back ones (relabel_heldout/) in total only, as the held-back part is never looked
    at claim by claim."""
    print(
        f"{'text':15s} {'pair':22s} {'claims':>6s} {'found':>5s} {'recall':>6s} {'prec.':>6s} {'phrase':>6s} {'qual.':>6s}"
    )
    out = _agreement(RELABELLED, "", each=True)
    if RELABELLED_HELDOUT.is_dir():
        out.update(_agreement(RELABELLED_HELDOUT, "held back: ", each=False))
    return out


def _agreement(folder: Path, prefix: str, each: bool) -> dict[str, dict[str, float]]:
    from types import SimpleNamespace

    rows: dict[str, list] = {
        "second vs first": [],
        "extractor vs first": [],
        "extractor vs second": [],
    }
    for relabel in sorted(folder.glob("*.yaml")):
        second = yaml.safe_load(relabel.read_text(encoding="utf-8"))
        tid = second["id"]
        first = yaml.safe_load((BULLETINS / f"{tid}.yaml").read_text(encoding="utf-8"))
        text = (BULLETINS / f"{tid}.txt").read_text(encoding="utf-8")
        a, b = as_labels(first["claims"]), as_labels(second["claims"] or [])
        claims = extract_claims(text)
        for pair, counts in (
            ("second vs first", compare(tid, [SimpleNamespace(**x) for x in b], a)),
            ("extractor vs first", compare(tid, claims, a)),
            ("extractor vs second", compare(tid, claims, b)),
        ):
            rows[pair].append(counts)
            if each:
                print(_line(tid, pair, rates([counts]), width=22))
    out = {}
    for pair, counts in rows.items():
        out[prefix + pair] = s = rates(counts)
        label = f"= {len(counts)} held back" if prefix else "= all"
        print(_line(label, pair, s, width=22))
    return out


def _before(rev: str):
    """extract_claims of the single-module fact-checker at git revision ``rev``."""
    import importlib.util
    import subprocess
    import tempfile

    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:innolib/factcheck.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "factcheck_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("factcheck_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["factcheck_before"] = module
    spec.loader.exec_module(module)
    return module.extract_claims


def _draft(text: str, megabytes: float) -> str:
    size = int(megabytes * 1_000_000)
    per_char = len(text.encode("utf-8")) / len(text)
    return (text * (int(size / len(text.encode("utf-8"))) + 1))[: int(size / per_char)]


def speed(rev: str | None) -> None:
    """Print CPU seconds of extraction by draft size, now and (with ``rev``) before."""
    import time

    from innolib.registry import load_registry

    registry = load_registry()
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"]
    prose = "".join(i["text"] for i in items)
    endless = "".join(ch for ch in prose if ch not in "。！？!?")
    versions = [("now", extract_claims)] + ([(f"before {rev}", _before(rev))] if rev else [])
    print(
        f"{'draft':24s} {'MB':>5s} {'claims':>7s}  " + "  ".join(f"{n:>16s}" for n, _ in versions)
    )
    for name, text, sizes in (
        ("labelled prose", prose, (0.25, 0.5, 1.0)),
        ("no sentence ends", endless, (0.05, 0.1, 0.2, 1.0)),
    ):
        for mb in sizes:
            draft = _draft(text, mb)
            cells, count = [], 0
            for vname, extract in versions:
                if vname != "now" and name == "no sentence ends" and mb > 0.2:
                    cells.append(f"{'(not run)':>16s}")  # quadratic: minutes
                    continue
                start = time.process_time()
                count = len(extract(draft, registry))
                cells.append(f"{time.process_time() - start:14.2f} s")
            print(f"{name:24s} {mb:5.2f} {count:7d}  " + "  ".join(cells))


def main(argv: list[str]) -> int:
    if "--speed" in argv:
        rest = argv[argv.index("--speed") + 1 :]
        speed(rest[0] if rest else None)
        return 0
    show = "--show" in argv
    if "--agreement" in argv:
        agreement()
        return 0
    if "--corpus" in argv:
        corpus(show=show)
        return 0
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"]
    for part in ("tuned", "heldout"):
        subset = [i for i in items if i["part"] == part]
        if show:
            print(f"[{part}]")
        s = score(subset, show=show)
        print(
            f"{part:8s} sentences {s['sentences']:3d}  claims {s['labelled']:3d}  found {s['found']:3d}  "
            f"recall {s['recall']:.3f}  precision {s['precision']:.3f}  phrase {s['phrase']:.3f}  "
            f"qualifier {s['qualifier']:.3f}"
        )
    print()
    corpus(show=show)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
