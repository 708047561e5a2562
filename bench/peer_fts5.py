"""SQLite FTS5 with the trigram tokenizer over folded text, the strongest common peer.

Terms of three or more characters go through MATCH (a quoted phrase each); shorter terms cannot
be served by a trigram index and fall back to `instr()` over the stored text, a full scan in C.
Facet counts come from one `GROUP BY district, year, type, level` over the matches; the page is
ranked by bm25 and its excerpts come from `snippet()` (or from Python when nothing is MATCHed).
The stored text is the folded text, so excerpts show folded characters.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.common import (
    FACET_FIELDS,
    PAGE_SIZE,
    BuildStats,
    Hit,
    Page,
    Query,
    excerpt,
    first_match,
    fold,
    fold_all,
    jieba_words,
)
from bench.corpus import Corpus

BATCH = 20_000
SNIPPET_TOKENS = 20  # trigram tokens ≈ characters of context in snippet()


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class Fts5Peer:
    name = "fts5"
    max_paragraphs = None
    skip_reason = ""

    def __init__(self) -> None:
        self.db: sqlite3.Connection | None = None

    def build(self, corpus: Corpus, workdir: Path) -> BuildStats:
        db = sqlite3.connect(workdir / "fts5.sqlite")
        db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -262144;
            CREATE TABLE docs (
                id INTEGER PRIMARY KEY, district TEXT, level TEXT, year INTEGER, type TEXT,
                text TEXT
            );
            CREATE VIRTUAL TABLE p USING fts5(
                text, content='docs', content_rowid='id', tokenize='trigram'
            );
            """
        )
        raw = [text for r in corpus.reports for text in r.texts]
        folded = fold_all(raw)
        del raw
        rows: list[tuple] = []
        for pid, report, _n, _text in corpus.rows():
            rows.append(
                (pid + 1, report.district, report.level, report.year, report.type, folded[pid])
            )
            if len(rows) >= BATCH:
                db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", rows)
                rows.clear()
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.execute("INSERT INTO p(rowid, text) SELECT id, text FROM docs")
        db.execute("INSERT INTO p(p) VALUES ('optimize')")
        db.commit()
        db.execute("VACUUM")
        db.close()
        return BuildStats(documents=len(folded), notes="external-content FTS5 over docs")

    def open(self, workdir: Path) -> None:
        self.db = sqlite3.connect(workdir / "fts5.sqlite", check_same_thread=False)
        self.db.execute("PRAGMA cache_size = -262144")
        self.db.execute("PRAGMA mmap_size = 4294967296")

    def _where(self, query: Query) -> tuple[str, str, list, list[str]]:
        """FROM clause, WHERE clause, parameters, and the folded needles for excerpts."""
        needles = [fold(t) for t in query.terms]
        if query.mode == "words":
            needles = [w for t in needles for w in jieba_words(t)]
        long = [n for n in needles if len(n) >= 3]
        short = [n for n in needles if len(n) < 3]
        clauses: list[str] = []
        params: list = []
        if long:
            source = "p JOIN docs d ON d.id = p.rowid"
            clauses.append("p MATCH ?")
            params.append(" AND ".join(_phrase(n) for n in long))
        else:
            source = "docs d"
        for n in short:
            clauses.append("instr(d.text, ?) > 0")
            params.append(n)
        if query.districts:
            clauses.append(f"d.district IN ({', '.join('?' * len(query.districts))})")
            params.extend(query.districts)
        if query.types:
            clauses.append(f"d.type IN ({', '.join('?' * len(query.types))})")
            params.extend(query.types)
        if query.year_from is not None:
            clauses.append("d.year >= ?")
            params.append(query.year_from)
        if query.year_to is not None:
            clauses.append("d.year <= ?")
            params.append(query.year_to)
        return source, " AND ".join(clauses) or "1", params, needles

    def first_page(self, query: Query) -> Page:
        assert self.db is not None
        source, where, params, needles = self._where(query)
        facets: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
        total = 0
        sql = (
            f"SELECT d.district, d.year, d.type, d.level, count(*) FROM {source} "
            f"WHERE {where} GROUP BY 1, 2, 3, 4"
        )
        for district, year, type_, level, count in self.db.execute(sql, params):
            total += count
            for name, value in zip(FACET_FIELDS, (district, str(year), type_, level), strict=True):
                facets[name][value] = facets[name].get(value, 0) + count
        hits = []
        if source.startswith("p "):
            sql = (
                f"SELECT p.rowid, snippet(p, 0, '【', '】', '…', {SNIPPET_TOKENS}) FROM {source} "
                f"WHERE {where} ORDER BY p.rank LIMIT {PAGE_SIZE}"
            )
            hits = [Hit(rowid - 1, snip) for rowid, snip in self.db.execute(sql, params)]
        else:
            sql = f"SELECT d.id, d.text FROM {source} WHERE {where} ORDER BY d.id LIMIT {PAGE_SIZE}"
            for rowid, text in self.db.execute(sql, params):
                start, end = first_match(text, needles)
                hits.append(Hit(rowid - 1, excerpt(text, start, end)))
        return Page(total, facets, hits)

    def all_ids(self, query: Query) -> set[int]:
        assert self.db is not None
        source, where, params, _needles = self._where(query)
        sql = f"SELECT d.id FROM {source} WHERE {where}"
        return {rowid - 1 for (rowid,) in self.db.execute(sql, params)}
