"""The names of an index's files and folders, and the format versions.

An index folder holds segments (`seg-…`, each an immutable folder of files), commit files
(`commit-NNNNNN.json`, each naming the segments of one state of the index) and the link
`current` to the newest commit; a sharded index holds `shard-NNN` folders, each such an index,
and `cluster.json` naming the commit of each shard. This module is the only place in the code
that spells those names (`tools/check_format_names.py` checks it); the rest asks for them here
(`meta_path(segment)`, `root / CURRENT`).

Each file that carries a version has its number here, and `check_version` refuses a file of
another version with a message saying how to rebuild the index.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

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

# -- a sharded index ------------------------------------------------------------------------

CLUSTER = "cluster.json"
SHARD_PREFIX = "shard-"  # a shard: `shard-NNN`, an ordinary index
HASH = "blake2b-64"  # the first 8 bytes of BLAKE2b of the UTF-8 report id, big-endian, mod N

# What `tools/check_format_names.py` finds in the code outside this package: names of files
# anywhere in a string, prefixes at its start, words used as a path (`root / "current"`).
FILE_NAMES = (META, COLUMNS_FILE, FOLDED, SUFFIXES, TOKENS, CLUSTER, LOCK)
PREFIXES = (TMP_PREFIX, SEGMENT_PREFIX, LEGACY_PREFIX, COMMIT_PREFIX, SHARD_PREFIX, LINK_TMP_PREFIX)
WORDS = (CURRENT, WHOOSH)


class VersionMismatch(ValueError):
    """An index file of another format version than this program reads: rebuild the index."""


def check_version(what: str, found, expected: int, folder: Path) -> None:
    """VersionMismatch, in Chinese with the command that rebuilds `folder`, unless they agree."""
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


def is_sharded(index_dir: str | Path) -> bool:
    return (Path(index_dir) / CLUSTER).is_file()
