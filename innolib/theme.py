"""The house chart theme: seaborn style plus a Chinese font the project installs itself.

The font is Noto Sans CJK (SIL Open Font License), shipped by the PyPI package
``noto-cjk-sans-otc``, so charts render Chinese on a fresh machine with no system fonts.
The font must be registered *after* ``sns.set_theme`` (which resets ``rcParams``).
"""

from __future__ import annotations

from functools import lru_cache

#: the bureau's palette: one accent for the district, greys for context
PALETTE = ["#1f4e79", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#7f7f7f"]
#: a rise and a fall: the blue and the vermillion of the Okabe–Ito palette, told apart by
#: readers with the common colour-vision deficiencies (the sign + / - says it too)
RISE, FALL = "#0072B2", "#D55E00"


@lru_cache(maxsize=1)
def chinese_font_name() -> str:
    """Registers the bundled Noto Sans CJK font with matplotlib; returns its family name."""
    from matplotlib import font_manager
    from noto_cjk_sans_otc import FONT_PATH

    path = str(FONT_PATH)
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def set_theme(context: str = "notebook") -> str:
    """Applies the house theme (seaborn ``whitegrid`` + Chinese font); returns the font name.

    Call it once before drawing; every ``innolib`` chart function calls it too.
    """
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context=context, style="whitegrid", palette=PALETTE)
    family = chinese_font_name()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    # the Unicode minus sign is in the CJK font, but ASCII hyphen-minus is safer everywhere
    mpl.rcParams["axes.unicode_minus"] = False
    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["savefig.dpi"] = 150
    mpl.rcParams["savefig.bbox"] = "tight"
    mpl.rcParams["svg.hashsalt"] = "innolib"  # reproducible SVG ids
    # chart text holds names from the data: a "$" pair must print as written, not be
    # parsed as mathtext (which fails the drawing on input such as "$\\foo$")
    mpl.rcParams["text.parse_math"] = False
    return family
