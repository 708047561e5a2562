"""A passage's lineage against the reports' own text: every report holding the passage, in
date order (the earliest its source), each at its first paragraph holding it."""

from __future__ import annotations

import random

import pytest

from indexer.fold import fold
from indexer.segments import date_key
from search.engine import Engine
from search.lineage import lineage
from search.results import SearchQuery

ENGINE_INDEXES = ("bundled", "shared")  # the `engine` fixture (conftest.py) opens each


def passages(engine: Engine) -> list[str]:
    """Strings of 6 to 40 characters cut from paragraphs picked at random (seeded)."""
    rng = random.Random(7)
    out = ["改革", "坚持以人民为中心的发展思想"]
    for pid in rng.sample(range(engine.n), 12):
        text = engine.chars.folded_text(pid)
        if len(text) >= 8:
            start = rng.randrange(0, len(text) - 6)
            out.append(text[start : start + rng.randint(6, 40)])
    return out


def brute(engine: Engine, text: str, filters: SearchQuery) -> list[tuple[str, int, int]]:
    """(report id, first paragraph, occurrences) of each report holding `text`, by date."""
    found = []
    for record in engine.reports(filters if filters != SearchQuery() else None):
        paragraphs = engine.get_report(record["id"]).paragraphs
        hits = [(p.n, fold(p.text).count(text)) for p in paragraphs if text in fold(p.text)]
        if hits:
            found.append((date_key(record), record["id"], hits[0][0], sum(c for _, c in hits)))
    return [(rid, n, c) for _, rid, n, c in sorted(found)]


@pytest.mark.parametrize(
    "filters", [SearchQuery(), SearchQuery(year_from=2018)], ids=["all", "2018-"]
)
def test_holders_are_every_report_holding_the_passage_by_date(engine, filters) -> None:
    for text in passages(engine):
        result = lineage(engine, text, filters)
        got = [(h.report_id, h.paragraph, h.occurrences) for h in result.holders]
        assert got == brute(engine, fold(text), filters), text


def test_page_and_api(client) -> None:
    body = client.get("/api/passage?text=改革").get_json()
    assert body["reports"] == len(body["holders"]) > 1
    years = [h["year"] for h in body["holders"]]
    assert years == sorted(years)
    html = client.get("/passage?text=改革").get_data(as_text=True)
    assert html.count('class="when"') == body["reports"] and "最早" in html
    assert client.get("/api/passage?text=改").status_code == 400
