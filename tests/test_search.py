"""Exact search over the real reference corpus, checked against a brute-force scan."""

from __future__ import annotations

import json
import math
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.analysis import jieba_tokenizer
from indexer.analysis import words as jieba_words
from indexer.fold import fold
from search.engine import Engine
from search.errors import BadQuery
from search.results import SearchQuery

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine(shared_index: Path) -> Engine:
    return Engine.open(shared_index)


@pytest.fixture(scope="module")
def folded_paragraphs(shared_ingest) -> dict[tuple[str, int], str]:
    return {(r.id, p.n): fold(p.text) for r in shared_ingest.reports for p in r.paragraphs}


def scan(paragraphs: dict[tuple[str, int], str], phrase: str) -> set[tuple[str, int]]:
    folded = fold(phrase)
    return {key for key, text in paragraphs.items() if folded in text}


def found(engine: Engine, q: str, **kw) -> set[tuple[str, int]]:
    return {(h.report_id, h.paragraph) for h in engine.iter_hits(SearchQuery(q=q, **kw))}


def quote(phrase: str) -> str:
    """The phrase as a query term: bare when it is plain, else quoted."""
    if re.fullmatch(r"[\w.+]+", phrase) and phrase.upper() not in ("OR", "AND", "NOT"):
        return phrase
    return f'"{phrase}"'


def sample_phrases(reports, n: int = 360, seed: int = 7) -> list[str]:
    """Phrases of 1–12 characters from real paragraphs: half cut across jieba word boundaries,
    plus single characters, digits and Latin."""
    rng = random.Random(seed)
    paragraphs = [p.text for r in reports for p in r.paragraphs if len(p.text) > 20]
    tok = jieba_tokenizer()
    phrases: list[str] = []
    while len(phrases) < n // 2:  # crossing: start inside a jieba word of two or more chars
        text = rng.choice(paragraphs)
        words = [(s, e) for _, s, e in tok.tokenize(text) if e - s >= 2]
        if not words:
            continue
        s, e = rng.choice(words)
        start = rng.randrange(s + 1, e)
        phrase = text[start : start + rng.randint(2, 12)]
        if phrase.strip() == phrase and '"' not in phrase and len(phrase) >= 2:
            phrases.append(phrase)
    alnum = [m.group() for t in paragraphs for m in re.finditer(r"[0-9A-Za-z.]{1,8}", t)]
    phrases += rng.sample(sorted(set(alnum)), 40)
    while len(phrases) < n:
        text = rng.choice(paragraphs)
        length = rng.choice([1, 1, 2, 3, 4, 6, 8, 12])
        start = rng.randrange(0, len(text) - length)
        phrase = text[start : start + length]
        if phrase.strip() == phrase and '"' not in phrase:
            phrases.append(phrase)
    return phrases


def test_sampled_phrases_match_exactly_the_brute_force_scan(
    engine, shared_ingest, folded_paragraphs
):
    phrases = sample_phrases(shared_ingest.reports)
    assert len(phrases) >= 300
    lengths = {len(p) for p in phrases}
    assert min(lengths) == 1 and max(lengths) == 12
    for phrase in phrases:
        q = quote(phrase)
        hits = list(engine.iter_hits(SearchQuery(q=q)))
        assert {(h.report_id, h.paragraph) for h in hits} == scan(folded_paragraphs, phrase), q
        target = fold(phrase)
        for hit in hits:
            assert hit.matches, q
            for start, end in hit.matches:
                assert fold(hit.text[start:end]) == target, (q, hit.text[start:end])


def test_counts_are_exact(engine, folded_paragraphs):
    for phrase in ["最多跑一次", "发展", "的", "改革开放", "2035", "哈哈", "一一"]:
        res = engine.search(SearchQuery(q=quote(phrase), per_page=5))
        expected = scan(folded_paragraphs, phrase)
        assert res.total == len(expected)
        assert res.reports == len({rid for rid, _ in expected})
        target = fold(phrase)
        occurrences = sum(folded_paragraphs[key].count(target) for key in expected)
        assert res.occurrences == occurrences, phrase


def test_zuiduo_paoyici_in_every_paragraph_that_holds_it(engine, shared_ingest):
    hits = list(engine.iter_hits(SearchQuery(q="最多跑一次")))
    sources = {h.source.split("/")[0] + ":" + Path(h.source).name[:3] for h in hits}
    assert {s for s in sources if s.startswith("hangzhou")} == {
        "hangzhou:000",
        "hangzhou:001",
        "hangzhou:004",
    }
    assert {h.year for h in hits if h.source.startswith("national")} == {2018, 2019}
    for hit in hits:
        assert "最多跑一次" in hit.text
    only_huanwei = [
        (r.id, p.n)
        for r in shared_ingest.reports
        for p in r.paragraphs
        if "换位跑一次" in p.text and "最多跑一次" not in p.text
    ]
    assert only_huanwei, "the corpus should hold 换位跑一次 without 最多跑一次"
    assert not set(only_huanwei) & {(h.report_id, h.paragraph) for h in hits}


@pytest.mark.parametrize(
    ("variant", "plain"),
    [("政府工作報告", "政府工作报告"), ("１９５５", "1955"), ("ＧＤＰ", "gdp")],
)
def test_traditional_and_full_width_find_what_the_plain_form_finds(engine, variant, plain):
    assert found(engine, variant) == found(engine, plain)
    assert found(engine, plain)


