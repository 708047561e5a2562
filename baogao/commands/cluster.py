"""`baogao cluster status|stop --index IDX --ray ADDRESS`: the shard actors that the fronts of a
sharded index share on a Ray cluster (search/cluster_actors.py): which there are, of which
cluster commit, and ending them all."""

from __future__ import annotations

import argparse
import os
import sys


def _ray(args: argparse.Namespace):
    """The Ray cluster named by --ray or RAY_ADDRESS (None, said why, when neither is)."""
    from indexer.cluster import RayMissing, init_ray, is_sharded

    if not is_sharded(args.index):
        print(f"baogao: {args.index} is not a sharded index", file=sys.stderr)
        return None
    address = args.ray or os.environ.get("RAY_ADDRESS")
    if not address:
        print(
            "baogao: give the Ray cluster the fronts share: --ray ADDRESS (or RAY_ADDRESS)",
            file=sys.stderr,
        )
        return None
    try:
        return init_ray(address)
    except RayMissing as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return None


def status(args: argparse.Namespace) -> int:
    from search.cluster_actors import describe

    ray = _ray(args)
    if ray is None:
        return 2
    rows = describe(ray, args.index)
    for row in rows:
        state = "current" if row["current"] else "old"
        print(
            f"{row['shard']}\t{state}\t{row['namespace']}\t{row['actor'] or '-'}\t"
            f"pid {row['pid'] or '-'}"
        )
    if not rows:
        print(f"no shared shard actors of {args.index}")
    return 0


def stop(args: argparse.Namespace) -> int:
    from search.cluster_actors import stop as stop_actors

    ray = _ray(args)
    if ray is None:
        return 2
    print(f"ended {stop_actors(ray, args.index)} shard actor(s) of {args.index}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("cluster", help="the shard actors a sharded index's fronts share on Ray")
    actions = p.add_subparsers(dest="action", required=True)
    for name, func, text in (
        ("status", status, "list the shared shard actors of the index, by cluster commit"),
        ("stop", stop, "end every shared shard actor of the index"),
    ):
        a = actions.add_parser(name, help=text)
        a.add_argument("--index", default="index")
        a.add_argument("--ray", help="the Ray cluster the fronts share (default: RAY_ADDRESS)")
        a.set_defaults(func=func)
