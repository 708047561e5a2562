"""`python -m bench.cluster`: a sharded index on a local Ray beside the single-process engine.

python -m bench.cluster --paragraphs 20000 --shards 1,2,4

On the benchmark corpus of that size: the build time of one index and of each sharded index
(Ray tasks, one per shard, on a local Ray of 2 CPUs bound to 127.0.0.1), then the full first
result page (20 hits, counts, facets, place tree, timeline) over the benchmark's query mix,
p50/p95 in the engine (not over HTTP), each query asked once cold and timed warm (as a page
reloaded or paged: the shards' term frequencies are cached per query), and the resident memory
of each shard actor. Checks that every sharded answer equals the single one. Writes
bench/results/cluster/<date>-<size>.json and prints it, with the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.__main__ import git_commit, machine
from bench.common import PAGE_SIZE, load_queries, percentile

HERE = Path(__file__).resolve().parent


def _queries():
    from search.results import SearchQuery

    return [
        SearchQuery(
            q=q.q,
            districts=q.districts,
            types=q.types,
            year_from=q.year_from,
            year_to=q.year_to,
            mode=q.mode,
            per_page=PAGE_SIZE,
        )
        for q in load_queries(HERE / "queries.txt")
    ]


def _pages(engine, queries, want=None) -> tuple[list[float], int]:
    """Warm milliseconds per first page (each query asked once before), and how many answers
    differ from `want`."""
    times, wrong = [], 0
    for i, query in enumerate(queries):
        got = engine.search(query)
        if want is not None and got != want[i]:
            wrong += 1
        t = time.perf_counter()
        engine.search(query)
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times), wrong


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def summary(times: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 95), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster")
    parser.add_argument("--paragraphs", type=int, default=20000)
    parser.add_argument("--shards", default="1,2,4")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)

    from indexer.build import build_index
    from indexer.cluster import build_sharded, init_ray
    from search.cluster import ClusterEngine
    from search.engine import Engine

    corpus = corpus_mod.load(
        corpus_mod.corpus_path(args.paragraphs, seed=args.seed, work=args.work)
    )
    reports = corpus.to_reports()
    queries = _queries()
    root = args.work / "cluster" / str(args.paragraphs)
    shutil.rmtree(root, ignore_errors=True)
    ray = init_ray()

    t = time.perf_counter()
    build_index(reports, root / "single")
    out = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "machine": machine(),
        "paragraphs": corpus.paragraphs,
        "queries": len(queries),
        "single": {"build_s": round(time.perf_counter() - t, 1)},
    }
    single = Engine.open(root / "single")
    for query in queries:
        single.search(query)  # cold
    want = [single.search(q) for q in queries]
    times, _ = _pages(single, queries)
    out["single"].update(summary(times), rss_mb=_rss_mb(os.getpid()))
    single.close()

    for n in (int(s) for s in args.shards.split(",")):
        t = time.perf_counter()
        build_sharded(reports, root / f"shards-{n}", n)
        built = round(time.perf_counter() - t, 1)
        engine = ClusterEngine.open(root / f"shards-{n}")
        times, wrong = _pages(engine, queries, want)
        pids = engine._call("ping")
        out[f"shards_{n}"] = {
            "build_s": built,
            **summary(times),
            "differing_answers": wrong,
            "actor_rss_mb": [_rss_mb(p) for p in pids],
        }
        engine.close()
    out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    ray.shutdown()
    print(json.dumps(out, ensure_ascii=False, indent=1))
    dest = HERE / "results" / "cluster" / f"{out['date']}-{args.paragraphs}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
