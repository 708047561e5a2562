"""jieba's bundled Whoosh ChineseAnalyzer, the approach most projects start from.

The shown text is indexed as is (no fold), queried with Whoosh's QueryParser: a quoted phrase per
term in exact mode, the bare terms in word mode. Facets are Whoosh `groupedby` count facets over
sortable columns; excerpts come from Whoosh's highlighter. Measured, not fixed: the analyzer
stores character offsets as token positions, so phrases of more than one word miss, and its
stop list drops 的 and other common words.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import FACET_FIELDS, PAGE_SIZE, BuildStats, Hit, Page, Query
from bench.corpus import Corpus

MAX_PARAGRAPHS = 50_000
LIMIT_MB = 256


def _schema():
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, NUMERIC, TEXT, Schema

    return Schema(
        pid=NUMERIC(stored=True, sortable=True, bits=32),
        district=ID(stored=True, sortable=True),
        level=ID(stored=True, sortable=True),
        year=NUMERIC(stored=True, sortable=True),
        type=ID(stored=True, sortable=True),
        text=TEXT(stored=True, analyzer=ChineseAnalyzer()),
    )


class JiebaWhooshPeer:
    name = "jieba-whoosh"
    max_paragraphs = MAX_PARAGRAPHS
    skip_reason = (
        f"skipped above {MAX_PARAGRAPHS:,} paragraphs: it indexes about 80,000 characters a "
        "second on one core (a 200k corpus alone would take some 9 minutes of the benchmark's "
        "budget), and its recall on phrases is established at the smaller size"
    )

    def __init__(self) -> None:
        self.ix = None
        self.searcher = None
        self.parser = None

    def build(self, corpus: Corpus, workdir: Path) -> BuildStats:
        from whoosh import index

        ix = index.create_in(str(workdir), _schema())
        writer = ix.writer(limitmb=LIMIT_MB)
        for pid, report, _n, text in corpus.rows():
            writer.add_document(
                pid=pid,
                district=report.district,
                level=report.level,
                year=report.year,
                type=report.type,
                text=text,
            )
        writer.commit()
        return BuildStats(documents=ix.doc_count(), notes="single writer, one segment")

    def open(self, workdir: Path) -> None:
        from whoosh import index
        from whoosh.qparser import QueryParser

        self.ix = index.open_dir(str(workdir))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("text", self.ix.schema)
        self.pids = self.searcher.reader().column_reader("pid")

    def _query(self, query: Query):
        from whoosh.query import And, NumericRange, Or, Term

        if query.mode == "exact":
            text = " ".join('"' + t.replace('"', "") + '"' for t in query.terms)
        else:
            text = " ".join(query.terms)
        q = self.parser.parse(text)
        filters = []
        if query.districts:
            filters.append(Or([Term("district", d) for d in query.districts]))
        if query.types:
            filters.append(Or([Term("type", t) for t in query.types]))
        if query.year_from is not None or query.year_to is not None:
            filters.append(NumericRange("year", query.year_from, query.year_to))
        return q, (And(filters) if filters else None)

    def first_page(self, query: Query) -> Page:
        from whoosh import highlight, sorting

        q, filt = self._query(query)
        groups = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACET_FIELDS}
        results = self.searcher.search(q, limit=PAGE_SIZE, filter=filt, groupedby=groups)
        results.fragmenter = highlight.ContextFragmenter()
        results.formatter = highlight.UppercaseFormatter()
        facets = {
            name: {str(k): v for k, v in results.groups(name).items()} for name in FACET_FIELDS
        }
        hits = [Hit(hit["pid"], hit.highlights("text", top=1)) for hit in results[:PAGE_SIZE]]
        return Page(len(results), facets, hits)

    def all_ids(self, query: Query) -> set[int]:
        q, filt = self._query(query)
        docnums = self.searcher.docs_for_query(q) if filt is None else None
        if docnums is None:
            results = self.searcher.search(q, limit=None, filter=filt, scored=False)
            docnums = results.docs()
        return {self.pids[d] for d in docnums}
