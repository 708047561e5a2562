"""`baogao ingest`: run the ingestion pipeline and print what it finds, without indexing."""

from __future__ import annotations

import argparse

from baogao.printers import print_ingest_json, print_ingest_summary


def run(args: argparse.Namespace) -> int:
    from indexer.ingest import ingest

    result = ingest(args.paths, progress=not args.json)
    if args.json:
        print_ingest_json(result)
    else:
        print_ingest_summary(result)
    return 0


def register(sub) -> None:
    p = sub.add_parser("ingest", help="run the ingestion pipeline and print what it finds")
    p.add_argument("paths", nargs="+", help="files or folders of raw report files")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per report per line, then one per skipped file ({skipped, reason})",
    )
    p.set_defaults(func=run)
