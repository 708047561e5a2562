"""Exact search checked against a brute-force scan of the folded paragraphs, on the committed
fixture corpus (tests/data/corpus, always), on the same corpus written as PDF, DOCX and GBK
HTML files and read back through indexer/formats, and on the reference corpus in ../shared
(skipped when it is absent)."""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.analysis import jieba_tokenizer
from indexer.analysis import words as jieba_words
from indexer.fold import fold
from search.engine import Engine
from search.errors import BadQuery
from search.results import SearchQuery

FACETS_SUMMING = ("district", "year", "type", "level")


@dataclass(frozen=True)
class Corpus:
    """One corpus under test: its reports, its index, and terms known to occur in it."""

    name: str
    reports: list
    index: Path
    phrases: int  # how many phrases to sample
    counted: tuple[str, ...]  # phrases whose counts are checked by name
    variants: tuple[tuple[str, str], ...]  # (traditional or full-width, plain)
    boolean: tuple[str, str, str]  # three terms for AND / OR / NOT / grouping
    words: str  # a word-mode query that finds more than the exact phrase
    queries: tuple[str, ...]  # for facets, paging and the CLI


CORPORA = {
    "fixture": dict(
        phrases=240,
        counted=("最多跑一次", "发展", "的", "改革", "2020", "GDP", "数字化改革", "哈哈", "一一"),
        variants=(("數字化改革", "数字化改革"), ("２０２０", "2020"), ("ＧＤＰ", "gdp"),
                  ("ＰＭ２．５", "PM2.5"), ("聚焦破解羣衆", "聚焦破解群众")),
        boolean=("改革", "数字化", "城中村"),
        words="经济社会发展",
        queries=("最多跑一次", "城中村改造", "数字化改革", "改革", "的", "district:拱墅区 发展"),
    ),
    "shared": dict(
        phrases=360,
        counted=("最多跑一次", "发展", "的", "改革开放", "2035", "哈哈", "一一"),
        variants=(("政府工作報告", "政府工作报告"), ("１９５５", "1955"), ("ＧＤＰ", "gdp")),
        boolean=("城中村", "改造", "棚户区"),
        words="改革开放事业",
        queries=("最多跑一次", "城中村改造", "五水共治", "改革", "的", "district:全国 发展"),
    ),
}  # fmt: skip
# The fixture corpus written as PDF, Word and GBK web pages (tests/conftest.py): the same
# exactness, on what the format readers give.
for _fmt in ("pdf", "docx", "html"):
    CORPORA[_fmt] = CORPORA["fixture"]


@pytest.fixture(
    scope="module",
    params=["fixture", "pdf", "docx", "html", pytest.param("shared", marks=pytest.mark.shared)],
)
def corpus(request) -> Corpus:
    """The corpus under test; the shared one skips when ../shared is absent, the PDF one when
    no CJK font is installed to write it."""
    ingested = request.getfixturevalue(f"{request.param}_ingest")
    index = request.getfixturevalue(f"{request.param}_index")
    return Corpus(request.param, ingested.reports, index, **CORPORA[request.param])


@pytest.fixture(scope="module")
def engine(corpus: Corpus) -> Engine:
    return Engine.open(corpus.index)


@pytest.fixture(scope="module")
def folded_paragraphs(corpus: Corpus) -> dict[tuple[str, int], str]:
    return {(r.id, p.n): fold(p.text) for r in corpus.reports for p in r.paragraphs}


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


def full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as their full-width forms (Ａ, １, ．)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


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
    alnum = sorted({m.group() for t in paragraphs for m in re.finditer(r"[0-9A-Za-z.]{1,8}", t)})
    phrases += rng.sample(alnum, min(40, len(alnum)))
    while len(phrases) < n:
        text = rng.choice(paragraphs)
        length = rng.choice([1, 1, 2, 3, 4, 6, 8, 12])
        start = rng.randrange(0, len(text) - length)
        phrase = text[start : start + length]
        if phrase.strip() == phrase and '"' not in phrase:
            phrases.append(phrase)
    return phrases


