"""The HTML site over a real index of the bundled corpus: search, facets, excerpts, reader,
CSV export, errors and security headers. No mocks."""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.fold import fold
from search_app import create_app
from search_app.csvexport import COLUMNS, neutralise

QUERIES = ("最多跑一次", "城中村改造", "数字化改革", "改革", "數字化")
FACETS_SUMMING = ("place", "year", "type", "level")


@pytest.fixture(scope="module")
def report_id(client) -> str:
    return client.get("/api/reports").get_json()["reports"][0]["id"]


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def marks(text: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", text, re.S)]


def hit_links(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<h3><a href="([^"]+)"', text)]


def totals(text: str) -> int:
    m = re.search(r"<strong>([\d,]+)</strong> 段", text)
    assert m, "no totals line"
    return int(m.group(1).replace(",", ""))


def facet_counts(text: str, name: str) -> dict[str, int]:
    """label → count of the facet `name` in the sidebar (of the place tree: its top level)."""
    block = re.search(rf'<section class="facet" id="facet-{name}">(.*?)</section>', text, re.S)
    assert block, f"no facet {name}"
    if name == "place":
        return {value: count for (_, value, depth), count in place_nodes(text).items() if not depth}
    items = re.findall(
        r'<span class="label">(.*?)</span><span class="count">([\d,]+)</span>', block.group(1)
    )
    return {html.unescape(label): int(count.replace(",", "")) for label, count in items}


def place_nodes(text: str) -> dict[tuple[str, str, int], int]:
    """(field, value, depth) → count of every node of the place tree in the sidebar."""
    nodes = re.findall(
        r'<li class="node[^"]*" data-field="(\w+)" data-value="([^"]*)" data-depth="(\d+)">'
        r'.*?<span class="count">([\d,]+)</span>',
        text,
        re.S,
    )
    return {(f, html.unescape(v), int(d)): int(c.replace(",", "")) for f, v, d, c in nodes}


def csv_rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


# -- pages -----------------------------------------------------------------------------


def test_home_has_search_box_examples_and_corpus_table(client):
    text = page(client, "/")
    assert 'name="q"' in text
    for example in ("最多跑一次", "城中村改造", "数字化改革"):
        assert f">{example}</a>" in text
    assert 'class="corpus-table"' in text and "拱墅区" in text


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("facet", FACETS_SUMMING)
def test_facet_counts_sum_to_total_without_selection(client, q, facet):
    text = page(client, f"/search?q={q}")
    assert sum(facet_counts(text, facet).values()) == totals(text)


@pytest.mark.parametrize("q", QUERIES)
def test_every_mark_equals_the_query_after_folding(client, q):
    text = page(client, f"/search?q={q}&per_page=100")
    found = marks(text)
    assert found, f"no marks for {q}"
    assert {fold(m) for m in found} == {fold(q)}


def test_marks_of_several_terms_are_each_a_term(client):
    text = page(client, "/search?q=改革 创新&per_page=100")
    assert {fold(m) for m in marks(text)} == {"改革", "创新"}


@pytest.mark.parametrize("q", ("最多跑一次", "城中村改造"))
def test_every_hit_permalink_returns_its_anchor(client, q):
    links = hit_links(page(client, f"/search?q={q}&per_page=100"))
    assert links
    for link in links:
        path, _, anchor = link.partition("#")
        assert re.fullmatch(r"p\d+", anchor)
        reader = page(client, path)
        assert f'id="{anchor}"' in reader
        assert fold(q) in {fold(m) for m in marks(reader)}


@pytest.mark.parametrize("q", ("最多跑一次", "改革", ""))
def test_csv_has_total_rows(client, q):
    total = totals(page(client, f"/search?q={q}"))
    rows = csv_rows(client, f"/search.csv?q={q}")
    assert len(rows) == total
    assert tuple(rows[0]) == COLUMNS
    assert all(fold(q) in fold(r["text"]) for r in rows)


def test_place_filter_total_equals_its_facet_count_at_every_node(client):
    nodes = place_nodes(page(client, "/search?q=改革"))
    assert len(nodes) > 1
    for (field, value, _), count in nodes.items():
        if value:
            assert totals(page(client, f"/search?q=改革&{field}={value}")) == count


