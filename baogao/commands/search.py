"""`baogao search`: one query, or a file of them, answered as text or JSON Lines."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from baogao.arguments import LITERAL, count, seconds, shown, undecodable
from baogao.printers import print_results


def search_query(args: argparse.Namespace, q: str):
    """The search the options describe, read by the model that reads the site's URL
    (`search_app.models.Search`), so the command line and the API mean the same by every
    value."""
    from search.errors import BadQuery
    from search.filters import parse_year_range
    from search_app.fields import from_args
    from search_app.models import Search

    values = {"q": q, "sort": args.sort, "mode": args.mode}
    for name in ("province", "city", "district", "type", "level", "topic"):
        values[name] = list(getattr(args, name) or ())
    for name, value in {**values, "year": args.year or ""}.items():
        for text in value if isinstance(value, list) else (value,):
            if undecodable(text):
                where = "查询" if name == "q" else f"--{name} "
                shown_text = shown(text)
                raise BadQuery(f"{where}含有不是 UTF-8 的字节（「{shown_text}」），请以 UTF-8 输入")
    if args.year:
        values["year_from"], values["year_to"] = parse_year_range(args.year)
    query = from_args(Search, values).search(paged=False)
    return replace(query, per_page=None if args.all else args.limit)


def run(args: argparse.Namespace) -> int:
    """One answer per query; with --queries, one answer (or one error) per line of the file,
    blank lines included, so answers line up with lines. Exit 2 when any query was refused."""
    from indexer.read import ReadError, decode
    from search import budget
    from search.errors import BadQuery
    from search.holder import open_engine
    from search_app.answering import results_answer
    from search_app.answers import Refused
    from search_app.hints import search_hints
    from search_app.serialize import json_line

    if args.queries:
        try:
            text = decode(Path(args.queries).read_bytes())  # UTF-8, UTF-16 or GB18030, as files
        except ReadError as exc:
            print(f"baogao: {args.queries}: {exc}", file=sys.stderr)
            return 2
        queries = text.splitlines()
    elif args.query is not None:
        queries = [args.query.removeprefix(LITERAL)]
    else:
        print("baogao: give a QUERY or --queries FILE", file=sys.stderr)
        return 2
    engine = open_engine(args.index, address=args.ray)
    refused = 0
    for line, q in enumerate(queries, 1):
        try:
            with budget.limit(args.time_limit or None):
                query = search_query(args, q)
                results = engine.search(query)
        except BadQuery as exc:
            refused += 1
            if args.json:
                print(json_line(Refused(query=shown(q), error=exc.code, message=str(exc))))
            else:
                print(
                    f"baogao: line {line}: {exc}" if args.queries else f"baogao: {exc}",
                    file=sys.stderr,
                )
            continue
        if args.json:
            print(json_line(results_answer(results, search_hints(engine, query))))
        else:
            print_results(results, color=sys.stdout.isatty())
    return BadQuery.exit_code if refused else 0


def register(sub) -> None:
    p = sub.add_parser("search", help="search the index")
    p.add_argument("query", nargs="?", help="the query (see README for the language)")
    p.add_argument("--queries", help="a file of queries, one per line, answered in order")
    p.add_argument("--index", default="index")
    p.add_argument("--province", action="append", help="a province and every place under it")
    p.add_argument("--city", action="append", help="a city and every place under it")
    p.add_argument("--district", action="append", help="the issuing place; repeat for several")
    p.add_argument("--year", help="a year or a range such as 2016-2018")
    p.add_argument("--type", action="append")
    p.add_argument("--level", action="append")
    p.add_argument("--topic", action="append")
    p.add_argument("--sort", default="relevance", choices=("relevance", "newest", "oldest"))
    p.add_argument("--mode", default="exact", choices=("exact", "words"))
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--limit", type=count, default=10, help="hits to show (default 10; 0: counts only)"
    )
    group.add_argument("--all", action="store_true", help="return every hit")
    p.add_argument("--json", action="store_true", help="one JSON object per query per line")
    p.add_argument("--ray", help="the Ray cluster of a sharded index (default: RAY_ADDRESS)")
    p.add_argument(
        "--time-limit",
        type=seconds,
        help="seconds a query may take before it stops with exit code 6 (default: no limit)",
    )
    p.set_defaults(func=run)
