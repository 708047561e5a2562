"""The `baogao` command: ingest, index, search, serve — the one place that uses ingestion
(`indexer`), the engine (`search`) and the web face (`search_app`) together. Each command lives
in `baogao.commands`; this module assembles the parser and maps errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from baogao.arguments import protect_queries
from baogao.commands import cluster, index, ingest, network, search, serve, status, topics


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baogao", description="Search Chinese government reports."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for register in (
        ingest.register,
        index.register,  # index, optimize
        search.register,
        network.register,
        serve.register,
        status.register,
        cluster.register,  # cluster status, cluster stop
        topics.register,  # eval-topics, topics train
    ):
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from indexer.format import VersionMismatch
    from indexer.topic_model import ModelError
    from search.errors import BaogaoError, IndexCorrupt

    args = build_parser().parse_args(protect_queries(list(sys.argv[1:] if argv is None else argv)))
    try:
        return args.func(args)
    except BaogaoError as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return exc.exit_code
    except ModelError as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return 1
    except VersionMismatch as exc:  # an update or status of an index of another version
        print(f"baogao: {exc}", file=sys.stderr)
        return IndexCorrupt.exit_code
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file that cannot be read or written: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"baogao: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("baogao: interrupted", file=sys.stderr)
        return 130