@pytest.fixture(scope="module")
def phrases(corpus: Corpus) -> list[str]:
    phrases = sample_phrases(corpus.reports, n=corpus.phrases)
    assert len(phrases) == corpus.phrases
    assert {len(p) for p in phrases} >= {1, 12}
    assert max(len(p) for p in phrases) == 12
    assert sum(bool(re.search(r"[0-9A-Za-z]", p)) for p in phrases) >= 30
    return phrases


def test_sampled_phrases_match_exactly_the_brute_force_scan(engine, phrases, folded_paragraphs):
    for phrase in phrases:
        q = quote(phrase)
        hits = list(engine.iter_hits(SearchQuery(q=q)))
        assert {(h.report_id, h.paragraph) for h in hits} == scan(folded_paragraphs, phrase), q
        target = fold(phrase)
        for hit in hits:
            assert hit.matches, q
            for start, end in hit.matches:
                assert fold(hit.text[start:end]) == target, (q, hit.text[start:end])


def check_counts(engine: Engine, folded_paragraphs: dict, phrase: str) -> int:
    """total, reports, occurrences and facet counts of one phrase against the scan; the total."""
    res = engine.search(SearchQuery(q=quote(phrase), per_page=5))
    expected = scan(folded_paragraphs, phrase)
    assert res.total == len(expected), phrase
    assert res.reports == len({rid for rid, _ in expected}), phrase
    target = fold(phrase)
    occurrences = sum(folded_paragraphs[key].count(target) for key in expected)
    assert res.occurrences == occurrences, phrase
    for name in FACETS_SUMMING:
        assert sum(f.count for f in res.facets[name]) == res.total, (phrase, name)
    return res.total


def test_counts_of_sampled_phrases_are_exact(engine, phrases, folded_paragraphs):
    totals = [check_counts(engine, folded_paragraphs, phrase) for phrase in phrases[::3]]
    assert all(totals)  # every sampled phrase comes from the corpus


def test_counts_are_exact(engine, corpus, folded_paragraphs):
    totals = [check_counts(engine, folded_paragraphs, phrase) for phrase in corpus.counted]
    assert sum(totals) > 0


def test_traditional_and_full_width_find_what_the_plain_form_finds(engine, corpus):
    for variant, plain in corpus.variants:
        assert found(engine, quote(variant)) == found(engine, quote(plain)), variant
        assert found(engine, quote(plain)), plain


def test_sampled_phrases_in_traditional_script_and_full_width_find_the_same(
    engine, phrases, folded_paragraphs
):
    s2t = opencc.OpenCC("s2t")
    converted = 0
    for phrase in phrases:
        traditional = s2t.convert(phrase)
        if traditional != phrase and fold(traditional) == fold(phrase):
            assert found(engine, quote(traditional)) == found(engine, quote(phrase)), phrase
            converted += 1
        wide = full_width(phrase)
        if wide != phrase:
            assert found(engine, quote(wide)) == scan(folded_paragraphs, phrase), wide
            converted += 1
    assert converted >= len(phrases) // 3


def test_gbk_and_traditional_files_are_found_like_the_others(fixture_index):
    engine = Engine.open(fixture_index)
    hits = list(engine.iter_hits(SearchQuery(q="最多跑一次")))
    assert {Path(h.source).name[:3] for h in hits} == {"000", "004", "005", "006"}
    hits = list(engine.iter_hits(SearchQuery(q="聚焦破解群众")))
    assert sorted(Path(h.source).name for h in hits) == ["004_excerpt.txt", "006_traditional.txt"]
    marked = {h.text[s:e] for h in hits for s, e in h.matches}
    assert marked == {"聚焦破解群众", "聚焦破解羣衆"}


@pytest.mark.shared
def test_zuiduo_paoyici_in_every_paragraph_that_holds_it(shared_index, shared_ingest):
    engine = Engine.open(shared_index)
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


def test_facet_counts_sum_to_the_total(engine, corpus):
    a, b, c = corpus.boolean
    for q in [*corpus.queries, "发展 -经济", f"({a} OR {c}) {b}"]:
        res = engine.search(SearchQuery(q=q))
        for name in ("district", "year", "type", "level"):
            assert sum(f.count for f in res.facets[name]) == res.total, (q, name)
        assert sum(f.count for f in res.facets["topic"]) >= res.total


