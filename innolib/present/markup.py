"""Text from data, made safe where it lands: Markdown, HTML and Word.

The narrative, the tables and the notes are *plain text*: our templates with the
package's names, titles and the bureau's own words filled in. A name is data, and
data can hold anything a clerk or an attacker typed: ``<script>``, ``**``, ``#`` at the
start of a line, ``|`` inside a table, a newline followed by ``| a | b |``, a control
character. Plain text is turned into markup only at the boundary where a format
begins, by the functions here, so the same text reads the same in every output and
never becomes markup:

* ``markdown_text`` — a paragraph of plain text as Markdown that renders as exactly
  that text (CommonMark backslash escapes for the inline markers, HTML's own
  characters as entities so nbconvert and any Markdown viewer show them as text, line
  breaks folded into spaces so no line of data can start a heading, a list or a table
  row); ``markdown_cell`` the same for a pipe-table cell;
* ``plain_text`` — a name, a title or the bureau's own words as one line of plain text
  before it enters the narrative: control characters dropped (the narrative's own
  markers are control characters, so data must never carry one) and line breaks
  folded (nothing between two Chinese characters, a space between words).

The templates that write the narrative run without HTML autoescaping on purpose: their
output is plain text that goes to Word, Markdown and HTML alike, and escaping it for
one format in the template would print ``&lt;`` in the others.
"""

from __future__ import annotations

import html
import re

# the inline markers of CommonMark (emphasis, code, links, images, strike-through,
# autolinks, raw HTML, table pipes) and the backslash itself
_INLINE = re.compile(r"([\\`*_\[\]|~!{}])")
# a line that starts a block: heading, quote, list item, thematic break, setext underline
_BLOCK_START = re.compile(r"^(\s*)([#+\-=])|^(\s*\d{1,9})([.)])(?=\s|$)")
# what XML 1.0 (Word) forbids, and none of C1 makes sense in a bulletin: tab, LF and CR
# are the only C0 controls text keeps (and plain_text folds those too)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|[\r\n\u2028\u2029\x85\x0b\x0c])[\s\u3000]*")


def plain_text(text: object) -> str:
    """``text`` as one line of plain text: control characters dropped, line breaks folded.

    A break between two non-ASCII characters (Chinese text, full-width punctuation)
    disappears, as it would when a Chinese paragraph re-flows; between other characters
    it becomes one space. Tabs become spaces.
    """

    def fold(m: re.Match) -> str:
        s = m.string
        before = s[m.start() - 1] if m.start() > 0 else ""
        after = s[m.end()] if m.end() < len(s) else ""
        if not before or not after or (not before.isascii() and not after.isascii()):
            return ""
        return " "

    folded = _LINE_BREAK.sub(fold, str(text))
    return _NOT_XML.sub("", folded.replace("\t", " ")).strip()


def markdown_text(text: object) -> str:
    """One paragraph of plain text as Markdown that renders as that very text.

    Line breaks are folded as ``plain_text`` folds them (a paragraph of the bulletin
    is one line), inline
    markers get a backslash, ``& < >`` become entities (so raw HTML stays text in every
    renderer, nbconvert's included), and a paragraph that would open a block (``#``,
    ``>``, ``-``, ``+``, ``=``, ``1.``) has that marker escaped. Chinese punctuation and
    the digits and decimal points of figures are left as they are.
    """
    return _BLOCK_START.sub(_escape_block, markdown_cell(text), count=1)


def _escape_block(m: re.Match) -> str:
    lead, marker = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
    return lead + "\\" + marker


def markdown_cell(text: object) -> str:
    """A pipe-table cell: ``markdown_text`` without the block-start escape (a cell never
    opens a block, and ``-3.2`` should read as it is); ``|`` is one of the escaped markers."""
    return _INLINE.sub(r"\\\1", html.escape(plain_text(text), quote=False))
