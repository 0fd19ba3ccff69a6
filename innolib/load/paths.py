"""Names and files a package may use: safe names, readable regular files, bounded reads.

Everything here answers "may the loader touch this?" before anything is opened:

- ``safe_name``: a package id or district id names a folder under ``outputs/``; it may
  hold Chinese, but no path separator, no ``..``, no leading dot, no control character;
- ``unreadable_reason``: why a path that should be a table file is not one (a folder, a
  dangling link, a link loop, a FIFO, a device such as ``/dev/zero``), checked with
  ``lstat``/``stat`` only, so a FIFO is never opened (opening one blocks);
- ``read_bounded``: a file's bytes, refusing files over a size limit;
- ``input_files``: which files of a folder (or beside a workbook) the loader may read,
  each checked as above, and ``file_sha256``.

Only the standard library is imported here: ``load_package`` lists and hashes the inputs
(and looks in its cache) before it imports pandas and the rest of the loader.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from innolib.errors import DataError

MAX_NAME = 120  # characters of a package or district id
MAX_TABLE_FILE = 2 << 30  # 2 GiB: larger table files are refused, not read


def safe_name(name: str, where: str, field: str = "id") -> str:
    """``name`` if it can name one folder under ``outputs/``; else a ``DataError``."""
    bad = (
        not name
        or name in (".", "..")
        or name.startswith(".")
        or any(sep in name for sep in ("/", "\\", "\0"))
        or ".." in name
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
        or len(name) > MAX_NAME
        or name != name.strip()
    )
    if bad:
        raise DataError(
            f"{where}：{field}「{name!r}」不能作为文件夹名（不得含路径分隔符、“..”、开头的“.”、"
            "控制字符或首尾空格，最长120字）",
            f"{where}: {field} {name!r} is not a safe folder name (no path separators, no '..', "
            "no leading dot, no control characters or surrounding spaces, at most 120 characters)",
            file=where,
            column=field,
            value=repr(name),
            rule="safe_name",
        )
    return name


def unreadable_reason(path: Path) -> tuple[str, str] | None:
    """Why ``path`` is not a readable regular file, as (Chinese, English); None if it is one."""
    try:
        path.lstat()
    except OSError as error:
        return f"无法访问（{error.strerror}）", f"cannot be accessed ({error.strerror})"
    try:
        info = path.stat()  # follows links
    except OSError as error:
        if error.errno == 40:  # ELOOP
            return "是循环的符号链接", "is a symbolic link loop"
        return "是失效的符号链接（指向不存在的文件）", "is a dangling symbolic link"
    if stat.S_ISDIR(info.st_mode):
        return "是文件夹，不是文件", "is a folder, not a file"
    if stat.S_ISFIFO(info.st_mode):
        return "是命名管道（FIFO），不是文件", "is a named pipe (FIFO), not a file"
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return "是设备文件，不是普通文件", "is a device, not a regular file"
    if stat.S_ISSOCK(info.st_mode):
        return "是套接字，不是文件", "is a socket, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件", "is not a regular file"
    if info.st_size > MAX_TABLE_FILE:
        return (
            f"过大（{info.st_size:,}字节，上限{MAX_TABLE_FILE:,}）",
            f"is too large ({info.st_size:,} bytes, limit {MAX_TABLE_FILE:,})",
        )
    if not os.access(path, os.R_OK):
        return "没有读取权限", "is not readable (permission denied)"
    return None


def check_readable(path: Path, shown: str) -> None:
    """Raise a ``DataError`` naming ``shown`` when ``path`` is not a readable regular file."""
    reason = unreadable_reason(path)
    if reason is not None:
        raise DataError(
            f"{shown}：{reason[0]}",
            f"{shown}: {reason[1]}",
            file=shown,
            rule="unreadable",
        )


def read_bounded(path: Path, shown: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (a ``DataError`` otherwise)."""
    check_readable(path, shown)
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise DataError(
            f"{shown}：文件过大（上限{limit:,}字节）",
            f"{shown}: file too large (limit {limit:,} bytes)",
            file=shown,
            rule="too_large",
        )
    return data


TABLE_FORMATS = (".csv", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq")  # .xls: calamine reads it too
DISTRICT_FILES = ("district.yaml", "district.yml")


def input_files(path: Path) -> dict[str, Path]:
    """Files a package may read, by path relative to the package (or the workbook's folder).

    Every entry whose name says it is a table or the metadata must be a readable regular
    file: a folder, a dangling link, a link loop, a FIFO or a device under such a name is a
    ``DataError`` naming it (never silently "absent", never opened: a FIFO would block).
    A name that is not valid UTF-8 is refused the same way. Hidden files (``.x``) and
    Excel's lock files (``~$x``) are skipped.
    """
    if not path.is_dir():
        check_readable(path, path.name)
        out = {_utf8_name(path, path.name): path}
        for name in DISTRICT_FILES:
            if (path.parent / name).is_symlink() or (path.parent / name).exists():
                check_readable(path.parent / name, name)
                out[name] = path.parent / name
        return out
    out = {}
    for p in sorted(path.iterdir()):
        if p.name.startswith((".", "~$")):
            continue
        name = _utf8_name(p, p.name)
        if p.suffix.lower() in TABLE_FORMATS or name in DISTRICT_FILES or _measures_document(p):
            check_readable(p, name)
            out[name] = p
    return out


def _utf8_name(path: Path, name: str) -> str:
    """``name`` if it is valid UTF-8 text (a ``DataError`` showing its bytes otherwise)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(path.name)
        raise DataError(
            f"{path.parent}：文件名不是有效的UTF-8文字：{raw!r}（请改用UTF-8文件名）",
            f"{path.parent}: a file name is not valid UTF-8: {raw!r} (rename it)",
            file=repr(raw),
            rule="file_name",
        ) from None
    return name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _measures_document(path: Path) -> bool:
    """Is ``path`` the measures table written as a Word/Markdown file (``工作举措.docx``)?

    Imported here, not at the top: only a file that is neither a table nor the metadata
    needs the answer, and ``input_files`` runs before the loader's heavy imports.
    """
    from innolib.measures import DOCUMENT_FORMATS
    from innolib.normalize import match_table_name

    return path.suffix.lower() in DOCUMENT_FORMATS and match_table_name(path.stem) == "measures"
