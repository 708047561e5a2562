"""Who repeated whom, against a brute-force run: on the bundled reports plus a later report that
copies one paragraph of the earliest, every edge's passages stand verbatim in both reports, the
copy is found from the earliest report to the later one, and the edges are exactly the pairs
of reports sharing a string of N characters, directed from the earlier."""

from __future__ import annotations

import csv
import dataclasses
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from indexer.fold import fold
from indexer.models import Paragraph
from search.engine import Engine
from search.network import edges, shared_passages

N = 15
PLANTED = "rplanted"
OWN_TEXT = "这是一段只在这份报告里出现的文字，用来检验复制段落的方向。"


@pytest.fixture(scope="module")
def planted(bundled_corpus: Path, tmp_path_factory) -> tuple[Path, str, str]:
    """An index of the bundled reports and a 2030 report holding a copy of a paragraph of the
    earliest one; (index, the earliest report's id, the copied paragraph's text)."""
    from indexer.build import build_index
    from indexer.ingest import ingest

    reports = list(ingest([bundled_corpus]).reports)
    earliest = min(reports, key=lambda r: (r.year or 9999, r.date, r.id))
    copied = max(earliest.paragraphs, key=lambda p: len(p.text)).text
    later = dataclasses.replace(
        earliest,
        id=PLANTED,
        source="planted/2030.txt",
        year=2030,
        date="2030-01-01",
        title="2030年政府工作报告",
        paragraphs=(Paragraph(1, OWN_TEXT), Paragraph(2, copied), Paragraph(3, OWN_TEXT[::-1])),
    )
    index = tmp_path_factory.mktemp("planted-index")
    build_index([*reports, later], index)
    return index, earliest.id, copied


def folded_paragraphs(engine: Engine, report: int) -> list[str]:
    meta = engine.report_meta[report]
    first = meta["first"]
    return [engine.chars.folded_text(p) for p in range(first, first + meta["count"])]


def brute_pairs(engine: Engine, n: int) -> set[tuple[str, str]]:
    """(earlier id, later id) of every two reports sharing a string of n characters."""
    windows = []
    for r in range(len(engine.report_meta)):
        grams = {t[i : i + n] for t in folded_paragraphs(engine, r) for i in range(len(t) - n + 1)}
        windows.append(grams)
    rank = engine.columns.col["report_rank"]
    ids = [m["id"] for m in engine.report_meta]
    out = set()
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            if windows[a] & windows[b]:
                s, t = (a, b) if rank[a] < rank[b] else (b, a)
                out.add((ids[s], ids[t]))
    return out


@pytest.mark.parametrize("n", [N, 40])
def test_edges_are_the_pairs_a_brute_force_run_finds(planted, n) -> None:
    engine = Engine.open(planted[0])
    found = list(edges(engine, n))
    ids = [m["id"] for m in engine.report_meta]
    pairs = {(ids[e.source], ids[e.target]) for e in found}
    assert len(found) == len(pairs) == len(brute_pairs(engine, n))
    assert pairs == brute_pairs(engine, n)


def test_every_passage_stands_verbatim_in_both_reports(planted) -> None:
    engine = Engine.open(planted[0])
    found = list(edges(engine, N))
    assert found
    for e in found:
        source, target = folded_paragraphs(engine, e.source), folded_paragraphs(engine, e.target)
        assert e.passages and 0 < e.chars <= sum(len(p) for p in e.passages)
        spans = shared_passages(target, source, N)  # every start tried, not only the SA's
        assert e.passages == tuple(target[k][a:b] for k, a, b in spans)
        for text in e.passages:
            assert len(text) >= N
            assert any(text in p for p in source) and any(text in p for p in target)


def test_a_planted_copy_is_found_from_the_earlier_report(planted) -> None:
    index, earliest, copied = planted
    engine = Engine.open(index)
    ids = [m["id"] for m in engine.report_meta]
    into = [e for e in edges(engine, N) if ids[e.target] == PLANTED]
    assert earliest in {ids[e.source] for e in into}
    edge = next(e for e in into if ids[e.source] == earliest)
    assert fold(copied) in edge.passages and edge.chars == len(copied)
    assert all(ids[e.source] != PLANTED for e in edges(engine, N))  # nothing is later than it


def test_the_command_writes_csv_and_graphml(planted, runner, tmp_path) -> None:
    index = planted[0]
    result = runner("reuse-network", "--index", index, "--min-chars", N, "--out", tmp_path / "a")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a" / "edges.csv").read_text("utf-8-sig"))))
    engine = Engine.open(index)
    found = list(edges(engine, N))
    ids = [m["id"] for m in engine.report_meta]
    assert [(r["source_report"], r["target_report"], int(r["chars"])) for r in rows] == [
        (ids[e.source], ids[e.target], e.chars) for e in found
    ]
    assert all(int(r["source_year"]) <= int(r["target_year"]) for r in rows if r["source_year"])
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    graph = ET.parse(tmp_path / "a" / "edges.graphml").getroot().find("g:graph", ns)
    assert graph.get("edgedefault") == "directed"
    assert len(graph.findall("g:edge", ns)) == len(rows)
    nodes = {n.get("id") for n in graph.findall("g:node", ns)}
    assert {r["source_report"] for r in rows} | {r["target_report"] for r in rows} == nodes
    two = runner(
        "reuse-network", "--index", index, "--min-chars", N, "--out", tmp_path / "b", "--jobs", 2
    )
    assert two.exit_code == 0, two.stderr
    assert (tmp_path / "b" / "edges.csv").read_bytes() == (
        tmp_path / "a" / "edges.csv"
    ).read_bytes()