def test_several_values_of_one_facet_are_ored(client):
    counts = facet_counts(page(client, "/search?q=改革"), "type")
    a, b = list(counts)[:2]
    text = page(client, f"/search?q=改革&type={a}&type={b}")
    assert totals(text) == counts[a] + counts[b]
    assert facet_counts(text, "type") == counts  # a facet ignores its own selection


def test_same_url_twice_gives_the_same_hits(client):
    url = "/search?q=改革&sort=newest&page=2"
    assert hit_links(page(client, url)) == hit_links(page(client, url))
    assert len(hit_links(page(client, url))) == 20


def test_facet_links_toggle_values_and_keep_the_state(client):
    text = page(client, "/search?q=改革&sort=oldest&per=10k")
    block = re.search(r'id="facet-place">(.*?)</section>', text, re.S).group(1)
    href = html.unescape(re.search(r'<a href="([^"]+)"', block).group(1))
    args = parse_qs(urlsplit(href).query)
    assert args["q"] == ["改革"] and args["sort"] == ["oldest"] and args["per"] == ["10k"]
    selected = page(client, href)
    assert 'aria-current="true" title="取消选择"' in selected


def test_timeline_bars_link_to_their_year_and_show_numbers(client):
    text = page(client, "/search?q=改革")
    assert '<svg class="chart"' in text and "<title>" in text
    bar_links = re.findall(r'<a href="([^"]+)" class="bar">', text)
    years = [parse_qs(urlsplit(html.unescape(h)).query).get("year") for h in bar_links]
    assert all(y and len(y) == 1 for y in years)
    assert '<details class="tl-table">' in text and "各地区" in text
    per10k = page(client, "/search?q=改革&per=10k")
    assert "每万字段数" in per10k


def test_year_range_narrows_the_results(client):
    text = page(client, "/search?q=改革&year_from=2016&year_to=2017")
    years = facet_counts(text, "year")
    selected = sum(c for label, c in years.items() if label in ("2016年", "2017年"))
    assert totals(text) == selected


def test_pagination_links_to_next_page(client):
    text = page(client, "/search?q=改革")
    assert 'rel="next"' in text
    nxt = html.unescape(re.search(r'<a class="next" href="([^"]+)"', text).group(1))
    assert parse_qs(urlsplit(nxt).query)["page"] == ["2"]


def test_reader_shows_header_headings_citations_and_profile(client):
    link = hit_links(page(client, "/search?q=最多跑一次"))[0]
    path, _, anchor = link.partition("#")
    text = page(client, path)
    assert "来源文件" in text and "报告人" in text
    assert re.search(r'<h[234] class="para heading" id="p\d+"', text)
    assert re.search(r"\[R/OL\]\. 杭州: \w+, \d{4}(\([\d-]+\))?: 第\d+段\[", html.unescape(text))
    assert "主题构成" in text
    assert "在本报告" in text
    if len(hit_links(page(client, "/search?q=最多跑一次&per_page=100"))) > 1:
        assert "下一处" in text or "上一处" in text


def test_reader_without_query_marks_nothing(client):
    link = hit_links(page(client, "/search?q=改革"))[0]
    assert marks(page(client, link.partition("?")[0])) == []


def test_citation_names_issuer_title_paragraph_and_date(client, bundled_index):
    from search.engine import Engine

    engine = Engine.open(bundled_index)
    report = next(r for r in engine.reports() if r["date"] == "2017-02-09")
    n = next(p.n for p in engine.get_report(report["id"]).paragraphs if not p.heading)
    text = html.unescape(page(client, f"/reports/{report['id']}"))
    expected = (  # its title is a bare 政府工作报告: year and place supplied, in [ ]
        "杭州市拱墅区人民政府. [2017年拱墅区]政府工作报告[R/OL]. 杭州: 杭州市拱墅区人民政府, "
        f"2017(2017-02-09): 第{n}段["
    )
    assert expected in text
    assert f"/reports/{report['id']}#p{n}." in text


