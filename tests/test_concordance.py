"""The concordance against the search: one row per occurrence, each row the paragraph's text
around the match, sorts equal to a Python sort of the rows, pages slices of one order."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from indexer.fold import fold
from indexer.ingest import ingest
from search.concordance import MAX_CONTEXT, concordance, iter_rows
from search.engine import Engine
from search.errors import BadQuery
from search.results import SearchQuery

FIXED = [
    ("最多跑一次", {}),
    ("改革", {}),
    ("改革", {"districts": ("拱墅区",)}),
    ("发展", {"years": (2018,)}),
    ("发展 OR 改革", {}),
    ("数字化改革 -拱墅", {}),
    ("改", {"year_from": 2017, "year_to": 2019}),
    ("城中村*改造", {}),
    ("数字*改革", {}),
    ("最多跑一次 NEAR/10 改革", {}),
    ("经济 NEAR/5 发展", {"districts": ("上城区", "萧山区")}),
    ("数字化改革", {"mode": "words"}),
    ("district:拱墅区 发展", {}),
    ("，", {}),
    ("2018", {}),
    ("年", {"types": ("政府工作报告",)}),
]


def sample_queries(texts: list[str], n: int, seed: int) -> list[tuple[str, dict]]:
    """Real substrings of 1 to 16 characters (Chinese runs), some with a filter."""
    rng = random.Random(seed)
    runs = [m.group() for t in texts for m in re.finditer(r"[\u4e00-\u9fff]{16,}", t)]
    out = []
    while len(out) < n:
        run = rng.choice(runs)
        length = rng.choice([1, 2, 2, 3, 4, 6, 8, 16])
        i = rng.randrange(len(run) - length + 1)
        extra = rng.choice([{}, {}, {"years": (2018,)}, {"districts": ("拱墅区",)}])
        out.append((run[i : i + length], extra))
    return out


@pytest.fixture(scope="module")
def bundled(bundled_corpus: Path, bundled_index: Path):
    texts = [p.text for r in ingest([bundled_corpus]).reports for p in r.paragraphs]
    return Engine.open(bundled_index), texts


def _check(engine: Engine, q: str, extra: dict, context: int = 20) -> int:
    query = SearchQuery(q=q, per_page=None, **extra)
    results = engine.search(query)
    rows = concordance(engine, query, "text", context).rows
    con = concordance(engine, query, "text", context)
    assert con.occurrences == results.occurrences == len(rows), q
    hits = [h for h in results.hits if h.matches]
    assert con.paragraphs == len(hits)
    assert con.reports == len({h.report_id for h in hits})
    # the same occurrences as the search's marks, in corpus order
    expected = [
        (h.report_id, h.paragraph, s, e)
        for h in sorted(hits, key=lambda h: (h.report_id, h.paragraph))
        for s, e in h.matches
    ]
    got = [(r.report_id, r.paragraph, r.start, r.end) for r in rows]
    assert sorted(got) == sorted(expected)
    text_of = {(h.report_id, h.paragraph): h.text for h in hits}
    for r in rows:
        text = text_of[(r.report_id, r.paragraph)]
        lo, hi = max(0, r.start - context), r.end + context
        assert r.left + r.match + r.right == text[lo:hi]
        assert r.match == text[r.start : r.end] and len(r.left) == r.start - lo
    position = {k: i for i, k in enumerate(got)}

    def tie(r):
        return position[(r.report_id, r.paragraph, r.start, r.end)]

    keys = {
        "left": lambda r: (fold(r.left)[::-1], tie(r)),
        "right": lambda r: (fold(r.right), tie(r)),
        "year": lambda r: (not r.year, r.year or 0, tie(r)),
        "place": lambda r: (r.district == "", r.district, tie(r)),
    }
    for order, key in keys.items():
        sorted_rows = concordance(engine, query, order, context).rows
        assert list(sorted_rows) == sorted(rows, key=key), (q, order)
        assert list(iter_rows(engine, query, order, context)) == list(sorted_rows)
        paged = replace_page(query, 2, 7)
        assert concordance(engine, paged, order, context).rows == sorted_rows[7:14]
    return len(rows)


def replace_page(query: SearchQuery, page: int, per_page: int) -> SearchQuery:
    from dataclasses import replace

    return replace(query, page=page, per_page=per_page)


def test_rows_are_the_search_occurrences_on_the_bundled_corpus(bundled) -> None:
    engine, texts = bundled
    queries = FIXED + sample_queries(texts, 40, seed=3)
    assert len(queries) >= 50
    found = [
        _check(engine, q, extra, context=random.Random(q).choice([0, 5, 20, 100]))
        for q, extra in queries
    ]
    assert sum(1 for n in found if n) >= 40


def test_rows_are_the_search_occurrences_on_the_reference_corpus(
    shared_ingest, shared_index
) -> None:
    engine = Engine.open(shared_index)
    texts = [p.text for r in shared_ingest.reports for p in r.paragraphs]
    for q, extra in FIXED[:6] + sample_queries(texts, 12, seed=5):
        _check(engine, q, extra)


def test_context_and_order_are_checked(bundled) -> None:
    engine, _ = bundled
    with pytest.raises(BadQuery):
        concordance(engine, SearchQuery(q="改革"), "sideways")
    with pytest.raises(BadQuery):
        concordance(engine, SearchQuery(q="改革"), "left", MAX_CONTEXT + 1)


def test_a_page_past_the_end_is_empty(bundled) -> None:
    engine, _ = bundled
    con = concordance(engine, SearchQuery(q="最多跑一次", page=50, per_page=20))
    assert con.rows == () and con.occurrences > 0
