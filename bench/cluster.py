"""`python -m bench.cluster`: a sharded index on a local Ray beside the single-process engine.

python -m bench.cluster --paragraphs 1000000 --shards 1,2,4

On the benchmark corpus of that size: the build time of one index and of each sharded index
(Ray tasks, one per shard, on a local Ray of 2 CPUs bound to 127.0.0.1), then the full first
result page (20 hits, counts, facets, place tree, timeline) over the benchmark's query mix,
each query asked once cold and timed warm (as a page reloaded or paged: the shards' term
frequencies are cached per query):

- in the engine, p50/p95 of `search` in this process;
- over HTTP, p50/p95 of `/api/search` from one keep-alive client against one `baogao serve`
  per index (each with its own local Ray and actors), every server started before the first
  is timed and the rounds taken in turn, A B C … A B C …, so that the machine's load, shared
  with other work, weighs on every index alike (`--rounds`);

and the resident memory of each shard actor, with the load average at the start and the end.
Checks that every sharded answer equals the single one. Writes
bench/results/cluster/<date>-<size>.json and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench import corpus as corpus_mod
from bench.__main__ import git_commit, machine
from bench.common import PAGE_SIZE, load_queries, percentile
from bench.http_load import HOST, _get, _wait_ready, free_port, query_path

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


def sharded_runs(
    reports, root: Path, shards: list[int]
) -> Iterator[tuple[int, Path, float, object]]:
    """For each shard count n: `reports` built as a sharded index of n shards in
    `root/shards-n` (on the Ray this process started) and opened; yields (n, its folder, the
    build's seconds, its `ClusterEngine`), whose actors end when the caller moves on. The build
    and measure loop of this benchmark and of bench.capacity."""
    from indexer.cluster import build_sharded
    from search.cluster import ClusterEngine

    for n in shards:
        index = root / f"shards-{n}"
        t = time.perf_counter()
        build_sharded(reports, index, n)
        built = round(time.perf_counter() - t, 1)
        engine = ClusterEngine.open(index)
        try:
            yield n, index, built, engine
        finally:
            engine.close()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _serve(index: Path, port: int, log) -> subprocess.Popen:
    """`baogao serve` of this checkout (not whichever baogao is installed) on 127.0.0.1."""
    command = [sys.executable, "-m", "baogao", "serve", "--index", str(index)]
    command += ["--host", HOST, "--port", str(port)]
    return subprocess.Popen(command, cwd=HERE.parent, stdout=log, stderr=subprocess.STDOUT)


def http_pages(indexes: dict[str, Path], rounds: int, log_dir: Path) -> dict[str, dict]:
    """p50/p95 of the full first page over HTTP for each index, one server each, the rounds
    taken in turn."""
    paths = [query_path(q) for q in load_queries(HERE / "queries.txt")]
    servers, conns, times = {}, {}, {name: [] for name in indexes}
    log_dir.mkdir(parents=True, exist_ok=True)
    try:
        for name, index in indexes.items():
            port = free_port()
            log = (log_dir / f"serve-{name}.log").open("w", encoding="utf-8")
            servers[name] = (_serve(index, port, log), log)
            _wait_ready(port, servers[name][0], paths[0])
            conns[name] = http.client.HTTPConnection(HOST, port, timeout=120)
            for path in paths:  # each query once before timing
                _get(conns[name], path)
        for r in range(rounds):
            for name in list(indexes)[:: 1 if r % 2 == 0 else -1]:
                for path in paths:
                    t = time.perf_counter()
                    status, _ = _get(conns[name], path)
                    times[name].append((time.perf_counter() - t) * 1000)
                    if status != 200:
                        raise RuntimeError(f"HTTP {status} from {name} for {path}")
    finally:
        for conn in conns.values():
            conn.close()
        for proc, log in servers.values():
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
    return {name: summary(sorted(t)) for name, t in times.items()}


def summary(times: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 95), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster")
    parser.add_argument("--paragraphs", type=int, default=20000)
    parser.add_argument("--shards", default="1,2,4")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--rounds", type=int, default=5, help="HTTP rounds of the query mix")
    args = parser.parse_args(argv)

    from indexer.build import build_index
    from indexer.cluster import init_ray
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
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
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

    shards = [int(s) for s in args.shards.split(",")]
    for n, _, built, engine in sharded_runs(reports, root, shards):
        times, wrong = _pages(engine, queries, want)
        pids = engine._call("ping")
        out[f"shards_{n}"] = {
            "build_s": built,
            **summary(times),
            "differing_answers": wrong,
            "actor_rss_mb": [_rss_mb(p) for p in pids],
        }
    ray.shutdown()  # each server below starts a local Ray of its own, as `baogao serve` does
    indexes = {"single": root / "single", **{f"shards_{n}": root / f"shards-{n}" for n in shards}}
    for name, figures in http_pages(indexes, args.rounds, root).items():
        out[name]["http"] = figures
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    dest = HERE / "results" / "cluster" / f"{out['date']}-{args.paragraphs}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
