"""The words of the Word 简报 around the narrative, read from ``templates/briefing.yaml``."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from innolib.present.vocabulary import check_lang


@functools.cache
def briefing_words(lang: str) -> dict[str, str]:
    """The 简报's words in ``lang`` (版头, 附表, 版记, page numbers); do not modify."""
    text = resources.files("innolib").joinpath("templates/briefing.yaml").read_text("utf-8")
    return yaml.safe_load(text)[check_lang(lang)]
