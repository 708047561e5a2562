"""The search engine, with no HTTP in it: `search(SearchQuery) -> SearchResults`, `get_report`.

Exact matching: every term is folded and looked up in a suffix array over the folded text of
all paragraphs (UTF-8, paragraphs joined by "\\n"), so any substring of one character or more is
found wherever it stands, whatever jieba would make of it. Occurrence positions map to paragraphs
by binary search over the paragraph start offsets; filters, boolean logic and facet counts are
numpy operations over per-paragraph columns. Whoosh holds the stored fields and the jieba word
index used by word mode.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import mmap
import os
import threading
import warnings
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from indexer import store
from indexer.analysis import words as jieba_words
from indexer.fold import fold, fold_signature
from indexer.models import LEVEL_LABELS, TOPIC_IDS, TOPIC_LABELS, Paragraph, Report
from search_app import query as ql
from search_app.errors import BadQuery, BaogaoError, IndexCorrupt, ReportNotFound
from search_app.highlight import merge_spans

log = logging.getLogger(__name__)

SORTS = ("relevance", "newest", "oldest")
MODES = ("exact", "words")
FACETS = ("district", "year", "type", "level", "topic")
MAX_PER_PAGE = 100_000
K1, B = 1.2, 0.75
BLOCK = 64  # bytes per entry of the offset → paragraph table
CHUNK = 1 << 22  # occurrences mapped to paragraphs at a time
CACHE_BYTES = 256 << 20  # per-term results kept for repeated and paged queries


@dataclass(frozen=True)
class SearchQuery:
    """One search: the query string plus facet selections (OR within a facet, AND across)."""

    q: str = ""
    districts: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sort: str = "relevance"
    mode: str = "exact"
    page: int = 1
    per_page: int | None = 20  # None: every hit


@dataclass(frozen=True)
class Hit:
    report_id: str
    paragraph: int
    district: str
    level: str
    year: int | None
    date: str
    type: str
    title: str
    section: str
    source: str
    text: str
    matches: tuple[tuple[int, int], ...]
    topics: tuple[str, ...] = ()
    heading: bool = False
    score: float = 0.0

    def to_json(self) -> dict:
        return {
            "report_id": self.report_id,
            "paragraph": self.paragraph,
            "district": self.district,
            "level": self.level,
            "year": self.year,
            "date": self.date,
            "type": self.type,
            "title": self.title,
            "section": self.section,
            "source": self.source,
            "text": self.text,
            "matches": [list(m) for m in self.matches],
            "topics": list(self.topics),
        }


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    total: int
    reports: int
    occurrences: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]]
    timeline: tuple[tuple[int, str, int], ...] = ()  # (year, district, paragraphs)
    terms: tuple[str, ...] = ()  # folded terms that are marked in the hits

    def to_json(self) -> dict:
        return {
            "query": self.query.q,
            "total": self.total,
            "reports": self.reports,
            "occurrences": self.occurrences,
            "hits": [h.to_json() for h in self.hits],
            "facets": {
                name: [{"value": f.value, "count": f.count, "selected": f.selected} for f in items]
                for name, items in self.facets.items()
            },
        }


@dataclass
class _Evaluation:
    """The paragraphs matching the query string, and per-paragraph counts for ranking."""

    mask: np.ndarray
    terms: list[str] = field(default_factory=list)  # folded strings that are marked and counted
    words: list[str] = field(default_factory=list)  # the terms' jieba words: ranking only


class Engine:
    """One opened index generation. Thread-safe; open once per process (see EngineHolder)."""

    def __init__(self, generation: Path):
        self.path = generation
        meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
        self.meta = meta
        self.vocab: dict[str, list[str]] = meta["vocab"]
        self.report_meta: list[dict] = meta["reports"]
        self._report_index = {r["id"]: i for i, r in enumerate(self.report_meta)}
        with np.load(generation / "columns.npz") as cols:
            self.col = {name: cols[name] for name in cols.files}
        self.n = int(meta["paragraphs"])
        self.starts = self.col["start"]
        self._block_doc: np.ndarray | None = None
        self._block_steps = 0
        self._heavy = threading.BoundedSemaphore(2)  # concurrent occurrence counts (2 cores)
        with open(generation / "folded.bin", "rb") as fh:
            self._text = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if self.n else b""
        self.sa = np.load(generation / "sa.npy", mmap_mode="r")
        self.ix = whoosh_index.open_dir(str(generation / "whoosh"))
        self._local = threading.local()
        self._searchers: list = []
        self._searchers_lock = threading.Lock()
        chars = self.col["chars"].astype(np.float64)
        self.avg_chars = float(chars.mean()) if self.n else 1.0
        self._length_norm = K1 * (1 - B + B * chars / max(self.avg_chars, 1.0))
        self._rank_old = self._chrono_rank()
        # Each cached term holds a dense per-paragraph array: bound the caches by memory.
        entries = max(2, min(512, CACHE_BYTES // (5 * max(self.n, 1))))
        # Through a weak reference: a cache holding a bound method would make a cycle, and an
        # engine replaced after a rebuild would keep its files open until a full collection.
        me = weakref.proxy(self)
        self._term_counts = lru_cache(maxsize=entries)(
            lambda t: Engine._term_counts_uncached(me, t)
        )
        self._word_docs = lru_cache(maxsize=entries)(lambda w: Engine._word_docs_uncached(me, w))

    @classmethod
    def open(cls, index_dir: str | Path) -> Engine:
        """The current generation, checked: IndexMissing when absent, IndexCorrupt when its
        files cannot be read or do not agree, so damage shows at open, not mid-request."""
        generation = store.current_generation(index_dir)
        with warnings.catch_warnings():
            # Whoosh leaves the files of a segment it failed to read open: close them now,
            # quietly, rather than whenever the garbage collector finds them.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                return cls._open_checked(generation)
            except BaogaoError:
                raise
            except Exception as exc:
                reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            gc.collect()
        raise IndexCorrupt(
            f"index at {index_dir} is damaged ({generation.name}: {reason}); "
            f"rebuild it with `baogao index PATH --index {index_dir}`"
        )

    @classmethod
    def _open_checked(cls, generation: Path) -> Engine:
        engine = cls(generation)
        try:
            engine.verify()
        except Exception:
            engine.close()
            raise
        return engine

    def verify(self) -> None:
        """Cheap consistency checks between the files of the generation."""
        built_with = self.meta.get("fold")
        if built_with is not None and built_with != fold_signature():
            raise IndexCorrupt(
                f"index at {self.path.parent} was built with another character fold (a different "
                f"OpenCC?); rebuild it with `baogao index PATH --index {self.path.parent}`"
            )
        size = len(self._text)
        lengths = {name: self.n for name in self.col}
        lengths.update(start=self.n + 1, report_rank=len(self.report_meta))
        for name, expected in lengths.items():
            if len(self.col[name]) != expected:
                raise ValueError(f"column {name} holds {len(self.col[name])} rows, not {expected}")
        if len(self.sa) > size or int(self.starts[-1]) != size:
            raise ValueError(f"suffix array or offsets do not cover folded.bin ({size} bytes)")
        searcher = self._searcher()
        if searcher.doc_count_all() != self.n:
            raise ValueError(f"Whoosh holds {searcher.doc_count_all()} paragraphs, not {self.n}")
        for pid in {0, self.n // 2, self.n - 1} if self.n else ():
            if searcher.stored_fields(pid)["pid"] != pid:
                raise ValueError("Whoosh document numbers do not follow paragraph order")

    def close(self) -> None:
        """Close every searcher this engine opened (one per thread that searched)."""
        with self._searchers_lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            searcher.close()
        self.ix.close()

    def __del__(self) -> None:
        # An engine replaced after a rebuild is dropped by the last request using it.
        if getattr(self, "_searchers", None):
            self.close()

    # -- low level: the character index -------------------------------------------------

    def _searcher(self):
        s = getattr(self._local, "searcher", None)
        if s is None or s.is_closed:
            s = self._local.searcher = self.ix.searcher()
            with self._searchers_lock:
                self._searchers.append(s)
        return s

    def _sa_range(self, pat: bytes) -> tuple[int, int]:
        """The block of suffixes starting with `pat`, by two binary searches."""
        sa, text, m = self.sa, self._text, len(pat)
        lo, hi = 0, len(sa)
        while lo < hi:
            mid = (lo + hi) // 2
            p = int(sa[mid])
            if text[p : p + m] < pat:
                lo = mid + 1
            else:
                hi = mid
        first, hi = lo, len(sa)
        while lo < hi:
            mid = (lo + hi) // 2
            p = int(sa[mid])
            if text[p : p + m] <= pat:
                lo = mid + 1
            else:
                hi = mid
        return first, lo

    def _term_counts_uncached(self, folded: str) -> np.ndarray:
        """Per-paragraph count of non-overlapping occurrences of `folded` (length self.n)."""
        pat = folded.encode("utf-8", "surrogatepass")
        if not pat or b"\n" in pat:
            return np.zeros(self.n, np.int32)  # not cached as shared state: a fresh array
        lo, hi = self._sa_range(pat)
        counts = np.zeros(self.n, np.int32)
        with self._heavy:  # a common term has millions of occurrences: bound the temporaries
            for first in range(lo, hi, CHUNK):
                docs = self._docs_of(np.asarray(self.sa[first : min(hi, first + CHUNK)]))
                counts += np.bincount(docs, minlength=self.n).astype(np.int32)
        if _has_border(folded):  # overlapping occurrences: count as marked, left to right
            for doc in np.flatnonzero(counts):
                counts[doc] = self.folded_text(int(doc)).count(folded)
        counts.flags.writeable = False  # cached and shared between threads
        return counts

    def _docs_of(self, positions: np.ndarray) -> np.ndarray:
        """The paragraph holding each byte offset: a block table gives the paragraph at the
        start of the offset's 64-byte block, then a few vectorised steps walk forward past
        the paragraph starts inside the block (cheaper than a binary search per offset)."""
        if self._block_doc is None:
            blocks = np.arange(0, int(self.starts[-1]), BLOCK, dtype=np.int64)
            self._block_steps = int(np.bincount(self.starts[:-1] // BLOCK).max()) if self.n else 0
            self._block_doc = (np.searchsorted(self.starts, blocks, side="right") - 1).astype(
                np.int32
            )
        docs = self._block_doc[positions // BLOCK]
        for _ in range(self._block_steps):
            docs += positions >= self.starts[docs + 1]
        return docs

    def folded_text(self, pid: int) -> str:
        start, end = int(self.starts[pid]), int(self.starts[pid + 1]) - 1
        return self._text[start:end].decode("utf-8")

    def _word_docs_uncached(self, words: tuple[str, ...]) -> np.ndarray:
        """Paragraphs holding every one of `words` as a jieba token, from the Whoosh index.
        The rarest word's postings are the candidates, checked against each other word's by
        skipping, rarest first: Whoosh's own intersection took seconds for 60 words."""
        mask = np.zeros(self.n, bool)
        reader = self._searcher().reader()
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

    # -- evaluation of the query tree ---------------------------------------------------

    def _evaluate(self, node, mode: str, ev: _Evaluation, negated: bool = False) -> np.ndarray:
        if isinstance(node, ql.MatchAll):
            return np.ones(self.n, bool)
        if isinstance(node, ql.Term):
            return self._term_mask(node.text, mode, ev, record=not negated)
        if isinstance(node, ql.And):
            mask = np.ones(self.n, bool)
            for child in node.children:
                mask &= self._evaluate(child, mode, ev, negated)
            return mask
        if isinstance(node, ql.Or):
            mask = np.zeros(self.n, bool)
            for child in node.children:
                mask |= self._evaluate(child, mode, ev, negated)
            return mask
        if isinstance(node, ql.Not):
            return ~self._evaluate(node.child, mode, ev, not negated)
        if isinstance(node, ql.Filter):
            return self._field_mask(node.field, node.value)
        raise BadQuery(f"unsupported query element: {type(node).__name__}")

    def _term_mask(self, text: str, mode: str, ev: _Evaluation, record: bool) -> np.ndarray:
        folded = fold(text).strip()
        if not folded:
            return np.ones(self.n, bool)
        words = tuple(jieba_words(folded)) if mode == "words" or record else ()
        if mode == "words" and words:
            mask = self._word_docs(words)
            marked = words  # word mode marks and counts every word of the term
        else:
            mask = self._term_counts(folded) > 0
            marked = (folded,)
        if record:
            for w in marked:
                if w not in ev.terms:
                    ev.terms.append(w)
            for w in words:  # single characters of a longer term say little for ranking
                if len(w) > 1 and w not in ev.words and w not in marked:
                    ev.words.append(w)
        return mask

    def _field_mask(self, name: str, value: str) -> np.ndarray:
        value = value.strip()
        if name == "year":
            lo, hi = parse_year_range(value)
            return self._year_mask((), lo, hi)
        if name == "topic":
            return self._topic_mask(_resolve_topics([value]))
        column = {"district": "district", "type": "type", "level": "level"}.get(name)
        if column is None:
            raise BadQuery(f"unknown field {name}: use district, year, type, level or topic")
        values = self.vocab[column]
        if name == "level":
            value = _resolve_level(value)
        folded = fold(value)
        codes = [i for i, v in enumerate(values) if v and fold(v) == folded]
        if not codes:  # a prefix such as district:拱墅 or type:党代会
            codes = [i for i, v in enumerate(values) if v and folded and folded in fold(v)]
        return np.isin(self.col[column], codes)

    def _values_mask(self, column: str, selected: tuple[str, ...]) -> np.ndarray:
        index = {v: i for i, v in enumerate(self.vocab[column])}
        codes = [index[v] for v in selected if v in index]
        return np.isin(self.col[column], codes)

    def _year_mask(self, years: tuple[int, ...], lo: int | None, hi: int | None) -> np.ndarray:
        year = self.col["year"]
        mask = np.isin(year, years) if years else np.ones(self.n, bool)
        if lo is not None:
            mask &= year >= lo
        if hi is not None:
            mask &= year <= hi
        return mask

    def _topic_mask(self, topics: tuple[str, ...]) -> np.ndarray:
        bits = sum(1 << TOPIC_IDS.index(t) for t in topics if t in TOPIC_IDS)
        return (self.col["topics"] & np.uint32(bits)) != 0

    def _facet_masks(self, query: SearchQuery) -> dict[str, np.ndarray]:
        """One mask per facet with a selection; facets without one are absent."""
        masks = {}
        if query.districts:
            masks["district"] = self._values_mask("district", query.districts)
        if query.years or query.year_from is not None or query.year_to is not None:
            masks["year"] = self._year_mask(query.years, query.year_from, query.year_to)
        if query.types:
            masks["type"] = self._values_mask("type", query.types)
        if query.levels:
            levels = tuple(_resolve_level(v) for v in query.levels)
            masks["level"] = self._values_mask("level", levels)
        if query.topics:
            masks["topic"] = self._topic_mask(_resolve_topics(query.topics))
        return masks

    # -- public API -----------------------------------------------------------------------

    def evaluate(self, query: SearchQuery) -> tuple[np.ndarray, _Evaluation, dict]:
        """The final mask, the term evaluation and the facet masks of a query."""
        if query.mode not in MODES:
            raise BadQuery(f"mode must be one of {', '.join(MODES)}")
        if query.sort not in SORTS:
            raise BadQuery(f"sort must be one of {', '.join(SORTS)}")
        tree = ql.parse(query.q)
        ev = _Evaluation(mask=np.zeros(0, bool))
        ev.mask = self._evaluate(tree, query.mode, ev)
        facet_masks = self._facet_masks(query)
        mask = ev.mask.copy()
        for m in facet_masks.values():
            mask &= m
        return mask, ev, facet_masks

    def search(self, query: SearchQuery) -> SearchResults:
        mask, ev, facet_masks = self.evaluate(query)
        pids = np.flatnonzero(mask)  # everything below works on the matches only
        total = int(pids.size)
        if query.per_page is None:
            page_pids = self._ordered(pids, ev, query.sort)
        else:
            per_page = max(1, min(int(query.per_page), MAX_PER_PAGE))
            first = (max(1, int(query.page)) - 1) * per_page
            page_pids = self._ordered(pids, ev, query.sort, limit=first + per_page)[first:]
        occurrences = sum(int(self._term_counts(t)[pids].sum()) for t in ev.terms) if total else 0
        reports = int(np.count_nonzero(np.bincount(self.col["report"][pids]))) if total else 0
        return SearchResults(
            query=query,
            total=total,
            reports=reports,
            occurrences=occurrences,
            hits=tuple(self._hit(int(p), ev) for p in page_pids),
            facets=self._facets(query, ev.mask, pids, facet_masks),
            timeline=self._timeline(pids),
            terms=tuple(ev.terms),
        )

    def iter_hits(self, query: SearchQuery) -> Iterator[Hit]:
        """Every hit in order, each read as it is needed: for CSV export and `--all`."""
        mask, ev, _ = self.evaluate(query)
        for p in self._ordered(np.flatnonzero(mask), ev, query.sort):
            yield self._hit(int(p), ev)

    def _ordered(
        self, pids: np.ndarray, ev: _Evaluation, sort: str, limit: int | None = None
    ) -> np.ndarray:
        """The matching paragraph ids `pids` in result order (the first `limit` of them when
        given); ties go to the lower paragraph id, so the order is total and repeatable."""
        if sort == "relevance" and (ev.terms or ev.words) and pids.size:
            primary = -self._scores(pids, ev)
        elif sort == "oldest":
            primary = self._rank_old[pids]
        else:
            primary = -self._report_rank_of(pids)
        if limit is not None and limit < pids.size:
            kth = np.partition(primary, limit - 1)[limit - 1]
            keep = np.flatnonzero(primary <= kth)  # every tie of the last kept value
            pids, primary = pids[keep], primary[keep]
        order = np.lexsort((pids, primary))
        return pids[order[:limit]] if limit is not None else pids[order]

    def _scores(self, pids: np.ndarray, ev: _Evaluation) -> np.ndarray:
        """BM25 over the terms' jieba words, plus BM25 over the exact occurrences of each
        term (the boost); occurrences are counted in the character index, so a word that
        jieba cuts differently in one paragraph still counts there."""
        norm = self._length_norm[pids]
        score = np.zeros(pids.size)
        for term in ev.words + ev.terms:  # counts are cached from the evaluation
            counts = self._term_counts(term)
            df = int(np.count_nonzero(counts))
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            tf = counts[pids].astype(np.float64)
            score += idf * tf * (K1 + 1) / (tf + norm)
        return score

    def _chrono_rank(self) -> np.ndarray:
        """Paragraph rank in (report date, report id, paragraph number) order."""
        order = np.lexsort((np.arange(self.n), self._report_rank_of(np.arange(self.n))))
        rank = np.empty(self.n, np.int64)
        rank[order] = np.arange(self.n)
        return rank

    def _report_rank_of(self, pids: np.ndarray) -> np.ndarray:
        return self.col["report_rank"][self.col["report"][pids]]

    def _facets(
        self,
        query: SearchQuery,
        base: np.ndarray,
        matches: np.ndarray,
        facet_masks: dict[str, np.ndarray],
    ) -> dict[str, tuple[FacetCount, ...]]:
        """Counts per value over all matches; a facet ignores its own selection (so other
        values can be added to it) and honours the others. `matches` are the ids of `base`
        under every selection, the common case's answer for every facet."""
        out = {}
        for name in FACETS:
            others = [m for other, m in facet_masks.items() if other != name]
            if len(others) == len(facet_masks):
                pids = matches
            else:
                mask = base.copy()
                for m in others:
                    mask &= m
                pids = np.flatnonzero(mask)
            out[name] = self._facet_counts(name, pids, query)
        return out

    def _facet_counts(self, name: str, pids: np.ndarray, query: SearchQuery):
        if name == "topic":
            selected = set(_resolve_topics(query.topics))
            bits = self.col["topics"][pids]
            counts = [
                (t, int(np.count_nonzero(bits & np.uint32(1 << i))))
                for i, t in enumerate(TOPIC_IDS)
            ]
            items = [FacetCount(t, c, t in selected) for t, c in counts if c or t in selected]
            return tuple(sorted(items, key=lambda f: -f.count))
        if name == "year":
            years = self.col["year"][pids]
            values, counts = np.unique(years, return_counts=True)
            chosen = set(query.years)
            lo, hi = query.year_from, query.year_to
            items = [
                FacetCount(str(int(v)) if v else "", int(c), _year_selected(int(v), chosen, lo, hi))
                for v, c in zip(values, counts, strict=True)
            ]
            return tuple(sorted(items, key=lambda f: f.value or "0000", reverse=True))
        selected = {
            "district": query.districts,
            "type": query.types,
            "level": tuple(_resolve_level(v) for v in query.levels),
        }[name]
        counts = np.bincount(self.col[name][pids], minlength=len(self.vocab[name]))
        items = [
            FacetCount(v, int(c), v in selected)
            for v, c in zip(self.vocab[name], counts, strict=True)
            if c or v in selected
        ]
        return tuple(sorted(items, key=lambda f: (-f.count, f.value)))

    def _timeline(self, pids: np.ndarray) -> tuple[tuple[int, str, int], ...]:
        nd = len(self.vocab["district"])
        keys = self.col["year"][pids].astype(np.int64) * nd + self.col["district"][pids]
        counts = np.bincount(keys) if keys.size else np.zeros(0, np.int64)
        return tuple(
            (int(k // nd), self.vocab["district"][int(k % nd)], int(counts[k]))
            for k in np.flatnonzero(counts)
            if k // nd
        )

    def chars_by_year_district(self) -> dict[tuple[int, str], int]:
        """Characters of all indexed paragraphs per (year, district): the timeline's base."""
        out: dict[tuple[int, str], int] = {}
        for r in self.report_meta:
            if r["year"]:
                key = (int(r["year"]), r["district"])
                out[key] = out.get(key, 0) + int(r["chars"])
        return out

    def _hit(self, pid: int, ev: _Evaluation) -> Hit:
        fields = self._searcher().stored_fields(pid)
        text = fields["text"]
        folded = self.folded_text(pid)  # the very text the counts came from
        spans = []
        for term in ev.terms:
            spans.extend(find_all(folded, term))
        return Hit(
            report_id=fields["report_id"],
            paragraph=fields["n"],
            district=fields["district"],
            level=fields["level"],
            year=fields["year"] or None,
            date=fields["date"],
            type=fields["type"],
            title=fields["title"],
            section=fields["section"],
            source=fields["source"],
            text=text,
            matches=tuple(merge_spans(spans)),
            topics=tuple(t for t in fields["topics"].split(",") if t),
            heading=bool(fields.get("heading")),
        )

    def reports(self) -> list[dict]:
        """Every report's metadata, in index order."""
        return [_public_meta(r) for r in self.report_meta]

    def report_meta_by_id(self, report_id: str) -> dict:
        try:
            return _public_meta(self.report_meta[self._report_index[report_id]])
        except KeyError:
            raise ReportNotFound(f"no report with id {report_id!r}") from None

    def get_report(self, report_id: str) -> Report:
        try:
            meta = self.report_meta[self._report_index[report_id]]
        except KeyError:
            raise ReportNotFound(f"no report with id {report_id!r}") from None
        searcher = self._searcher()
        paragraphs = []
        for pid in range(meta["first"], meta["first"] + meta["count"]):
            f = searcher.stored_fields(pid)
            paragraphs.append(
                Paragraph(
                    n=f["n"],
                    text=f["text"],
                    section=f["section"],
                    heading=bool(f.get("heading")),
                    topics=tuple(t for t in f["topics"].split(",") if t),
                )
            )
        return Report(
            id=meta["id"],
            source=meta["source"],
            district=meta["district"],
            level=meta["level"],
            year=meta["year"],
            date=meta["date"],
            type=meta["type"],
            title=meta["title"],
            speaker=meta["speaker"],
            paragraphs=tuple(paragraphs),
        )


def find_all(text: str, term: str) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of `term` in `text`, left to right (as str.count counts)."""
    spans = []
    if not term:
        return spans
    i = text.find(term)
    while i >= 0:
        spans.append((i, i + len(term)))
        i = text.find(term, i + len(term))
    return spans


def _has_border(s: str) -> bool:
    """True when a proper prefix of s equals a suffix, so occurrences can overlap."""
    return any(s[:k] == s[-k:] for k in range(1, len(s)))


def parse_year_range(value: str) -> tuple[int | None, int | None]:
    """ "2016" → (2016, 2016); "2016-2018" → (2016, 2018); "2016-" and "-2018" are open."""
    v = fold(value).strip().replace("–", "-").replace("~", "-").replace("—", "-")
    try:
        if "-" in v:
            a, _, b = v.partition("-")
            lo = int(a) if a.strip() else None
            hi = int(b) if b.strip() else None
        else:
            lo = hi = int(v)
    except ValueError:
        raise BadQuery(f"year must be a year or a range such as 2016-2018, not {value!r}") from None
    for y in (lo, hi):
        if y is not None and not 1900 <= y <= 2100:
            raise BadQuery(f"year {y} is out of range (1900–2100)")
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def _year_selected(year: int, chosen: set[int], lo: int | None, hi: int | None) -> bool:
    if year in chosen:
        return True
    if lo is None and hi is None:
        return False
    return year != 0 and (lo is None or year >= lo) and (hi is None or year <= hi)


def _resolve_level(value: str) -> str:
    by_label = {label: key for key, label in LEVEL_LABELS.items()}
    by_label.update({"国家": "national", "省": "province", "市": "city", "区": "district"})
    return by_label.get(value, value)


def _resolve_topics(values) -> tuple[str, ...]:
    by_label = {label: key for key, label in TOPIC_LABELS.items()}
    return tuple(by_label.get(v, v) for v in values)


def _public_meta(r: dict) -> dict:
    keys = ("id", "district", "level", "year", "date", "type", "title", "speaker", "source")
    out = {k: r[k] for k in keys}
    out["paragraphs"] = r["count"]
    out["chars"] = r["chars"]
    return out


class EngineHolder:
    """The engine of one index folder, opened once and reopened after a rebuild swaps
    `current`. A caller takes one engine per request, so no answer mixes generations."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._target: str | None = None

    def get(self) -> Engine:
        try:
            target = os.readlink(self.index_dir / store.CURRENT)
        except OSError:
            target = None
        engine = self._engine
        if engine is not None and target == self._target:
            return engine
        with self._lock:
            if self._engine is None or target != self._target:
                self._engine = Engine.open(self.index_dir)
                self._target = target
            return self._engine


def with_page(query: SearchQuery, page: int) -> SearchQuery:
    return replace(query, page=page)
