"""`baogao status`: whether an index exists and what it holds, single or sharded."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from indexer.cluster import is_sharded, read_cluster
    from search.engine import Engine

    if is_sharded(args.index):
        cluster = read_cluster(args.index)
        shards = cluster["shards"]
        print(
            f"{args.index}: sharded, {len(shards)} shards, "
            f"{sum(s['reports'] for s in shards)} reports, "
            f"{sum(s['paragraphs'] for s in shards)} paragraphs, built {cluster['time']}"
        )
        for s in shards:
            figures = f"{s['reports']} reports, {s['paragraphs']} paragraphs"
            print(f"  {s['name']}: {s['commit']}, {figures}")
        return 0
    engine = Engine.open(args.index)
    print(
        f"{engine.path}: {len(engine.report_meta)} reports, {engine.n} paragraphs, "
        f"{engine.meta.get('segments', 1)} segments, built {engine.meta['built']}"
    )
    return 0


def register(sub) -> None:
    p = sub.add_parser("status", help="say whether an index exists and what it holds")
    p.add_argument("--index", default="index")
    p.set_defaults(func=run)