# -- errors and hostile input ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/search?page=-1",
        "/search?page=abc",
        "/search?page=501",
        "/search?year=20x6",
        "/search?per_page=1000",
        "/search?year_from=1",
        "/search?sort=random",
        "/search?mode=fuzzy",
        "/search?level=galaxy",
        "/search?topic=nope",
        "/search?q=" + "长" * 1001,
        "/search.csv?sort=abc",
        "/search.csv?year=20x6",
    ],
)
def test_bad_parameters_are_400_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert 'class="message"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=%22%E6%94%B9",
        "/search?q=(((",
        "/search?q=-",
        "/search?q=%00%01",
        "/search?district=%E7%81%AB%E6%98%9F",
        "/search?q=OR",
        "/search?q=year:abc",
        "/search?page=500",
        "/reports/{id}?q=%22",
        "/reports/{id}?q=-改革",
        "/reports/{id}?q=district:拱墅区",
    ],
)
def test_odd_but_valid_input_never_errors(client, report_id, url):
    assert client.get(url.replace("{id}", report_id)).status_code in (200, 400)


@pytest.mark.parametrize(
    "report_id",
    ["nope", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "ABC", "a%00b", "a.b", "r%2Fx"],
)
def test_unknown_or_malformed_report_is_404(client, report_id):
    response = client.get(f"/reports/{report_id}")
    assert response.status_code == 404
    assert "未找到" in response.get_data(as_text=True)


SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=改革",
        "/search?page=abc",
        "/reports/nope",
        "/search.csv?q=改革",
        "/static/style.css",
        "/api/search?q=改革",
        "/api/reports/nope",
    ],
)
def test_security_headers_on_every_response(client, url):
    with client.get(url) as response:
        headers = response.headers
    for name, value in SECURITY.items():
        assert headers[name] == value
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/search?q=改革", hit_links(page(client, "/search?q=改革"))[0]):
        text = page(client, url)
        scripts = re.findall(r"(<script[^>]*>)(.*?)</script>", text, re.S)
        assert len(scripts) == text.count("<script") > 0
        for tag, body in scripts:  # every script a file of the site's own, none inline
            assert re.fullmatch(r'<script src="/static/\w+\.js" defer>', tag) and not body
        assert " style=" not in text and "<style" not in text


def test_csv_cells_that_look_like_formulas_are_neutralised():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-x") == "'-x"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("改革") == "改革"
    assert neutralise(None) == ""


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("-2.6%", "-2.6%"),  # numbers: a spreadsheet reads them as numbers, not formulas
        ("-3", "-3"),
        (-3, "-3"),
        ("+86", "+86"),
        ("-1,234.5", "-1,234.5"),
        ("-.5", "-.5"),
        ("-1e3", "-1e3"),
        ("-2+3", "'-2+3"),  # a sum: a formula
        ("-2.6%，降幅收窄", "'-2.6%，降幅收窄"),
        ("-", "'-"),
        ("+", "'+"),
        ("-1,23", "'-1,23"),
        ("\t-3", "'\t-3"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),  # full-width: some spreadsheets take it as =
        ("－3", "'－3"),
    ],
)
def test_only_cells_a_spreadsheet_would_run_are_neutralised(cell, written):
    assert neutralise(cell) == written


HOSTILE = """<script>alert(1)</script>区政府工作报告

——2019年1月10日在测试区第一届人民代表大会第一次会议上

测试区区长  张三

各位代表：

现在，我代表区人民政府向大会报告工作，请予审议。<script>alert(1)</script>是一段脚本。

一、过去一年工作回顾

我们推进“最多跑一次”改革，<img src=x onerror=alert(1)>图片标签也应当作为文字显示。

引号"双引号"和'单引号'，javascript:alert(1) 链接，实体 &amp; &lt;b&gt; &#60;i&#62; 都是文字。

=HYPERLINK("http://example.com")开头的段落在表格中应当被中和。
"""
RAW = ("<script>alert", "<img src", "onerror=alert(1)>", "<b>", "<i>")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from indexer.build import build_index
    from indexer.ingest import ingest

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    (corpus / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("hostile-index")
    reports = ingest([corpus]).reports
    assert len(reports) == 1
    build_index(reports, index_dir)
    return create_app({"INDEX_DIR": str(index_dir)}).test_client(), reports[0].id


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=",
        "/search?q=alert",
        "/search?q=<script>",
        "/search?q=<img src=x onerror=alert(1)>",
        '/search?q="双引号"',
        "/search?q=javascript:",
        "/search?q=%26lt%3Bb%26gt%3B",
        "/search?q=改革&district=<script>alert(1)</script>",
        "/search?page=abc&q=<script>alert(1)</script>",
        "/reports/{id}",
        "/reports/{id}?q=<script>",
        "/reports/{id}?q=onerror",
    ],
)
def test_markup_in_corpus_and_query_is_shown_as_text(hostile, url):
    client, report_id = hostile
    response = client.get(url.replace("{id}", report_id))
    assert response.status_code in (200, 400)
    text = response.get_data(as_text=True)
    for raw in RAW:
        assert raw not in text
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", text))
    assert tags <= {
        "html",
        "head",
        "meta",
        "title",
        "link",
        "script",
        "body",
        "header",
        "div",
        "a",
        "span",
        "form",
        "input",
        "button",
        "main",
        "section",
        "p",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "aside",
        "ul",
        "li",
        "details",
        "summary",
        "figure",
        "figcaption",
        "svg",
        "line",
        "text",
        "rect",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ol",
        "mark",
        "nav",
        "strong",
        "code",
        "pre",
        "article",
        "dl",
        "dt",
        "dd",
        "label",
    }


