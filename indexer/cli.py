"""The `baogao` command: ingest, index, search, serve."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def _cmd_ingest(args: argparse.Namespace) -> int:
    from indexer.ingest import ingest

    result = ingest(args.paths, progress=not args.json)
    if args.json:
        for report in result.reports:
            obj = report.meta()
            obj["paragraphs"] = [
                {"n": p.n, "section": p.section, "text": p.text} for p in report.paragraphs
            ]
            print(json.dumps(obj, ensure_ascii=False))
    else:
        for report in result.reports:
            print(
                f"{report.id}\t{report.district or '?'}\t{report.year or '?'}\t"
                f"{report.type or '?'}\t{report.title or '?'}\t{len(report.paragraphs)}"
            )
        paragraphs = sum(len(r.paragraphs) for r in result.reports)
        print(
            f"files read: {result.files_read}, reports: {len(result.reports)}, "
            f"paragraphs: {paragraphs}, files skipped: {len(result.problems)}"
        )
        for problem in result.problems:
            print(f"skipped {problem.source}: {problem.reason}")
        for report in result.reports:
            if report.missing:
                print(f"{report.id} ({report.source}): left empty: {', '.join(report.missing)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="baogao", description="Search Chinese government reports.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="run the ingestion pipeline and print what it finds")
    p.add_argument("paths", nargs="+", help="files or folders of raw report files")
    p.add_argument("--json", action="store_true", help="one JSON object per report per line")
    p.set_defaults(func=_cmd_ingest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("baogao: interrupted", file=sys.stderr)
        return 130
