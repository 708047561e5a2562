"""`baogao reuse-network`: who repeated whom, as edges from earlier reports to later ones."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from baogao.arguments import count


def run(args: argparse.Namespace) -> int:
    from search.engine import Engine
    from search.network_files import write

    engine = Engine.open(args.index)
    jobs = args.jobs or os.cpu_count() or 1
    started = time.perf_counter()
    edges = write(args.index, engine, Path(args.out), args.min_chars, jobs)
    took = time.perf_counter() - started
    print(
        f"{edges} edges among {len(engine.report_meta)} reports ({engine.n} paragraphs) in "
        f"{took:.1f} s with {jobs} process(es): {args.out}/edges.csv, {args.out}/edges.graphml"
    )
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "reuse-network",
        help="who repeated whom: the passages each report shares with earlier ones, as edges",
    )
    p.add_argument("--index", default="index")
    p.add_argument("--min-chars", type=count, default=15, help="shortest passage (default 15)")
    p.add_argument("--out", required=True, help="folder for edges.csv and edges.graphml")
    p.add_argument("--jobs", type=count, default=0, help="processes (default: one per core)")
    p.set_defaults(func=run)