def test_filters_combine_with_the_query(engine, folded_paragraphs):
    everything = engine.search(SearchQuery(q="改革"))
    district = next(f for f in everything.facets["district"] if f.value)  # "" cannot be typed
    narrowed = engine.search(SearchQuery(q="改革", districts=(district.value,)))
    assert narrowed.total == district.count
    in_query = engine.search(SearchQuery(q=f'改革 district:"{district.value}"'))
    assert in_query.total == district.count
    ranged = engine.search(SearchQuery(q="改革 year:2016-2018"))
    years = {f.value: f.count for f in everything.facets["year"]}
    assert ranged.total == sum(c for y, c in years.items() if y and 2016 <= int(y) <= 2018)


def test_boolean_operators(engine, corpus, folded_paragraphs):
    x, y, z = corpus.boolean
    a, b, c = (scan(folded_paragraphs, t) for t in corpus.boolean)
    assert a & b and a - b and c - a
    assert found(engine, f"{x} {y}") == a & b
    assert found(engine, f"{x} OR {y}") == a | b
    assert found(engine, f"{x} | {y}") == a | b
    assert found(engine, f"{x} -{y}") == a - b
    assert found(engine, f"{x} NOT {y}") == a - b
    assert found(engine, f"({x} OR {z}) {y}") == (a | c) & b
    assert found(engine, f'"{x} {y}"') == scan(folded_paragraphs, f"{x} {y}")


def test_word_mode_matches_all_jieba_words_in_any_order(engine, corpus):
    tok = jieba_tokenizer()
    words = jieba_words(corpus.words)
    assert len(words) >= 2
    expected = set()
    for r in corpus.reports:
        for p in r.paragraphs:
            tokens = {w for w, _, _ in tok.tokenize(fold(p.text))}
            if all(w in tokens for w in words):
                expected.add((r.id, p.n))
    assert found(engine, corpus.words, mode="words") == expected
    assert found(engine, corpus.words, mode="words") > found(engine, corpus.words)


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


def test_cli_all_returns_total_hits_and_queries_file_keeps_order(corpus, runner, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("".join(q + "\n" for q in corpus.queries[:3]), encoding="utf-8")
    out = runner("search", "--queries", queries, "--index", corpus.index, "--json", "--all")
    assert out.exit_code == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["query"] for o in lines] == list(corpus.queries[:3])
    for obj in lines:
        assert len(obj["hits"]) == obj["total"] > 0
        for hit in obj["hits"]:
            for start, end in hit["matches"]:
                assert fold(hit["text"][start:end]) == fold(obj["query"])


def test_cli_bad_query_is_one_line(corpus, runner):
    out = runner("search", "x" * 2000, "--index", corpus.index)
    assert out.exit_code == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    out = runner("search", "改革", "--index", "/nonexistent/index")
    assert out.exit_code == 3 and "Traceback" not in out.stderr


def test_block_table_maps_offsets_to_the_same_paragraphs_as_a_binary_search(engine):
    rng = np.random.default_rng(3)
    positions = rng.integers(0, int(engine.chars.starts[-1]), size=20_000)
    expected = np.searchsorted(engine.chars.starts, positions, side="right") - 1
    assert np.array_equal(engine.chars.docs_of(positions), expected)
    edges = engine.chars.starts[:-1]
    assert np.array_equal(engine.chars.docs_of(edges), np.arange(engine.n))


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_are_slices_of_the_full_order(engine, corpus, sort):
    for q in corpus.queries[3:]:
        everything = [
            (h.report_id, h.paragraph) for h in engine.iter_hits(SearchQuery(q=q, sort=sort))
        ]
        paged = []
        for page in (1, 2, 3):
            res = engine.search(SearchQuery(q=q, sort=sort, page=page, per_page=7))
            paged += [(h.report_id, h.paragraph) for h in res.hits]
        assert paged == everything[:21], (q, sort)
