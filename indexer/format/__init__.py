"""The index format, written down once: every file name, the versions, the columns and their
dtypes, the vocabularies, and the reading and writing of `meta.json`, `columns.npz`, the
commit files and the cluster commit. `docs/FORMAT.md` says what each file holds; nothing
outside this package names an index file (`tools/check_format_names.py`, run by `make lint`).

Code uses it as one module, `from indexer import format as fmt`; its parts, by job:

- `names`: the file and folder names, the format versions and the check of a version;
- `segment`: a segment's files, the column table with its dtypes and the vocabularies;
- `commits`: the commit files, `current`, and a sharded index's cluster commit.

Every file that carries a version is checked when it is read: an index written by another
version of the format is refused with a message saying so and how to rebuild it.
"""

# The parts' names, re-exported: code uses the package as the one module it was.
# ruff: noqa: F401

from __future__ import annotations

from indexer.format.commits import (
    point_current,
    read_cluster,
    read_cluster_stat,
    read_commit,
    read_commit_file,
    read_current,
    write_cluster,
    write_commit,
)
from indexer.format.names import (
    CLUSTER,
    CLUSTER_FORMAT,
    COLUMNS_FILE,
    COMMIT_FORMAT,
    COMMIT_PREFIX,
    COMMIT_RE,
    CURRENT,
    FILE_NAMES,
    FOLDED,
    HASH,
    LEGACY_PREFIX,
    LINK_TMP_PREFIX,
    LOCK,
    META,
    PREFIXES,
    REQUIRED,
    SEGMENT_FORMAT,
    SEGMENT_PREFIX,
    SHARD_PREFIX,
    SUFFIXES,
    TMP_PREFIX,
    TOKENS,
    WHOOSH,
    WORDS,
    VersionMismatch,
    check_version,
    commit_name,
    commits,
    folded_path,
    is_segment,
    is_sharded,
    meta_path,
    missing_files,
    segment_name,
    shard_name,
    suffixes_path,
    tmp_name,
    tmp_owner,
    tmp_pattern,
    whoosh_dir,
)
from indexer.format.segment import (
    CODED,
    COLUMNS,
    REPORT_COLUMNS,
    codes,
    date_key,
    has_tokens,
    read_columns,
    read_meta,
    read_tokens,
    vocab,
    vocabularies,
    write_columns,
    write_meta,
    write_tokens,
)
