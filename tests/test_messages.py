"""What a user reads when a request is refused: one message in Chinese only, the same on the
pages, the exports, the API and the command line."""

from __future__ import annotations

import pytest

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
