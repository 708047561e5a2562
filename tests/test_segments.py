"""An index of several segments answers exactly as a full rebuild of the same files: files
added, changed and removed in steps with `--update`, merged, optimized; after each step every
answer of a brute-force exactness set is compared with a full rebuild's."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.ingest import ingest
from indexer.merge import optimize
from indexer.segments import plan_merge, read_current
from indexer.update import update_index
from search.engine import Engine
from search.results import SearchQuery

FIXED = (
    "改革",
    "发展 OR 经济",
    "改革 NOT 发展",
    '"最多跑一次"',
    "人民 NEAR/5 政府",
    "",
    "year:2016-2018 经济",
)


def phrases(corpus: Path, n: int = 25, seed: int = 3) -> list[str]:
    """Substrings of the corpus's paragraphs, two to six characters long."""
    rng = random.Random(seed)
    texts = [p.text for r in ingest([corpus]).reports for p in r.paragraphs if len(p.text) > 8]
    out = []
    for _ in range(n):
        text = rng.choice(texts)
        k = rng.randint(2, 6)
        i = rng.randrange(len(text) - k)
        out.append(text[i : i + k])
    return out


def answers(engine: Engine, queries: list[str]) -> dict:
    """Everything the exactness set looks at: hits in order with their marks, totals,
    occurrences, facets, the place tree and the timeline; reports and the reader."""
    out = {}
    for q in queries:
        for mode in ("exact", "words"):
            for sort in ("relevance", "newest", "oldest"):
                query = SearchQuery(q=q, mode=mode, sort=sort, per_page=None)
                out[(q, mode, sort)] = engine.search(query)
        filtered = SearchQuery(q=q, per_page=None, districts=("拱墅区",), years=(2017, 2018))
        out[(q, "filtered")] = engine.search(filtered)
        out[(q, "page 2")] = engine.search(SearchQuery(q=q, per_page=3, page=2))
    out["reports"] = engine.reports()
    out["reader"] = [engine.get_report(r["id"]) for r in engine.reports()]
    out["neighbours"] = [engine.table.neighbours(r["id"]) for r in engine.reports()]
    return out


def assert_same(update_dir: Path, corpus: Path, rebuild_dir: Path, queries: list[str]) -> None:
    build_index(ingest([corpus]).reports, rebuild_dir)
    got, want = Engine.open(update_dir), Engine.open(rebuild_dir)
    try:
        assert got.n == want.n
        assert got.meta["vocab"] == want.meta["vocab"]
        a, b = answers(got, queries), answers(want, queries)
        for key in b:
            assert a[key] == b[key], key
    finally:
        got.close()
        want.close()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def sources(bundled_corpus, fixture_corpus) -> list[Path]:
    files = sorted(bundled_corpus.rglob("*.txt")) + sorted(fixture_corpus.rglob("*.txt"))
    return [f for f in files if "gbk" not in f.name and "traditional" not in f.name]


def test_updates_in_steps_answer_exactly_as_a_full_rebuild(sources, tmp_path, bundled_corpus):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    queries = [*FIXED, *phrases(bundled_corpus)]
    text = {f: f.read_text(encoding="utf-8") for f in sources}
    first, later = sources[:4], sources[4:]
    for f in first:
        write(corpus / "a" / f.name, text[f])
    update_index([corpus], index, merge_budget=None)
    assert_same(index, corpus, tmp_path / "r0", queries)

    # added files, in a folder before and after the existing one
    for f in later[:2]:
        write(corpus / "0" / f.name, text[f])
    write(corpus / "b" / later[2].name, text[later[2]])
    stats, _ = update_index([corpus], index, merge_budget=None)
    assert len(stats.added) == 3 and not stats.changed and not stats.removed
    assert len(read_current(index)["segments"]) == 2
    assert_same(index, corpus, tmp_path / "r1", queries)

    # a changed file (a paragraph appended, another district's words) and a removed one
    changed = corpus / "a" / first[1].name
    write(changed, text[first[1]] + "\n\n今年全面推进最多跑一次改革，拱墅区发展经济。\n")
    (corpus / "a" / first[2].name).unlink()
    before = {r["id"] for r in Engine.open(index).reports()}
    stats, _ = update_index([corpus], index, merge_budget=None)
    assert stats.changed == [f"a/{first[1].name}"] and stats.removed == [f"a/{first[2].name}"]
    assert {r["id"] for r in Engine.open(index).reports()} <= before  # ids stay the same
    assert_same(index, corpus, tmp_path / "r2", queries)

    # nothing changed: nothing committed
    name = read_current(index)["name"]
    stats, _ = update_index([corpus], index, merge_budget=None)
    assert stats.commit is None and read_current(index)["name"] == name

    # the rest added; then a merge of everything, then optimize
    for f in later[3:]:
        write(corpus / "c" / f.name, text[f])
    (corpus / "0" / later[0].name).unlink()
    update_index([corpus], index, merge_budget=None)
    assert len(read_current(index)["segments"]) >= 3
    assert_same(index, corpus, tmp_path / "r3", queries)
    optimize(index)
    current = read_current(index)
    assert len(current["segments"]) == 1 and not current["segments"][0]["deleted"]
    assert_same(index, corpus, tmp_path / "r4", queries)


