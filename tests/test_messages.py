"""What a user reads when a request is refused: one message in Chinese only, the same on the
pages, the exports, the API and the command line, and a value of the user's repeated in 「」
with the characters that would not show written as escapes (never Python's repr)."""

from __future__ import annotations

import pytest

from search.errors import quoted
from tests.messages import message_of

LIMITS = [
    ("改革 NEAR/101 开放", "NEAR 的距离最多 100 个字符"),
    ("改革 NEAR/9999999999 开放", "NEAR 的距离最多 100 个字符"),
    ("(((((((((改革)))))))))", "括号嵌套过深（最多 8 层）"),
    (" ".join(f"词{i}" for i in range(33)), "检索词过多（最多 32 个）"),
    (" OR ".join(f"词{i}" for i in range(17)), "OR 分支过多（最多 16 个）"),
]
SURFACES = ["/search", "/concordance", "/api/search", "/api/concordance", "/search.csv",
            "/concordance.csv", "/search.bib", "/trends", "/export/catalogue.csv"]  # fmt: skip


@pytest.mark.parametrize(("q", "message"), LIMITS)
@pytest.mark.parametrize("url", SURFACES)
def test_a_query_past_a_limit_is_refused_in_chinese_everywhere(client, url, q, message) -> None:
    response = client.get(url, query_string={"q": q})
    assert response.status_code == 400
    assert message_of(response) == message
    if response.is_json:
        assert response.get_json()["error"]["code"] == "bad_query"  # the code unchanged


@pytest.mark.parametrize(("q", "message"), LIMITS)
def test_the_command_line_refuses_it_with_the_same_line(runner, bundled_index, q, message):
    result = runner("search", q, "--index", bundled_index)
    assert result.exit_code == 2
    assert result.stderr == f"baogao: {message}\n"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("拱墅区", "「拱墅区」"),
        ("-1", "「-1」"),
        ("\x00", "「\\x00」"),
        ("a\tb\nc", "「a\\x09b\\x0ac」"),
        ("零\u200b宽", "「零\\u200b宽」"),  # a zero-width space
        ("\ufeff", "「\\ufeff」"),
        ("\ud800", "「\\ud800」"),  # a lone surrogate
        ("\U000e0001", "「\\U000e0001」"),  # a tag character (format)
        ("\\x00", "「\\x00」"),  # a backslash typed as such is shown as such
        ("　全角空格 ", "「　全角空格 」"),  # spaces show between the brackets
        ("{name}", "「{name}」"),
        ("长" * 41, "「" + "长" * 40 + "…」"),
        (2016, "「2016」"),
    ],
)
def test_a_users_value_is_quoted_in_corner_brackets_with_hidden_characters_escaped(
    value, shown
) -> None:
    assert quoted(value) == shown


NOT_FOUND = [
    ("/api/reports/%00", "没有编号为「\\x00」的报告"),
    ("/reports/%00", "没有编号为「\\x00」的报告"),
    ("/api/reports/%00/reuse", "没有编号为「\\x00」的报告"),
    ("/reports/%E2%80%8B/reuse", "没有编号为「\\u200b」的报告"),
    ("/api/reports/no-such-report", "没有编号为「no-such-report」的报告"),  # the engine's
    ("/reports/no-such-report/reuse", "没有编号为「no-such-report」的报告"),
    ("/api/reports/" + "x" * 200, "没有编号为「" + "x" * 40 + "…」的报告"),
    ("/search.%00", "没有「\\x00」格式的导出"),
]


@pytest.mark.parametrize(("url", "message"), NOT_FOUND)
def test_a_report_that_is_not_there_is_named_in_corner_brackets(client, url, message) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert message_of(response) == message


YEAR = "须为 1900–2100 之间的四位年份，而不是"
POS = "参数 pos 须为 jieba 词性标记之一（如 n、v、a），不是"
REFUSED_VALUES = [
    ("/export/catalogue.csv?id=%00", "报告编号「\\x00」不合格式"),
    ("/api/search?page=-1", "参数 page 须为正整数，而不是「-1」"),
    ("/api/search?per_page=1%00", "参数 per_page 须为正整数，而不是「1\\x00」"),
    ("/api/search?year=20%0016", f"参数 year {YEAR}「20\\x0016」"),
    ("/api/search?year_from=%7Bname%7D", f"参数 year_from {YEAR}「{{name}}」"),
    ("/api/search?level=%7Bvalue%7D", "参数 level 的取值「{value}」未知，可选："),
    ("/api/search?level=district&level=%7Bname%7D", "参数 level 的取值「{name}」未知，可选："),
    ("/api/collocations?q=改革&pos=%00", f"{POS}「\\x00」"),
    ("/search?q=改革 year:20%0016", f"参数 year {YEAR}「20」"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "message"), REFUSED_VALUES)
def test_a_refused_value_is_repeated_in_corner_brackets(client, url, message) -> None:
    """Never Python's repr ('\\x00', '-1'), and never read as part of the message's template
    ({name} stays what the user typed)."""
    response = client.get(url)
    assert response.status_code == 400
    assert message_of(response).startswith(message)
