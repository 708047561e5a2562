"""A segment's own files: `meta.json` (the report records and the vocabularies), the column
table `columns.npz` with each column's dtype, and the word ids `tokens.npz`.

Columns hold one value per paragraph (except `REPORT_COLUMNS`, one per report); the coded
ones (`CODED`) are indexes into the vocabularies of `meta.json`, built here by `vocabularies`
so that the build, the merge, the update and the reader agree on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from indexer.format.names import COLUMNS_FILE, SEGMENT_FORMAT, TOKENS, check_version, meta_path
from indexer.models import LEVELS, REPORT_TYPES, TOPIC_IDS

# One value per paragraph, except REPORT_COLUMNS (one per report); `start` has one more.
COLUMNS: dict[str, np.dtype] = {
    "report": np.dtype(np.int32),
    "n": np.dtype(np.int32),
    "district": np.dtype(np.int16),
    "place": np.dtype(np.int32),
    "type": np.dtype(np.int8),
    "level": np.dtype(np.int8),
    "year": np.dtype(np.int16),
    "topics": np.dtype(np.uint32),
    "chars": np.dtype(np.int32),
    "start": np.dtype(np.int64),
    "added": np.dtype(np.float64),  # Unix seconds with their fraction (int64 before 2026-12)
    "report_rank": np.dtype(np.int32),
}
REPORT_COLUMNS = ("report_rank",)
CODED = ("district", "place", "type", "level")  # columns of codes into `vocab`


# -- vocabularies ---------------------------------------------------------------------------


def vocab(values: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    """Known values first in their canonical order, then the rest sorted; "" (unknown) last."""
    seen = set(values)
    head = [v for v in order if v in seen]
    rest = sorted(v for v in seen if v not in set(order) and v != "")
    return head + rest + ([""] if "" in seen else [])


def vocabularies(records: Sequence[dict]) -> dict:
    """The `vocab` of `meta.json` for these report records: what a segment of them holds, and
    what a reader of several segments merges them to."""
    places = sorted({(r["province"], r["city"], r["district"]) for r in records})
    return {
        "district": vocab(r["district"] for r in records),
        "place": [list(p) for p in places],  # (province, city, district) of each place code
        "type": vocab((r["type"] for r in records), REPORT_TYPES),
        "level": vocab((r["level"] for r in records), LEVELS),
        "topic": list(TOPIC_IDS),
    }


def codes(vocabs: dict) -> dict[str, dict]:
    """Value → code for each coded column (a place being a (province, city, district) tuple)."""
    out = {name: {v: i for i, v in enumerate(vocabs[name])} for name in CODED if name != "place"}
    out["place"] = {tuple(p): i for i, p in enumerate(vocabs["place"])}
    return out


def date_key(record: dict) -> str:
    """Sort key of a report record for newest/oldest: the date, else the year, else last."""
    if record.get("date"):
        return record["date"]
    if record.get("year"):
        return f"{record['year']:04d}-99-99"
    return "0000"


# -- the files ------------------------------------------------------------------------------


def write_meta(segment: Path, meta: dict) -> None:
    """Write `meta.json` (its `format` set here)."""
    body = {"format": SEGMENT_FORMAT, **meta}
    meta_path(segment).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def read_meta(segment: Path) -> dict:
    """A segment's `meta.json`; VersionMismatch when written by another format version."""
    meta = json.loads(meta_path(segment).read_text(encoding="utf-8"))
    if isinstance(meta, dict):
        check_version("段（meta.json）", meta.get("format"), SEGMENT_FORMAT, segment.parent)
    return meta


def write_columns(segment: Path, columns: dict[str, np.ndarray]) -> None:
    """Write `columns.npz`: every column of the table, each of its dtype."""
    if set(columns) != set(COLUMNS):
        raise ValueError(f"columns {sorted(set(columns) ^ set(COLUMNS))} do not match the table")
    for name, array in columns.items():
        if array.dtype != COLUMNS[name]:
            raise ValueError(f"column {name} is {array.dtype}, not {COLUMNS[name]}")
    np.savez(segment / COLUMNS_FILE, **columns)


def read_columns(segment: Path, names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """The columns of a segment (those of `names` present, when given), read whole."""
    with np.load(segment / COLUMNS_FILE) as npz:
        return {name: npz[name] for name in npz.files if names is None or name in names}


def write_tokens(segment: Path, ids: np.ndarray, lengths: np.ndarray, words: list[str]) -> None:
    """Write `tokens.npz`: the word ids of every paragraph (`indexer/tokens.py`), each
    paragraph's number of positions, and the words joined by "\\n" (a word holds none)."""
    text = "\n".join(words)
    if text.count("\n") != max(len(words) - 1, 0):
        raise ValueError("a word holds a line break")
    np.savez(
        segment / TOKENS,
        ids=ids.astype(np.int32, copy=False),
        lengths=lengths.astype(np.int32),
        words=np.frombuffer(text.encode("utf-8"), np.uint8),
    )


def has_tokens(segment: Path) -> bool:
    return (segment / TOKENS).exists()


def read_tokens(segment: Path) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    """A segment's (`ids`, `lengths`, words), or None when it has no `tokens.npz`."""
    try:
        npz = np.load(segment / TOKENS)
    except FileNotFoundError:
        return None
    with npz:
        text = npz["words"].tobytes().decode("utf-8")
        return npz["ids"], npz["lengths"].astype(np.int64), text.split("\n") if text else []
