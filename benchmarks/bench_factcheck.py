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
``--show`` lists every miss.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innolib.factcheck import extract_claims  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "factcheck_labelled.yaml"


def _strip(s: str) -> str:
    return "".join(ch for ch in str(s) if ch not in '“”‘’"')


def phrase_right(found: str, label: str) -> bool:
    a, b = _strip(found), _strip(label)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) * 3 >= len(long_) * 2


def score(items: list[dict], registry=None, show: bool = False) -> dict[str, float]:
    expected = found = paired = phrase_ok = qual_ok = 0
    for item in items:
        labels = [
            dict(value=c[0], unit=str(c[1]), phrase=str(c[2]), qualifier=str(c[3]))
            for c in item["claims"]
        ]
        claims = extract_claims(item["text"], registry)
        expected += len(labels)
        found += len(claims)
        left = list(claims)
        for lab in labels:
            hit = next(
                (
                    c
                    for c in left
                    if abs(float(c.value) - float(lab["value"]))
                    <= 1e-6 * max(1.0, abs(float(lab["value"])))
                    and c.unit == lab["unit"]
                ),
                None,
            )
            if hit is None:
                if show:
                    print(f"  MISS   {item['id']}: {lab}")
                continue
            left.remove(hit)
            paired += 1
            p_ok = phrase_right(hit.phrase, lab["phrase"])
            q_ok = hit.qualifier == lab["qualifier"]
            phrase_ok += p_ok
            qual_ok += q_ok
            if show and not (p_ok and q_ok):
                print(
                    f"  WORDS  {item['id']}: {hit.value}{hit.unit} phrase {hit.phrase!r} (label {lab['phrase']!r}) "
                    f"qualifier {hit.qualifier!r} (label {lab['qualifier']!r})"
                )
        if show:
            for c in left:
                print(
                    f"  EXTRA  {item['id']}: {c.value_text}{c.unit} phrase {c.phrase!r} qualifier {c.qualifier!r}"
                )
    return {
        "sentences": len(items),
        "labelled": expected,
        "found": found,
        "recall": paired / expected if expected else 1.0,
        "precision": paired / found if found else 1.0,
        "phrase": phrase_ok / paired if paired else 1.0,
        "qualifier": qual_ok / paired if paired else 1.0,
    }


def main(argv: list[str]) -> int:
    show = "--show" in argv
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
