"""`python -m bench.segments`: segments on the benchmark corpus.

python -m bench.segments --paragraphs 200000     # make bench
python -m bench.segments --paragraphs 20000      # make bench-quick

Times (1) adding one report to an index of that size as `--update` commits it (a new segment
for the report, a commit file, and the engine's reopen of the new commit; the rescan of the
folders is not included: the generated corpus has no files), and (2) the result page (20
hits, counts, facets, excerpts) over the benchmark's query mix with the same paragraphs in
10 segments against 1. Prints p50/p95 and writes bench/results/segments/<date>-<size>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.__main__ import git_commit, machine
from bench.common import PAGE_SIZE, load_queries, percentile

HERE = Path(__file__).resolve().parent


def write(index: Path, chunks: list[list]) -> None:
    """An index whose segments are `chunks` of reports, in order, in one commit."""
    from indexer import segments, store
    from indexer.build import write_segment

    segs, order = [], []
    for k, reports in enumerate(chunks):
        tmp = store.new_build_dir(index)
        stats = write_segment(reports, tmp)
        segs.append(segments.entry(segments.publish_segment(tmp).name, stats))
        order += [[k, i] for i in range(len(reports))]
    segments.commit(index, segs, order, {})


def add_one(index: Path, report) -> float:
    """Seconds to commit one more report as `--update` does, and reopen the engine."""
    from indexer import segments, store
    from indexer.build import write_segment
    from search.engine import Engine

    t = time.perf_counter()
    with segments.locked(index):
        current = segments.read_current(index)
        tmp = store.new_build_dir(index)
        stats = write_segment([report], tmp, added=[int(time.time())])
        segs = [*current["segments"], segments.entry(segments.publish_segment(tmp).name, stats)]
        order = [*current["order"], [len(segs) - 1, 0]]
        segments.commit(index, segs, order, current["files"])
    Engine.open(index).close()
    return time.perf_counter() - t


def pages(index: Path, queries) -> list[float]:
    """Milliseconds per result page, each query first seen by a freshly opened engine."""
    from search.engine import Engine
    from search.results import SearchQuery
    from search_app.highlight import snippet

    engine, times = Engine.open(index), []
    for q in queries:
        query = SearchQuery(
            q=q.q,
            districts=q.districts,
            types=q.types,
            year_from=q.year_from,
            year_to=q.year_to,
            mode=q.mode,
            per_page=PAGE_SIZE,
        )
        t = time.perf_counter()
        results = engine.search(query)
        for hit in results.hits:
            snippet(hit.text, hit.matches)
        times.append((time.perf_counter() - t) * 1000)
    engine.close()
    return sorted(times)


def summary(times: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 95), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.segments")
    parser.add_argument("--paragraphs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)
    corpus = corpus_mod.load(
        corpus_mod.corpus_path(args.paragraphs, seed=args.seed, work=args.work)
    )
    reports = corpus.to_reports()
    queries = load_queries(HERE / "queries.txt")
    root = args.work / "segments" / str(args.paragraphs)
    shutil.rmtree(root, ignore_errors=True)
    one, ten = root / "one", root / "ten"
    t = time.perf_counter()
    write(one, [reports[:-1]])
    build_s = time.perf_counter() - t
    update_s = add_one(one, reports[-1])
    size = -(-len(reports) // 10)
    write(ten, [reports[i : i + size] for i in range(0, len(reports), size)])
    one_ms, ten_ms = pages(one, queries), pages(ten, queries)
    out = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "machine": machine(),
        "paragraphs": corpus.paragraphs,
        "build_one_segment_s": round(build_s, 1),
        "update_one_report_s": round(update_s, 2),
        "page_1_segment": summary(one_ms),
        "page_10_segments": summary(ten_ms),
        "queries": len(queries),
    }
    out["p95_ratio"] = round(out["page_10_segments"]["p95_ms"] / out["page_1_segment"]["p95_ms"], 2)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    dest = HERE / "results" / "segments" / f"{out['date']}-{args.paragraphs}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
