"""The index format, written down once: every file name, the versions, the columns and their
dtypes, the vocabularies, and the reading and writing of `meta.json`, `columns.npz`, the
commit files and the cluster commit. `docs/FORMAT.md` says what each file holds; nothing
else in the code names an index file (`tools/check_format_names.py`, run by `make lint`).

Every file that carries a version is checked when it is read: an index written by another
version of the format is refused with a message saying so and how to rebuild it.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from indexer.durable import fsync_dir
from indexer.models import LEVELS, REPORT_TYPES, TOPIC_IDS

# -- versions -------------------------------------------------------------------------------

SEGMENT_FORMAT = 2  # 2: paragraphs store their record only; report metadata in meta.json
COMMIT_FORMAT = 1
CLUSTER_FORMAT = 1

# -- the index folder -----------------------------------------------------------------------

CURRENT = "current"  # symlink to the newest commit file
LINK_TMP_PREFIX = f".{CURRENT}-"  # the new `current` link before it replaces the old one
LOCK = ".lock"  # the writers' lock
TMP_PREFIX = ".tmp-"  # a segment being written: `.tmp-<pid>-<random>`
SEGMENT_PREFIX = "seg-"  # a segment: `seg-<UTC time>-<nanoseconds>`
LEGACY_PREFIX = "gen-"  # a generation folder of an index written before segments
COMMIT_PREFIX = "commit-"  # a commit: `commit-NNNNNN.json`
COMMIT_RE = re.compile(rf"{COMMIT_PREFIX}(\d{{6,}})\.json")

# -- a segment ------------------------------------------------------------------------------

META = "meta.json"
COLUMNS_FILE = "columns.npz"
FOLDED = "folded.bin"
SUFFIXES = "sa.npy"
WHOOSH = "whoosh"
TOKENS = "tokens.npz"  # word ids for keywords and n-grams; absent from older segments
REQUIRED = (WHOOSH, META, COLUMNS_FILE, FOLDED, SUFFIXES)

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

# -- a sharded index ------------------------------------------------------------------------

CLUSTER = "cluster.json"
SHARD_PREFIX = "shard-"  # a shard: `shard-NNN`, an ordinary index
HASH = "blake2b-64"  # the first 8 bytes of BLAKE2b of the UTF-8 report id, big-endian, mod N

# What `tools/check_format_names.py` finds in the code outside this module: names of files
# anywhere in a string, prefixes at its start, words used as a path (`root / "current"`).
FILE_NAMES = (META, COLUMNS_FILE, FOLDED, SUFFIXES, TOKENS, CLUSTER, LOCK)
PREFIXES = (TMP_PREFIX, SEGMENT_PREFIX, LEGACY_PREFIX, COMMIT_PREFIX, SHARD_PREFIX, LINK_TMP_PREFIX)
WORDS = (CURRENT, WHOOSH)


class VersionMismatch(ValueError):
    """An index file of another format version than this program reads: rebuild the index."""


def _check(what: str, found, expected: int, folder: Path) -> None:
    if found != expected:
        raise VersionMismatch(
            f"索引 {folder} 的{what}格式版本为 {found}，本程序读取第 {expected} 版："
            f"请用 `baogao index 文件夹 --index {folder}` 重建索引"
        )


# -- names ----------------------------------------------------------------------------------


def tmp_name(pid: int) -> str:
    return f"{TMP_PREFIX}{pid}-{uuid.uuid4().hex[:8]}"


def tmp_pattern(pid: int | None = None) -> str:
    """A glob of the build folders of process `pid` (of every process when None)."""
    return f"{TMP_PREFIX}{'*' if pid is None else f'{pid}-*'}"


def tmp_owner(name: str) -> int | None:
    """The process that writes the build folder `name`, or None when the name says none."""
    try:
        return int(name[len(TMP_PREFIX) :].split("-")[0])
    except ValueError:
        return None


def segment_name() -> str:
    """A new segment's folder name: its UTC time, then nanoseconds."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    return f"{SEGMENT_PREFIX}{stamp}-{time.time_ns() % 10**9:09d}"


def is_segment(name: str) -> bool:
    return name.startswith((SEGMENT_PREFIX, LEGACY_PREFIX))


def commit_name(number: int) -> str:
    return f"{COMMIT_PREFIX}{number:06d}.json"


def commits(root: Path) -> list[Path]:
    """The commit files of an index folder, oldest first."""
    return sorted((p for p in root.iterdir() if COMMIT_RE.fullmatch(p.name)), key=lambda p: p.name)


def shard_name(k: int) -> str:
    return f"{SHARD_PREFIX}{k:03d}"


def meta_path(segment: Path) -> Path:
    return segment / META


def folded_path(segment: Path) -> Path:
    return segment / FOLDED


