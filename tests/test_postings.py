"""Word postings written in one pass read back as Whoosh's own writer would have written them."""

from __future__ import annotations

import random

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import STORED, FieldType, Schema
from whoosh.formats import Existence

from indexer.analysis import jieba_analyzer
from indexer.postings import WordPostings

WORDS = ["发展", "改革", "最多跑一次", "g20", "5g", "经济", "区块链", "区域", "a", "z"]


def _docs(n: int, seed: int = 5) -> list[set[str]]:
    """`n` documents of random words: 发展 in all (several blocks), others rarer, some empty."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        words = {w for w in WORDS if rng.random() < 0.3}
        docs.append(words | {"发展"} if i % 7 else set())
    return docs


def _schema() -> Schema:
    words = FieldType(Existence(), analyzer=jieba_analyzer(), scorable=False, stored=False)
    return Schema(words=words, pid=STORED())


def _write(folder, docs, ours: bool):
    ix = whoosh_index.create_in(str(folder), _schema())
    writer = ix.writer()
    postings = WordPostings()
    for doc, words in enumerate(docs):
        if ours:
            writer.add_document(pid=doc)
            postings.add(doc, words)
        else:  # Whoosh's own path: a list bypasses the analyzer
            writer.add_document(pid=doc, words=sorted(words))
    if ours:
        postings.write(writer.fieldwriter, "words", ix.schema["words"])
    writer.commit()
    return whoosh_index.open_dir(str(folder)).reader()


@pytest.mark.parametrize("n", [0, 1, 130, 700])
def test_postings_read_back_like_whooshs_own(tmp_path, n: int) -> None:
    docs = _docs(n)
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    ours = _write(tmp_path / "ours", docs, ours=True)
    theirs = _write(tmp_path / "theirs", docs, ours=False)
    terms = sorted(theirs.lexicon("words"))
    assert sorted(ours.lexicon("words")) == terms
    for term in terms:
        expected = [d for d, words in enumerate(docs) if term.decode() in words]
        assert list(ours.postings("words", term).all_ids()) == expected
        assert list(theirs.postings("words", term).all_ids()) == expected
        assert ours.doc_frequency("words", term) == len(expected)
        for target in (0, 128, 129, 300, 699):  # skipping across block boundaries
            matcher = ours.postings("words", term)
            matcher.skip_to(target)
            after = [d for d in expected if d >= target]
            assert matcher.is_active() == bool(after)
            if after:
                assert matcher.id() == after[0]
