"""`python -m bench.contention`: does one slow request hold up the others?

python -m bench.contention --paragraphs 20000     # the quick figure
python -m bench.contention --paragraphs 200000

A real `baogao serve` (waitress, its 8 threads, the default time budget) over the generated
corpus of that size, plus one report of runs of zeros (where a backtracking gap matcher
stalled). Eight clients cycle through the benchmark's query mix on `/api/search` (first page,
20 hits), first alone (the idle baseline), then while a ninth client sends the worst requests
we know of, one after another (HEAVY). The phases alternate `--rounds` times, so a change in
the machine's load (2 cores, shared) falls on both. Prints and writes
bench/results/contention/<date>-<size>.json; the target is a p95 with the heavy client within
2× of the baseline's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from bench import corpus as corpus_mod
from bench.__main__ import git_commit, machine
from bench.common import load_queries, percentile
from bench.http_load import HOST, _wait_ready, free_port, query_path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLIENTS = 8
ZEROS = ("0" * 3000, "0" * 800 + "全面" + "0" * 800, "00" * 500 + "万元")
HEAVY = [
    ("/api/search", {"q": "*".join(["0"] * 14 + ["全"])}),  # 95 s at 12 parts before
    ("/api/search", {"q": "*".join(["0"] * 30 + ["无"])}),
    ("/api/search", {"q": "的*的*的*的*的"}),  # a gap whose parts are everywhere
    ("/api/search", {"q": "的 NEAR/100 的"}),
    ("/api/search", {"q": "的*了 NEAR/100 在*和"}),
    ("/api/search", {"q": " OR ".join("的一是在不了有和人这中大为上个国")}),
    ("/api/search", {"q": "(的 OR 了 OR 在 OR 和) (是 OR 有 OR 为 OR 上) -国", "sort": "oldest"}),
    ("/api/search", {"q": "的", "page": "400", "per_page": "50"}),
    ("/api/search", {"q": "的 了", "mode": "words"}),
    ("/api/concordance", {"q": "的", "order": "left", "context": "100"}),
    ("/api/concordance", {"q": "0 NEAR/3 0", "order": "right"}),
    ("/api/collocations", {"q": "的", "span": "50"}),
    ("/api/collocations", {"q": "发展 NEAR/20 的", "span": "50"}),
    ("/concordance.csv", {"q": "的*的"}),
    ("/search.csv", {"q": "的 NEAR/50 了"}),
]


def build(paragraphs: int, seed: int, work: Path) -> Path:
    from indexer.build import build_index
    from indexer.models import Paragraph

    corpus = corpus_mod.load(corpus_mod.corpus_path(paragraphs, seed=seed, work=work))
    reports = corpus.to_reports()
    zeros = replace(
        reports[0],
        id="zeros",
        source="bench/zeros.txt",
        paragraphs=tuple(Paragraph(n=n, text=t) for n, t in enumerate(ZEROS, 1)),
    )
    index = work / "contention" / str(paragraphs)
    shutil.rmtree(index, ignore_errors=True)
    build_index([*reports, zeros], index)
    return index


def _client(port, paths, offset, stop, times, errors, statuses=None) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    i = offset
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        t = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            elapsed = (time.perf_counter() - t) * 1000
            if statuses is not None:
                statuses.append((path, resp.status, round(elapsed)))
            elif resp.status != 200:
                errors.append(f"HTTP {resp.status} for {path}")
            times.append(elapsed)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} for {path}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.close()


def phase(port: int, paths: list[str], seconds: float, heavy: bool) -> dict:
    stop = threading.Event()
    times: list[float] = []
    errors: list[str] = []
    heavy_log: list = []
    step = max(1, len(paths) // CLIENTS)
    threads = [
        threading.Thread(target=_client, args=(port, paths, c * step, stop, times, errors))
        for c in range(CLIENTS)
    ]
    if heavy:
        heavy_paths = [f"{p}?{urlencode(params)}" for p, params in HEAVY]
        threads.append(
            threading.Thread(
                target=_client, args=(port, heavy_paths, 0, stop, [], errors, heavy_log)
            )
        )
    for th in threads:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in threads:
        th.join()
    return {"times": times, "errors": errors, "heavy": heavy_log}


def summary(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "requests": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.contention")
    parser.add_argument("--paragraphs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20.0, help="per phase")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)
    index = build(args.paragraphs, args.seed, args.work)
    paths = [query_path(q) for q in load_queries(HERE / "queries.txt")]
    port = free_port()
    log_file = (index.parent / "contention-serve.log").open("w", encoding="utf-8")
    # `python -m baogao` from this checkout, so the server runs the code measured (the
    # `baogao` script runs whichever checkout the environment was installed from)
    command = [sys.executable, "-m", "baogao", "serve", "--index", str(index)]
    command += ["--host", HOST, "--port", str(port)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, text=True)
    load_start = os.getloadavg()
    try:
        _wait_ready(port, proc, paths[0])
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        for path in paths:  # warm-up pass: the engine's caches hold the mix, as in service
            conn.request("GET", path)
            conn.getresponse().read()
        conn.close()
        base, loaded, heavy_log, errors = [], [], [], []
        for _ in range(args.rounds):
            alone = phase(port, paths, args.seconds, heavy=False)
            mixed = phase(port, paths, args.seconds, heavy=True)
            base += alone["times"]
            loaded += mixed["times"]
            heavy_log += mixed["heavy"]
            errors += alone["errors"] + mixed["errors"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file.close()
    heavy_by_path: dict[str, list] = {}
    for path, status, ms in heavy_log:
        heavy_by_path.setdefault(path, []).append((status, ms))
    out = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "machine": machine(),
        "paragraphs": args.paragraphs,
        "clients": CLIENTS,
        "seconds_per_phase": args.seconds,
        "rounds": args.rounds,
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "idle": summary(base),
        "with_heavy_client": summary(loaded),
        "heavy_requests": {
            path: {
                "statuses": sorted({s for s, _ in runs}),
                "max_ms": max(ms for _, ms in runs),
                "n": len(runs),
            }
            for path, runs in heavy_by_path.items()
        },
        "errors": len(errors),
        "error_examples": errors[:5],
    }
    out["p95_ratio"] = round(out["with_heavy_client"]["p95_ms"] / out["idle"]["p95_ms"], 2)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    dest = HERE / "results" / "contention" / f"{out['date']}-{args.paragraphs}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
