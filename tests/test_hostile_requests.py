"""Hostile queries and parameters against the site and the API over the bundled index: never a
5xx, costly shapes refused with a 400, the CSV streamed, formula-like cells neutralised, path
tricks in report ids a 404, `baogao serve` on 127.0.0.1 and never in debug mode.

Markup shown as text and the security headers are tested in test_site.py; response times on
the 200k-paragraph corpus are measured by tools/reliability.py (RELIABILITY.md).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baogao.cli import build_parser
from search_app import create_app
from search_app.csvexport import COLUMNS, FORMULA_STARTS

ENDPOINTS = ("/search", "/api/search", "/search.csv")
NAMES = (
    "q", "page", "per_page", "year", "year_from", "year_to", "district", "type", "level",
    "topic", "sort", "mode", "per",
)  # fmt: skip
PIECES = (
    "", " ", "0", "-1", "1", "-0", "+3", "1e3", "0x10", "99999999999999999999", "1" * 400,
    "500", "501", "1000", "1001", "2016", "2016-2018", "2018-2016", "-2018", "2016-", "-",
    "20x6", "１９９９", "٢٠١٦", "1899", "2101", "0000", "2016~2017", "—", "relevance", "newest",
    "words", "exact", "10k", "national", "区县", "economy", "经济发展", "拱墅区", "火星区",
    '"', '""', '"改革', "改革\"", "“改革", "「", "」", "(", ")", "((((((((((", "))", "()",
    "|", "||", "OR", "AND", "NOT", "-", "--", "+", "*", "?", "\\", "%", "%00", "%2F", "../",
    "district:", "year:", "year:abc", "year:2016-", "topic:不存在", "level:galaxy", "type:",
    "<script>alert(1)</script>", "'", "&amp;", "javascript:", "\x00", "\x01", "\x1b[31m",
    "\r\n", "\t", "\u200b", "\ufeff", "\u202e", "𠮷", "改革", "的", "发展", "最多跑一次",
)  # fmt: skip

pieces = st.sampled_from(PIECES)
text_values = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
values = st.one_of(
    pieces,
    text_values,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.lists(st.one_of(pieces, text_values), max_size=12).map(" ".join),
    st.lists(pieces, min_size=1, max_size=60).map("".join),
    st.tuples(pieces, st.integers(1, 1200)).map(lambda t: (t[0] or "长") * t[1]),
    st.binary(max_size=20),  # raw bytes, often not UTF-8
)
params = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), text_values), values), max_size=8)


def query_string(pairs: list[tuple[str, str | bytes]]) -> str:
    """Percent-encode pairs as a browser would; bytes values go through unchanged."""

    def enc(v: str | bytes) -> str:
        return quote_from_bytes(v, safe="") if isinstance(v, bytes) else quote(v, safe="")

    return "&".join(f"{enc(k)}={enc(v)}" for k, v in pairs)


@pytest.fixture(scope="module")
def report_id(client) -> str:
    return client.get("/api/reports").get_json()["reports"][0]["id"]


def check(response, endpoint: str) -> None:
    """Never a 5xx; a 200 has the body its endpoint promises, read to the end."""
    body = response.get_data()  # a streamed CSV is consumed here: a failure mid-stream raises
    assert response.status_code < 500, (endpoint, response.status_code, body[:300])
    if endpoint.startswith("/api/"):
        assert response.mimetype == "application/json"
        json.loads(body)
    elif response.status_code == 200 and endpoint.endswith(".csv"):
        assert response.mimetype == "text/csv" and body.startswith(b"\xef\xbb\xbfreport_id,")
    else:
        assert response.mimetype == "text/html"


SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@SETTINGS
@given(pairs=params)
def test_hostile_parameters_never_give_a_server_error(client, endpoint, pairs) -> None:
    check(client.get(endpoint, query_string=query_string(pairs)), endpoint)


@SETTINGS
@given(segment=st.one_of(text_values, pieces, st.binary(max_size=30)), pairs=params)
def test_hostile_report_ids_never_give_a_server_error(client, report_id, segment, pairs) -> None:
    raw = segment if isinstance(segment, bytes) else segment.encode()
    qs = query_string(pairs)
    for path in (f"/reports/{quote_from_bytes(raw, safe='')}", f"/reports/{report_id}"):
        check(client.get(path, query_string=qs), path)
        api = "/api" + path
        check(client.get(api, query_string=qs), api)


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=" + "+".join(f"词{i}" for i in range(33)),  # more than 32 terms
        "/search?q=" + "+OR+".join(f"词{i}" for i in range(17)),  # more than 16 OR branches
        "/search?q=" + "(" * 9 + "改革" + ")" * 9,  # deeper than 8 groups
        "/search?q=" + "长" * 1001,  # longer than 1000 characters
        "/search?" + "&".join(f"district=区{i}" for i in range(51)),  # more than 50 values
        "/search?district=" + "区" * 101,  # a value longer than 100 characters
        "/search?page=501",  # HTML pages end at 500 (the CSV has every hit)
        "/api/search?page=1001",
        "/search?per_page=101",
        "/api/search?per_page=101",
        "/search.csv?q=" + "长" * 1001,
    ],
)
def test_costly_shapes_are_refused_with_400(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 400


def test_the_csv_streams_every_hit(client) -> None:
    response = client.get("/search.csv?q=的")
    assert response.is_streamed and "Content-Length" not in response.headers
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    total = client.get("/api/search?q=的").get_json()["total"]
    assert total > 100 and len(rows) == total + 1  # page depth does not limit the export


# -- markup stays text: formula-like cells and path tricks ---------------------------------

FORMULAS = (
    "=cmd|' /C calc'!A0这一段以等号开头，在表格程序里不能当作公式执行，必须作为文字显示。",
    "+SUM(1,2)这一段以加号开头，在表格程序里同样不能被当作公式来计算，必须作为文字显示。",
    "-2+3这一段以减号开头，在表格程序里同样不能被当作公式来计算，必须作为文字来显示才对。",
    "@SUM(A1:A9)这一段以at符号开头，在表格程序里同样不能被当作函数调用，必须作为文字显示。",
)


@pytest.fixture(scope="module")
def formula_client(tmp_path_factory: pytest.TempPathFactory):
    from indexer.build import build_index
    from indexer.ingest import ingest

    corpus = tmp_path_factory.mktemp("formula-corpus")
    prose = "现在，我代表区人民政府向大会报告工作，请予审议，并请区政协各位委员提出意见。"
    fall = "规模以上工业增加值增长-2.6%，降幅比一季度收窄，全区经济运行总体平稳，主要指标好于预期。"
    body = "\n\n".join(("=HYPERLINK区政府工作报告", "各位代表：", prose, *FORMULAS, fall, prose))
    (corpus / "=formula.txt").write_text(body, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("formula-index")
    build_index(ingest([corpus]).reports, index_dir)
    return create_app({"INDEX_DIR": str(index_dir)}).test_client()


@pytest.mark.parametrize("q", ["表格程序", "=cmd", "+SUM", "@SUM", "-2+3"])
def test_csv_cells_starting_like_formulas_are_neutralised(formula_client, q) -> None:
    response = formula_client.get("/search.csv", query_string={"q": q})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) > 1
    for row in rows[1:]:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    if q == "表格程序":
        text = COLUMNS.index("text")
        assert sorted(row[text] for row in rows[1:]) == sorted("'" + f for f in FORMULAS)


def test_a_negative_number_in_a_csv_stays_a_number(formula_client) -> None:
    """-2.6% is a number to a spreadsheet, not a formula: no apostrophe in front of it."""
    response = formula_client.get("/concordance.csv", query_string={"q": '"-2.6%"'})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(row["left"][-2:], row["match"], row["right"][:3]) for row in rows] == [
        ("增长", "-2.6%", "，降幅")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/reports/../search",
        "/reports/..%2Fsearch",
        "/reports/..%2f..%2fetc%2fpasswd",
        "/reports/%2e%2e",
        "/reports/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/reports/.%2e/.%2e/pyproject.toml",
        "/reports/%252e%252e%252f",
        "/reports/..%5c..%5cwindows",
        "/reports/r%00",
        "/api/reports/..%2Fsearch",
        "/api/reports/%2e%2e",
        "/api/reports/%2e%2e%2f%2e%2e%2fpyproject.toml",
    ],
)
def test_report_ids_with_dots_or_encoded_separators_are_404(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert b"[project]" not in response.get_data() and b"root:" not in response.get_data()


# -- baogao serve: loopback by default, never debug ----------------------------------------


def test_serve_binds_loopback_by_default() -> None:
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_serve_never_runs_in_debug_mode(bundled_index: Path, monkeypatch, runner) -> None:
    import waitress

    seen = {}

    class Server:
        def run(self) -> None:
            seen["ran"] = True

    def create_server(app, **kw):
        seen.update(kw, app=app)
        return Server()

    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setattr(waitress, "create_server", create_server)
    result = runner("serve", "--index", bundled_index, "--port", "8123")
    assert result.exit_code == 0
    assert seen["ran"] and seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].debug is False
    assert "serving" in result.stderr


# -- word mode: a long query's many words are intersected rarest first ----------------------


@pytest.mark.parametrize(
    "words",
    [
        ("发展",),
        ("发展", "经济"),
        ("改革", "创新", "发展", "城市"),
        ("拱墅", "不存在的词语"),
        ("我们", "坚持", "推进", "建设", "全面", "工作", "加强", "提升", "服务", "群众"),
    ],
)
def test_word_intersection_equals_whooshs_own(bundled_index: Path, words) -> None:
    from whoosh.query import And, Term

    from search.engine import Engine

    engine = Engine.open(bundled_index)
    expected = sorted(And([Term("words", w) for w in words]).docs(engine.words.searcher()))
    got = engine.words._docs(words)
    assert sorted(int(d) for d in got.nonzero()[0]) == expected
    engine.close()


def test_a_thousand_character_query_in_word_mode_answers(client) -> None:
    text = client.get("/api/search?q=改革&per_page=100").get_json()["hits"]
    prose = "".join(h["text"] for h in text).replace(" ", "")[:1000]
    response = client.get("/api/search", query_string={"q": prose, "mode": "words"})
    assert response.status_code == 200
