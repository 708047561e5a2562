"""`baogao index` (a new index, an update, or shards on Ray) and `baogao optimize`."""

from __future__ import annotations

import argparse
import os
import sys

from baogao.arguments import shards
from baogao.printers import by_format, print_problems, print_update


def run_index(args: argparse.Namespace) -> int:
    """Build with the shipped topic model, or with --topic-model's (checked before any work)."""
    from indexer.topic_model import MODEL_ENV, load_model

    if not args.topic_model:
        load_model()  # a missing or broken model stops here, before any work
        return _index(args)
    before = os.environ.get(MODEL_ENV)
    os.environ[MODEL_ENV] = args.topic_model  # read by the build's workers too
    try:
        load_model()
        return _index(args)
    finally:
        if before is None:
            del os.environ[MODEL_ENV]
        else:
            os.environ[MODEL_ENV] = before


def _index(args: argparse.Namespace) -> int:
    from indexer.build import build_index
    from indexer.cluster import is_sharded
    from indexer.ingest import ingest

    if args.update and is_sharded(args.index):
        return _update_sharded(args)
    if args.shards is not None:  # a first --update with --shards is a sharded build
        return _index_sharded(args)
    if _refuse_sharded(args.index):
        return 1
    if args.update:
        return _update(args)
    result = ingest(args.paths, progress=True)
    print_problems(result)
    if not result.reports:
        print("baogao: no reports found; the existing index is left as it was", file=sys.stderr)
        return 1
    try:
        stats = build_index(
            result.reports,
            args.index,
            progress=True,
            sources=[str(p) for p in args.paths],
            files=result.digests,
        )
    except OSError as exc:  # a full disk, an unwritable folder: the old index stays current
        return _failed("index build", args.index, exc)
    print(
        f"indexed {stats.reports} reports, {stats.paragraphs} paragraphs, "
        f"{stats.chars:,} characters from {result.files_read} files "
        f"({by_format(result)}; {len(result.problems)} skipped) in {stats.seconds:.1f} s "
        f"({stats.chars / max(stats.seconds, 1e-9):,.0f} chars/s); "
        f"index {stats.bytes_on_disk / 1e6:.1f} MB at {stats.path}"
    )
    return 0


def _refuse_sharded(index: str) -> bool:
    """A sharded index is rebuilt with --shards; say so rather than write a single one beside it."""
    from indexer.cluster import is_sharded

    if not is_sharded(index):
        return False
    print(
        f"baogao: {index} is a sharded index; rebuild it with `baogao index PATH --index "
        f"{index} --shards N`, or bring it up to date with `--update`",
        file=sys.stderr,
    )
    return True


def _index_sharded(args: argparse.Namespace) -> int:
    """`index --shards N`: N shard indexes built as Ray tasks, one cluster commit."""
    from indexer.cluster import RayMissing, build_sharded
    from indexer.ingest import ingest

    result = ingest(args.paths, progress=True)
    print_problems(result)
    if not result.reports:
        print("baogao: no reports found; the existing index is left as it was", file=sys.stderr)
        return 1
    try:
        stats = build_sharded(
            result.reports,
            args.index,
            args.shards,
            sources=[str(p) for p in args.paths],
            files=result.digests,
            address=args.ray,
        )
    except (RayMissing, FileExistsError, ValueError) as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        return _failed("sharded index build", args.index, exc)
    print(
        f"indexed {stats.reports} reports, {stats.paragraphs} paragraphs, "
        f"{stats.chars:,} characters from {result.files_read} files into {stats.shards} "
        f"shards in {stats.seconds:.1f} s; index {stats.bytes_on_disk / 1e6:.1f} MB at "
        f"{stats.path}"
    )
    return 0


def _failed(what: str, index: str, exc: OSError) -> int:
    """One line for a build or update that could not finish; its partial files removed."""
    from indexer.store import discard_own_builds

    discard_own_builds(index)
    where = f"{exc.filename}: " if exc.filename else ""
    print(
        f"baogao: {what} failed ({where}{exc.strerror or exc}); "
        "the existing index is left as it was",
        file=sys.stderr,
    )
    return 1


def _update(args: argparse.Namespace) -> int:
    """Commit only what changed in the folders: a new segment and deletion marks."""
    from indexer.update import NothingLeft, update_index

    try:
        stats, result = update_index(args.paths, args.index, progress=True)
    except OSError as exc:
        return _failed("update", args.index, exc)
    except NothingLeft as exc:
        print_problems(exc.result)
        print(f"baogao: {exc}", file=sys.stderr)
        return 1
    print_problems(result)
    print_update(stats)
    return 0


def _update_sharded(args: argparse.Namespace) -> int:
    """`index --update` of a sharded index: each file's reports routed to their shards, the
    shards touched updated as Ray tasks, one new cluster commit."""
    from indexer.cluster import RayMissing
    from indexer.cluster_update import update_sharded
    from indexer.update import NothingLeft

    try:
        stats, result = update_sharded(args.paths, args.index, shards=args.shards, address=args.ray)
    except NothingLeft as exc:
        print_problems(exc.result)
        print(f"baogao: {exc}", file=sys.stderr)
        return 1
    except (RayMissing, ValueError) as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        return _failed("update", args.index, exc)
    print_problems(result)
    print_update(stats)
    return 0


def run_optimize(args: argparse.Namespace) -> int:
    from indexer.cluster import RayMissing, is_sharded
    from indexer.merge import optimize
    from search.engine import Engine

    if is_sharded(args.index):
        from indexer.cluster_optimize import optimize_sharded

        try:
            before, after = optimize_sharded(args.index, address=args.ray)
        except RayMissing as exc:
            print(f"baogao: {exc}", file=sys.stderr)
            return 2
        print(f"optimized: {before} segments → {after} in all shards")
        return 0
    Engine.open(args.index).close()  # IndexMissing or IndexCorrupt, before any work
    before, after = optimize(args.index)
    print(f"optimized: {before} segments → {after}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("index", help="ingest and build the search index")
    p.add_argument("paths", nargs="+", help="files or folders of raw report files")
    p.add_argument("--index", default="index", help="index folder (default: index/)")
    p.add_argument(
        "--update",
        action="store_true",
        help="index only new, changed and removed files (a new segment and deletion marks)",
    )
    p.add_argument(
        "--topic-model",
        help="label topics with this model (from `baogao topics train`) instead of the shipped one",
    )
    p.add_argument(
        "--shards",
        type=shards,
        help="build N shard indexes on Ray (needs `pip install 'baogao[cluster]'`)",
    )
    p.add_argument("--ray", help="the Ray cluster to build on (default: RAY_ADDRESS, else local)")
    p.set_defaults(func=run_index)

    p = sub.add_parser("optimize", help="merge every segment of the index into one")
    p.add_argument("--index", default="index")
    p.add_argument("--ray", help="the Ray cluster of a sharded index (default: RAY_ADDRESS)")
    p.set_defaults(func=run_optimize)
