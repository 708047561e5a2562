"""`baogao search` means what the API means by every value, and answers every line of a
queries file in order, whatever the file holds."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from baogao.cli import main


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def answers(capsys, index: Path, *argv: str) -> tuple[int, list[dict]]:
    code, lines, _ = run(capsys, "search", *argv, "--index", str(index), "--json")
    return code, [json.loads(line) for line in lines]


def test_a_queries_file_gets_one_answer_per_line_in_order(capsys, bundled_index, tmp_path):
    lines = ["发展", "year:abc", "", "改革", "topic:不存在 改革", "x" * 2000, "最多跑一次"]
    path = tmp_path / "queries.txt"
    path.write_text("\n".join(lines) + "\n", encoding="gbk")  # a GBK file, as Windows saves it
    code, got = answers(capsys, bundled_index, "--queries", str(path))
    assert code == 2  # some lines were refused, and every line was answered
    assert [a["query"] for a in got] == lines
    assert [("error" in a) for a in got] == [False, True, False, False, False, True, False]
    assert got[6]["total"] > 0 and got[1]["error"] == "bad_query" and got[1]["message"]


def test_limit_zero_gives_counts_and_no_hits(capsys, bundled_index):
    code, [answer] = answers(capsys, bundled_index, "改革", "--limit", "0")
    assert code == 0 and answer["total"] > 0 and answer["hits"] == []


def test_the_cli_and_the_api_agree_on_every_value(capsys, bundled_index, client):
    def api(**args):
        return client.get("/api/search", query_string={"q": "改革", **args}).get_json()

    _, [empty] = answers(capsys, bundled_index, "改革", "--district", "")
    assert empty["total"] == api()["total"] > 0  # an empty value is no selection
    _, [trad] = answers(capsys, bundled_index, "改革", "--district", "拱墅區")
    assert trad["total"] == api(district="拱墅区")["total"] > 0  # values fold as text does
    code, _, err = run(
        capsys, "search", "改革", "--topic", "nonsense", "--index", str(bundled_index)
    )
    assert code == 2 and "topic" in err  # an unknown value is explained, as the API does
    _, [upper] = answers(capsys, bundled_index, "改革 topic:Reform level:District")
    _, [lower] = answers(capsys, bundled_index, "改革 topic:reform level:district")
    assert upper["total"] == lower["total"] > 0
    assert set(upper["facet_info"]) == set(api()["facet_info"])


def test_a_negated_chinese_term_is_a_query_not_an_option(capsys, bundled_index):
    code, [answer] = answers(capsys, bundled_index, "-经济")
    _, [everything] = answers(capsys, bundled_index, "")
    _, [positive] = answers(capsys, bundled_index, "经济")
    assert code == 0 and answer["total"] == everything["total"] - positive["total"]


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("（城中村 OR 棚户区）", "(城中村 OR 棚户区)"), ("城中村 ｜ 棚户区", "城中村 | 棚户区"),
     ("改革 －经济", "改革 -经济"), ("＂改革 开放＂", '"改革 开放"')],
)  # fmt: skip
def test_full_width_operators_work_as_operators(capsys, bundled_index, typed, plain):
    _, [a] = answers(capsys, bundled_index, typed)
    _, [b] = answers(capsys, bundled_index, plain)
    assert a["total"] == b["total"] and a["occurrences"] == b["occurrences"]


def test_a_pasted_fragment_is_searched_as_written(capsys, bundled_index, bundled_corpus):
    text = "".join(p.read_text("utf-8") for p in sorted(bundled_corpus.rglob("*.txt")))
    fragment = next(f for f in ("推进“最多跑一次”改革", "“最多跑一次”改革") if f in text)
    _, [answer] = answers(capsys, bundled_index, fragment, "--all")
    assert answer["total"] > 0
    assert all(fragment in hit["text"] for hit in answer["hits"])


# bytes that are not UTF-8 reach Python's argv as lone surrogates (surrogateescape)
NOT_UTF8 = b"\xe6\x94\xb9\xe9\x9d\xa9\xff".decode("utf-8", "surrogateescape")  # 改革 + 0xFF


@pytest.mark.parametrize(
    "argv",
    [(NOT_UTF8,), ("改革", "--district", NOT_UTF8), ("改革", "--year", NOT_UTF8)],
    ids=["query", "district", "year"],
)
def test_bytes_that_are_not_utf8_are_refused_in_chinese(capsys, bundled_index, argv) -> None:
    code, [answer] = answers(capsys, bundled_index, *argv)
    assert code == 2 and answer["error"] == "bad_query"
    assert "UTF-8" in answer["message"] and "\ufffd" in answer["message"]
    assert answer["query"] == argv[0].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    code, lines, err = run(capsys, "search", *argv, "--index", str(bundled_index))
    assert code == 2 and not lines and "不是 UTF-8 的字节" in err


@pytest.mark.parametrize("q", ["改革 level:xyz", "改革 topic:不存在", "改革 and 开放", "改革"])
def test_the_api_and_the_cli_give_the_hints_the_page_shows(capsys, bundled_index, client, q):
    """A filter value typed in the query that the index does not know matches nothing: the
    page explains it, and so do the API and `baogao search --json` (they answered a bare 0)."""
    api = client.get("/api/search", query_string={"q": q}).get_json()["hints"]
    _, [cli] = answers(capsys, bundled_index, q)
    page = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert cli["hints"] == api and all(html.escape(h, quote=False) in page for h in api)
    assert bool(api) == (q != "改革")
    if "xyz" in q:
        assert any("没有级别「xyz」" in h for h in api)
