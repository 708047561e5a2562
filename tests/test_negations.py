"""A query of only negations (-改革) matches paragraphs but has no occurrence: every surface
gives the search's paragraph and report counts, the concordance says in Chinese why it has no
row, trends count 0 occurrences and the paragraphs, and adoption's mentions are the
paragraphs, its answer saying so. Over a real index of the bundled corpus."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from search.concordance import concordance
from search.matching import has_marks
from search.results import SearchQuery

NEGATIONS = ("-改革", "NOT 改革 -开放", "-改革 district:拱墅区")


def get_json(client, path: str, **params) -> dict:
    response = client.get(f"{path}?{urlencode(params)}")
    assert response.status_code == 200, (path, params, response.status_code)
    return response.get_json()


@pytest.mark.parametrize("q", NEGATIONS)
def test_the_concordance_gives_the_searchs_counts_and_says_why_it_has_no_row(client, q):
    search = get_json(client, "/api/search", q=q)
    assert search["total"] > 0 and search["reports"] > 0 and search["occurrences"] == 0
    api = get_json(client, "/api/concordance", q=q)
    assert (api["occurrences"], api["paragraphs"], api["reports"]) == (
        0,
        search["total"],
        search["reports"],
    )
    assert api["rows"] == [] and "排除条件" in api["note"] and "没有可标出的出现位置" in api["note"]
    assert f"{search['total']:,} 段" in api["note"]
    page = client.get(f"/concordance?{urlencode({'q': q})}").get_data(as_text=True)
    assert "出现 <strong>0</strong> 次" in page
    assert f"<strong>{search['total']:,}</strong> 段" in page
    assert f"<strong>{search['reports']:,}</strong> 份报告" in page
    assert api["note"] in page and "没有找到匹配的出现位置" not in page


@pytest.mark.parametrize("q", ["改革", "最多跑一次 NEAR/10 改革", "改革 OR -开放"])
def test_a_query_with_a_term_has_no_note(client, q) -> None:
    assert "note" not in get_json(client, "/api/concordance", q=q)


@pytest.mark.parametrize(
    "q", [*NEGATIONS, "改革", "改革 OR -开放", "数字*改革", "发展 district:拱墅区", ""]
)
def test_the_concordance_counts_the_searchs_paragraphs_and_reports(engine, q) -> None:
    """`改革 OR -开放` matches paragraphs without 改革 too: they count, with no row."""
    query = SearchQuery(q=q, per_page=None)
    results, con = engine.search(query), concordance(engine, query)
    assert (con.occurrences, con.paragraphs, con.reports) == (
        results.occurrences,
        results.total,
        results.reports,
    )
    assert len(con.rows) == con.occurrences


@pytest.mark.parametrize(
    "q",
    [
        "改革",
        "-改革",
        "NOT 改革 NOT 开放",
        "-(改革 -开放)",  # 开放 is negated twice: it marks
        "改革 OR -开放",
        "district:拱墅区",
        "-改革 district:拱墅区",
        "",
        "乡村*振兴",
        "-乡村*振兴",
        "最多跑一次 NEAR/10 改革",
        "-(最多跑一次 NEAR/10 改革)",
        '"　"',
    ],
)
@pytest.mark.parametrize("mode", ["exact", "words"])
def test_has_marks_is_what_the_engine_marks(engine, q: str, mode: str) -> None:
    _, ev, _ = engine.evaluate(SearchQuery(q=q, mode=mode))
    assert has_marks(q) == bool(ev.terms)


@pytest.mark.parametrize("q", ["-改革", "改革"])
def test_trends_count_occurrences_and_the_searchs_paragraphs(client, q) -> None:
    """Trends count occurrences (none for a query of only negations) and, beside them, the
    search's matching paragraphs and reports, year by year."""
    search = get_json(client, "/api/search", q=q)
    (term,) = get_json(client, "/api/trends", q=q)["terms"]
    years = term["years"]
    assert sum(y["occurrences"] for y in years) == search["occurrences"]
    assert sum(y["paragraphs"] for y in years) == search["total"] > 0
    assert sum(y["reports"] for y in years) == search["reports"]
    page = client.get(f"/trends?{urlencode({'q': q})}").get_data(as_text=True)
    assert ("没有可计数的词" in page) == (search["occurrences"] == 0)


@pytest.mark.parametrize(("q", "counts"), [("-改革", "paragraphs"), ("改革", "occurrences")])
def test_adoption_says_what_its_mentions_count(client, q: str, counts: str) -> None:
    """Adoption's mentions are the search's occurrences, or for a query with no term to count
    its matching paragraphs; the answer, page and codebook say which."""
    search = get_json(client, "/api/search", q=q)
    table = get_json(client, "/api/adoption", q=q, level="province", rollup="1")
    assert table["mentions_count"] == counts
    mentions = sum(sum(p["mentions"].values()) for p in table["places"])
    assert mentions == sum(r["mentions"] for r in table["panel"])
    assert mentions == {"paragraphs": search["total"], "occurrences": search["occurrences"]}[counts]
    params = urlencode({"q": q, "level": "province", "rollup": "1"})
    page = client.get(f"/adoption?{params}").get_data(as_text=True)
    book = client.get(f"/adoption/codebook.md?{params}").get_data(as_text=True)
    if counts == "paragraphs":
        assert "“提及”按匹配的段落计" in page and '<th scope="col">段数</th>' in page
        assert f"检索式：{q}（没有可计数的词：按段落计）" in book
    else:
        assert "按匹配的段落计" not in page and '<th scope="col">次数</th>' in page
        assert f"检索式：{q}\n" in book