def test_hostile_text_survives_as_text(hostile):
    client, report_id = hostile
    text = html.unescape(page(client, f"/reports/{report_id}"))
    assert "<script>alert(1)</script>是一段脚本" in text
    assert "<img src=x onerror=alert(1)>图片标签" in text
    assert "实体 & <b> <i> 都是文字" in text  # entities in a text file are decoded, shown as text
    assert "&lt;b&gt; &lt;i&gt;" in page(client, f"/reports/{report_id}")
    found = page(client, "/search?q=<script>")
    assert [m for m in marks(found)] and {fold(m) for m in marks(found)} == {"<script>"}


def test_hostile_csv_is_neutralised(hostile):
    client, _ = hostile
    rows = csv_rows(client, "/search.csv?q=HYPERLINK")
    assert len(rows) == 1 and rows[0]["text"].startswith("'=HYPERLINK")


PARAMS = (
    "q",
    "province",
    "city",
    "district",
    "year",
    "year_from",
    "year_to",
    "type",
    "level",
    "topic",
    "sort",
    "mode",
    "page",
    "per_page",
    "per",
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(["/search", "/search.csv", "/api/search", "/reports/{id}"]),
    args=st.lists(st.tuples(st.sampled_from(PARAMS), st.text(max_size=30)), max_size=5),
)
def test_no_query_string_gives_a_server_error(client, report_id, path, args):
    response = client.get(path.replace("{id}", report_id), query_string=args)
    assert response.status_code < 500, (path, args, response.get_data(as_text=True)[:300])
    response.close()


def test_missing_index_is_503_not_500(tmp_path):
    client = create_app({"INDEX_DIR": str(tmp_path / "nowhere")}).test_client()
    assert client.get("/search?q=改革").status_code == 503
    response = client.get("/api/search?q=改革")
    assert response.status_code == 503 and response.get_json()["error"]["code"]


def test_a_rebuilt_index_is_picked_up_without_restart(tmp_path):
    from indexer.build import build_index
    from indexer.ingest import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(HOSTILE, encoding="utf-8")
    index_dir = tmp_path / "index"
    build_index(ingest([corpus]).reports, index_dir)
    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
    assert totals(page(client, "/search?q=跑零次")) == 0
    (corpus / "a.txt").write_text(HOSTILE.replace("最多跑一次", "跑零次"), encoding="utf-8")
    build_index(ingest([corpus]).reports, index_dir)
    assert totals(page(client, "/search?q=跑零次")) == 1


@pytest.mark.parametrize(
    ("typed", "param"),
    [
        ("district:拱墅", "district=拱墅"),
        ("type:党代会", "type=党代会报告"),
        ("year:2016-2018", "year_from=2016"),
    ],
)
def test_a_filter_typed_in_the_query_shows_as_the_same_selection(client, typed, param):
    response = client.get(f"/search?q=改革 {typed}&sort=oldest")
    assert response.status_code == 302
    target = response.headers["Location"]
    assert param in unquote(target) and "sort=oldest" in target
    args = parse_qs(urlsplit(target).query)
    assert args["q"] == ["改革"]
    text = page(client, target)
    typed_total = client.get("/api/search", query_string={"q": f"改革 {typed}"}).get_json()["total"]
    assert totals(text) == typed_total > 0
    assert 'class="chip"' in text


