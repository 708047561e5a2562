"""`python -m bench.studies`: the research views' latency on the benchmark corpus.

python -m bench.studies --paragraphs 200000           # make bench (with the search benchmark)
python -m bench.studies --paragraphs 20000 --quick    # make bench-quick

Builds baogao over the generated corpus of that size (cached in bench/work), then times, in
one process through the engine: adoption at the district level and trends (one term, and five
terms) for a common and a rare term, and the shared passages of 300-character paragraphs.
Prints p50/p95 and writes bench/results/studies/<date>-studies-<size>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import statistics
import sys
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.__main__ import git_commit, machine
from bench.common import percentile
from indexer.format import CURRENT

log = logging.getLogger("bench.studies")
HERE = Path(__file__).resolve().parent
COMMON = "发展"
RARE_CANDIDATES = ("河长制", "最多跑一次", "数字经济", "城中村改造", "乡村振兴", "营商环境")
FIVE = ("发展", "改革", "乡村振兴", "数字经济", "营商环境")


def build(paragraphs: int, work: Path, seed: int) -> Path:
    from indexer.build import build_index

    index = work / "studies" / str(paragraphs)
    if (index / CURRENT).exists():
        return index
    corpus = corpus_mod.load(corpus_mod.corpus_path(paragraphs, seed=seed, work=work))
    index.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    build_index(corpus.to_reports(), index, progress=False)
    log.info("built %s paragraphs in %.1f s", f"{paragraphs:,}", time.perf_counter() - t)
    return index


def timed(fn, reps: int, setup=None) -> dict:
    fn()  # warm: the first call of a term reads the suffix array from disk
    times = []
    for _ in range(reps):
        if setup is not None:
            setup()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "reps": reps,
    }


def rare_term(engine) -> tuple[str, int]:
    """The candidate found in the fewest paragraphs (at least one)."""
    counts = [(int((engine.chars.counts(t) > 0).sum()), t) for t in RARE_CANDIDATES]
    n, term = min((c for c in counts if c[0]), default=(0, RARE_CANDIDATES[0]))
    return term, n


def paragraphs_of_length(engine, length: int, k: int) -> list[tuple[str, int]]:
    """k paragraphs of about `length` characters: (report id, paragraph number)."""
    col = engine.columns.col
    picks = [int(p) for p in (abs(col["chars"].astype(int) - length) <= 10).nonzero()[0][::97]]
    out = []
    for pid in picks[:k]:
        out.append((engine.report_meta[int(col["report"][pid])]["id"], int(col["n"][pid])))
    return out


def measure(index: Path, reps: int) -> dict:
    from search.adoption import adoption
    from search.engine import Engine
    from search.results import SearchQuery
    from search.reuse import paragraph_reuse
    from search.trends import trends

    engine = Engine.open(index)
    rare, rare_n = rare_term(engine)
    common_n = int((engine.chars.counts(COMMON) > 0).sum())
    out: dict = {"terms": {"common": [COMMON, common_n], "rare": [rare, rare_n]}}
    cold = engine.chars.counts.cache_clear  # the engine keeps each term's counts: time both
    for kind, term in (("common", COMMON), ("rare", rare)):
        query = SearchQuery(q=term, levels=("district",))
        for state, setup in (("", None), (", term not cached", cold)):
            run = lambda q=query: adoption(engine, q)  # noqa: E731
            out[f"adoption {kind}{state}"] = timed(run, reps, setup)
            run = lambda t=term: trends(engine, [t], SearchQuery())  # noqa: E731
            out[f"trends {kind}{state}"] = timed(run, reps, setup)
    out["trends five terms, not cached"] = timed(
        lambda: trends(engine, list(FIVE), SearchQuery()), reps, cold
    )
    filtered = SearchQuery(levels=("province",), year_from=2010)
    out["trends common, filtered"] = timed(lambda: trends(engine, [COMMON], filtered), reps)
    samples = paragraphs_of_length(engine, 300, 20)
    times, found = [], []
    for report_id, n in samples:
        paragraph_reuse(engine, report_id, n)  # warm the pages of the suffix array it reads
        t = time.perf_counter()
        passages = paragraph_reuse(engine, report_id, n)
        times.append((time.perf_counter() - t) * 1000)
        found.append(sum(p.reports for p in passages))
    times.sort()
    out["reuse 300-character paragraph"] = {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "reps": len(times),
        "paragraphs": len(samples),
        "mean other reports per paragraph": round(statistics.mean(found), 1),
    }
    engine.close()
    return out


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    parser = argparse.ArgumentParser(prog="python -m bench.studies", description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "studies")
    parser.add_argument("--seed", type=int, default=20240601)
    opts = parser.parse_args(argv)
    index = build(opts.paragraphs, opts.work, opts.seed)
    result = {
        "command": "python -m bench.studies " + " ".join(argv or sys.argv[1:]),
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "machine": machine(),
        "paragraphs": opts.paragraphs,
        "timings": measure(index, 10 if opts.quick else 40),
    }
    opts.out.mkdir(parents=True, exist_ok=True)
    name = f"{result['date']}-studies-{opts.paragraphs}.json"
    (opts.out / name).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    print(f"{opts.paragraphs:,} paragraphs, {result['machine']['cpu']}")
    for what, t in result["timings"].items():
        if "p50_ms" in t:
            print(f"  {what:42s} p50 {t['p50_ms']:8.1f} ms   p95 {t['p95_ms']:8.1f} ms")
    print(f"  terms: {result['timings']['terms']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
