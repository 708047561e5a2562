"""The word ids keywords and n-grams count are written by the build (`tokens.npz`, from the
cut the word index is made of) and read when an index is opened: the same table as
segmenting every paragraph again, on one segment and on several with deletions, with no
segmenting on the first request; an index written before they were kept still answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer import format as fmt
from indexer.update import update_index
from search import tokens
from search.engine import Engine
from search.keywords import keywords, ngrams
from search.results import SearchQuery
from search.tokens import TokenTable, token_table

ENGINE_INDEXES = ("bundled", "updated", "shared")  # the `engine` fixture (conftest.py)


@pytest.fixture(scope="module")
def updated_index(fixture_corpus: Path, tmp_path_factory) -> Path:
    """The fixture corpus indexed, then updated with one file changed and one removed: two
    segments, deletion marks, and a paragraph order that interleaves them."""
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(fixture_corpus, corpus, dirs_exist_ok=True)
    index = tmp_path_factory.mktemp("index")
    update_index([corpus], index, merge_budget=0)
    files = sorted(corpus.rglob("*.txt"))
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n新增一段关于数字经济的内容。\n")
    files[-1].unlink()
    update_index([corpus], index, merge_budget=0)
    assert len(fmt.read_current(index)["segments"]) == 2
    return index


def test_the_stored_word_ids_are_the_segmenters(engine) -> None:
    stored = TokenTable.read(engine.chars, engine.n)
    assert stored is not None
    made = TokenTable.of(engine.chars, engine.n)
    assert stored.vocab == made.vocab
    assert np.array_equal(stored.lengths, made.lengths)
    assert np.array_equal(stored.ids, made.ids)


def test_the_first_keywords_request_segments_nothing(engine, monkeypatch) -> None:
    def refuse(_):
        raise AssertionError("the table was made by segmenting every paragraph")

    monkeypatch.setattr(tokens, "cut", refuse)
    fresh = Engine.open(engine.path.parent)
    try:
        result = keywords(fresh, SearchQuery(q="改革"), None, 1)
        assert result.items and token_table(fresh).vocab
    finally:
        fresh.close()


def test_an_index_without_word_ids_answers_the_same(bundled_index: Path, tmp_path) -> None:
    old = tmp_path / "old"
    shutil.copytree(bundled_index, old, symlinks=True)
    for segment in old.iterdir():
        if fmt.has_tokens(segment):
            (segment / fmt.TOKENS).unlink()
    with_ids, without = Engine.open(bundled_index), Engine.open(old)
    try:
        assert TokenTable.read(without.chars, without.n) is None
        for target, reference, n in (
            (SearchQuery(year_from=2016), SearchQuery(year_to=2015), 1),
            (SearchQuery(q="发展"), None, 2),
        ):
            assert keywords(with_ids, target, reference, n) == keywords(
                without, target, reference, n
            )
        query = SearchQuery(districts=("拱墅区",))
        assert ngrams(with_ids, query, 3) == ngrams(without, query, 3)
    finally:
        with_ids.close()
        without.close()


def test_word_codes_are_those_a_sort_gives(engine) -> None:
    """grams(1) takes the ids as codes without sorting: the same codes and first positions
    as np.unique gives."""
    table = token_table(engine)
    ids = table.ids.astype(np.int64)
    valid = ids != -1
    distinct, first, inverse = np.unique(ids[valid], return_index=True, return_inverse=True)
    codes = np.full(len(ids), len(distinct), np.int32)
    codes[valid] = inverse
    assert table._words() is not None  # the build numbers words as they first occur
    got_codes, got_first = table.grams(1)
    assert np.array_equal(got_codes, codes)
    assert np.array_equal(got_first, np.flatnonzero(valid)[first])
