"""A shard actor's process killed (SIGKILL) while eight clients use the site's JSON API on a
sharded index: every answer is the single index's, whole, or the documented 503 naming a
shard in Chinese; never another 5xx, never a partial count; the service returns by itself
(Ray restarts the actor at the commit the cluster commit names). Skipped without Ray."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

URLS = (
    "/api/search?q=改革",
    "/api/search?q=发展 OR 经济&sort=oldest&page=2",
    "/api/search?q=人民&mode=words&province=浙江省",
    "/api/concordance?q=改革&order=left",
    "/api/trends?q=改革&q=民生",
    "/api/reports?q=经济",
)
RECOVERY = 180.0  # seconds the restarted actor may take on a busy machine


@pytest.fixture(scope="module")
def bundled_pair(bundled_sharded, bundled_index: Path) -> tuple[Path, Path]:
    """A 3-shard index and one index of the bundled corpus (the session's)."""
    return bundled_sharded(3), bundled_index


def _body(response) -> tuple[int, dict]:
    data = json.loads(response.get_data(as_text=True))
    response.close()
    data.pop("took_ms", None)
    return response.status_code, data


def test_a_shard_killed_under_load_gives_whole_answers_or_a_named_503(bundled_pair, monkeypatch):
    import search.cluster
    from search_app import create_app

    sharded, single = bundled_pair
    one = create_app({"INDEX_DIR": str(single)}).test_client()
    want = {}
    for url in URLS:
        status, body = _body(one.get(url))
        assert status == 200, url
        want[url] = body
    app = create_app({"INDEX_DIR": str(sharded)})
    engine = app.extensions["baogao.engine"].get()
    pid = engine._call("ping", shards=[1])[0]
    warm = app.test_client()
    for url in URLS:
        assert _body(warm.get(url)) == (200, want[url])
    monkeypatch.setattr(search.cluster, "DEADLINE", 5.0)  # so that a slow restart shows 503s

    killed_at: list[float] = []
    seen: list[tuple[float, str, int, dict]] = []  # (started, url, status, body)
    stop = threading.Event()
    lock = threading.Lock()

    def client(k: int) -> None:
        client = app.test_client()
        i = k
        while not stop.is_set():
            url = URLS[i % len(URLS)]
            i += 1
            started = time.monotonic()
            status, body = _body(client.get(url))
            with lock:
                seen.append((started, url, status, body))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    try:
        while len(seen) < 16:
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        killed_at.append(time.monotonic())
        limit = killed_at[0] + RECOVERY
        while time.monotonic() < limit:
            with lock:
                after = [s for s in seen if s[0] > killed_at[0] and s[2] == 200]
            if len(after) >= 16:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=RECOVERY)

    refused = [(url, body) for _, url, status, body in seen if status == 503]
    wrong = [(url, status) for _, url, status, body in seen if status not in (200, 503)]
    assert not wrong, wrong  # no other 5xx (nor any other status)
    for _url, body in refused:  # the documented refusal: the shard named, in Chinese
        assert body["error"]["code"] == "shard_unavailable", body
        assert (
            "分片 shard-00" in body["error"]["message"] and "暂不可用" in body["error"]["message"]
        )
    for _, url, status, body in seen:
        if status == 200:
            assert body == want[url], url  # whole: the single index's answer, counts and all
    recovered = [s for s in seen if s[0] > killed_at[0] and s[2] == 200]
    assert len(recovered) >= 16, f"{len(refused)} refused, {len(recovered)} answered after the kill"
    new_pid = engine._call("ping", shards=[1])[0]
    assert new_pid != pid  # a new process holds the shard
    print(f"{len(seen)} answers, {len(refused)} of them the 503, {len(recovered)} after the kill")

    # a request asked while the shard restarts, with less time than a restart takes: the 503
    monkeypatch.setattr(search.cluster, "DEADLINE", 0.3)
    client = app.test_client()
    os.kill(new_pid, signal.SIGKILL)
    status, body = _body(client.get(URLS[0]))
    assert status == 503 and body["error"]["code"] == "shard_unavailable", body
    assert "分片 shard-00" in body["error"]["message"], body
    monkeypatch.setattr(search.cluster, "DEADLINE", 5.0)
    limit = time.monotonic() + RECOVERY
    while time.monotonic() < limit and status != 200:
        status, body = _body(client.get(URLS[0]))
    assert (status, body) == (200, want[URLS[0]])  # back by itself


def test_opening_waits_for_the_shards_longer_than_a_request_does(bundled_pair, monkeypatch):
    """A large shard on a network file system may take longer to open than a request may
    wait: the open has its own deadline (BAOGAO_SHARD_OPEN_DEADLINE), not the request's."""
    import search.cluster
    from search.cluster import ClusterEngine

    monkeypatch.setattr(search.cluster, "DEADLINE", 0.001)  # far less than an actor's start
    engine = ClusterEngine.open(bundled_pair[0])
    try:
        assert len(engine._call("ping", deadline=120)) == 3
    finally:
        engine.close()


