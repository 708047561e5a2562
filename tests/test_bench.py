"""The benchmark harness: query mix format, corpus generation, peers agreeing with the scan.

Nothing here is timed; the figures live in bench/RESULTS.md.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench import corpus as corpus_mod
from bench.common import Query, load_queries, parse_query_line, percentile
from bench.peer_fts5 import Fts5Peer
from bench.peer_scan import ScanPeer
from bench.report import write_results_md

QUERIES = Path(__file__).resolve().parents[1] / "bench" / "queries.txt"

SOURCE = [
    "深化“最多跑一次”改革，优化营商环境。",
    "推进城中村改造，PM2.5浓度持续下降。",
    "国家发展改革委会同有关部门制定方案。",
    "政府工作報告（繁体）提到１９５５年的决算。",
    "加快发展新质生产力，5G基站超过十万个。",
    "坚持稳中求进工作总基调，推动高质量发展。",
    "换位跑一次不是最多跑一次。",
    "的",
]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("发展", Query("发展")),
        ("发展 改革\tmode=words", Query("发展 改革", mode="words")),
        ("PM2.5\tdistrict=杭州市,浙江省", Query("PM2.5", districts=("杭州市", "浙江省"))),
        ("的\tyear=2016-2018", Query("的", year_from=2016, year_to=2018)),
        ("改革\tyear=2020", Query("改革", year_from=2020, year_to=2020)),
        ("报告\ttype=政府工作报告", Query("报告", types=("政府工作报告",))),
        ("# a comment", None),
        ("   ", None),
    ],
)
def test_query_lines_parse(line: str, expected: Query | None) -> None:
    assert parse_query_line(line) == expected


def test_unknown_query_option_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_query_line("发展\tcolour=red")


def test_query_mix_covers_the_required_kinds() -> None:
    queries = load_queries(QUERIES)
    assert 50 <= len(queries) <= 80
    lengths = {len(t) for q in queries for t in q.terms}
    assert min(lengths) == 1 and max(lengths) >= 11
    assert {q.mode for q in queries} == {"exact", "words"}
    assert any(q.districts for q in queries) and any(q.year_from for q in queries)
    assert any(len(q.terms) > 1 for q in queries)
    assert {"发展", "的", "改革", "PM2.5", "G20", "5G", "2035", "多跑一"} <= {q.q for q in queries}
    known = set(corpus_mod.DISTRICTS + corpus_mod.CITIES + corpus_mod.PROVINCES)
    assert {d for q in queries for d in q.districts} <= known


def test_generated_corpus_is_deterministic_and_spread() -> None:
    texts = [f"{t}{i}" for i in range(200) for t in SOURCE]
    a = corpus_mod.generate(texts, 30_000, seed=7)
    b = corpus_mod.generate(texts, 30_000, seed=7)
    assert a == b
    assert corpus_mod.generate(texts, 30_000, seed=8) != a
    assert sum(len(r.texts) for r in a) == 30_000
    assert all(100 <= len(r.texts) <= 300 for r in a[:-1])
    assert set().union(*(r.texts for r in a)) <= set(texts)
    sizes = Counter(r.district for r in a).most_common()
    assert sizes[0][1] >= 5 * sizes[len(sizes) // 2][1]  # skewed, Zipf-like
    years = Counter(r.year for r in a)
    assert sum(years[y] for y in range(2016, 2027)) > sum(years[y] for y in range(2000, 2011))
    types = Counter(r.type for r in a)
    assert types.most_common(1)[0][0] == "政府工作报告"


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([3.0], 99) == 3.0


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanPeer, Fts5Peer]:
    reports = corpus_mod.generate(SOURCE, 1_000, seed=3)
    corpus = corpus_mod.Corpus(reports=reports, info={})
    peers = (ScanPeer(), Fts5Peer())
    for peer in peers:
        work = tmp_path_factory.mktemp(peer.name)
        peer.build(corpus, work)
        peer.open(work)
    return peers


@pytest.mark.parametrize(
    "query",
    [
        Query("最多跑一次"),
        Query("多跑一"),
        Query("的"),
        Query("发展"),
        Query("PM2.5"),
        Query("ＰＭ２．５"),
        Query("政府工作报告"),
        Query("1955"),
        Query("5G"),
        Query("发展 改革"),
        Query("改革", year_from=2016, year_to=2020),
        Query("换位跑一次"),
        Query("不存在的短语"),
    ],
    ids=lambda q: q.label,
)
def test_fts5_agrees_with_the_scan(small: tuple[ScanPeer, Fts5Peer], query: Query) -> None:
    scan, fts5 = small
    truth = scan.all_ids(query)
    assert fts5.all_ids(query) == truth
    page, truth_page = fts5.first_page(query), scan.first_page(query)
    assert page.total == truth_page.total == len(truth)
    assert page.facets == truth_page.facets
    assert len(page.hits) == min(20, len(truth))
    assert {h.pid for h in page.hits} <= truth


def test_scan_folds_queries_like_text(small: tuple[ScanPeer, Fts5Peer]) -> None:
    scan, _ = small
    assert scan.all_ids(Query("政府工作报告")) == scan.all_ids(Query("政府工作報告"))
    assert scan.all_ids(Query("1955")) == scan.all_ids(Query("１９５５"))


def test_scan_finds_exactly_the_paragraphs_holding_the_phrase(
    small: tuple[ScanPeer, Fts5Peer],
) -> None:
    scan, _ = small
    found = {}
    for phrase in ("最多跑一次", "换位跑一次", "多跑一"):
        found[phrase] = scan.all_ids(Query(phrase))
        assert found[phrase] == {pid for pid, text in enumerate(scan.raw) if phrase in text}
    # 换位跑一次 shares 跑一次 with 最多跑一次 but is not it: found only where its text is.
    assert set() < found["换位跑一次"] < found["最多跑一次"] == found["多跑一"]


def test_results_md_renders_the_newest_full_and_quick_runs(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    run = {
        "date": "2026-01-02",
        "duration_s": 60.0,
        "command": "python -m bench --sizes 100 --quick",
        "quick": True,
        "machine": {"cpu": "Test CPU", "cores": 2, "ram_gb": 24.0},
        "versions": {"Python": "3.11"},
        "queries": 1,
        "queries_file": "bench/queries.txt",
        "sizes": [
            {
                "corpus": {
                    "paragraphs": 100,
                    "chars": 1000,
                    "reports": 1,
                    "districts": 1,
                    "years": [2020, 2020],
                    "source_paragraphs": 8,
                    "source": "corpus/",
                    "reader": "lines",
                },
                "engines": {"jieba-whoosh": {"skipped": "too slow"}},
                "http": {"skipped": "not measured"},
            }
        ],
    }
    (results / "2026-01-02-quick.json").write_text(json.dumps(run), encoding="utf-8")
    write_results_md(results, tmp_path / "RESULTS.md")
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "Latest quick run: 2026-01-02" in text
    assert "Test CPU" in text and "too slow" in text
    assert "## Latest full run" in text and "None yet." in text


def test_http_load_asks_the_api_for_the_first_page_of_each_query() -> None:
    from urllib.parse import parse_qs, urlsplit

    from bench.http_load import query_path

    url = urlsplit(query_path(Query("PM2.5", districts=("杭州市", "浙江省"), year_from=2012)))
    assert url.path == "/api/search"
    assert parse_qs(url.query) == {
        "q": ["PM2.5"],
        "mode": ["exact"],
        "district": ["杭州市", "浙江省"],
        "year_from": ["2012"],
        "page": ["1"],
        "per_page": ["20"],
    }
