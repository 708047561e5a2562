"""NEAR/n and gap queries (乡村*振兴): the paragraphs found equal a brute-force regex scan of
the folded text, and the marks cover exactly the stretch (gap) or both sides (NEAR); on the
bundled corpus and on the reference corpus when present."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from indexer.fold import fold
from indexer.ingest import ingest
from search.canonical import to_string
from search.engine import Engine
from search.query import Gap, Near, Term, parse
from search.results import SearchQuery

ENDS = "。！？；!?;"  # the sentence ends a gap never spans, with their folded forms
CJK = re.compile(r"[\u4e00-\u9fff]+")
FIXED_GAPS = ["乡村*振兴", "数字*改革", "最多*一次", "城中村*改造", "改革*发展", "经济*发展*质量"]
FIXED_NEARS = [
    ("最多跑一次", "改革", 10),
    ("改革", "改革", 3),
    ("发展", "经济", 0),
    ("数字化", "政府", 20),
    ("城中村", "改造", 5),
]


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("乡村*振兴", Gap(("乡村", "振兴"))),
        ("*乡村*", Term("*乡村*")),
        ("乡村*", Term("乡村*")),
        ('"乡村*振兴"', Term("乡村*振兴", quoted=True)),
        ("a NEAR/10 b", Near(Term("a"), Term("b"), 10)),
        ("a*b NEAR/0 c", Near(Gap(("a", "b")), Term("c"), 0)),
        ("NEAR/3", Term("NEAR/3", quoted=True)),
        ("a NEAR/3", Term("a")),
    ],
)
def test_parse_near_and_gap(query: str, tree) -> None:
    assert parse(query) == tree
    assert parse(to_string(tree)) == tree


def _gap_regex(parts: list[str]) -> re.Pattern:
    return re.compile(f"[^{ENDS}]{{0,4}}?".join(map(re.escape, map(fold, parts))), re.S)


def _all_spans(text: str, term: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(term)) for m in re.finditer(f"(?={re.escape(term)})", text)]


def _near_marks(text: str, a: str, b: str, n: int) -> list[tuple[int, int]]:
    xs, ys = _all_spans(text, a), _all_spans(text, b)

    def close(x, y):
        return 0 <= y[0] - x[1] <= n or 0 <= x[0] - y[1] <= n

    keep = {x for x in xs if any(close(x, y) for y in ys)}
    keep |= {y for y in ys if any(close(y, x) for x in xs)}
    return sorted(keep)


def sample_queries(paragraphs: list[str], seed: int, n: int = 20) -> tuple[list, list]:
    """Gap queries (two Chinese parts 0–4 apart in a real paragraph) and NEAR queries (two
    Chinese pairs a few characters apart, either order, a random distance)."""
    rng = random.Random(seed)
    runs = [m.group() for t in paragraphs for m in CJK.finditer(t) if len(m.group()) >= 12]
    gaps = [q.split("*") for q in FIXED_GAPS]
    nears = list(FIXED_NEARS)
    while len(gaps) < n + len(FIXED_GAPS):
        run = rng.choice(runs)
        i, k = rng.randrange(len(run) - 9), rng.randint(0, 4)
        gaps.append([run[i : i + 2], run[i + 2 + k : i + 4 + k]])
    while len(nears) < n + len(FIXED_NEARS):
        run = rng.choice(runs)
        i, d = rng.randrange(len(run) - 11), rng.randint(0, 6)
        a, b = run[i : i + 2], run[i + 2 + d : i + 4 + d]
        nears.append((b, a, rng.randint(0, 12)) if rng.random() < 0.5 else (a, b, d))
    return gaps, nears


@pytest.fixture(scope="module", params=["bundled", "shared"])
def corpus(request, bundled_corpus: Path, bundled_index: Path):
    """(engine, {(report id, n): folded text}) of the bundled or the reference corpus."""
    if request.param == "bundled":
        reports, index = ingest([bundled_corpus]).reports, bundled_index
    else:
        reports = request.getfixturevalue("shared_ingest").reports
        index = request.getfixturevalue("shared_index")
    texts = {(r.id, p.n): fold(p.text) for r in reports for p in r.paragraphs}
    return Engine.open(index), texts


def _hits(engine: Engine, q: str) -> dict[tuple[str, int], list]:
    return {
        (h.report_id, h.paragraph): list(h.matches)
        for h in engine.iter_hits(SearchQuery(q=q, per_page=None))
    }


def test_gap_queries_equal_a_regex_scan(corpus) -> None:
    engine, texts = corpus
    gaps, _ = sample_queries(list(texts.values()), seed=13)
    assert len(gaps) >= 15
    found_any = 0
    for parts in gaps:
        regex = _gap_regex(parts)
        expected = {k: [m.span() for m in regex.finditer(t)] for k, t in texts.items()}
        expected = {k: v for k, v in expected.items() if v}
        hits = _hits(engine, "*".join(parts))
        assert hits == expected, parts
        for key, spans in hits.items():
            for s, e in spans:  # the mark is the whole stretch, from one part to the other
                stretch = texts[key][s:e]
                assert stretch.startswith(fold(parts[0])) and stretch.endswith(fold(parts[-1]))
                assert not set(stretch) & set(ENDS)
        found_any += bool(hits)
    assert found_any >= len(gaps) // 2


def test_near_queries_equal_a_regex_scan(corpus) -> None:
    engine, texts = corpus
    _, nears = sample_queries(list(texts.values()), seed=29)
    assert len(nears) >= 15
    for a, b, n in nears:
        fa, fb = fold(a), fold(b)
        regex = re.compile(
            f"{re.escape(fa)}.{{0,{n}}}{re.escape(fb)}|{re.escape(fb)}.{{0,{n}}}{re.escape(fa)}",
            re.S,
        )
        expected = {k for k, t in texts.items() if regex.search(t)}
        hits = _hits(engine, f"{a} NEAR/{n} {b}")
        assert set(hits) == expected, (a, b, n)
        for key, spans in hits.items():
            assert spans == _near_marks(texts[key], fa, fb, n), (a, b, n, key)


def test_near_and_gap_count_and_combine(bundled_index: Path) -> None:
    engine = Engine.open(bundled_index)
    near = engine.search(SearchQuery(q="最多跑一次 NEAR/10 改革", per_page=None))
    assert near.occurrences == sum(len(h.matches) for h in near.hits) > 0
    both = engine.search(SearchQuery(q="最多跑一次 改革", per_page=None))
    assert {h.paragraph for h in near.hits} <= {h.paragraph for h in both.hits}
    rest = engine.search(SearchQuery(q="改革 -(最多跑一次 NEAR/10 改革)", per_page=None))
    assert rest.total + near.total == engine.search(SearchQuery(q="改革", per_page=None)).total
    assert engine.search(SearchQuery(q="改革 NEAR/0 ＿", per_page=None)).total == 0
