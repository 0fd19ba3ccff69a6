"""The words of the presentation layer, read from ``innolib/templates/vocabulary.yaml``.

Data, not code: every Chinese or English word written around a figure (units, 约/余,
year-on-year phrases, table headers, section titles, the no-data and suppressed markers
and their legends) lives in that file, one block per language. This module only reads it;
it imports nothing else from innolib, so the lowest floors (``innolib.disclosure``) may use it.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from innolib.errors import UsageError

LANGS = ("zh", "en")


@functools.cache
def _document() -> dict[str, Any]:
    text = (
        resources.files("innolib").joinpath("templates/vocabulary.yaml").read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def check_lang(lang: str) -> str:
    """``lang`` when it is ``zh`` or ``en``; a one-line bilingual ``UsageError`` otherwise."""
    if lang not in LANGS:
        raise UsageError(
            f"不支持的语言：{lang}（应为zh或en）", f"unsupported language: {lang} (zh or en)"
        )
    return lang


def words(lang: str) -> dict[str, Any]:
    """The vocabulary block of ``lang`` (``zh`` or ``en``); do not modify the returned dict."""
    return _document()[check_lang(lang)]
