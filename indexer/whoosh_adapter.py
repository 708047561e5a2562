"""Every use of Whoosh's private API, in one place: writing one segment per worker process and
committing them in order, and handing a term's postings to Whoosh's postings writer at once.

Whoosh has no public way to do either: its `SegmentWriter` commits the one segment it writes,
and its postings writer takes one posting per call. `tests/test_whoosh_adapter.py` pins the
behaviour relied on here (and the private names), so that a Whoosh release changing it fails
there first, with the name of what changed.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.writing import SegmentWriter

# What this module reaches into: (class, attribute) pairs the adapter test checks exist.
PRIVATE = (
    (SegmentWriter, "_close_segment"),
    (SegmentWriter, "_commit_toc"),
    (SegmentWriter, "_finish"),
    (SegmentWriter, "_finalize_segment"),
    (W3PostingsWriter, "_write_block"),
    (W3PostingsWriter, "_mini_ids"),
    (W3PostingsWriter, "_mini_weights"),
)
# Every private name used here (attributes and keyword arguments): none appears elsewhere
# (`tools/check_format_names.py`, run by `make lint`).
PRIVATE_NAMES = frozenset(name for _, name in PRIVATE) | {
    "_lk",
    "_postwriter",
    "_postfile",
    "_blocklimit",
    "_compression",
    "_inlinelimit",
}


def segment_writer(ix):
    """A writer of one segment of `ix` that takes no lock (a worker process of a build that
    holds the index's lock) and writes separate files, not a compound one: Whoosh copies each
    file of a compound segment into memory for every searcher it opens (one per serving
    thread); separate files are read on demand."""
    return SegmentWriter(ix, _lk=False, compound=False)


def finish_segment(writer):
    """Write the segment's files and return the segment, without committing it."""
    return writer._finalize_segment()


def commit_segments(ix, segments: Iterable) -> None:
    """Commit the finished `segments` (from `finish_segment`) as the index `ix`, in the order
    given: document numbers run through them in that order."""
    writer = SegmentWriter(ix)
    writer._close_segment()  # the writer's own segment is empty: drop it
    writer._commit_toc(list(segments))
    writer._finish()


def write_ids(fieldwriter, fieldname: str, fieldobj, terms) -> None:
    """Write the postings of `fieldname` (an `Existence` field) through a segment writer's
    field writer (`SegmentWriter.fieldwriter`, a `W3FieldWriter`) before the segment is
    finished. `terms(blocklimit)` yields `(term, document numbers, their deltas)`, terms in
    Whoosh's (UTF-8) order, deltas restarting at every block of `blocklimit` postings."""
    fieldwriter.start_field(fieldname, fieldobj)
    old = fieldwriter._postwriter
    writer = fieldwriter._postwriter = _IdPostingsWriter(
        old._postfile,
        blocklimit=old._blocklimit,
        compression=old._compression,
        inlinelimit=old._inlinelimit,
    )
    for term, docs, deltas in terms(writer._blocklimit):
        fieldwriter.start_term(fieldobj.to_bytes(term))
        writer.add_ids(docs, deltas)
        fieldwriter.finish_term()
    fieldwriter.finish_field()


class _IdPostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer taking a term's document numbers at once, each of weight 1
    with no value (`Existence`): the blocks `add_posting` one by one writes, except that a
    block of fewer than `SMALL` postings is not compressed (zlib made it no smaller)."""

    SMALL = 16

    def add_ids(self, docs: list[int], deltas: list[int]) -> None:
        limit = self._blocklimit
        for start in range(0, len(docs), limit):
            if len(self._ids):
                self._write_block()
            self._ids = array("I", docs[start : start + limit])
            self._deltas = deltas[start : start + limit]
            self._weights = array("f", [1.0]) * len(self._ids)
            self._maxweight = 1.0

    def _write_block(self, last: bool = False) -> None:
        level = self._compression
        if len(self._ids) < self.SMALL:
            self._compression = 0
        super()._write_block(last)
        self._compression = level

    def _mini_ids(self) -> tuple[int, ...]:
        return tuple(self._deltas)

    def _mini_weights(self):
        weights = self._weights
        return None if weights.count(1.0) == len(weights) else super()._mini_weights()
