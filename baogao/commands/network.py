"""`baogao reuse-network`: who repeated whom, as edges from earlier reports to later ones."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from baogao.arguments import count


def run(args: argparse.Namespace) -> int:
    from search.engine import Engine
    from search.holder import is_sharded
    from search.network_files import write, write_edges

    started = time.perf_counter()
    if is_sharded(args.index):  # one Ray task per shard, every shard's suffix array asked
        from indexer.cluster import RayMissing, read_cluster
        from search.cluster_network import sharded_network

        try:
            records, found = sharded_network(args.index, args.min_chars, args.ray)
        except RayMissing as exc:
            print(f"baogao: {exc}", file=sys.stderr)
            return 2
        edges = write_edges(SimpleNamespace(report_meta=records), found, Path(args.out))
        paragraphs = sum(r["count"] for r in records)
        how = f"{len((read_cluster(args.index) or {}).get('shards', []))} shard task(s) on Ray"
    else:
        engine = Engine.open(args.index)
        records, paragraphs = engine.report_meta, engine.n
        jobs = args.jobs or os.cpu_count() or 1
        edges = write(args.index, engine, Path(args.out), args.min_chars, jobs)
        how = f"{jobs} process(es)"
    took = time.perf_counter() - started
    print(
        f"{edges} edges among {len(records)} reports ({paragraphs} paragraphs) in "
        f"{took:.1f} s with {how}: {args.out}/edges.csv, {args.out}/edges.graphml"
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
    p.add_argument("--ray", help="the Ray cluster of a sharded index (default: RAY_ADDRESS)")
    p.set_defaults(func=run)