def suffixes_path(segment: Path) -> Path:
    return segment / SUFFIXES


def whoosh_dir(segment: Path) -> Path:
    return segment / WHOOSH


def missing_files(segment: Path) -> list[str]:
    return [name for name in REQUIRED if not (segment / name).exists()]


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


# -- a segment's files ----------------------------------------------------------------------


def write_meta(segment: Path, meta: dict) -> None:
    """Write `meta.json` (its `format` set here)."""
    body = {"format": SEGMENT_FORMAT, **meta}
    meta_path(segment).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def read_meta(segment: Path) -> dict:
    """A segment's `meta.json`; VersionMismatch when written by another format version."""
    meta = json.loads(meta_path(segment).read_text(encoding="utf-8"))
    if isinstance(meta, dict):
        _check("段（meta.json）", meta.get("format"), SEGMENT_FORMAT, segment.parent)
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


# -- commits --------------------------------------------------------------------------------


def read_current(index_dir: str | Path) -> dict | None:
    """The commit `current` names (its file name under "name"), or None when there is none;
    VersionMismatch when written by another format version."""
    root = Path(index_dir)
    try:
        target = os.readlink(root / CURRENT)
    except OSError:
        return None
    if (root / target).is_dir():  # an index written before segments: one segment, no marks
        meta = read_meta(root / target)
        n = len(meta["reports"])
        seg = {"name": target, "reports": n, "paragraphs": meta["paragraphs"], "deleted": []}
        seg["live_paragraphs"] = meta["paragraphs"]
        order = [[0, i] for i in range(n)]
        return {"name": target, "segments": [seg], "order": order, "files": {}, "sources": []}
    return read_commit(root, target)


def read_commit(index_dir: str | Path, name: str) -> dict:
    """The commit file `name` (its file name under "name"), whether or not `current` names it:
    a sharded index opens each shard at the commit its cluster commit names; VersionMismatch
    when written by another format version."""
    root = Path(index_dir)
    commit = json.loads((root / name).read_text(encoding="utf-8"))
    if isinstance(commit, dict):
        _check("提交（commit）", commit.get("format"), COMMIT_FORMAT, root)
    commit["name"] = name
    return commit


def read_commit_file(path: Path) -> dict:
    """A commit file by its path, of any version: pruning reads the kept ones to learn which
    segments they name (a rebuild replacing an index of an older version prunes it too)."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_commit(root: Path, body: dict) -> str:
    """Write the next commit file (its `format` set here), durably, and point `current` at
    it atomically; its name."""
    numbers = [int(m.group(1)) for p in root.iterdir() if (m := COMMIT_RE.fullmatch(p.name))]
    name = commit_name(max(numbers, default=0) + 1)
    _write_json(root / f".{name}.tmp", root / name, {"format": COMMIT_FORMAT, **body})
    point_current(root, name)
    return name


def point_current(root: Path, name: str) -> None:
    """`current` → the commit file `name`, swapped atomically and durably."""
    link_tmp = root / f"{LINK_TMP_PREFIX}{os.getpid()}-{time.time_ns()}"
    os.symlink(name, link_tmp)
    os.replace(link_tmp, root / CURRENT)
    fsync_dir(root)


# -- the cluster commit ---------------------------------------------------------------------


def is_sharded(index_dir: str | Path) -> bool:
    return (Path(index_dir) / CLUSTER).is_file()


def read_cluster(index_dir: str | Path) -> dict | None:
    """The cluster commit of a sharded index, or None when the folder holds none;
    VersionMismatch when written by another format version."""
    return read_cluster_stat(index_dir)[1]


def read_cluster_stat(index_dir: str | Path) -> tuple[os.stat_result | None, dict | None]:
    """The cluster commit and the stat of the very file it was read from (an update may swap
    in the next one meanwhile); (None, None) when the folder holds none."""
    try:
        with open(Path(index_dir) / CLUSTER, encoding="utf-8") as fh:
            st, body = os.fstat(fh.fileno()), json.loads(fh.read())
    except FileNotFoundError:
        return None, None
    if isinstance(body, dict):
        _check("分片提交（cluster.json）", body.get("format"), CLUSTER_FORMAT, Path(index_dir))
    return st, body


def write_cluster(root: Path, body: dict) -> None:
    """Write the cluster commit (its `format` set here) and swap it in atomically: a reader
    sees the old one or the new one, never a mix; a power loss leaves one of the two, whole."""
    tmp = root / f".{CLUSTER}-{os.getpid()}-{time.time_ns()}.tmp"
    _write_json(tmp, root / CLUSTER, {"format": CLUSTER_FORMAT, **body})
    fsync_dir(root)


def _write_json(tmp: Path, path: Path, body: dict) -> None:
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(body, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
