"""`python -m bench.capacity`: what one shard of a sharded index costs, for sizing a cluster.

python -m bench.capacity --paragraphs 200000 --shards 1,2,4

On the benchmark corpus of that size (bench/corpus.py), for each shard count: the build time
(Ray tasks on a local Ray of 2 CPUs bound to 127.0.0.1), and per shard its reports,
paragraphs, characters and bytes on disk, and the memory of its actor (VmRSS and the
proportional set size, Pss, which counts the pages it shares with other processes in part)
right after opening and after the benchmark's queries, asked once each. Writes
bench/results/capacity/<date>-<size>.json and prints it, with the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
from pathlib import Path

from bench import corpus as corpus_mod
from bench.__main__ import git_commit, machine
from bench.cluster import _queries, sharded_runs

HERE = Path(__file__).resolve().parent


def memory_mb(pid: int) -> dict:
    """VmRSS and Pss of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            out["rss_mb"] = round(int(line.split()[1]) / 1024, 1)
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            out["pss_mb"] = round(int(line.split()[1]) / 1024, 1)
    return out


def disk_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity")
    parser.add_argument("--paragraphs", type=int, default=200000)
    parser.add_argument("--shards", default="1,2,4")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)

    from indexer.cluster import init_ray, read_cluster

    corpus = corpus_mod.load(
        corpus_mod.corpus_path(args.paragraphs, seed=args.seed, work=args.work)
    )
    reports = corpus.to_reports()
    queries = _queries()
    root = args.work / "capacity" / str(args.paragraphs)
    shutil.rmtree(root, ignore_errors=True)
    ray = init_ray()
    out = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "machine": machine(),
        "paragraphs": corpus.paragraphs,
        "chars": corpus.chars,
        "queries": len(queries),
    }
    counts = [int(s) for s in args.shards.split(",")]
    for n, index, built, engine in sharded_runs(reports, root, counts):
        pids = engine._call("ping")
        opened = [memory_mb(p) for p in pids]
        for query in queries:
            engine.search(query)
        served = [memory_mb(p) for p in pids]
        shards = []
        for k, entry in enumerate(read_cluster(index)["shards"]):
            shards.append(
                {
                    "name": entry["name"],
                    "reports": entry["reports"],
                    "paragraphs": entry["paragraphs"],
                    "chars": entry["chars"],
                    "disk_mb": round(disk_bytes(index / entry["name"]) / 1e6, 1),
                    "opened": opened[k],
                    "after_queries": served[k],
                }
            )
        out[f"shards_{n}"] = {"build_s": built, "shards": shards}
        print(json.dumps({n: out[f"shards_{n}"]}, ensure_ascii=False), flush=True)
        shutil.rmtree(index, ignore_errors=True)
    out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    ray.shutdown()
    print(json.dumps(out, ensure_ascii=False, indent=1))
    dest = HERE / "results" / "capacity" / f"{out['date']}-{args.paragraphs}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
