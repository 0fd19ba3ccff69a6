"""Vectorised drawing and shaping helpers shared by every ledger generator.

Weighted sampling without replacement, random workdays, string arrays, amounts scaled
to a year's total, sequential identifiers, and the frames a ledger returns (conformed to
the table's declaration). numpy/pandas throughout: no Python loop over rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from innolib.tables import BOOL, DATE, INT, MONEY, TABLES, YEAR


def weighted_sample(
    rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, k: int
) -> np.ndarray:
    """``k`` distinct members of ``pool`` drawn with probability ∝ ``weights`` (Efraimidis–Spirakis).

    Vectorised (one sort), so it stays fast for pools of hundreds of thousands.
    """
    k = int(min(k, len(pool)))
    if k <= 0:
        return pool[:0]
    keys = np.log(rng.random(len(pool))) / np.maximum(weights, 1e-12)
    top = np.argpartition(-keys, k - 1)[:k] if k < len(pool) else np.arange(len(pool))
    top = top[np.argsort(-keys[top], kind="stable")]
    return pool[top]


def pick_strings(
    rng: np.random.Generator,
    options: tuple[str, ...] | list[str],
    n: int,
    p: np.ndarray | None = None,
) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def concat_strings(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise string concatenation of object arrays (and scalars)."""
    out = None
    for part in parts:
        s = pd.Series(part, dtype="object") if not isinstance(part, str) else part
        out = s if out is None else out + s
    return np.array(out, dtype=object)  # a writable copy


def choose_by_key(
    rng: np.random.Generator,
    keys: np.ndarray,
    options: dict[str, tuple[str, ...]],
    default: tuple[str, ...],
) -> np.ndarray:
    """For each key, one of ``options[key]`` (``default`` for unknown keys), drawn uniformly; vectorised."""
    labels = list(options)
    lists = [options[k] for k in labels] + [default]
    flat = np.array([w for ws in lists for w in ws], dtype=object)
    lens = np.array([len(ws) for ws in lists])
    offsets = np.concatenate([[0], np.cumsum(lens)[:-1]])
    idx = (
        pd.Series(keys, dtype="object")
        .map({k: i for i, k in enumerate(labels)})
        .fillna(len(labels))
    )
    idx = idx.to_numpy(dtype=np.int64)
    return flat[offsets[idx] + rng.integers(0, 1 << 30, size=len(keys)) % lens[idx]]


def random_days(
    rng: np.random.Generator,
    n: int,
    start: str | np.datetime64,
    end: str | np.datetime64,
    workdays: bool = True,
) -> np.ndarray:
    """``n`` dates uniform in [start, end], moved off weekends (offices log on workdays)."""
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    span = max(int((hi - lo).astype(int)), 0)
    days = lo + rng.integers(0, span + 1, size=n).astype("timedelta64[D]")
    if workdays:
        weekday = (days.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
        days = (
            days
            - np.where(weekday == 5, 1, 0).astype("timedelta64[D]")
            + np.where(weekday == 6, 1, 0).astype("timedelta64[D]")
        )
        days = np.clip(days, lo, hi)
    return days


def month_days(rng: np.random.Generator, year: int, months: np.ndarray) -> np.ndarray:
    """A random workday inside each given month of ``year``."""
    first = (np.datetime64(f"{year}-01", "M") + (months - 1).astype("timedelta64[M]")).astype(
        "datetime64[D]"
    )
    last = (np.datetime64(f"{year}-01", "M") + months.astype("timedelta64[M]")).astype(
        "datetime64[D]"
    ) - 1
    span = (last - first).astype(int)
    days = first + (rng.random(len(months)) * (span + 1)).astype(int).astype("timedelta64[D]")
    weekday = (days.astype(np.int64) + 3) % 7
    days = (
        days
        + np.where(weekday == 5, 2, 0).astype("timedelta64[D]")
        + np.where(weekday == 6, 1, 0).astype("timedelta64[D]")
    )
    return np.minimum(days, last)


MONTH_WEIGHTS = np.array([0.04, 0.05, 0.10, 0.10, 0.10, 0.10, 0.08, 0.07, 0.10, 0.09, 0.09, 0.08])


CONTRACT_MONTHS = np.array([0.04, 0.04, 0.07, 0.07, 0.08, 0.10, 0.07, 0.07, 0.09, 0.09, 0.11, 0.17])


def scale_to_total(values: np.ndarray, mask: np.ndarray, total: float) -> np.ndarray:
    """``values`` multiplied so that those under ``mask`` sum to ``total`` (others unchanged)."""
    current = values[mask].sum()
    if current <= 0:
        return values
    out = values.astype(float).copy()
    out[mask] *= total / current
    return out


def cap_top_two(values: np.ndarray, mask: np.ndarray, limit: float) -> np.ndarray:
    """Flatten the top of a heavy tail until the two largest make up at most ``limit`` of the total.

    Keeps the ranking (a power transform), so that a district's published totals pass the
    (2, 85) dominance rule with room to spare while the largest firms still dominate.
    """
    out = values.astype(float).copy()
    sub = out[mask]
    for _ in range(20):
        if sub.size < 3 or sub.sum() <= 0 or np.sort(sub)[-2:].sum() <= limit * sub.sum():
            break
        sub = np.where(sub > 0, sub**0.85, 0.0)
    out[mask] = sub
    return out


def make_ids(prefix: str, start: int, k: int, width: int) -> np.ndarray:
    """Sequential identifiers ``<prefix><start+1 … start+k, zero-padded>``."""
    numbers = pd.Series(np.arange(start + 1, start + k + 1)).astype(str).str.zfill(width)
    return np.array(prefix + numbers, dtype=object)


def grant_amounts(rng: np.random.Generator, k: int, lo: float, hi: float) -> np.ndarray:
    """Amounts in 万元 between ``lo`` and ``hi``, rounded to whole 万元 as grants are."""
    return np.round(np.exp(rng.uniform(np.log(lo), np.log(hi), size=k)))


BATCH_NAMES = "一二三四五六七八九十"


def stack_frames(frames: list[pd.DataFrame], table_id: str) -> pd.DataFrame:
    """The frames one under the other; an empty table with its columns when there are none
    (a very small ``scale`` can leave a table without rows)."""
    if not frames:
        dtypes = {
            DATE: "datetime64[s]",
            MONEY: "float64",
            INT: "Int64",
            YEAR: "Int64",
            BOOL: "boolean",
        }
        return pd.DataFrame(
            {c.id: pd.Series(dtype=dtypes.get(c.type, "object")) for c in TABLES[table_id].columns}
        )
    return pd.concat(frames, ignore_index=True)


def table_frame(columns: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(
        {k: (np.asarray(v) if not np.isscalar(v) else v) for k, v in columns.items()}
    )


def conform(table_id: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with exactly the declared columns of the table, in order, with plain dtypes."""
    decl = TABLES[table_id]
    out = {}
    for col in decl.columns:
        s = (
            df[col.id]
            if col.id in df.columns
            else pd.Series([None] * len(df), index=df.index, dtype="object")
        )
        if col.type == DATE:
            s = pd.to_datetime(s).astype("datetime64[s]")
        elif col.type == MONEY:
            s = pd.to_numeric(s).astype("float64").round(4)
        elif col.type in (INT, YEAR):
            s = pd.to_numeric(s).astype("Int64")
        elif col.type == BOOL:
            s = s.astype("boolean")
        else:
            s = s.astype("object").where(s.notna(), None).astype("str")
        out[col.id] = s
    return pd.DataFrame(out).reset_index(drop=True)
