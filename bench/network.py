"""`python -m bench.network`: the cost of the reuse network (`baogao reuse-network`).

python -m bench.network --paragraphs 20000                 # one index, one process
python -m bench.network --paragraphs 20000 --shards 3      # and a sharded index on a local Ray

Builds one index of the generated benchmark corpus of that size (cached in bench/work), finds
every edge in this process, and reports the CPU seconds it took, per paragraph, and the hours
per million paragraphs if the cost grows linearly, with the load average before and after
(the machine is shared). With --shards, also builds a sharded index of the same reports and
finds the edges as one Ray task per shard (wall time), checking they equal the single index's.
The benchmark corpus samples real paragraphs with replacement, so it repeats itself far more
than a real collection: its edges are many, which is the expensive case. Writes
bench/results/network/<date>-network-<size>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.__main__ import git_commit, machine

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.network", description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=20_000)
    parser.add_argument("--min-chars", type=int, default=15)
    parser.add_argument("--shards", type=int, default=0, help="also a sharded index of N shards")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "network")
    args = parser.parse_args(argv)

    from indexer import format as fmt
    from indexer.build import build_index
    from search.engine import Engine
    from search.network import edges

    corpus = corpus_mod.load(corpus_mod.corpus_path(args.paragraphs, args.seed, args.work))
    reports = corpus.to_reports()
    root = args.work / "network" / str(args.paragraphs)
    if not (root / "single" / fmt.CURRENT).exists():
        shutil.rmtree(root, ignore_errors=True)
        build_index(reports, root / "single", progress=False)
    engine = Engine.open(root / "single")
    out = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "machine": machine(),
        "paragraphs": engine.n,
        "reports": len(engine.report_meta),
        "chars": int(engine.meta["chars"]),
        "min_chars": args.min_chars,
        "load_before": os.getloadavg(),
    }
    wall, cpu = time.perf_counter(), time.process_time()
    found = list(edges(engine, args.min_chars))
    cpu = time.process_time() - cpu
    out["single"] = {
        "edges": len(found),
        "wall_s": round(time.perf_counter() - wall, 1),
        "cpu_s": round(cpu, 1),
        "cpu_ms_per_paragraph": round(cpu / engine.n * 1000, 2),
        "cpu_hours_per_million_paragraphs": round(cpu / engine.n * 1e6 / 3600, 2),
    }
    out["load_after_single"] = os.getloadavg()
    if args.shards:
        from indexer.cluster import build_sharded, init_ray
        from search.cluster_network import sharded_network

        init_ray()
        sharded = root / f"shards-{args.shards}"
        if not (sharded / fmt.CLUSTER).exists():
            shutil.rmtree(sharded, ignore_errors=True)
            build_sharded(reports, sharded, args.shards)
        wall = time.perf_counter()
        _, many = sharded_network(sharded, args.min_chars)
        out[f"shards_{args.shards}"] = {
            "edges": len(many),
            "wall_s": round(time.perf_counter() - wall, 1),
            "equal_to_single": many == sorted(found, key=lambda e: (e.target, e.source)),
        }
        out["load_after_shards"] = os.getloadavg()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{out['date']}-network-{args.paragraphs}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
