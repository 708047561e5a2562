"""`python -m bench.keywords`: keywords, frequent n-grams, dispersion and the event-history
panel on the benchmark corpus.

python -m bench.keywords --paragraphs 20000

Builds (or reuses) the index of bench.studies, times the first keywords request of a freshly
opened index (it reads the word ids the build wrote, `tokens.npz`: the token table) and the
table's reading alone, then times keywords of
words and bigrams for a few pairs of sets, the frequent bigrams of one set, the dispersion
of a common term and the adoption panel of districts. Prints
p50/p95 and writes bench/results/studies/<date>-keywords-<size>.json.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

from bench.__main__ import git_commit, machine
from bench.common import percentile
from bench.studies import HERE, build, timed

log = logging.getLogger("bench.keywords")


def measure(index: Path, reps: int) -> dict:
    from indexer import format as fmt
    from search.adoption import adoption
    from search.dispersion import dispersion
    from search.engine import Engine
    from search.keywords import keywords, ngrams
    from search.panel import event_panel
    from search.results import SearchQuery as Q
    from search.tokens import token_table

    engine = Engine.open(index)
    district = collections.Counter(r["district"] for r in engine.report_meta).most_common(1)[0][0]
    engine.close()
    cold = []  # the first keywords request of a freshly opened index pays for its token table
    for _ in range(max(3, reps // 2)):
        engine = Engine.open(index)
        t = time.perf_counter()
        keywords(engine, Q(districts=(district,)), None, 1)
        cold.append((time.perf_counter() - t) * 1000)
        engine.close()
    cold.sort()
    engine = Engine.open(index)
    segments = getattr(engine.chars, "parts", [engine.chars])  # each segment's character index
    t = time.perf_counter()
    table = token_table(engine)
    out: dict = {
        "first keywords request of an opened index": {
            "p50_ms": round(statistics.median(cold), 2),
            "p95_ms": round(percentile(cold, 95), 2),
            "runs": len(cold),
        },
        "token table": {
            "seconds": round(time.perf_counter() - t, 2),
            "positions": int(table.ids.size),
            "vocabulary": len(table.vocab),
            "read from the index": all(fmt.has_tokens(p.folder) for p in segments),
        },
    }
    for n in (2, 3):
        t = time.perf_counter()
        table.grams(n)
        out[f"{n}-gram codes"] = {"seconds": round(time.perf_counter() - t, 2)}
    years = sorted({int(y) for y in engine.columns.col["year"] if y})
    mid = years[len(years) // 2]
    cases = {
        "keywords: the largest district against the whole index": (
            Q(districts=(district,)),
            None,
            1,
        ),
        "keywords: late years against early years": (Q(year_from=mid), Q(year_to=mid - 1), 1),
        "keywords: one year against the whole index": (Q(years=(mid,)), None, 1),
        "bigram keywords: late against early years": (Q(year_from=mid), Q(year_to=mid - 1), 2),
        "keywords: paragraphs with 改革 against the rest of the index": (Q(q="改革"), None, 1),
    }
    for name, (target, reference, n) in cases.items():
        run = lambda t=target, r=reference, n=n: keywords(engine, t, r, n)  # noqa: E731
        out[name] = timed(run, reps)
    out["frequent bigrams of one year"] = timed(lambda: ngrams(engine, Q(years=(mid,)), 2), reps)
    out["dispersion of 发展 (every report)"] = timed(lambda: dispersion(engine, Q(q="发展")), reps)
    query = Q(q="发展", levels=("district",))  # the generated places have no province
    out["event panel of 发展, districts"] = timed(
        lambda: event_panel(adoption(engine, query)), reps
    )
    engine.close()
    return out


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    parser = argparse.ArgumentParser(prog="python -m bench.keywords", description=__doc__)
    parser.add_argument("--paragraphs", type=int, default=200_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "studies")
    parser.add_argument("--seed", type=int, default=20240601)
    opts = parser.parse_args(argv)
    index = build(opts.paragraphs, opts.work, opts.seed)
    load = os.getloadavg()[0]
    result = {
        "command": "python -m bench.keywords " + " ".join(argv or sys.argv[1:]),
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "machine": machine(),
        "load_at_start": round(load, 2),
        "paragraphs": opts.paragraphs,
        "results": measure(index, opts.reps),
    }
    opts.out.mkdir(parents=True, exist_ok=True)
    path = opts.out / f"{result['date']}-keywords-{opts.paragraphs}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["results"], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