def test_two_typed_places_stay_in_the_query(client):
    """Typed filters are ANDed, URL values of one facet ORed: two places stay typed."""
    response = client.get("/search?q=改革 district:拱墅区 district:上城区")
    assert response.status_code == 200
    assert totals(response.get_data(as_text=True)) == 0


def test_csv_ignores_paging(client):
    """The CSV is every matching paragraph: page and per_page are not its business."""
    rows = csv_rows(client, "/search.csv?q=改革&page=600&per_page=5")
    assert len(rows) == totals(page(client, "/search?q=改革"))


def test_the_readers_way_back_restores_the_results_page(client):
    url = "/search?q=改革&type=政府工作报告&sort=oldest&page=2"
    links = hit_links(page(client, url))
    assert links
    reader = page(client, links[0])
    back = html.unescape(re.search(r'<a href="([^"]+)">← 返回检索结果</a>', reader).group(1))
    assert parse_qs(urlsplit(back).query) == parse_qs(urlsplit(url).query)
    assert hit_links(page(client, back)) == links


def test_the_reader_has_a_table_of_contents_and_the_same_places_other_reports(client):
    reports = client.get("/api/reports?per_page=100").get_json()["reports"]
    by_place: dict[str, list] = {}
    for r in reports:
        by_place.setdefault(r["place"]["name"], []).append(r)
    place, series = max(by_place.items(), key=lambda kv: len(kv[1]))
    assert len(series) > 1, "the bundled corpus holds a place with several reports"
    for r in series:
        text = page(client, f"/reports/{r['id']}")
        toc = re.findall(r'<li class="toc-\d"><a href="#(p\d+)">', text)
        paragraphs = client.get(f"/api/reports/{r['id']}?per_page=100").get_json()["paragraphs"]
        assert toc == [f"p{p['paragraph']}" for p in paragraphs if p["heading"]]
        siblings = re.findall(r'<a rel="(prev|next)" href="/reports/([^"?#]+)"', text)
        assert siblings
        for rel, other in siblings:
            meta = client.get(f"/api/reports/{other}").get_json()
            assert meta["place"]["name"] == place
            earlier = (meta["date"] or str(meta["year"])) <= (r["date"] or str(r["year"]))
            assert earlier == (rel == "prev")


def test_home_counts_reports_by_level_and_type(client):
    text = page(client, "/")
    reports = client.get("/api/reports?per_page=100").get_json()["reports"]
    tallies = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a><span class="count">(\d+) 份</span>', text
    )
    assert sum(
        int(n) for _, label, n in tallies if label in ("全国", "省级", "市级", "区县")
    ) == len(reports)
    for url, _, n in tallies:  # each count is the number of reports its link shows
        args = parse_qs(urlsplit(html.unescape(url)).query)
        assert client.get("/api/reports", query_string=args).get_json()["total"] == int(n)


def test_the_year_facet_shows_every_year(client):
    text = page(client, "/search?q=改革")
    block = re.search(r'<section class="facet" id="facet-year">(.*?)</section>', text, re.S).group(
        1
    )
    shown = re.findall(r'<span class="label">(\d{4})年</span>', block)
    years = {f["value"] for f in client.get("/api/search?q=改革").get_json()["facets"]["year"]}
    assert "<details" not in block and len(shown) == len([y for y in years if y]) > 1


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=6),
    st.text(min_size=1, max_size=20),
)
def test_links_built_once_per_request_are_those_flask_builds(app, args, report_id) -> None:
    """The URL parameters quoted once per value and the report links built from a prefix
    kept for the request are what urlencode and url_for give, whatever the id."""
    from urllib.parse import urlencode

    from flask import url_for

    from search_app.urls import _with_args, report_url

    with app.test_request_context("/search?q=x"):
        assert _with_args("/search", args) == ("/search?" + urlencode(args) if args else "/search")
        for rid in (report_id, "zj-2020-gongzuo", report_id):  # the prefix, then reused
            want = url_for("views.report", report_id=rid, _external=True)
            assert report_url(rid, external=True) == want
            assert (
                report_url(rid, "改革", 3, "words")
                == url_for("views.report", report_id=rid) + "?q=%E6%94%B9%E9%9D%A9&mode=words#p3"
            )
