"""Screenshots of the reader's pages with headless Chromium, to look at what a reader sees.

    .venv/bin/python tools/screenshot.py outputs/shangjie [--out shots/] [--page 01_enterprise_ecosystem]

Renders ``<district>/index.html`` and one section page of the newest period (by default
``01_enterprise_ecosystem.html``) to PNG, full page height, and prints the paths. Needs a
Chromium binary (``chromium``, ``chromium-browser`` or ``google-chrome``; Debian:
``apt-get install -y chromium``) and a CJK font (``fonts-noto-cjk``), else the HTML text
shows as boxes. Exit 2 when no browser is found.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH = 1280


def browser() -> str | None:
    """The first Chromium-like browser on PATH."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def shoot(page: Path, png: Path, height: int = 2400, width: int = WIDTH) -> Path:
    """Renders ``page`` (an HTML file) to ``png`` with headless Chromium; returns ``png``."""
    exe = browser()
    if exe is None:
        raise FileNotFoundError("no chromium / google-chrome on PATH")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="innolib-shot-") as profile:
        subprocess.run(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "--virtual-time-budget=3000",
                f"--screenshot={png.resolve()}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return png


def newest_period(district: Path) -> Path:
    """The period folder of ``district`` whose reader pages were written last."""
    folders = [p for p in district.iterdir() if p.is_dir() and p.name != "internal"]
    if not folders:
        raise FileNotFoundError(f"no period folder in {district}")
    return max(folders, key=lambda p: max((f.stat().st_mtime for f in p.glob("*.html")), default=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("district", type=Path, help="outputs/<district>")
    parser.add_argument("--out", type=Path, default=Path("shots"), help="folder for the PNGs")
    parser.add_argument("--page", default="01_enterprise_ecosystem", help="section page name")
    parser.add_argument("--period", default=None, help="period folder (default: newest)")
    parser.add_argument("--height", type=int, default=2400, help="viewport height in pixels")
    args = parser.parse_args(argv)
    if browser() is None:
        print("screenshot: 找不到 Chromium / no chromium on PATH", file=sys.stderr)
        return 2
    period = args.district / args.period if args.period else newest_period(args.district)
    name = args.district.name
    shots = [
        shoot(args.district / "index.html", args.out / f"{name}_index.png", args.height),
        shoot(
            period / f"{args.page}.html",
            args.out / f"{name}_{period.name}_{args.page}.png",
            args.height,
        ),
    ]
    for png in shots:
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
