"""Drawing helpers shared by every chart: figure, palette, title, footnote, markers, saving.

Fixed figure sizes and fonts, so the same numbers always give the same picture; the
house theme (``innolib.theme.set_theme``) is applied to every new figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from innolib.charts.wording import words
from innolib.present.markers import SUPPRESSED, marker

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

FIGSIZE_WIDE = (9.0, 5.0)
FIGSIZE_PAIR = (10.0, 4.8)
TITLE_SIZE = 13
TITLE_WRAP = 44  # characters per title line before wrapping at a Chinese comma
FOOTNOTE_WRAP = 60
ANNOTATION_SIZE = 9
ACCENT, CONTRAST, LIGHT, GREY = 0, 1, 2, 6  # indexes into theme.PALETTE
SAVE_DPI = 150


def palette() -> list[str]:
    """The house palette (``theme.PALETTE``); index it with ACCENT, CONTRAST, LIGHT, GREY."""
    from innolib.theme import PALETTE

    return PALETTE


def new_figure(size: tuple[float, float], ncols: int = 1):
    """A pyplot figure of a fixed size in the house theme, with constrained layout."""
    import matplotlib.pyplot as plt

    from innolib.theme import set_theme

    set_theme()
    return plt.subplots(1, ncols, figsize=size, layout="constrained")


def mark_missing(
    ax, x, y, status, colors, *, ha="center", va="center", offset=(0, 0), lang="zh"
) -> None:
    """Writes — (withheld), 无数据 (the presentation layer's markers) or 尚无记录 where a
    bar would be; draws no bar."""
    size = ANNOTATION_SIZE + (4 if status == SUPPRESSED else 1)
    text = words(lang).labels[status] if status == "not_started" else marker(status, lang)
    ax.annotate(
        text,
        (x, y),
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=size,
        color=colors[GREY],
    )


def set_title(fig: Figure, text: str) -> None:
    """The chart's title (its finding), left-aligned and wrapped at a Chinese comma
    (English: at a comma or semicolon, twice as many characters a line)."""
    fig.suptitle(wrap(text, TITLE_WRAP), x=0.01, ha="left", fontsize=TITLE_SIZE)


def wrap(text: str, width: int) -> str:
    """Breaks a long line after the last Chinese comma (or bracket) that keeps the first line short.

    Text without Chinese punctuation (an English chart) breaks after ", " or "; " and gets
    twice the width: Latin letters are about half as wide.
    """
    if not any(mark in text for mark in "，：；（"):
        return _wrap_latin(text, 2 * width)
    if len(text) <= width:
        return text
    cut = max(text.rfind(mark, 0, width) for mark in "，：；（")
    if cut <= 0:
        return text
    cut = cut if text[cut] == "（" else cut + 1
    return text[:cut] + "\n" + wrap(text[cut:], width)


def _wrap_latin(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = max(text.rfind(mark, 0, width) for mark in (", ", "; "))
    if cut <= 0:
        return text
    return (
        text[: cut + 2] + "\n" + _wrap_latin(text[cut + 2 :], width)
    )  # the space stays: joined lines read right


def footnote(
    fig: Figure,
    text: str | None = None,
    *,
    sources: tuple[str, ...] = (),
    withheld: bool = False,
    lang: str = "zh",
) -> None:
    """The lines under the chart: 数据来源 (the tables' sources as the bureau names them),
    then ``text``, then the disclosure footnote when cells are ``withheld`` (marked —)."""
    lines = []
    # the enterprise register only places firms in towns and sectors: it is cited when it
    # is the figures' only source, not beside the ledger that gives them
    figures = [t for t in sources if t != "enterprises"] or list(sources)
    w = words(lang)
    named = list(dict.fromkeys(w.sources[t] for t in figures if t in w.sources))
    if named:
        lines.append(
            w.labels["source"].format(sources=("、" if lang == "zh" else "; ").join(named))
        )
    if text:
        lines.append(text)
    if withheld:
        from innolib.disclosure import FOOTNOTE

        lines.append(FOOTNOTE[0 if lang == "zh" else 1])
    if not lines:
        return
    fig.supxlabel(
        "\n".join(wrap(line, FOOTNOTE_WRAP) for line in lines),
        x=0.01,
        ha="left",
        fontsize=ANNOTATION_SIZE - 0.5,
        color="#555555",
        linespacing=1.3,
    )


def change_colour(value: float, previous: float | None) -> str:
    """The colour of a change label: ``theme.RISE`` up, ``theme.FALL`` down, grey when flat."""
    from innolib.theme import FALL, RISE

    if previous is None or value == previous:
        return palette()[GREY]
    return RISE if value > previous else FALL


def no_vertical_grid(ax) -> None:
    """Categories along x (periods, bands): only the value axis keeps its grid lines."""
    ax.grid(axis="x", visible=False)


def integer_axis(axis) -> None:
    """Whole-number ticks only (counts)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Writes ``fig`` as a PNG (150 dpi, no timestamp or software metadata), closes it; returns the path.

    The same figure always gives the same bytes, so re-running a report does not change
    its figures unless the numbers changed.
    """
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=SAVE_DPI, metadata={"Software": None})
    plt.close(fig)
    return path