# -- streamed exports --------------------------------------------------------------------------


def _until_whole(client, url: str, want: bytes) -> None:
    """Ask until the restarted shard answers again (so the next test starts whole)."""
    limit = time.monotonic() + RECOVERY
    while time.monotonic() < limit:
        response = client.get(url)
        try:
            if response.status_code == 200 and response.get_data() == want:
                return
        except Exception:  # the stream failed: not back yet
            pass
        finally:
            response.close()
        time.sleep(0.2)
    raise AssertionError(f"{url} did not come back whole")


@pytest.mark.parametrize("url", ["/export/text.jsonl", "/export/text.txt"])
def test_a_text_export_whose_shard_is_down_answers_the_named_503_not_a_200(
    bundled_pair, monkeypatch, url
):
    """The export fetches its first reports before it sends the status: a shard that cannot
    answer gives the documented 503 naming it, not a 200 whose body then breaks off."""
    import search.cluster
    from search_app import create_app

    sharded, single = bundled_pair
    want = create_app({"INDEX_DIR": str(single)}).test_client().get(url).get_data()
    app = create_app({"INDEX_DIR": str(sharded)})
    client = app.test_client()
    assert client.get(url).get_data() == want  # whole, as one index
    engine = app.extensions["baogao.engine"].get()
    first = engine.reports()[0]["id"]
    pid = engine._call("ping", shards=[engine.shard_of(first)])[0]
    monkeypatch.setattr(search.cluster, "DEADLINE", 0.3)  # less than a restart takes
    os.kill(pid, signal.SIGKILL)
    response = client.get(url)
    try:
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "分片 shard-00" in page and "暂不可用" in page
    finally:
        response.close()
    monkeypatch.setattr(search.cluster, "DEADLINE", 5.0)
    _until_whole(client, url, want)


def test_a_shard_lost_in_the_middle_of_an_export_ends_the_download_incomplete(
    bundled_pair, monkeypatch
):
    """Under waitress, a shard that stops answering after the 200 was sent ends the chunked
    body without its last chunk: the client sees an incomplete download, never a short file
    that looks whole."""
    import http.client

    import waitress

    import search.cluster
    import search_app.bulk as bulk
    from search_app import create_app

    sharded, _ = bundled_pair
    app = create_app({"INDEX_DIR": str(sharded)})
    whole = app.test_client().get("/export/text.jsonl").get_data()
    monkeypatch.setattr(bulk, "BATCH", 1)  # one report per round trip: several after the 200
    fetched = []
    real = bulk.get_reports

    def get_reports(eng, ids):
        fetched.append(ids)
        if len(fetched) == 3:  # the stream is under way: its shard dies, no time to restart
            monkeypatch.setattr(search.cluster, "DEADLINE", 0.3)
            os.kill(eng._call("ping", shards=[eng.shard_of(ids[0])])[0], signal.SIGKILL)
        return real(eng, ids)

    monkeypatch.setattr(bulk, "get_reports", get_reports)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=120)
        conn.request("GET", "/export/text.jsonl")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Transfer-Encoding") == "chunked"
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
        got = cut.value.partial
        assert got and whole.startswith(got) and len(got) < len(whole)
        assert got.count(b"\n") == 2  # the two reports sent before the shard was lost
        conn.close()
    finally:
        server.close()
        thread.join(timeout=30)
    monkeypatch.setattr(search.cluster, "DEADLINE", 5.0)
    monkeypatch.setattr(bulk, "get_reports", real)
    _until_whole(app.test_client(), "/export/text.jsonl", whole)


def test_each_shard_keeps_to_the_requests_time_budget(bundled_pair) -> None:
    """A shard actor stops a request whose time budget is spent, as one index does (it
    worked on past the budget before, while the front had nothing to answer with): the
    budget's error reaches the caller, and the next request is answered whole."""
    from search import budget
    from search.cluster import ClusterEngine
    from search.engine import Engine
    from search.errors import TimeBudgetExceeded
    from search.results import SearchQuery

    engine, one = ClusterEngine.open(bundled_pair[0]), Engine.open(bundled_pair[1])
    try:
        query = SearchQuery(q="改革 OR 发展", per_page=5)
        with budget.limit(1e-9), pytest.raises(TimeBudgetExceeded, match="秒的上限"):
            engine.search(query)
        with budget.limit(1e-9), pytest.raises(TimeBudgetExceeded, match="秒的上限"):
            engine.concordance(query)
        assert engine.search(query) == one.search(query)
    finally:
        engine.close()
        one.close()
