"""Errors meant for people: every message in Chinese and English.

``UsageError`` is a mistake in how a command was called (exit 2); ``DataError`` is bad
input data (exit 1). Both carry the bilingual message the CLI prints as one line.
"""

from __future__ import annotations


class InnolibError(Exception):
    """Base of the errors innolib raises on purpose; ``str()`` is the bilingual message."""

    exit_code = 1

    def __init__(self, zh: str, en: str | None = None):
        self.zh = zh
        self.en = en or ""
        super().__init__(f"{zh} / {en}" if en else zh)


class UsageError(InnolibError):
    """A command was called wrongly: unknown period, missing folder, bad option (exit 2)."""

    exit_code = 2


class DataError(InnolibError):
    """Bad input: the data package breaks its contract (exit 1).

    The one exception type every reader raises for bad input (a file, a sheet, a YAML
    document, a cell). Where the message is about one place, ``file``, ``sheet``, ``row``,
    ``column``, ``value`` and ``rule`` say which, so that callers can list it like a
    rejected row.
    """

    exit_code = 1

    def __init__(
        self,
        zh: str,
        en: str | None = None,
        *,
        file: str = "",
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        value: str = "",
        rule: str = "",
    ):
        super().__init__(zh, en)
        self.file, self.sheet, self.row = file, sheet, row
        self.column, self.value, self.rule = column, value, rule
