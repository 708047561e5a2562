"""What the build relies on of Whoosh's private API (`indexer/whoosh_adapter.py`): segments
written apart and committed in a given order number their documents in that order; postings
handed over a term at a time read back as Whoosh's own. A Whoosh release that changes any of
it fails here first."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import STORED, FieldType, Schema
from whoosh.formats import Existence

from indexer import whoosh_adapter
from indexer.analysis import jieba_analyzer


def _schema() -> Schema:
    words = FieldType(Existence(), analyzer=jieba_analyzer(), scorable=False, stored=False)
    return Schema(words=words, pid=STORED())


@pytest.mark.parametrize(("cls", "name"), whoosh_adapter.PRIVATE)
def test_the_private_names_the_adapter_uses_exist(cls, name) -> None:
    assert callable(getattr(cls, name, None)), f"Whoosh's {cls.__name__}.{name} is gone"


def _segment(ix, first: int, docs: list[set[str]]):
    """Documents first.. as one segment, written by its own writer, not committed."""
    writer = whoosh_adapter.segment_writer(ix)
    by_doc = {}
    for k, words in enumerate(docs):
        writer.add_document(pid=first + k)
        by_doc[k] = sorted(words)

    def terms(blocklimit: int):
        for word in sorted({w for words in docs for w in words}):
            ids = [k for k, words in by_doc.items() if word in words]
            deltas = [d - (ids[i - 1] if i % blocklimit else 0) for i, d in enumerate(ids)]
            yield word, ids, deltas

    whoosh_adapter.write_ids(writer.fieldwriter, "words", ix.schema["words"], terms)
    return whoosh_adapter.finish_segment(writer)


def test_segments_committed_in_order_number_documents_in_that_order(tmp_path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), _schema())
    parts = [  # written last to first, committed first to last
        [{"发展", "改革"}, set(), {"改革"}],
        [{"发展"}] * 300,  # more than a block (Whoosh's blocklimit is 128)
        [{"改革", "经济"}],
    ]
    firsts = [0, 3, 303]
    written = [
        _segment(ix, first, docs) for first, docs in reversed(list(zip(firsts, parts, strict=True)))
    ]
    whoosh_adapter.commit_segments(ix, list(reversed(written)))
    everything = [words for docs in parts for words in docs]
    with whoosh_index.open_dir(str(tmp_path)).searcher() as searcher:
        reader = searcher.reader()
        assert reader.doc_count_all() == len(everything)
        assert [reader.stored_fields(d)["pid"] for d in range(len(everything))] == list(
            range(len(everything))
        )
        for word in ("发展", "改革", "经济"):
            expected = [d for d, words in enumerate(everything) if word in words]
            assert list(reader.postings("words", word).all_ids()) == expected
            assert reader.doc_frequency("words", word) == len(expected)
    # separate files, not a compound one (read on demand, not copied per searcher)
    assert not list(tmp_path.glob("*.seg"))
