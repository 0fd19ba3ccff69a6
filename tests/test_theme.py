"""The house theme renders Chinese with the bundled font: no missing glyphs."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from innolib.theme import set_theme


def test_chinese_title_labels_and_negative_number_render_without_missing_glyphs(tmp_path):
    family = set_theme()
    assert "CJK" in family
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.bar(["峡窝镇", "济源路街道"], [12, -3])
        ax.set_title("高新技术企业同比增长8.2%")
        ax.set_ylabel("研发经费支出（万元）")
        ax.set_xlabel("所属镇街")
        fig.savefig(tmp_path / "chart.png")
        plt.close(fig)
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == []
    assert (tmp_path / "chart.png").stat().st_size > 1000


def test_a_glyph_missing_from_the_font_is_detected(tmp_path):
    """The check above can fail: a font without CJK glyphs does warn."""
    import seaborn as sns

    sns.set_theme(font="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("高新技术企业")
        fig.savefig(tmp_path / "bad.png")
        plt.close(fig)
    assert any("missing" in str(w.message).lower() for w in caught)
