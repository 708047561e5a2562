"""The word index: Whoosh, one document per paragraph (docnum == paragraph id), holding the
paragraph's stored fields and its jieba words for word mode."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from search.termcache import TermCache


class WordIndex:
    """Stored fields and word postings; one Whoosh searcher per thread, all closed by close()."""

    def __init__(self, path: Path, n: int, cache_entries: int):
        self.n = n
        self.ix = whoosh_index.open_dir(str(path))
        self._local = threading.local()
        self._searchers: list = []
        self._lock = threading.Lock()
        me = weakref.proxy(self)  # no cycle through the cache (see CharIndex)
        self.docs = TermCache(lambda w: WordIndex._docs(me, w), cache_entries)

    def searcher(self):
        s = getattr(self._local, "searcher", None)
        if s is None or s.is_closed:
            s = self._local.searcher = self.ix.searcher()
            with self._lock:
                self._searchers.append(s)
        return s

    def stored(self, pid: int) -> dict:
        return self.searcher().stored_fields(pid)

    def verify(self) -> None:
        searcher = self.searcher()
        if searcher.doc_count_all() != self.n:
            raise ValueError(f"Whoosh holds {searcher.doc_count_all()} paragraphs, not {self.n}")
        for pid in {0, self.n // 2, self.n - 1} if self.n else ():
            if searcher.stored_fields(pid)["pid"] != pid:
                raise ValueError("Whoosh document numbers do not follow paragraph order")

    def close(self) -> None:
        """Close every searcher opened (one per thread that searched), then the index."""
        with self._lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            searcher.close()
        self.ix.close()

    @property
    def open_searchers(self) -> int:
        return len(self._searchers)

    def _docs(self, words: tuple[str, ...]) -> np.ndarray:
        """Paragraphs holding every one of `words` as a jieba token. The rarest word's
        postings are the candidates, checked against each other word's by skipping, rarest
        first: Whoosh's own intersection took seconds for 60 words."""
        mask = np.zeros(self.n, bool)
        reader = self.searcher().reader()
        ordered = sorted(set(words), key=lambda w: reader.doc_frequency("words", w))
        if not ordered or not reader.doc_frequency("words", ordered[0]):
            mask.flags.writeable = False
            return mask
        docs = list(reader.postings("words", ordered[0]).all_ids())
        for word in ordered[1:]:
            postings, kept = reader.postings("words", word), []
            for doc in docs:
                if postings.id() < doc:
                    postings.skip_to(doc)
                if not postings.is_active():
                    break
                if postings.id() == doc:
                    kept.append(doc)
            docs = kept
            if not docs:
                break
        mask[np.asarray(docs, dtype=np.int64)] = True
        mask.flags.writeable = False  # cached and shared between threads
        return mask
