"""A time budget per request: past it the engine stops with TimeBudgetExceeded, which the
site answers with a 503 and a Chinese message (pages, API, exports) and the CLI with exit
code 6 and one line. A budget of a nanosecond is spent before the first check."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import budget
from search.engine import Engine
from search.errors import TimeBudgetExceeded
from search.results import SearchQuery
from search.reuse import paragraph_reuse, report_reuse
from tests.messages import english_half, message_of

SPENT = 1e-9  # seconds: gone by the engine's first check

URLS = [
    "/search?q=改革",
    "/search?q=乡村*振兴",
    "/concordance?q=最多跑一次 NEAR/10 改革",
    "/search.csv?q=改革",
    "/concordance.csv?q=改革",
    "/api/search?q=改革",
    "/api/concordance?q=改革",
    "/api/collocations?q=改革",
    "/trends?q=改革",
]


@pytest.fixture(scope="module")
def spent_client(bundled_index: Path, client_of):
    return client_of(bundled_index, TIME_LIMIT=SPENT)


def test_the_engine_stops_past_its_budget(bundled_index: Path) -> None:
    engine = Engine.open(bundled_index)
    with budget.limit(SPENT), pytest.raises(TimeBudgetExceeded, match="秒的上限"):
        engine.search(SearchQuery(q="改革 OR 发展"))
    assert engine.search(SearchQuery(q="改革 OR 发展")).total > 0  # no budget outside


@pytest.mark.parametrize("url", URLS)
def test_a_spent_budget_answers_503_with_a_chinese_message(spent_client, url: str) -> None:
    response = spent_client.get(url)
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "秒的上限" in body
    assert not english_half(message_of(response))  # it ended "/ query took too long"
    if url.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "time_limit"
    budget.check()  # the thread that served it keeps no deadline


def test_the_default_budget_lets_ordinary_requests_answer(client) -> None:
    assert client.application.config["TIME_LIMIT"] > 0
    assert client.get("/search?q=改革").status_code == 200


def test_the_cli_exits_6_with_one_line(runner, bundled_index: Path) -> None:
    result = runner("search", "改革", "--index", bundled_index, "--time-limit", str(SPENT))
    assert result.exit_code == TimeBudgetExceeded.exit_code == 6
    assert result.stderr.count("\n") == 1 and "秒的上限" in result.stderr
    assert not english_half(result.stderr)
    ok = runner("search", "改革", "--index", bundled_index, "--time-limit", "0")
    assert ok.exit_code == 0


def test_the_shared_passages_stop_past_their_budget(engine) -> None:
    report_id = engine.report_meta[0]["id"]
    with budget.limit(SPENT), pytest.raises(TimeBudgetExceeded, match="秒的上限"):
        report_reuse(engine, report_id, 6)
    with budget.limit(SPENT), pytest.raises(TimeBudgetExceeded, match="秒的上限"):
        paragraph_reuse(engine, report_id, 1, 6)
    assert report_reuse(engine, report_id, 6).report_id == report_id  # no budget outside


@pytest.mark.parametrize("path", ["/api/reports/{}/reuse", "/reports/{}/reuse"])
@pytest.mark.parametrize("args", ["min=6", "min=6&p=1"])
def test_a_spent_budget_stops_the_shared_passages_with_a_503(
    spent_client, engine, path: str, args: str
) -> None:
    response = spent_client.get(path.format(engine.report_meta[0]["id"]) + "?" + args)
    assert response.status_code == 503
    assert "秒的上限" in response.get_data(as_text=True)
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "time_limit"
    budget.check()