def test_unchanged_reports_keep_ids_and_paragraph_numbers(sources, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for f in sources[:3]:
        shutil.copy(f, corpus / f.name)
    update_index([corpus], index)
    keys = {(r["id"], r["source"], r["paragraph_count"]) for r in Engine.open(index).reports()}
    shutil.copy(sources[3], corpus / sources[3].name)
    update_index([corpus], index)
    after = {(r["id"], r["source"], r["paragraph_count"]) for r in Engine.open(index).reports()}
    assert keys < after


@pytest.mark.parametrize(
    ("sizes", "budget", "chosen"),
    [
        ([100] * 7, None, []),  # fewer than a tier's worth
        ([100] * 8, None, list(range(8))),  # a full tier of small segments
        ([50_000, *[100] * 8], None, list(range(1, 9))),  # the big one is in another tier
        ([100] * 8, 500, []),  # over the budget
        ([100, 0, 100], None, [1]),  # an empty segment is dropped
    ],
)
def test_tiered_merge_policy(sizes, budget, chosen):
    assert plan_merge(sizes, budget) == chosen


def test_cli_update_says_what_was_added_changed_and_removed(sources, tmp_path, runner):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for f in sources[:3]:
        shutil.copy(f, corpus / f.name)
    assert runner("index", corpus, "--index", index).exit_code == 0
    shutil.copy(sources[3], corpus / sources[3].name)
    (corpus / sources[0].name).unlink()
    with open(corpus / sources[1].name, "a", encoding="utf-8") as fh:
        fh.write("\n\n新增一段：推进数字化改革。\n")
    result = runner("index", corpus, "--index", index, "--update")
    assert result.exit_code == 0, result.stderr
    assert f"added {sources[3].name}" in result.stdout
    assert f"changed {sources[1].name}" in result.stdout
    assert f"removed {sources[0].name}" in result.stdout
    assert "1 files added, 1 changed, 1 removed" in result.stdout
    assert "no change" in runner("index", corpus, "--index", index, "--update").stdout
    optimized = runner("optimize", "--index", index)
    assert optimized.exit_code == 0 and "2 segments → 1" in optimized.stdout
    assert "1 segments" in runner("status", "--index", index).stdout


def test_a_file_that_gives_no_report_is_skipped_not_added(sources, tmp_path, runner):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(sources[0], corpus / sources[0].name)
    assert runner("index", corpus, "--index", index).exit_code == 0
    (corpus / "notes.txt").write_text("hello, no Chinese prose here\n", encoding="utf-8")
    for _ in range(2):  # unchanged, it is skipped again, never counted as added
        result = runner("index", corpus, "--index", index, "--update")
        assert result.exit_code == 0, result.stderr
        assert "notes.txt" in result.stderr + result.stdout
        assert "added notes.txt" not in result.stdout
        assert "no change" in result.stdout
    assert len(read_current(index)["segments"]) == 1


def test_a_missing_path_stops_the_update_and_removes_nothing(sources, tmp_path, runner):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(sources[0], corpus / sources[0].name)
    assert runner("index", corpus, "--index", index).exit_code == 0
    before = read_current(index)
    result = runner("index", tmp_path / "no-such-folder", "--index", index, "--update")
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr and "left as it was" in result.stderr
    assert read_current(index) == before


def test_two_files_of_one_name_are_indexed_once(sources, tmp_path):
    a, b, index = tmp_path / "a", tmp_path / "b", tmp_path / "index"
    a.mkdir()
    b.mkdir()
    shutil.copy(sources[0], a / "report.txt")
    shutil.copy(sources[1], b / "report.txt")
    result = ingest([a, b])
    assert {r.source for r in result.reports} == {"report.txt"}
    assert any("same name as" in p.reason for p in result.problems)
    for _ in range(2):  # and an update neither doubles nor drops its reports
        update_index([a, b], index)
        ids = [r["id"] for r in Engine.open(index).reports()]
        assert sorted(ids) == sorted({r.id for r in result.reports})


def test_a_rebuild_keeps_when_unchanged_reports_were_added(sources, tmp_path, runner, one_second):
    """A full rebuild must not make every paragraph new to the feeds; a changed file is new,
    even within the second of the build before (`one_second`)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for f in sources[:2]:
        shutil.copy(f, corpus / f.name)

    def added_by_source() -> dict[str, int]:
        engine = Engine.open(index)
        return {r["source"]: float(engine.added[r["first"]]) for r in engine.report_meta}

    assert runner("index", corpus, "--index", index).exit_code == 0
    first = added_by_source()
    with open(corpus / sources[1].name, "a", encoding="utf-8") as fh:
        fh.write("\n\n新增一段：推进数字化改革。\n")
    assert runner("index", corpus, "--index", index).exit_code == 0
    second = added_by_source()
    assert second[sources[0].name] == first[sources[0].name]
    assert second[sources[1].name] > first[sources[1].name]


@pytest.mark.parametrize("emptied", ["removed", "unreadable"])
def test_an_update_that_would_remove_every_report_is_refused(sources, tmp_path, runner, emptied):
    """An emptied folder (or one whose files all fail to read) must not wipe the index: the
    update says so, writes nothing, and the CLI, the engine and the site answer as before."""
    from search_app import create_app

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for f in sources[:2]:
        shutil.copy(f, corpus / f.name)
    assert runner("index", corpus, "--index", index).exit_code == 0
    before, folders = read_current(index), sorted(p.name for p in index.iterdir())
    found = runner("search", "改革", "--index", index, "--json", "--limit", "0").stdout
    for f in corpus.iterdir():
        if emptied == "removed":
            f.unlink()
        else:
            f.write_text("hello, no Chinese prose here\n", encoding="utf-8")
    result = runner("index", corpus, "--index", index, "--update")
    assert result.exit_code == 1
    assert "no reports found" in result.stderr and "left as it was" in result.stderr
    assert f"remove all {len(before['order'])} reports" in result.stderr
    if emptied == "unreadable":  # the reason each file gave nothing is shown
        assert all(f"skipped {f.name}" in result.stderr for f in corpus.iterdir())
    assert read_current(index) == before
    assert sorted(p.name for p in index.iterdir()) == folders
    with pytest.raises(ValueError, match="left as it was"):
        update_index([corpus], index)
    assert runner("search", "改革", "--index", index, "--json", "--limit", "0").stdout == found
    engine = Engine.open(index)
    assert len(engine.reports()) == len(before["order"])
    assert engine.search(SearchQuery(q="改革")).total > 0
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    rid = engine.reports()[0]["id"]
    for url in ("/", "/search?q=改革", "/api/search?q=改革", f"/reports/{rid}", "/api/reports"):
        assert client.get(url).status_code == 200, url
    assert client.get("/api/search?q=改革").get_json()["total"] > 0


def test_a_commit_naming_no_segment_is_reported_as_holding_no_report(tmp_path, runner):
    """An empty commit, as an earlier version wrote after removing every file, is named for
    what it is rather than blamed on another character fold."""
    from indexer.segments import commit
    from search.errors import IndexMissing

    index = tmp_path / "index"
    index.mkdir()
    commit(index, [], [], {})
    with pytest.raises(IndexMissing, match="holds no report"):
        Engine.open(index)
    result = runner("search", "改革", "--index", index)
    assert result.exit_code == IndexMissing.exit_code
    assert "holds no report" in result.stderr and "character fold" not in result.stderr
