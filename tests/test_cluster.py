"""A sharded index served on Ray answers exactly as one index of the same files: whole
`SearchResults` compared (hits in order with their marks, totals, occurrences, facets, the
place tree, the timeline) for 120+ queries with 1, 3 and 7 shards, pages 1 and 5, every sort,
mode and filter; the report list and the reader; and every view that is not shard-aware yet
refuses with a 503 instead of answering from part of the index. Skipped without Ray."""

from __future__ import annotations

import json

import pytest
from cluster_queries import queries, selections, variants

from search.cluster import ClusterEngine
from search.engine import Engine
from search.errors import BadQuery, ReportNotFound, ShardedUnsupported
from search.results import SearchQuery

SHARD_COUNTS = (1, 3, 7)


@pytest.fixture(scope="module")
def single(cluster_single):
    engine = Engine.open(cluster_single)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def engines(sharded):
    """One ClusterEngine (one Ray actor per shard) per shard count, opened once."""
    opened = {n: ClusterEngine.open(sharded(n)) for n in SHARD_COUNTS}
    yield opened
    for engine in opened.values():
        engine.close()


@pytest.fixture(scope="module")
def expected(single):
    """Each variant with the single index's answer (or its refusal)."""
    out = []
    for query in variants(single):
        try:
            out.append((query, single.search(query)))
        except BadQuery as exc:
            out.append((query, exc))
    return out


