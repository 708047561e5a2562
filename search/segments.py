"""Open a commit as one logical index: the live paragraphs of every segment, in the order a
full rebuild of the same files would give them, with columns and vocabularies merged.

A logical paragraph id is a position in that order; `l2p` maps it to a physical id (segment
offset + paragraph id in the segment). Deleted paragraphs have no logical id, so every mask,
count, facet and ranking statistic covers the live paragraphs only, exactly as one segment
built from them would. One segment without deletions in its own order is opened as is.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer import format as fmt
from indexer.format import CODED, date_key
from search.charindex import CharIndex
from search.errors import IndexCorrupt, IndexMissing
from search.termcache import TermCache
from search.wordindex import WordIndex

CACHE_BYTES = 256 << 20  # per-term results kept for repeated and paged queries


@dataclass
class Logical:
    """One commit opened: what the engine reads."""

    root: Path
    name: str  # the commit `current` pointed to
    meta: dict  # format, fold, built, sources, vocab, reports (logical first/count), …
    col: dict[str, np.ndarray]  # logical per-paragraph columns, and report_rank per report
    chars: CharIndex | MultiChars
    words: WordIndex | MultiWords
    cache_entries: int


def open_commit(index_dir: str | Path, name: str | None = None) -> Logical:
    """The current commit of `index_dir` (or the commit file `name`) as one logical index;
    IndexMissing when absent."""
    root = Path(index_dir)
    try:
        commit = fmt.read_current(root) if name is None else fmt.read_commit(root, name)
    except fmt.VersionMismatch as exc:
        raise IndexCorrupt(str(exc)) from None
    except FileNotFoundError:
        raise IndexMissing(f"index at {index_dir} is incomplete (its commit is missing)") from None
    except OSError as exc:
        raise IndexMissing(f"index at {index_dir} is unreadable: {exc.strerror}") from None
    if commit is None:
        raise IndexMissing(
            f"no index at {index_dir}: build one with `baogao index PATH --index {index_dir}`"
        )
    if not commit["segments"]:  # written by an update that removed every file (now refused)
        raise IndexMissing(
            f"index at {index_dir} holds no report (its commit names no segment): rebuild it "
            f"with `baogao index PATH --index {index_dir}`"
        )
    paths = [root / s["name"] for s in commit["segments"]]
    for path in paths:
        missing = fmt.missing_files(path)
        if missing:
            raise IndexMissing(
                f"index at {index_dir} is incomplete ({path.name} misses {', '.join(missing)})"
            )
    try:
        metas = [fmt.read_meta(p) for p in paths]
    except fmt.VersionMismatch as exc:
        raise IndexCorrupt(str(exc)) from None
    cols = [fmt.read_columns(p) for p in paths]
    sizes = np.array([len(c["report"]) for c in cols], np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    records, l2p, first = [], [], 0
    for s, r in commit["order"]:
        rec = dict(metas[s]["reports"][r])
        start = int(offsets[s]) + rec["first"]
        rec["first"] = first
        first += rec["count"]
        records.append(rec)
        l2p.append(np.arange(start, start + rec["count"], dtype=np.int64))
    l2p = np.concatenate(l2p) if l2p else np.zeros(0, np.int64)
    n = len(l2p)
    identity = len(paths) == 1 and n == int(offsets[-1]) and bool(np.all(l2p == np.arange(n)))
    vocabs = fmt.vocabularies(records)
    col = _merged_columns(commit["order"], metas, cols, vocabs, l2p, identity)
    entries = max(2, min(512, CACHE_BYTES // (5 * max(n, 1))))
    if identity:
        chars = CharIndex(paths[0], cols[0]["start"], entries)
        words = WordIndex(fmt.whoosh_dir(paths[0]), n, entries)
    else:
        seg = (np.searchsorted(offsets, l2p, side="right") - 1).astype(np.int32)
        local = l2p - offsets[seg]
        char_parts = [CharIndex(p, c["start"], 1) for p, c in zip(paths, cols, strict=True)]
        word_parts = [
            WordIndex(fmt.whoosh_dir(p), int(k), 1) for p, k in zip(paths, sizes, strict=True)
        ]
        chars = MultiChars(char_parts, seg, local, l2p, entries)
        words = MultiWords(word_parts, seg, local, l2p, entries)
    formats, folds = {m["format"] for m in metas}, {m["fold"] for m in metas}
    meta = {  # a format or fold that segments disagree on is None: the engine refuses it
        "format": formats.pop() if len(formats) == 1 else None,
        "fold": folds.pop() if len(folds) == 1 else None,
        "built": commit.get("time") or (metas[0]["built"] if metas else ""),
        "sources": commit.get("sources") or (metas[0].get("sources", []) if metas else []),
        "vocab": vocabs,
        "reports": records,
        "paragraphs": n,
        "chars": int(col["chars"].sum()),
        "segments": len(paths),
    }
    return Logical(root, commit["name"], meta, col, chars, words, entries)


def _merged_columns(order, metas, cols, vocabs, l2p, identity: bool) -> dict[str, np.ndarray]:
    """Each segment's columns with codes remapped to the merged vocabularies, concatenated
    and taken in logical order."""
    index = fmt.codes(vocabs)
    logical_report = [np.full(len(m["reports"]), -1, np.int64) for m in metas]
    for i, (s, r) in enumerate(order):
        logical_report[s][r] = i
    out: dict[str, np.ndarray] = {}
    names = ("report", "n", *CODED, "year", "topics", "chars", "added")
    for name in names:
        parts = []
        for s, (meta, c) in enumerate(zip(metas, cols, strict=True)):
            if name == "added" and "added" not in c:  # written before `added` was kept
                parts.append(np.zeros(len(c["report"]), np.int64))
            elif name == "report":
                parts.append(logical_report[s][c["report"]].astype(np.int32))
            elif name in CODED:
                values = meta["vocab"][name]
                key = (lambda v: tuple(v)) if name == "place" else (lambda v: v)
                lut = np.array([index[name].get(key(v), -1) for v in values] or [0], np.int64)
                parts.append(lut[c[name]].astype(c[name].dtype))
            else:
                parts.append(c[name])
        whole = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        out[name] = whole if identity else whole[l2p]
    rank_order = sorted(
        range(len(order)),
        key=lambda i: (
            date_key(metas[order[i][0]]["reports"][order[i][1]]),
            metas[order[i][0]]["reports"][order[i][1]]["id"],
        ),
    )
    report_rank = np.empty(len(order), np.int32)
    report_rank[rank_order] = np.arange(len(order), dtype=np.int32)
    out["report_rank"] = report_rank
    return out


class MultiChars:
    """The character indexes of several segments answering as one, in logical order."""

    def __init__(self, parts: list[CharIndex], seg, local, l2p, cache_entries: int):
        self.parts, self._seg, self._local, self._l2p = parts, seg, local, l2p
        self.n = len(l2p)
        self._logical_parts: list[tuple[CharIndex, np.ndarray]] | None = None
        me = weakref.proxy(self)  # no cycle through the cache (see CharIndex)
        self.counts = TermCache(lambda t: MultiChars._counts(me, t), cache_entries)

    def _counts(self, folded: str) -> np.ndarray:
        whole = np.concatenate([CharIndex._counts(p, folded) for p in self.parts])
        out = whole[self._l2p]
        out.flags.writeable = False  # cached and shared between threads
        return out

    def total(self, folded: str) -> int:
        """Occurrences of `folded` in the live paragraphs."""
        return int(self.counts(folded).sum())

    def folded_text(self, pid: int) -> str:
        return self.parts[int(self._seg[pid])].folded_text(int(self._local[pid]))

    @property
    def physical(self) -> np.ndarray:
        """The physical id (segment after segment) of each logical paragraph."""
        return self._l2p

    def verify(self) -> None:
        for part in self.parts:
            part.verify()

    def logical_parts(self) -> list[tuple[CharIndex, np.ndarray]]:
        """Each segment's index with the logical id of each of its paragraphs (-1: deleted)."""
        if self._logical_parts is None:
            out = []
            for k, part in enumerate(self.parts):
                logical = np.full(part.n, -1, np.int64)
                mine = np.flatnonzero(self._seg == k)
                logical[self._local[mine]] = mine
                out.append((part, logical))
            self._logical_parts = out
        return self._logical_parts


class MultiWords:
    """The Whoosh indexes of several segments answering as one, in logical order."""

    def __init__(self, parts: list[WordIndex], seg, local, l2p, cache_entries: int):
        self.parts, self._seg, self._local, self._l2p = parts, seg, local, l2p
        self.n = len(l2p)
        me = weakref.proxy(self)
        self.docs = TermCache(lambda w: MultiWords._docs(me, w), cache_entries)

    def _docs(self, words: tuple[str, ...]) -> np.ndarray:
        out = np.concatenate([WordIndex._docs(p, words) for p in self.parts])[self._l2p]
        out.flags.writeable = False
        return out

    def stored(self, pid: int) -> dict:
        return self.parts[int(self._seg[pid])].stored(int(self._local[pid]))

    def verify(self) -> None:
        for part in self.parts:
            part.verify()

    def close(self) -> None:
        for part in self.parts:
            part.close()

    @property
    def open_searchers(self) -> int:
        return sum(part.open_searchers for part in self.parts)
