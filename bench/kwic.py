"""Concordance and collocation timings on the scale-up corpus.

python -m bench.kwic --paragraphs 200000        # part of `make bench`
python -m bench.kwic --paragraphs 20000 --runs 5

Builds (or reuses) a baogao index of the generated corpus under bench/work/kwic/<size>, then
times, each with the engine's caches emptied before every run ("cold") and again with them
warm: the first concordance page of 发展 in corpus order and sorted by the left context, and
the collocations of the term whose occurrence count is nearest 10,000. Prints p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench import corpus as corpus_mod
from indexer.analysis import jieba_tokenizer
from indexer.format import CURRENT
from search import concordance as kwic
from search.collocations import collocations
from search.engine import Engine
from search.results import SearchQuery

HERE = Path(__file__).resolve().parent
CANDIDATES = (
    *("改革", "建设", "推进", "创新", "服务", "经济", "城市", "管理", "人民", "社会"),
    *("高质量发展", "乡村", "数字", "旅游", "医疗", "脱贫", "民生", "生态", "治理"),
)


def _clear(engine: Engine) -> None:
    engine.chars.counts.cache_clear()
    engine.words.docs.cache_clear()
    engine._pattern_counts.cache_clear()
    kwic._cache(engine).clear()


def _time(fn, runs: int, cold: bool, engine: Engine) -> dict:
    times = []
    for _ in range(runs):
        if cold:
            _clear(engine)
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"p50": round(statistics.median(times), 1), "p95": round(p95, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    opts = parser.parse_args(argv)

    index = opts.work / "kwic" / str(opts.paragraphs)
    if not (index / CURRENT).exists():
        from indexer.build import build_index

        path = corpus_mod.corpus_path(opts.paragraphs, work=opts.work)
        build_index(corpus_mod.load(path).to_reports(), index, progress=False)
    engine = Engine.open(index)
    engine.search(SearchQuery(q="发展", per_page=1))  # jieba and the block table loaded once
    jieba_tokenizer()  # Python jieba too, as a server loads it once (for the lines that need it)

    def occurrences(term: str) -> int:
        return int(engine.chars.counts(term).sum())

    term = min(CANDIDATES, key=lambda t: abs(occurrences(t) - 10_000))
    page = SearchQuery(q="发展", per_page=20)
    cases = {
        "concordance 发展, first page, corpus order": lambda: kwic.concordance(engine, page),
        "concordance 发展, first page, sorted by left": lambda: kwic.concordance(
            engine, page, "left"
        ),
        f"collocations {term} ({occurrences(term):,} occurrences)": lambda: collocations(
            engine, SearchQuery(q=term)
        ),
    }
    out = {"paragraphs": engine.n, "发展 occurrences": occurrences("发展"), "runs": opts.runs}
    for name, fn in cases.items():
        runs = opts.runs if "collocations" not in name else max(3, opts.runs // 4)
        out[name] = {
            "cold": _time(fn, runs, True, engine),
            "warm": _time(fn, runs, False, engine),
        }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
