"""Requests read once into typed models (search_app.models): each bad value is refused with
its parameter's Chinese message, whichever family of endpoints it reaches; the same model
reads a query string and a plain dict of keyword arguments alike."""

from __future__ import annotations

import html

import pytest
from werkzeug.datastructures import MultiDict

from search.errors import BadQuery
from search_app import models
from search_app.fields import from_args

REFUSED = [
    ("/api/search?q=" + "长" * 1001, "查询过长（最多 1000 个字符）"),
    (
        "/api/search?" + "&".join(f"city=市{i}" for i in range(51)),
        "参数 city 的取值过多（最多 50 个）",
    ),
    ("/api/search?type=" + "类" * 101, "参数 type 的取值过长（最多 100 个字符）"),
    ("/api/search?year=20x6", "参数 year 须为 1900–2100 之间的四位年份，而不是「20x6」"),
    ("/api/search?year_to=1899", "参数 year_to 须为 1900–2100 之间的四位年份"),
    ("/api/search?level=galaxy", "参数 level 的取值「galaxy」未知，可选：national、province"),
    ("/api/search?sort=best", "参数 sort 须为 relevance、newest、oldest 之一"),
    ("/api/search?page=abc", "参数 page 须为正整数，而不是「abc」"),
    ("/api/search?page=1001", "参数 page 须在 1 到 1000 之间；如需全部结果，请下载 CSV"),
    ("/search?page=501", "参数 page 须在 1 到 500 之间；如需全部结果，请下载 CSV"),
    ("/api/search?per_page=0", "参数 per_page 须在 1 到 100 之间"),
    ("/api/concordance?q=改革&context=101", "参数 context 须为 0 到 100 之间的整数"),
    (
        "/api/collocations?q=改革&pos=zz",
        "参数 pos 须为 jieba 词性标记之一（如 n、v、a），不是「zz」",
    ),
    ("/api/collocations?q=改革&stop_default=2", "参数 stop_default 须为 0 或 1"),
    ("/api/trends?" + "&".join(f"q=词{i}" for i in range(6)), "最多比较 5 个检索词"),
    ("/api/trends?q=发展&place=拱墅区&each=city", "参数 place 与 each 只能给一个"),
    ("/api/trends?q=发展&each=national", "参数 each 须为 province、city、district 之一"),
    ("/api/adoption?q=发展&level=national", "参数 level 须为 province、city、district 之一"),
    ("/api/adoption?q=发展&rollup=2", "参数 rollup 须为 0 或 1"),
    ("/api/keywords?n=9", "参数 n 须为 1 到 4 之间的整数"),
    ("/api/keywords?sort=best", "参数 sort 须为 ll、log_ratio、pdiff、target 之一"),
    ("/api/reports/r1/reuse?p=x", "参数 p 须为段落编号（正整数）"),
    ("/api/reports/r1/reuse?min=5", "参数 min 须为 6 到 1000 之间的整数（字数）"),
    ("/api/passage?text=长", "段落文字须为一段之内的 2 到 1000 个字"),
    ("/export/catalogue.csv?id=../x", "报告编号「../x」不合格式"),
]


@pytest.mark.parametrize(("url", "message"), REFUSED)
def test_a_bad_value_is_refused_with_its_parameters_message(client, url, message) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))


def test_a_model_reads_a_query_string_and_keyword_arguments_alike() -> None:
    """Values stripped, empty ones dropped, repeated ones once, labels read as ids."""
    pairs = [("q", " 改革 "), ("district", "拱墅区"), ("district", ""), ("district", "拱墅区")]
    pairs += [("level", "区县"), ("year", "2017"), ("year", "２０１６"), ("page", "3")]
    from_query = from_args(models.Search, MultiDict(pairs))
    from_kwargs = from_args(
        models.Search,
        {"q": "改革", "district": ["拱墅区"], "level": "district", "year": [2017, 2016], "page": 3},
    )
    assert from_query == from_kwargs
    query = from_query.search()
    assert (query.q, query.districts, query.levels) == ("改革", ("拱墅区",), ("district",))
    assert (query.years, query.page, query.per_page) == ((2016, 2017), 3, 20)


def test_a_year_range_given_backwards_is_turned_round() -> None:
    query = from_args(models.Search, {"year_from": "2018", "year_to": "2016"}).search()
    assert (query.year_from, query.year_to) == (2016, 2018)


def test_an_export_ignores_paging_even_when_malformed() -> None:
    export = from_args(models.Search, {"page": "abc", "per_page": "0"}, drop=("page", "per_page"))
    assert export.search(paged=False).per_page is None
    with pytest.raises(BadQuery, match="参数 page 须为正整数"):
        from_args(models.Search, {"page": "abc"})


def _refusal(client, url: str) -> str:
    """The message a refused request shows (the JSON's, or the page's text)."""
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    if response.is_json:
        return response.get_json()["error"]["message"]
    return html.unescape(response.get_data(as_text=True))


TRENDS = ("/api/trends", "/trends", "/trends.csv", "/trends.svg")


@pytest.mark.parametrize("path", TRENDS)
def test_trends_take_a_term_as_long_as_the_search_does(client, path) -> None:
    """The limit is the search's, and so is the message that names it."""
    too_long = _refusal(client, "/api/search?q=" + "改" * 1001)
    assert too_long == models.TOO_LONG
    for terms in (["改" * 1001], ["发展", "改" * 1001]):
        url = path + "?" + "&".join(f"q={t}" for t in terms)
        got = _refusal(client, url)
        assert too_long in got and "最多 100 个字符" not in got, url
    assert client.get(path + "?q=" + "改" * 1000).status_code == 200
    assert client.get("/api/search?q=" + "改" * 1000).status_code == 200


KEYWORDS = ("/keywords", "/keywords.csv", "/api/keywords", "/api/ngrams")
REFERENCE_REFUSED = [
    ("year=abc", "参数 year 须为 1900–2100 之间的四位年份，而不是「abc」"),
    ("ref_year=abc", "参数 ref_year 须为 1900–2100 之间的四位年份，而不是「abc」"),
    ("ref_year_to=1899", "参数 ref_year_to 须为 1900–2100 之间的四位年份"),
    ("ref_level=xyz", "参数 ref_level 的取值「xyz」未知"),
    ("ref_mode=xyz", "参数 ref_mode 须为 exact、words 之一"),
    ("ref_type=" + "类" * 101, "参数 ref_type 的取值过长（最多 100 个字符）"),
]


@pytest.mark.parametrize("path", KEYWORDS)
@pytest.mark.parametrize(("args", "message"), REFERENCE_REFUSED)
def test_a_bad_reference_parameter_is_named_with_its_prefix(client, path, args, message) -> None:
    got = _refusal(client, f"{path}?year=2020&{args}")
    assert message in got, (path, args, got[:300])


@pytest.mark.parametrize("path", KEYWORDS)
def test_every_keywords_surface_refuses_an_unknown_view(client, path) -> None:
    message = "参数 view 须为 keywords、ngrams 之一"
    assert message in _refusal(client, f"{path}?view=xyz")


@pytest.mark.parametrize("path", KEYWORDS)
@pytest.mark.parametrize("q", ["(((((((((( a", "改革 year:abc", "改" * 1001])
def test_a_bad_reference_query_is_refused_as_a_bad_query_is(client, path, q) -> None:
    """Whether or not the view counts the reference set (the n-grams do not)."""
    message = _refusal(client, f"/api/ngrams?q={q}")
    assert f"参数 ref_q：{message}" in _refusal(client, f"{path}?ref_q={q}"), path