def test_facet_counts_sum_to_the_total(engine):
    for q in ["最多跑一次", "改革", "发展 -经济", "(城中村 OR 棚户区) 改造"]:
        res = engine.search(SearchQuery(q=q))
        for name in ("district", "year", "type", "level"):
            assert sum(f.count for f in res.facets[name]) == res.total, (q, name)
        assert sum(f.count for f in res.facets["topic"]) >= res.total


def test_filters_combine_with_the_query(engine, folded_paragraphs):
    everything = engine.search(SearchQuery(q="改革"))
    district = everything.facets["district"][0]
    narrowed = engine.search(SearchQuery(q="改革", districts=(district.value,)))
    assert narrowed.total == district.count
    in_query = engine.search(SearchQuery(q=f'改革 district:"{district.value}"'))
    assert in_query.total == district.count
    ranged = engine.search(SearchQuery(q="改革 year:2016-2018"))
    years = {f.value: f.count for f in everything.facets["year"]}
    assert ranged.total == sum(c for y, c in years.items() if y and 2016 <= int(y) <= 2018)


def test_boolean_operators(engine, folded_paragraphs):
    a, b = scan(folded_paragraphs, "城中村"), scan(folded_paragraphs, "改造")
    assert found(engine, "城中村 改造") == a & b
    assert found(engine, "城中村 OR 改造") == a | b
    assert found(engine, "城中村 | 改造") == a | b
    assert found(engine, "城中村 -改造") == a - b
    assert found(engine, "城中村 NOT 改造") == a - b
    c = scan(folded_paragraphs, "棚户区")
    assert found(engine, "(城中村 OR 棚户区) 改造") == (a | c) & b
    assert found(engine, '"城中村 改造"') == scan(folded_paragraphs, "城中村 改造")


def test_word_mode_matches_all_jieba_words_in_any_order(engine, shared_ingest):
    tok = jieba_tokenizer()
    words = jieba_words("改革开放事业")
    assert len(words) >= 2
    expected = set()
    for r in shared_ingest.reports:
        for p in r.paragraphs:
            tokens = {w for w, _, _ in tok.tokenize(fold(p.text))}
            if all(w in tokens for w in words):
                expected.add((r.id, p.n))
    assert found(engine, "改革开放事业", mode="words") == expected
    assert found(engine, "改革开放事业", mode="words") > found(engine, "改革开放事业")


def test_sorts(engine):
    newest = engine.search(SearchQuery(q="改革", sort="newest", per_page=50)).hits
    oldest = engine.search(SearchQuery(q="改革", sort="oldest", per_page=50)).hits
    assert [h.year for h in newest] == sorted((h.year for h in newest), reverse=True)
    assert [h.year for h in oldest] == sorted(h.year for h in oldest)
    # relevance: BM25 over exact occurrences, recomputed here from the documented formula
    results = engine.search(SearchQuery(q="改革", per_page=20))
    k1, b = 1.2, 0.75
    avg = float(engine.columns.col["chars"].mean())
    df, n = results.total, engine.n
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))

    def bm25(hit) -> float:
        tf = fold(hit.text).count("改革")
        return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(hit.text) / avg))

    scores = [bm25(h) for h in results.hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[-1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_any_query_gives_a_result_or_a_one_line_message(engine, q):
    try:
        res = engine.search(SearchQuery(q=q, per_page=3))
    except BadQuery as exc:
        assert "\n" not in str(exc) and str(exc)
    else:
        assert res.total >= len(res.hits)


@pytest.mark.parametrize(
    "q", ['"unbalanced', "((a", "OR", "-", "a" * 10_000, "\x00\x1f", "year:20x6"]
)
def test_hostile_queries_never_raise_anything_else(engine, q):
    try:
        engine.search(SearchQuery(q=q))
    except BadQuery as exc:
        assert "\n" not in str(exc)


def run_cli(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "baogao", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def test_cli_all_returns_total_hits_and_queries_file_keeps_order(shared_index, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("最多跑一次\n城中村改造\n五水共治\n", encoding="utf-8")
    out = run_cli(
        "search", "--queries", str(queries), "--index", str(shared_index), "--json", "--all"
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["query"] for o in lines] == ["最多跑一次", "城中村改造", "五水共治"]
    for obj in lines:
        assert len(obj["hits"]) == obj["total"] > 0
        for hit in obj["hits"]:
            for start, end in hit["matches"]:
                assert fold(hit["text"][start:end]) == fold(obj["query"])


def test_cli_bad_query_is_one_line(shared_index):
    out = run_cli("search", "x" * 2000, "--index", str(shared_index))
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    out = run_cli("search", "改革", "--index", "/nonexistent/index")
    assert out.returncode == 3 and "Traceback" not in out.stderr


def test_block_table_maps_offsets_to_the_same_paragraphs_as_a_binary_search(engine):
    rng = np.random.default_rng(3)
    positions = rng.integers(0, int(engine.chars.starts[-1]), size=20_000)
    expected = np.searchsorted(engine.chars.starts, positions, side="right") - 1
    assert np.array_equal(engine.chars.docs_of(positions), expected)
    edges = engine.chars.starts[:-1]
    assert np.array_equal(engine.chars.docs_of(edges), np.arange(engine.n))


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_are_slices_of_the_full_order(engine, sort):
    for q in ["改革", "的", "district:全国 发展"]:
        everything = [
            (h.report_id, h.paragraph) for h in engine.iter_hits(SearchQuery(q=q, sort=sort))
        ]
        paged = []
        for page in (1, 2, 3):
            res = engine.search(SearchQuery(q=q, sort=sort, page=page, per_page=7))
            paged += [(h.report_id, h.paragraph) for h in res.hits]
        assert paged == everything[:21], (q, sort)
