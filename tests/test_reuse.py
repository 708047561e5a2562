"""The same words elsewhere: every passage stands, folded, in its report and in every report
listed for it; a paragraph copied whole into another report is found at its full length;
nothing shorter than `min` is listed; the ranking adds up the passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.fold import fold
from search.engine import Engine
from search.reuse import MIN_CHARS, paragraph_reuse, report_reuse
from tests.placed import COPIED, PLACED

ENGINE_INDEXES = ("placed",)  # the `engine` fixture (conftest.py)


def folded_texts(engine: Engine, report_id: str) -> list[str]:
    return [fold(p.text) for p in engine.get_report(report_id).paragraphs]


def test_a_copied_paragraph_is_found_at_its_full_length(engine) -> None:
    source, copy = f"r{COPIED[0]:02d}", f"r{len(PLACED) - 1:02d}"
    n = COPIED[1] + 1
    text = folded_texts(engine, source)[n - 1]
    passages = paragraph_reuse(engine, source, n)
    full = [p for p in passages if (p.start, p.end) == (0, len(text))]
    assert full and copy in {o.report_id for o in full[0].elsewhere}
    back = paragraph_reuse(engine, copy, len(folded_texts(engine, copy)))
    assert any(p.chars == len(text) and source in {o.report_id for o in p.elsewhere} for p in back)


@pytest.mark.parametrize("min_chars", [MIN_CHARS, 8, 30])
@pytest.mark.parametrize("report", ["r00", "r05", "r12", f"r{len(PLACED) - 1:02d}"])
def test_every_passage_stands_in_both_reports_and_is_long_enough(engine, report, min_chars):
    own = folded_texts(engine, report)
    result = report_reuse(engine, report, min_chars)
    texts = {}
    for p in result.passages:
        assert p.chars >= min_chars and p.folded == own[p.paragraph - 1][p.start : p.end]
        assert p.reports == len(p.elsewhere) > 0
        for o in p.elsewhere:
            other = texts.setdefault(o.report_id, folded_texts(engine, o.report_id))
            assert o.report_id != report and p.folded in other[o.paragraph - 1]
    for shared in result.shared:
        assert 0 < shared.chars <= sum(p.chars for p in shared.passages)
    ranked = [s.chars for s in result.shared]
    assert ranked == sorted(ranked, reverse=True)


@pytest.mark.parametrize("report", ["r03", "r16"])
def test_passages_are_maximal_and_none_is_missed(engine, report) -> None:
    """Brute force: every `min`-character window of the report found in another report lies in
    a listed passage, and no passage can be extended by a character either way."""
    min_chars = 10
    own = folded_texts(engine, report)
    others = "\n".join(
        t for r in engine.reports() if r["id"] != report for t in folded_texts(engine, r["id"])
    )
    result = report_reuse(engine, report, min_chars)
    by_para: dict[int, list] = {}
    for p in result.passages:
        by_para.setdefault(p.paragraph, []).append(p)
        text = own[p.paragraph - 1]
        assert p.folded in others
        if p.start > 0:
            assert text[p.start - 1 : p.end] not in others
        if p.end < len(text):
            assert text[p.start : p.end + 1] not in others
    for n, text in enumerate(own, 1):
        for i in range(len(text) - min_chars + 1):
            if text[i : i + min_chars] in others:
                assert any(p.start <= i and i + min_chars <= p.end for p in by_para.get(n, ()))


# -- quoted as the report reads -------------------------------------------------------------

WIDE = "政府工作報告指出：全面推進ＧＤＰ增長和ＰＭ２．５治理，堅持高質量發展不動搖。"
PLAIN = "会上，政府工作报告指出：全面推进gdp增长和pm2.5治理，坚持高质量发展不动摇。下一步继续努力。"


@pytest.fixture(scope="module")
def wide_index(tmp_path_factory) -> Path:
    """Two reports sharing a passage: one in traditional, full-width and upper-case
    characters, the other in simplified, half-width and lower-case ones."""
    from indexer.build import build_index
    from indexer.models import Paragraph, Report

    texts = {"wide": ("开头一段，与别处无关。", WIDE), "plain": ("另一份报告的开头。", PLAIN)}
    reports = [
        Report(
            id=rid,
            source=f"{rid}.txt",
            paragraphs=tuple(Paragraph(n, t) for n, t in enumerate(p, 1)),
        )
        for rid, p in texts.items()
    ]
    index_dir = tmp_path_factory.mktemp("wide-index")
    build_index(reports, index_dir)
    return index_dir


def test_passages_quote_the_reports_own_characters(wide_index: Path, client_of) -> None:
    engine = Engine.open(wide_index)
    try:
        for rid, text in (("wide", WIDE), ("plain", PLAIN)):
            [whole] = report_reuse(engine, rid, 10).passages
            assert whole.text == text[whole.start : whole.end] and whole.folded == fold(whole.text)
            assert whole.chars >= len(
                "政府工作报告指出:全面推进gdp增长和pm2.5治理,坚持高质量发展不动摇。"
            )
            assert paragraph_reuse(engine, rid, 2, 10) == [whole]
    finally:
        engine.close()
    wide = report_reuse(Engine.open(wide_index), "wide", 10).passages[0]
    assert "報告" in wide.text and "ＧＤＰ" in wide.text and "ＰＭ２．５" in wide.text
    client = client_of(wide_index)
    for url in ("/api/reports/wide/reuse?min=10", "/api/reports/wide/reuse?min=10&p=2"):
        [passage] = client.get(url).get_json()["passages"]
        assert passage["text"] == WIDE[passage["start"] : passage["end"]] == wide.text
    page = client.get("/reports/wide/reuse?min=10").get_data(as_text=True)
    assert f"<mark>{wide.text}</mark>" in page
    link = client.get("/reports/plain/reuse?min=10").get_data(as_text=True)
    assert "ＰＭ２．５" not in link and "pm2.5治理" in link


# -- an index of several segments answers as the same index optimized ------------------------


@pytest.fixture(scope="module")
def updated(bundled_corpus: Path, tmp_path_factory) -> tuple[Path, Path]:
    """An index built by several `--update`s (new files copying paragraphs of others, a
    changed file, a removed one: four segments with deletion marks), and a copy of it
    optimized into one segment."""
    import shutil

    from indexer.ingest import ingest
    from indexer.merge import optimize
    from indexer.segments import read_current
    from indexer.update import update_index

    base = tmp_path_factory.mktemp("reuse-updated")
    corpus, index = base / "corpus", base / "index"
    corpus.mkdir()
    files = sorted(bundled_corpus.rglob("*.txt"))
    paras = {f.name: [p.text for r in ingest([f]).reports for p in r.paragraphs] for f in files}

    def mix(name: str, head: str, picks: list[tuple[int, slice]]) -> None:
        body = [head] + [t for k, part in picks for t in paras[files[k].name][part]]
        (corpus / name).write_text("\n\n".join(body) + "\n", encoding="utf-8")

    for f in files[:3]:
        shutil.copy(f, corpus / f.name)
    update_index([corpus], index, merge_budget=None)
    shutil.copy(files[3], corpus / files[3].name)
    mix("mixed-1.txt", "某区二〇二〇年政府工作报告", [(0, slice(5, 12)), (3, slice(8, 14))])
    update_index([corpus], index, merge_budget=None)
    mix(files[1].name, "某区二〇二一年政府工作报告", [(1, slice(0, 30)), (2, slice(3, 9))])
    (corpus / files[2].name).unlink()
    update_index([corpus], index, merge_budget=None)
    shutil.copy(files[4], corpus / files[4].name)
    mix("mixed-2.txt", "某县二〇二二年政府工作报告", [(4, slice(2, 6)), (1, slice(10, 16))])
    update_index([corpus], index, merge_budget=None)
    current = read_current(index)
    assert len(current["segments"]) == 4 and any(s["deleted"] for s in current["segments"])
    optimized = base / "optimized"
    shutil.copytree(index, optimized, symlinks=True)
    optimize(optimized)
    assert len(read_current(optimized)["segments"]) == 1
    return index, optimized


def test_shared_passages_of_several_segments_equal_those_after_optimize(updated) -> None:
    many, one = Engine.open(updated[0]), Engine.open(updated[1])
    try:
        assert many.meta["segments"] == 4 and one.meta["segments"] == 1
        assert many.reports() == one.reports()
        found = 0
        for record in many.reports():
            rid = record["id"]
            for min_chars in (8, MIN_CHARS, 30):
                got, want = report_reuse(many, rid, min_chars), report_reuse(one, rid, min_chars)
                assert got == want, (rid, min_chars)
                found += len(got.passages)
            for n in range(1, record["paragraph_count"] + 1, 3):
                for min_chars in (10, 20):
                    got = paragraph_reuse(many, rid, n, min_chars)
                    assert got == paragraph_reuse(one, rid, n, min_chars), (rid, n, min_chars)
        assert found > 50
    finally:
        many.close()
        one.close()


def test_the_reuse_page_and_api_answer_on_several_segments(updated, client_of) -> None:
    many, one = client_of(updated[0]), client_of(updated[1])
    ids = [r["id"] for r in Engine.open(updated[1]).reports()]
    for rid in ids[::2]:
        for query in ("?min=10", "?p=3&min=12"):
            api = f"/api/reports/{rid}/reuse{query}"
            got = many.get(api)
            assert got.status_code == 200, api
            assert got.get_json() == one.get(api).get_json(), api
            page = many.get(f"/reports/{rid}/reuse{query}")
            assert page.status_code == 200
            assert page.get_data() == one.get(f"/reports/{rid}/reuse{query}").get_data()


def test_the_reuse_network_of_several_segments_is_that_after_optimize(updated, runner, tmp_path):
    """No `baogao optimize` first: every segment's character index is asked, deleted
    paragraphs left out, and the edges (and the files written) are the optimized index's."""
    from search.network import edges

    many, one = Engine.open(updated[0]), Engine.open(updated[1])
    try:
        assert many.meta["segments"] == 4
        for min_chars in (8, MIN_CHARS, 30):
            want = list(edges(one, min_chars))
            assert list(edges(many, min_chars)) == want, min_chars
            assert want or min_chars == 30
        assert len(list(edges(one, 8))) > 5
    finally:
        many.close()
        one.close()
    for name, index in (("many", updated[0]), ("one", updated[1])):
        done = runner("reuse-network", "--index", index, "--out", tmp_path / name, "--jobs", 2)
        assert done.exit_code == 0, done.stderr
    for name in ("edges.csv", "edges.graphml"):
        assert (tmp_path / "many" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
