"""`python -m bench`: generate the corpora, build and query every engine, write the results.

python -m bench --sizes 50000,200000,1000000          # make bench
python -m bench --sizes 20000 --quick                 # make bench-quick (CI smoke test)
python -m bench --sizes 50000 --engines baogao,fts5   # the scan always runs (ground truth)
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import logging
import os
import platform
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.common import load_queries
from bench.report import write_results_md
from bench.runner import ENGINES, make_peer

log = logging.getLogger("bench")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUERIES = HERE / "queries.txt"
QUICK_SKIPS = ("jieba-whoosh",)  # about a minute per 20k paragraphs: too slow for a smoke test
PACKAGES = (
    "jieba",
    "rjieba",
    "ahocorasick-rs",
    "Whoosh-Reloaded",
    "numpy",
    "OpenCC",
    "Flask",
    "waitress",
    "pydivsufsort",
)


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 2**20
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": cores,
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "load_at_start": load[0],
    }


def versions() -> dict:
    out = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def git_commit() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


def run_step(args: list[str], out: Path, timeout: float) -> dict:
    """Run one runner phase in a fresh interpreter; its JSON result (from `out`), or an error."""
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench.runner", *args]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        return {"error": f"exit {proc.returncode}: " + " / ".join(tail)}
    return json.loads(out.read_text(encoding="utf-8"))


def run_size(paragraphs: int, engines: list[str], opts: argparse.Namespace) -> dict:
    t0 = time.perf_counter()
    path = corpus_mod.corpus_path(paragraphs, seed=opts.seed, work=opts.work)
    with path.open(encoding="utf-8") as f:
        info = json.loads(f.readline())
    log.info(
        "%s paragraphs: corpus ready (%.1f s) %s",
        f"{paragraphs:,}",
        time.perf_counter() - t0,
        path.name,
    )
    base = opts.work / "runs" / str(paragraphs)
    truth = base / "truth.pickle"
    result: dict = {"corpus": info, "engines": {}}
    timeout = 600 if opts.quick else 3600
    for engine in engines:
        peer, why = make_peer(engine), None
        if peer.max_paragraphs and paragraphs > peer.max_paragraphs:
            why = peer.skip_reason
        if why:
            log.info("  %s: %s", engine, why)
            result["engines"][engine] = {"skipped": why}
            continue
        workdir = base / engine
        shutil.rmtree(workdir, ignore_errors=True)
        index = workdir / "index"
        index.mkdir(parents=True)
        t = time.perf_counter()
        out = workdir / "build.json"
        build = run_step(["build", engine, str(path), str(index), str(out)], out, timeout)
        entry: dict = (
            {"build": build} if "error" not in build else {"error": "build " + build["error"]}
        )
        log.info("  %s: build %.1f s %s", engine, time.perf_counter() - t, build.get("error", ""))
        if "error" not in build:
            t = time.perf_counter()
            out = workdir / "query.json"
            step = ["query", engine, str(index), str(QUERIES), str(truth), str(out)]
            step += ["--reps", str(opts.reps), "--budget", str(opts.budget)]
            if engine == "scan":
                step.append("--write-truth")
            query = run_step(step, out, timeout)
            if "error" in query:
                entry["error"] = "query " + query["error"]
            else:
                entry["query"] = query
            log.info(
                "  %s: queries %.1f s %s", engine, time.perf_counter() - t, query.get("error", "")
            )
            if engine == "baogao":
                result["http"] = run_http(index, opts)
        result["engines"][engine] = entry
        if not opts.keep:
            shutil.rmtree(index, ignore_errors=True)
    if "baogao" in engines and "http" not in result:
        result["http"] = {"skipped": "baogao was not built at this size"}
    return result


def run_http(index: Path, opts: argparse.Namespace) -> dict:
    from bench.http_load import measure

    return measure(index, QUERIES, quick=opts.quick)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,200000,1000000", help="paragraph counts")
    parser.add_argument("--quick", action="store_true", help="few repetitions; <date>-quick.json")
    parser.add_argument(
        "--engines",
        default=None,
        help=f"comma-separated, of {', '.join(ENGINES)} (default: all; quick: all but "
        f"{QUICK_SKIPS[0]})",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results", help="results folder")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="cache and index folder")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--reps", type=int, default=None, help="timed passes (default 5, quick 2)")
    parser.add_argument("--budget", type=float, default=None, help="seconds of timed passes")
    parser.add_argument("--keep", action="store_true", help="keep the built indexes")
    parser.add_argument(
        "--render", action="store_true", help="only rewrite RESULTS.md from the result files"
    )
    opts = parser.parse_args(argv)
    opts.reps = opts.reps or (2 if opts.quick else 5)
    opts.budget = opts.budget or (5.0 if opts.quick else 60.0)
    return opts


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    opts = parse_args(argv)
    if opts.render:
        write_results_md(opts.out, opts.out.parent / "RESULTS.md")
        return 0
    sizes = [int(s.replace("_", "")) for s in opts.sizes.split(",") if s.strip()]
    if opts.engines is None:
        wanted = [e for e in ENGINES if not (opts.quick and e in QUICK_SKIPS)]
    else:
        wanted = [e.strip() for e in opts.engines.split(",") if e.strip()]
    unknown = [e for e in wanted if e not in ENGINES]
    if unknown:
        print(
            f"unknown engines: {', '.join(unknown)} (known: {', '.join(ENGINES)})", file=sys.stderr
        )
        return 2
    engines = ["scan"] + [e for e in ENGINES if e in wanted and e != "scan"]
    started = time.perf_counter()
    today = dt.date.today().isoformat()
    run = {
        "date": today,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "command": "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "quick": opts.quick,
        "machine": machine(),
        "versions": versions(),
        "git": git_commit(),
        "fold": "indexer.fold",
        "queries_file": str(QUERIES.relative_to(ROOT)),
        "queries": len(load_queries(QUERIES)),
        "notes": [
            f"{e}: not run in quick runs (its build alone takes about a minute per 20,000 "
            "paragraphs); see the full run"
            for e in QUICK_SKIPS
            if opts.quick and e not in wanted
        ],
        "sizes": [],
    }
    opts.out.mkdir(parents=True, exist_ok=True)
    out = opts.out / f"{today}{'-quick' if opts.quick else ''}.json"
    for i, size in enumerate(sizes):
        run["sizes"].append(run_size(size, engines, opts))
        run["incomplete"] = i + 1 < len(sizes)
        run["duration_s"] = time.perf_counter() - started
        run["machine"]["load_at_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        out.write_text(json.dumps(run, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        write_results_md(opts.out, opts.out.parent / "RESULTS.md")
    log.info(
        "wrote %s and %s (%.1f min)", out, opts.out.parent / "RESULTS.md", run["duration_s"] / 60
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
