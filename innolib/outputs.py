"""Where runs write: the outputs folder (one default) and paths kept inside it.

Every command that writes results (``innolib run``, ``report``, ``validate --lenient``)
takes its folder from ``DEFAULT_OUT`` unless told otherwise, and builds every path
below it with ``inside``: a name taken from the data (a package id, a district code)
can never make a write land outside the folder, whatever the loader let through.
"""

from __future__ import annotations

from pathlib import Path

from innolib.errors import DataError

#: the outputs folder when a command is given none (relative to the working directory)
DEFAULT_OUT = Path("outputs")


def inside(base: Path | str, *parts: str | Path) -> Path:
    """``base/part/…`` after checking that it lies inside ``base`` (symbolic links resolved).

    Each part must be a plain relative name: an absolute part, ``..`` or a path that
    resolves outside ``base`` (through a link, say) is refused with a ``DataError`` naming
    it, before anything is written.
    """
    base = Path(base)
    path = base.joinpath(*parts)
    root = base.resolve()
    target = path.resolve()
    if any(Path(p).is_absolute() for p in parts) or (target != root and root not in target.parents):
        shown = "/".join(str(p) for p in parts)
        raise DataError(
            f"输出路径越出输出目录：{shown}（输出目录 {base}；包编号或地区代码不得含路径分隔符、“..”或绝对路径）",
            f"output path outside the output folder: {shown!r} (folder {base}; a package id or "
            "district code may not hold path separators, '..' or an absolute path)",
        )
    return path
