"""The bulletin as a Word 简报 (GB/T 9704 layout): ``write_docx`` and its ``Masthead``.

``innolib.word.briefing`` composes the document (版头, body, 附表, 版记, page numbers),
``innolib.word.appendix`` the 附表's cells and widths, ``innolib.word.ooxml`` the
WordprocessingML python-docx does not write itself; the words around the text live in
``innolib/templates/briefing.yaml``. ``innolib.export.write_report`` calls it.
"""

from innolib.word.briefing import Masthead, issue_moment, masthead, write_docx

__all__ = ["Masthead", "issue_moment", "masthead", "write_docx"]
