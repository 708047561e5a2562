"""A results page says what the query was understood as and, where a query probably meant
something else, how to ask for it."""

from __future__ import annotations

import html
import re
import typing

import pytest

from search import query as ql
from search_app.hints import understood


def notes(client, q: str, **args) -> tuple[str, list[str]]:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200, q
    text = response.get_data(as_text=True)
    understood = re.search(r'<p class="understood">(.*?)</p>', text)
    hints = [html.unescape(h) for h in re.findall(r'<p class="hint">(.*?)</p>', text)]
    return (html.unescape(understood.group(1)) if understood else ""), hints


@pytest.mark.parametrize(
    ("q", "said"),
    [
        ("城中村 OR 棚户区", "按 「城中村」或「棚户区」 检索"),
        ("改革 -经济", "按 「改革」且非「经济」 检索"),
        ("(城中村 OR 棚户区) 改造", "按 （「城中村」或「棚户区」）且「改造」 检索"),
        ('"城中村 改造"', "按 「城中村 改造」 检索"),
        ("乡村*振兴", "按 「乡村」…「振兴」（…为同一句内的 0–4 个字） 检索"),
        ("最多跑一次 NEAR/10 改革", "按 「最多跑一次」与「改革」相距 10 字以内 检索"),
        ("-(改革 NEAR/3 开放)", "按 非（「改革」与「开放」相距 3 字以内） 检索"),
    ],
)
def test_the_page_says_what_the_query_was_understood_as(client, q, said):
    assert notes(client, q)[0] == said


@pytest.mark.parametrize("path", ["/search", "/concordance"])
@pytest.mark.parametrize("q", ["乡村*振兴", "经济*发展*质量", "最多跑一次 NEAR/10 改革"])
def test_gap_and_near_queries_answer_on_the_pages(client, path, q):
    """The home page suggests them; the pages that explain a query (understood, hints) answer."""
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 200
    assert 'class="hint"' not in response.get_data(as_text=True)


# One query per kind of node of the query tree: each kind has words.
EVERY_NODE = [
    "",
    "改革",
    "乡村*振兴",
    "改革 NEAR/5 开放",
    "year:2016",
    "-改革",
    "改革 开放",
    "改革|开放",
]


def test_every_kind_of_query_node_is_put_in_words():
    kinds = {type(node) for q in EVERY_NODE for node in ql.walk(ql.parse(q))}
    assert kinds == set(typing.get_args(ql.Node))  # a new kind needs a query here
    for q in EVERY_NODE:
        assert understood(q)


@pytest.mark.parametrize(
    ("q", "hint"),
    [
        ("改革 and 开放", "大写 AND / OR / NOT"),
        ("改革+开放", "请用空格分开"),
        ("改革*", "末尾的 “*” 按原文检索"),
        ('"城中村 改造"', "原文里多半写作「城中村改造」"),
        ("-", "没有可检索的词"),
        ('"', "没有可检索的词"),
        ("改革 topic:经济", "是否要找 经济发展"),
        ("改革 level:county", "没有级别「county」"),
    ],
)
def test_a_likely_slip_gets_a_hint(client, q, hint):
    _, hints = notes(client, q)
    assert any(hint in h for h in hints), hints


def test_typed_and_selected_filters_that_exclude_each_other_are_explained(client):
    _, hints = notes(client, "改革 district:拱墅区", district="上城区")
    assert any("同时生效" in h for h in hints), hints


def test_a_plain_query_gets_no_hint(client):
    assert notes(client, "最多跑一次")[1] == []


def test_a_word_written_the_taiwan_way_points_to_the_corpus_form(client):
    """著力 is folded as written (著 is also a simplified character): the page says the corpus
    writes 着力, and how to search both."""
    _, hints = notes(client, "著力")
    assert any("着力" in h and "著力 OR 着力" in h for h in hints), hints
    _, plain = notes(client, "着力")
    assert plain == []


def test_a_hint_counts_the_corpus_form_as_the_search_does(client):
    """The count in a hint comes from the index's counts, and equals the search's own."""
    _, hints = notes(client, "資訊")
    total = client.get("/api/search", query_string={"q": "信息"}).get_json()["occurrences"]
    assert any(f"多写作「信息」（{total:,} 处）" in h for h in hints), (hints, total)
    assert total > 0


def test_a_hint_runs_no_search_of_its_own(client, monkeypatch):
    """The page evaluates its query once; the hint's two counts (著力 and 着力) are read from
    the character index, not from searches of each form."""
    from search.engine import Engine

    evaluated: list[str] = []
    original = Engine.evaluate

    def counted(self, query):
        evaluated.append(query.q)
        return original(self, query)

    monkeypatch.setattr(Engine, "evaluate", counted)
    _, hints = notes(client, "著力 改善")
    assert any("著力 OR 着力" in h for h in hints), hints
    assert evaluated == ["著力 改善"]


def test_variant_characters_fold_to_their_simplified_form(client):
    def total(q):
        return client.get("/api/search", query_string={"q": q}).get_json()["total"]

    assert total("衞生") == total("衛生") == total("卫生") > 0
