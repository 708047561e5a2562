"""baogao itself, through its engine API: `build_index` and `Engine.search`.

The page is `Engine.search` with 20 hits per page (total, report and occurrence counts, facet
counts over all matches, hits with verified spans) plus an excerpt per hit from
`search_app.highlight.snippet`. The full result set for recall and precision comes from the
engine's own evaluation (the mask its totals are counted from), mapped to benchmark paragraph ids.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.common import FACET_FIELDS, PAGE_SIZE, BuildStats, Hit, Page, Query
from bench.corpus import Corpus


class BaogaoPeer:
    name = "baogao"
    max_paragraphs = None
    skip_reason = ""

    def __init__(self) -> None:
        self.engine = None
        self.first: dict[str, int] = {}
        self.to_pid: np.ndarray | None = None

    def build(self, corpus: Corpus, workdir: Path) -> BuildStats:
        from indexer.build import build_index

        reports = corpus.to_reports()
        (workdir / "bench-first-pids.json").write_text(json.dumps(corpus.first_pids()))
        stats = build_index(reports, workdir, progress=False)
        return BuildStats(documents=stats.paragraphs, notes=f"generation {stats.path.name}")

    def open(self, workdir: Path) -> None:
        from search.engine import Engine

        self.first = json.loads((workdir / "bench-first-pids.json").read_text())
        self.engine = Engine.open(workdir)
        first_of_report = np.array(
            [self.first[r["id"]] for r in self.engine.report_meta], dtype=np.int64
        )
        col = self.engine.columns.col
        self.to_pid = first_of_report[col["report"]] + col["n"].astype(np.int64) - 1

    def _search_query(self, query: Query, per_page: int | None = PAGE_SIZE):
        from search.results import SearchQuery

        return SearchQuery(
            q=query.q,
            districts=query.districts,
            types=query.types,
            year_from=query.year_from,
            year_to=query.year_to,
            mode=query.mode,
            page=1,
            per_page=per_page,
        )

    def first_page(self, query: Query) -> Page:
        from search_app.highlight import snippet

        res = self.engine.search(self._search_query(query))
        facets = {
            name: {f.value: f.count for f in res.facets.get(name, ())} for name in FACET_FIELDS
        }
        hits = [
            Hit(self.first[h.report_id] + h.paragraph - 1, snippet(h.text, h.matches))
            for h in res.hits
        ]
        return Page(res.total, facets, hits)

    def all_ids(self, query: Query) -> set[int]:
        mask, _ev, _facet_masks = self.engine.evaluate(self._search_query(query))
        return set(self.to_pid[np.flatnonzero(mask)].tolist())
