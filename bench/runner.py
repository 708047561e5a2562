"""One engine, one phase, in its own process, so that peak memory and caches stay its own.

    python -m bench.runner build ENGINE CORPUS WORKDIR OUT
    python -m bench.runner query ENGINE WORKDIR QUERIES TRUTH OUT [--write-truth] [--reps N]

`build` loads the generated corpus, then times the engine's build and records its peak memory
(`ru_maxrss`, with the corpus load measured before it). `query` opens the built index, runs the
query mix once to warm up, then several timed passes of the full first page, then compares every
query's full result set with the scan's (the truth file, written by the scan with --write-truth).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import pickle
import resource
import sys
import time
from pathlib import Path

from bench.common import Page, Peer, dir_size, load_queries, peak_rss_mb, percentile

ENGINES = {
    "scan": "bench.peer_scan:ScanPeer",
    "fts5": "bench.peer_fts5:Fts5Peer",
    "jieba-whoosh": "bench.peer_jieba_whoosh:JiebaWhooshPeer",
    "baogao": "bench.peer_baogao:BaogaoPeer",
}


def make_peer(name: str) -> Peer:
    module, _, cls = ENGINES[name].partition(":")
    return getattr(importlib.import_module(module), cls)()


def run_build(engine: str, corpus_file: Path, workdir: Path) -> dict:
    from bench.corpus import load

    corpus = load(corpus_file)
    chars, paragraphs = corpus.chars, corpus.paragraphs
    text_bytes = sum(len(t.encode("utf-8")) for r in corpus.reports for t in r.texts)
    load_rss, _ = peak_rss_mb()
    peer = make_peer(engine)
    workdir.mkdir(parents=True, exist_ok=True)
    gc.collect()
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    stats = peer.build(corpus, workdir)
    seconds = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    rss, child_rss = peak_rss_mb()
    size = dir_size(workdir)
    return {
        "engine": engine,
        "paragraphs": paragraphs,
        "chars": chars,
        "documents": stats.documents,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "chars_per_s": chars / seconds if seconds else None,
        "index_bytes": size,
        "text_bytes": text_bytes,
        "index_ratio": size / text_bytes if text_bytes else None,
        "rss_after_corpus_load_mb": load_rss,
        "peak_rss_mb": rss,
        "peak_child_rss_mb": child_rss,
        "notes": stats.notes,
        "fold": "indexer.fold",
    }


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _compare(found: set[int], truth: list[int]) -> tuple[float, float]:
    true = set(truth)
    both = len(found & true)
    recall = both / len(true) if true else 1.0
    precision = both / len(found) if found else 1.0
    return recall, precision


def _summary(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"samples": 0}
    return {
        "samples": len(values),
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "p99_ms": percentile(values, 99),
        "mean_ms": sum(values) / len(values),
        "max_ms": values[-1],
    }


def _accuracy(rows: list[dict]) -> dict:
    if not rows:
        return {"queries": 0}
    return {
        "queries": len(rows),
        "recall_mean": sum(r["recall"] for r in rows) / len(rows),
        "precision_mean": sum(r["precision"] for r in rows) / len(rows),
        "recall_below_1": sum(r["recall"] < 1 for r in rows),
        "precision_below_1": sum(r["precision"] < 1 for r in rows),
        "total_wrong": sum(r["total"] != r["truth_total"] for r in rows),
    }


def run_query(
    engine: str,
    workdir: Path,
    queries_file: Path,
    truth_file: Path,
    write_truth: bool,
    max_reps: int,
    budget_s: float,
) -> dict:
    queries = load_queries(queries_file)
    peer = make_peer(engine)
    t0 = time.perf_counter()
    peer.open(workdir)
    open_seconds = time.perf_counter() - t0
    open_rss, _ = peak_rss_mb()

    warm: list[float] = []
    pages: list[Page] = []
    for query in queries:  # warm-up pass, also sizes the number of timed passes
        t = time.perf_counter()
        pages.append(peer.first_page(query))
        warm.append((time.perf_counter() - t) * 1000)
    reps = max(1, min(max_reps, int(budget_s * 1000 / max(sum(warm), 1e-3))))
    timings: list[list[float]] = [[] for _ in queries]
    for _ in range(reps):
        for i, query in enumerate(queries):
            t = time.perf_counter()
            peer.first_page(query)
            timings[i].append((time.perf_counter() - t) * 1000)

    ids = [peer.all_ids(q) for q in queries]
    if write_truth:
        with truth_file.open("wb") as out:
            pickle.dump([sorted(s) for s in ids], out, protocol=pickle.HIGHEST_PROTOCOL)
    with truth_file.open("rb") as f:
        truth: list[list[int]] = pickle.load(f)
    if len(truth) != len(queries):
        raise SystemExit(f"truth file {truth_file} does not match the query mix")

    rows = []
    columns = zip(queries, pages, ids, truth, timings, warm, strict=True)
    for query, page, found, true, times, warm_ms in columns:
        recall, precision = _compare(found, true)
        rows.append(
            {
                "query": query.label,
                "mode": query.mode,
                "filtered": query.filtered,
                "truth_total": len(true),
                "total": page.total,
                "found": len(found),
                "recall": recall,
                "precision": precision,
                # with a filter, an engine may count a facet without its own selection
                "facets_sum_ok": query.filtered
                or all(sum(v.values()) == page.total for v in page.facets.values()),
                "hits": len(page.hits),
                "first_excerpt": page.hits[0].excerpt if page.hits else "",
                "median_ms": sorted(times)[len(times) // 2],
                "warm_ms": warm_ms,
            }
        )
    all_times = [t for times in timings for t in times]
    rss, _ = peak_rss_mb()
    return {
        "engine": engine,
        "open_seconds": open_seconds,
        "rss_after_open_mb": open_rss,
        "peak_rss_mb": rss,
        "reps": reps,
        "latency": _summary(all_times),
        "latency_by_mode": {
            mode: _summary(
                [t for q, ts in zip(queries, timings, strict=True) for t in ts if q.mode == mode]
            )
            for mode in ("exact", "words")
        },
        "accuracy": _accuracy(rows),
        "accuracy_by_mode": {
            mode: _accuracy([r for r in rows if r["mode"] == mode]) for mode in ("exact", "words")
        },
        "queries": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.runner")
    sub = parser.add_subparsers(dest="phase", required=True)
    b = sub.add_parser("build")
    b.add_argument("engine", choices=ENGINES)
    b.add_argument("corpus", type=Path)
    b.add_argument("workdir", type=Path)
    b.add_argument("out", type=Path)
    q = sub.add_parser("query")
    q.add_argument("engine", choices=ENGINES)
    q.add_argument("workdir", type=Path)
    q.add_argument("queries", type=Path)
    q.add_argument("truth", type=Path)
    q.add_argument("out", type=Path)
    q.add_argument("--write-truth", action="store_true")
    q.add_argument("--reps", type=int, default=5)
    q.add_argument("--budget", type=float, default=30.0, help="seconds for the timed passes")
    args = parser.parse_args(argv)
    if args.phase == "build":
        result = run_build(args.engine, args.corpus, args.workdir)
    else:
        result = run_query(
            args.engine,
            args.workdir,
            args.queries,
            args.truth,
            args.write_truth,
            args.reps,
            args.budget,
        )
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
