"""Every form of the query language answers on every surface: queries generated from a grammar of
the README's query language, each requested on every page, export and API endpoint of the app
(read from its URL map, so a new endpoint is covered without touching this file) over the
fixture index. Each answers 200, or 400 with a message in Chinese only; never a 5xx, and a
streamed body is read to its end."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import url_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search_app import create_app
from search_app.views import CITATION_FORMATS
from tests.messages import CJK, english_half, message_of

BAD_QUERY = "改革 NEAR/1000 开放"  # NEAR beyond its limit: a documented 400
SKIPPED = {"static"}


@pytest.fixture(scope="module")
def surface_app(fixture_index: Path):
    return create_app({"INDEX_DIR": str(fixture_index)})


@pytest.fixture(scope="module")
def surface_client(surface_app):
    return surface_app.test_client()


@pytest.fixture(scope="module")
def urls(surface_app, surface_client) -> list[str]:
    """One URL per GET endpoint of the app (each value of a path parameter: both citation
    formats; a report of the index), from its URL map."""
    report_id = surface_client.get("/api/reports").get_json()["reports"][0]["id"]
    values = {"report_id": [report_id], "fmt": list(CITATION_FORMATS)}
    out = []
    with surface_app.test_request_context():
        for rule in surface_app.url_map.iter_rules():
            if rule.endpoint in SKIPPED or "GET" not in rule.methods:
                continue
            missing = rule.arguments - set(values)
            assert not missing, f"{rule}: give this test values for {missing}"
            combos = [{}]
            for name in sorted(rule.arguments):
                combos = [{**c, name: v} for c in combos for v in values[name]]
            out.extend(url_for(rule.endpoint, **c) for c in combos)
    return out


def check(client, url: str, args: dict) -> None:
    response = client.get(url, query_string=args, follow_redirects=True)
    response.get_data()  # a streamed body, read to its end (a ZIP is no text)
    where = f"{url} {args!r}"
    assert response.status_code in (200, 400), f"{where}: {response.status_code}"
    if response.status_code == 400:
        if response.is_json:
            assert response.get_json()["error"]["code"] == "bad_query", where
        message = message_of(response)
        assert CJK.search(message), f"{where}: {message!r}"
        assert not english_half(message), f"{where}: {message!r}"


# -- a grammar of the query language (README, "Query language") ---------------------------

WORDS = "改革 发展 最多跑一次 城中村 棚户区 改造 乡村 振兴 经济 政府工作報告".split()
OTHER = ["gdp", "GDP", "PM2.5", "G20", "5G", "ＧＤＰ", "１９５５", "2016", "年", "区", "衞生", "a"]
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
terms = st.one_of(
    st.sampled_from(WORDS + OTHER),
    st.text(cjk, min_size=1, max_size=3),
    st.text("0123456789", min_size=1, max_size=4),
    st.text("abcxyz", min_size=1, max_size=3),
    cjk,  # one character
)
QUOTES = [('"', '"'), ("“", "”"), ("「", "」"), ("＂", "＂")]
quoted = st.builds(
    lambda words, sep, marks: f"{marks[0]}{sep.join(words)}{marks[1]}",
    st.lists(terms, min_size=1, max_size=3),
    st.sampled_from([" ", "", " OR ", "*", "-"]),
    st.sampled_from(QUOTES),
)
FILTER_VALUES = {
    "district": ["拱墅区", "上城区", "无此区"],
    "year": ["2016", "2016-2018", "20x6", "1800"],
    "type": ["政府工作报告", "规划"],
    "level": ["district", "city", "区县", "county"],
    "topic": ["reform", "经济发展", "经济"],
    "province": ["浙江", "浙江省", "河北"],
    "city": ["杭州市", "杭州", "保定市"],
}
filters = st.sampled_from(sorted(FILTER_VALUES)).flatmap(
    lambda field: st.sampled_from(FILTER_VALUES[field]).map(lambda v: f"{field}:{v}")
)
# Gap chains up to 16 parts: matching is linear in the parts (a backtracking regex was not)
gaps = st.lists(terms, min_size=2, max_size=16).map("*".join)
loose_stars = st.builds(lambda t, end: f"{t}*" if end else f"*{t}", terms, st.booleans())
near_side = st.one_of(terms, gaps)
distances = st.one_of(st.integers(0, 120), st.integers(0, 10**30))  # any number of digits
nears = st.builds(lambda a, n, b: f"{a} NEAR/{n} {b}", near_side, distances, near_side)
atoms = st.one_of(terms, quoted, filters, gaps, loose_stars, nears)
OR_SIGNS = [" OR ", " | ", "|", "｜", " ｜ "]


def compound(inner):
    return st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(" ".join),  # AND by space
        st.lists(inner, min_size=2, max_size=3).map(" AND ".join),
        st.builds(
            lambda xs, sign: sign.join(xs),
            st.lists(inner, min_size=2, max_size=3),
            st.sampled_from(OR_SIGNS),
        ),  # fmt: skip
        inner.map(lambda x: f"-{x}"),
        inner.map(lambda x: f"NOT {x}"),
        inner.map(lambda x: f"({x})"),
        inner.map(lambda x: f"（{x}）"),
    )


expressions = st.recursive(atoms, compound, max_leaves=6)
broken = st.one_of(  # unbalanced, empty, operators alone, over-long, anything at all
    expressions.map(lambda x: f"({x}"),
    expressions.map(lambda x: f'"{x}'),
    expressions.map(lambda x: f"{x} OR"),
    st.sampled_from(["", " ", "*", "**", "-", "NOT", "OR", "NEAR/3", '"', "(", ")", "（", "「"]),
    st.sampled_from(["改" * 1001, "改 " * 600, " OR ".join(["改革"] * 40), "(" * 20 + "改革"]),
    st.text(max_size=30),
)
queries = st.one_of(expressions, expressions, broken)


# The pages' own switches beside a query: collocations, orders, a selected filter (which may
# contradict a typed one), another sort.
EXTRAS = [
    {},
    {"coll": "1"},
    {"order": "left", "context": "40"},
    {"sort": "newest"},
    {"district": "上城区"},
    {"level": "district", "year_from": "2016"},
]


@settings(max_examples=80, suppress_health_check=list(HealthCheck))
@given(q=queries, words=st.booleans(), extra=st.sampled_from(EXTRAS))
@example(q="乡村*振兴", words=False, extra={})
@example(q="经济*发展*质量", words=False, extra={"coll": "1"})
@example(q="最多跑一次 NEAR/10 改革", words=False, extra={})
@example(q="改革 NEAR/0 开放", words=True, extra={})
@example(q=BAD_QUERY, words=False, extra={})
@example(q="district:拱墅区 year:2016-2018 最多跑一次", words=False, extra={"district": "上城区"})
def test_every_query_form_answers_on_every_surface(surface_client, urls, q, words, extra) -> None:
    args = {"q": q, **extra} | ({"mode": "words"} if words else {})
    for url in urls:
        check(surface_client, url, args)


def test_every_endpoint_is_requested(urls) -> None:
    """The URL map is read whole: the pages, exports and API the README lists are all in it."""
    for path in ("/search", "/concordance", "/search.csv", "/search.atom", "/search.bib",
                 "/search.ris", "/concordance.csv", "/api/search", "/api/collocations",
                 "/trends", "/adoption", "/adoption/panel.csv", "/api/adoption"):  # fmt: skip
        assert path in urls


def test_every_streamed_answer_refuses_a_bad_query_before_it_starts(surface_client, urls):
    """A streamed export evaluates its query before the 200 is sent: a bad query is a 400
    with its message, not a broken download."""
    streamed = []
    for url in urls:
        good = surface_client.get(url, query_string={"q": "改革"})
        good.get_data()
        if "Content-Length" in good.headers:
            continue
        streamed.append(url)
        bad = surface_client.get(url, query_string={"q": BAD_QUERY})
        assert bad.status_code == 400, url
        assert "NEAR" in bad.get_data(as_text=True)
    assert {"/search.csv", "/search.bib", "/search.ris", "/concordance.csv"} <= set(streamed)


@pytest.mark.parametrize("digits", ["9999999999", "0" * 20 + "101", "9" * 400])
def test_a_near_past_its_limit_is_refused_however_many_digits_it_has(
    surface_client, urls, digits
) -> None:
    """Every surface answers NEAR/9999999999 (once read as a literal word: 200, no hits, no
    message) as it answers NEAR/101: refused, with the same message."""
    refused = set()
    for url in urls:
        one_past = surface_client.get(url, query_string={"q": "改革 NEAR/101 开放"})
        far = surface_client.get(url, query_string={"q": f"改革 NEAR/{digits} 开放"})
        one_past.get_data(), far.get_data()
        assert far.status_code == one_past.status_code, url
        if far.status_code == 400:
            assert message_of(far) == message_of(one_past), url
            if message_of(far) == "NEAR 的距离最多 100 个字符":
                refused.add(url)
    assert {"/search", "/api/search", "/search.csv", "/concordance.csv", "/trends"} <= refused
