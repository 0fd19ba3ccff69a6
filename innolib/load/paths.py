"""Names and files a package may use: safe names, readable regular files, bounded reads.

Everything here answers "may the loader touch this?" before anything is opened:

- ``safe_name``: a package id or district id names a folder under ``outputs/``; it may
  hold Chinese, but no path separator, no ``..``, no leading dot, no control character;
- ``unreadable_reason``: why a path that should be a table file is not one (a folder, a
  dangling link, a link loop, a FIFO, a device such as ``/dev/zero``), checked with
  ``lstat``/``stat`` only, so a FIFO is never opened (opening one blocks);
- ``read_bounded``: a file's bytes, refusing files over a size limit.
"""

from __future__ import annotations

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
