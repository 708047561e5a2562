"""What the commands print: one printer for what an update did, of one index or of a sharded
one, line for line."""

from __future__ import annotations

import shutil

import pytest

from baogao.printers import print_update
from indexer import format as fmt
from indexer.cluster_update import ClusterUpdate
from indexer.update import UpdateStats

FILES = {"added": ["a/1.txt", "a/2.txt"], "changed": ["b/3.txt"], "removed": ["c/4.txt"]}
FIGURES = {"reports_added": 3, "reports_removed": 2, "paragraphs_written": 41, "merged": 1}
CHANGES = (
    "added a/1.txt\nadded a/2.txt\nchanged b/3.txt\nremoved c/4.txt\n"
    "updated: 2 files added, 1 changed, 1 removed; 3 reports written (41 paragraphs), "
    "2 marked deleted; "
)
PRINTED = [
    (
        "one index, changed",
        UpdateStats(**FILES, **FIGURES, segments=4, commit=fmt.commit_name(7), seconds=2.25),
        CHANGES + f"1 segments merged; 4 segments in {fmt.commit_name(7)} in 2.2 s\n",
    ),
    (
        "one index, unchanged",
        UpdateStats(segments=3, seconds=0.4),
        "no change: 3 segments, index left as it was\n",
    ),
    (
        "sharded, changed",
        ClusterUpdate(
            **FILES,
            **FIGURES,
            shards=7,
            touched=[fmt.shard_name(1), fmt.shard_name(4)],
            published=True,
            seconds=12.0,
        ),
        CHANGES + "2 of 7 shards given a new commit; 1 segments merged; in 12.0 s\n",
    ),
    (
        "sharded, unchanged",
        ClusterUpdate(shards=2, seconds=1.0),
        "no change: 2 shards, index left as it was\n",
    ),
    (
        "sharded, only removals",
        ClusterUpdate(
            removed=["x.txt"],
            reports_removed=1,
            shards=3,
            touched=[fmt.shard_name(2)],
            published=True,
            seconds=0.5,
        ),
        "removed x.txt\nupdated: 0 files added, 0 changed, 1 removed; 0 reports written "
        "(0 paragraphs), 1 marked deleted; 1 of 3 shards given a new commit; 0 segments "
        "merged; in 0.5 s\n",
    ),
]


@pytest.mark.parametrize(("case", "stats", "printed"), PRINTED, ids=[c for c, _, _ in PRINTED])
def test_an_update_prints_its_files_and_totals(case, stats, printed, capsys) -> None:
    print_update(stats)
    assert capsys.readouterr().out == printed, case


def test_the_update_command_prints_what_it_did(runner, fixture_corpus, tmp_path, one_second):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(fixture_corpus, corpus)
    assert runner("index", corpus, "--index", index).exit_code == 0
    first = sorted(p for p in corpus.rglob("*") if p.is_file())[0]
    first.unlink()
    done = runner("index", corpus, "--index", index, "--update")
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"removed {first.relative_to(corpus).as_posix()}"
    assert lines[1].startswith("updated: 0 files added, 0 changed, 1 removed; 0 reports written")
    assert f" segments in {fmt.read_current(index)['name']} in " in lines[1]
    same = runner("index", corpus, "--index", index, "--update")
    assert same.stdout.startswith("no change: ") and same.stdout.endswith(
        " segments, index left as it was\n"
    )