def test_the_exactness_set_is_large_and_varied(expected):
    queries = {q.q for q, _ in expected}
    assert len(queries) >= 120
    assert {q.sort for q, _ in expected} == {"relevance", "newest", "oldest"}
    assert {q.mode for q, _ in expected} == {"exact", "words"}
    assert {q.page for q, _ in expected} >= {1, 5}
    answered = [r for _, r in expected if not isinstance(r, Exception)]
    assert sum(1 for r in answered if r.total) >= 100  # most of them find something
    assert any(len(r.hits) == 10 for q, r in expected if q.page == 5)  # page 5 is full


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_a_sharded_index_answers_every_search_exactly_as_one_index(engines, expected, n):
    engine = engines[n]
    for query, want in expected:
        if isinstance(want, BadQuery):
            with pytest.raises(BadQuery) as refused:
                engine.search(query)
            assert str(refused.value) == str(want), query
            continue
        got = engine.search(query)
        assert got == want, (n, query)


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_reports_the_reader_and_the_report_table_are_those_of_one_index(engines, single, n):
    engine = engines[n]
    assert engine.n == single.n
    assert engine.meta["vocab"] == single.meta["vocab"]
    assert engine.reports() == single.reports()
    for q in ("改革", "year:2016 经济", "不存在的词语组合"):
        assert engine.reports(SearchQuery(q=q)) == single.reports(SearchQuery(q=q))
    ids = [r["id"] for r in single.reports()]
    for report_id in ids[:: max(1, len(ids) // 12)]:
        assert engine.get_report(report_id) == single.get_report(report_id)
        assert engine.table.neighbours(report_id) == single.table.neighbours(report_id)
        report = single.get_report(report_id)
        want = {}
        if report.paragraphs:
            from search_app.reader import matched_spans

            want = matched_spans(single, report, "发展", "exact")
            assert matched_spans(engine, report, "发展", "exact") == want
    with pytest.raises(ReportNotFound):
        engine.get_report("r000000000000000")
    selection = SearchQuery(years=(2016,), provinces=(single.meta["vocab"]["place"][0][0],))
    want = single.columns.chars_by_year_district(selection)
    assert engine.columns.chars_by_year_district(selection) == want


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_trends_are_those_of_one_index(engines, single, n):
    from search.trends import trends

    sels = selections(single)
    term_lists = [
        ("改革", "发展 NEAR/5 经济", "乡村*振兴"),
        ("民生",),
        ("的", "不存在的词语组合", "year:2016-2018 经济", "改革 NOT 发展", "人民", "政府"),
    ]
    wants = []
    for i, selection in enumerate(sels):
        terms = term_lists[i % len(term_lists)]
        want = trends(single, terms, SearchQuery(**selection))
        assert trends(engines[n], terms, SearchQuery(**selection)) == want, (n, selection)
        wants.append(want)
    assert max(len(w.terms) for w in wants) == 5  # at most five terms, as one index
    assert sum(1 for w in wants if any(y.occurrences for t in w.terms for y in t.years)) >= 5


@pytest.fixture(scope="module")
def views(single):
    """The research views' answers of the single index over the exactness set's queries:
    the concordance (every order, pages 1 and 5), trends, adoption at every level with and
    without roll-up (so the event-history panel), collocations (every third query, steered)
    and shared passages; a BadQuery where one index refuses."""
    from search.adoption import LEVELS, adoption
    from search.collocations import Steering, collocations
    from search.concordance import ORDERS, concordance
    from search.reuse import paragraph_reuse, report_reuse
    from search.trends import MAX_TERMS, trends

    qs, sels = queries(single), selections(single)
    out: dict[str, list] = {"concordance": [], "trends": [], "adoption": [], "collocations": []}

    def answer(kind: str, call, *args) -> None:
        try:
            out[kind].append((args, call(single, *args)))
        except BadQuery as exc:
            out[kind].append((args, exc))

    steerings = (Steering(), Steering(min_freq=1, stop_default=False), Steering(pos=("n", "v")))
    for i, q in enumerate(qs):
        selection = sels[i % len(sels)] if i % 2 else {}  # half unfiltered
        mode = ("exact", "words")[(i // 3) % 2]
        order, context = ORDERS[i % len(ORDERS)], (20, 5, 0, 40)[i % 4]
        for page in (1, 5):
            query = SearchQuery(q=q, mode=mode, page=page, per_page=10, **selection)
            answer("concordance", concordance, query, order, context)
        level = LEVELS[i % len(LEVELS)]
        scope = {k: v for k, v in selection.items() if k != "levels"}  # the table's own level
        query = SearchQuery(q=q, mode=mode, levels=(level,), **scope)
        answer("adoption", adoption, query, bool((i // 3) % 2))
        if i % 3 == 0:
            query = SearchQuery(q=q, mode=mode, **selection)
            span, steering = (10, 3, 25)[(i // 3) % 3], steerings[(i // 9) % 3]
            answer("collocations", collocations, query, span, 50, steering)
    for k in range(0, len(qs), MAX_TERMS):
        terms = tuple(qs[k : k + MAX_TERMS])
        answer("trends", trends, terms, SearchQuery(**sels[(k // MAX_TERMS) % 9]))
    ids = [r["id"] for r in single.reports()]
    chosen = ids[:: max(1, len(ids) // 8)]
    out["reuse"] = [((rid, (15, 40)[k % 2]), None) for k, rid in enumerate(chosen)]
    out["reuse"] = [(args, report_reuse(single, *args)) for args, _ in out["reuse"]]
    out["paragraph_reuse"] = [
        ((rid, n, 10), paragraph_reuse(single, rid, n, 10)) for rid in chosen for n in (1, 4, 9)
    ]
    return out


def test_the_views_exactness_set_is_large_and_varied(views, shared_corpus):
    """On the reference corpus (its thresholds are that corpus's; without it the comparisons
    run on the committed fixture corpus, which is smaller)."""
    from search.adoption import Adoption

    def answered(kind: str) -> list:
        return [r for _, r in views[kind] if not isinstance(r, BadQuery)]

    assert len(views["concordance"]) >= 240 and len(views["adoption"]) >= 120
    assert sum(1 for c in answered("concordance") if c.rows) >= 80
    tables = [t for t in answered("adoption") if isinstance(t, Adoption)]
    assert sum(1 for t in tables if t.places and t.not_yet) >= 25  # adopters and the rest
    assert {t.level for t in tables} == {"province", "city", "district"}
    assert sum(1 for c in answered("collocations") if c.items) >= 20
    assert sum(len(r.passages) for _, r in views["reuse"]) >= 200
    assert any(p for _, p in views["paragraph_reuse"])


def _same(engine, call, args, want) -> None:
    """`call(engine, *args)` answers `want`, or refuses with the same message."""
    if isinstance(want, BadQuery):
        with pytest.raises(BadQuery) as refused:
            call(engine, *args)
        assert str(refused.value) == str(want), args
    else:
        assert call(engine, *args) == want, args


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_the_concordance_in_every_order_is_that_of_one_index(engines, views, single, n):
    from search.concordance import concordance, iter_rows

    for args, want in views["concordance"]:
        _same(engines[n], concordance, args, want)
    for q in ("改革", "发展 OR 经济", "year:2016 民生"):
        query = SearchQuery(q=q, per_page=None)
        want = list(iter_rows(single, query, "right"))
        assert list(iter_rows(engines[n], query, "right")) == want


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_trends_of_every_query_are_those_of_one_index(engines, views, n):
    from search.trends import trends

    for args, want in views["trends"]:
        _same(engines[n], trends, args, want)


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_adoption_and_its_event_history_panel_are_those_of_one_index(engines, views, n):
    """Earliest mention per place (ties as one index breaks them), roll-up, the panel's
    events, risk set and place codes."""
    from search.adoption import adoption
    from search.panel import event_panel

    for args, want in views["adoption"]:
        _same(engines[n], adoption, args, want)
        if not isinstance(want, BadQuery):
            got = adoption(engines[n], *args)
            assert event_panel(got, True) == event_panel(want, True), args


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_collocations_are_those_of_one_index(engines, views, n):
    from search.collocations import collocations

    for args, want in views["collocations"]:
        _same(engines[n], collocations, args, want)


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_shared_passages_ask_every_shard_and_are_those_of_one_index(engines, views, n):
    from search.reuse import paragraph_reuse, report_reuse

    for args, want in views["reuse"]:
        assert report_reuse(engines[n], *args) == want, args
    for args, want in views["paragraph_reuse"]:
        assert paragraph_reuse(engines[n], *args) == want, args
    with pytest.raises(ReportNotFound):
        report_reuse(engines[n], "r000000000000000")


@pytest.fixture(scope="module")
def keyword_answers(single):
    """The single index's keywords (every sort, target against reference or the rest) and
    n-grams (1, 2, 4) of a few selections: computed once, compared with each shard count."""
    from search.keywords import keywords, ngrams

    vocab = single.meta["vocab"]
    provinces = sorted({p[0] for p in vocab["place"] if p[0]})
    pairs = [
        (SearchQuery(q="改革"), None),
        (SearchQuery(provinces=(provinces[0],)), SearchQuery(provinces=(provinces[-1],))),
        (SearchQuery(q="发展 NOT 经济", year_from=2018), SearchQuery(q="经济", year_to=2017)),
        (SearchQuery(levels=("district",), mode="words", q="乡村 振兴"), None),
    ]
    out: dict[str, list] = {"keywords": [], "ngrams": []}
    for i, (target, reference) in enumerate(pairs):
        for k, sort in enumerate(("ll", "pdiff", "log_ratio", "target")):
            args = (target, reference, 1 + (i + k) % 3, (1, 3)[k % 2], sort, 100)
            out["keywords"].append((args, keywords(single, *args)))
        for size in (1, 2, 4):
            args = (target, size, 1 + i % 3, 100)
            out["ngrams"].append((args, ngrams(single, *args)))
    return out


@pytest.mark.parametrize("n", SHARD_COUNTS[1:])
def test_keywords_and_ngrams_are_those_of_one_index(engines, keyword_answers, n):
    """Counts summed over the shards, equally scored items in one index's order of words
    (with 3 and 7 shards: one shard holds every count whole, as one index does)."""
    from search.keywords import keywords, ngrams

    found = 0
    for args, want in keyword_answers["keywords"]:
        assert keywords(engines[n], *args) == want, args
        found += len(want.items)
    for args, want in keyword_answers["ngrams"]:
        assert ngrams(engines[n], *args) == want, args
    assert found >= 500


def test_the_reuse_network_of_a_sharded_index_is_that_of_one_index(sharded, single):
    """Every shard's suffix array asked: the edges into a sample of reports, found over the
    shards in this process and as one Ray task per shard, are those of one index."""
    from search.cluster_network import sharded_corpus, sharded_network
    from search.network import edges

    targets = list(range(0, len(single.report_meta), 9))
    want = list(edges(single, 15, targets))
    assert len(want) >= 20
    assert list(edges(sharded_corpus(sharded(3)), 15, targets)) == want  # in this process
    records, found = sharded_network(sharded(7), 15, reports=targets)  # a Ray task per shard
    assert [r["id"] for r in records] == [r["id"] for r in single.report_meta]
    assert found == sorted(want, key=lambda e: (e.target, e.source))


def test_the_reuse_network_command_on_a_sharded_index_writes_one_index_files(
    ray_local, runner, fixture_corpus, fixture_index, tmp_path
):
    index = tmp_path / "sharded"
    assert runner("index", fixture_corpus, "--index", index, "--shards", "3").exit_code == 0
    for name, source in (("one", fixture_index), ("many", index)):
        done = runner(
            "reuse-network", "--index", source, "--min-chars", 10, "--out", tmp_path / name
        )
        assert done.exit_code == 0, done.stderr
    assert "3 shard task(s)" in done.stdout
    for name in ("edges.csv", "edges.graphml"):
        assert (tmp_path / "many" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    assert (tmp_path / "one" / "edges.csv").read_text("utf-8-sig").count("\n") > 5  # edges found


@pytest.mark.parametrize("n", SHARD_COUNTS)
def test_the_newest_hits_of_the_feed_are_those_of_one_index(engines, expected, single, n):
    # one build adds every report at once: the feed's order is then the query's own order
    for query, want in expected[::7]:
        if isinstance(want, BadQuery):
            continue
        got = [hit for hit, _ in engines[n].newest(query, 20)]
        assert got == [hit for hit, _ in single.newest(query, 20)], (n, query)


def test_what_is_not_shard_aware_refuses_by_name(engines):
    engine = engines[3]
    for name in ("chars", "words", "evaluate", "marks", "spans", "ranker"):
        with pytest.raises(ShardedUnsupported) as refused:
            getattr(engine, name)
        assert refused.value.http_status == 503 and name in str(refused.value)
        assert "分片索引" in str(refused.value)
    with pytest.raises(ShardedUnsupported):
        engine.columns.col["year"]  # no view reads a column of part of the index


def test_the_command_line_searches_a_sharded_index_as_one(runner, sharded, cluster_single):
    for args in (("改革", "--sort", "oldest", "--limit", "7"), ("发展 NEAR/5 经济", "--all")):
        one = runner("search", *args, "--json", "--index", cluster_single)
        many = runner("search", *args, "--json", "--index", sharded(3))
        assert one.exit_code == many.exit_code == 0, many.stderr
        assert _json_lines(many.stdout) == _json_lines(one.stdout) != []


def _json_lines(out: str) -> list:
    # Ray's raylet may print a warning line of its own to the driver's stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def sharded_client(sharded):
    from search_app import create_app

    return create_app({"INDEX_DIR": str(sharded(3))}).test_client()


@pytest.fixture(scope="module")
def single_client(cluster_single):
    from search_app import create_app

    return create_app({"INDEX_DIR": str(cluster_single)}).test_client()


SHARD_AWARE = (
    "/",
    "/search?q=改革",
    "/search?q=发展&sort=oldest&page=5&province={province}",
    "/api/search?q=经济 NEAR/5 发展&mode=words",
    "/api/reports",
    "/api/reports?q=改革",
    "/api/reports/{report}",
    "/reports/{report}",
    "/reports/{report}?q=发展",
    "/search.csv?q=改革",
    "/search.bib?q=改革",
    "/search.ris?q=改革",
    "/trends?q=改革&q=发展 NEAR/5 经济",
    "/concordance?q=改革&order=left",
    "/concordance.csv?q=发展&order=right&context=8",
    "/api/concordance?q=经济 OR 民生&order=place&page=3",
    "/trends.csv?q=改革&q=民生&year_from=2015",
    "/api/trends?q=扶贫&q=乡村*振兴&province={province}",
    "/search.atom?q=改革",
    "/search.atom?q=不存在的词语组合",
    "/adoption?q=改革&level=city&rollup=1",
    "/adoption.csv?q=发展&level=city",
    "/adoption/panel.csv?q=民生&level=district",
    "/adoption/panel.csv?q=改革&level=province&rollup=1&all=1",
    "/adoption/codebook?q=民生&level=city",
    "/api/adoption?q=乡村*振兴&level=province",
    "/api/adoption?q=改革&level=city&rollup=1&year_from=2015",
    "/concordance?q=改革&coll=1",
    "/api/collocations?q=发展&span=5&province={province}",
    "/api/collocations?q=改革&pos=n&pos=v&min_freq=3",
    "/collocations.csv?q=经济&stop=发展&stop_default=0",
    "/reports/{report}/reuse",
    "/api/reports/{report}/reuse",
    "/api/reports/{report}/reuse?p=3&min=10",
    "/dispersion?q=改革",
    "/api/dispersion?q=改革 OR 发展&year_from=2016",
    "/dispersion.csv?q=乡村*振兴",
    "/passage?text=经济社会发展",
    "/api/passage?text=全面建成小康社会&province={province}",
    "/trends?q=改革&each=province",
    "/trends.csv?q=发展&each=city",
    "/trends.csv?q=民生&place={place}&place=不存在的地方",
    "/keywords?q=改革",
    "/api/keywords?province={province}&n=2&sort=log_ratio",
    "/keywords.csv?year_from=2020&ref_year_to=2015",
    "/api/ngrams?q=发展&n=2",
)


def _get(client, url: str):
    """A response and its body, read whole (a stream closed before the next request)."""
    response = client.get(url)
    body = response.get_data(as_text=True)
    response.close()
    return response, body


def _fill(url: str, single: Engine) -> str:
    report = single.reports()[0]
    place = report["district"] or "全国"
    return url.format(report=report["id"], province=report["province"] or "全国", place=place)


def test_every_page_of_a_sharded_index_answers_as_one_index(sharded_client, single_client, single):
    for url in SHARD_AWARE:
        url = _fill(url, single)
        got, body = _get(sharded_client, url)
        want, wanted = _get(single_client, url)
        assert got.status_code == want.status_code == 200, (url, got.status_code, body[:300])
        if url.startswith("/api/"):
            a, b = json.loads(body), json.loads(wanted)
            a.pop("took_ms", None), b.pop("took_ms", None)
            assert a == b, url
        elif url.endswith(".csv"):
            assert body == wanted, url


def test_a_shard_killed_during_a_load_is_restarted_and_no_answer_is_partial(sharded, single):
    """Eight clients search while one shard's actor process is killed (SIGKILL): every answer
    is the whole one or the documented refusal naming a shard, and the service comes back by
    itself (Ray restarts the actor; calls in flight are retried on it)."""
    import os
    import signal
    import threading

    from search.errors import ShardUnavailable

    engine = ClusterEngine.open(sharded(3))
    queries = [SearchQuery(q=q, per_page=10) for q in ("改革", "发展 OR 经济", "民生", "政府")]
    want = {q: single.search(q) for q in queries}
    pid = engine._call("ping", shards=[1])[0]
    answers, refusals, others = [], [], []
    killed = threading.Event()

    def client(k: int) -> None:
        for i in range(12):
            if i == 3 and k == 0:
                os.kill(pid, signal.SIGKILL)
                killed.set()
            query = queries[(k + i) % len(queries)]
            try:
                answers.append(engine.search(query) == want[query])
            except ShardUnavailable as exc:
                refusals.append(str(exc))
            except Exception as exc:  # anything else is a defect
                others.append(repr(exc))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert killed.is_set() and not others, others
        assert all(answers), "a sharded answer differed from one index's"
        assert all("分片 shard-" in r for r in refusals), refusals
        assert engine._call("ping", shards=[1])[0] != pid  # a new process holds the shard
        for query in queries:
            assert engine.search(query) == want[query]
    finally:
        engine.close()
