"""The reader's model: a report's paragraphs with the query's exact matches marked, the
previous/next match of each, citations (GB/T 7714, BibTeX, RIS) and the topic profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from markupsafe import Markup

from indexer.models import TOPIC_IDS, TOPIC_LABELS, Report
from search.engine import Engine
from search.results import SearchQuery
from search_app import citations
from search_app.markup import marked


@dataclass(frozen=True)
class Citation:
    gbt: str  # GB/T 7714-2015
    bibtex: str
    ris: str


@dataclass(frozen=True)
class ReaderParagraph:
    n: int
    html: Markup  # escaped text with our <mark>s, from highlight.mark
    heading: bool
    level: int  # heading level, 2..4
    section: str
    matched: bool
    prev_match: int | None
    next_match: int | None
    citation: Citation


def cite(report: Report, permalink: str, today: Date, n: int | None = None) -> Citation:
    """The citation of a report (or of its paragraph `n`) in the three formats, at the page
    it was published on when known, else at `permalink`."""
    cited = citations.describe(report, permalink, today, n, report.source_url)
    return Citation(
        gbt=citations.gbt7714(cited),
        bibtex=citations.bibtex(cited, citations.key(report.id, n)),
        ris=citations.ris(cited),
    )


def matched_spans(engine: Engine, report: Report, q: str, mode: str) -> dict[int, list]:
    """Paragraph number → exact spans, for the paragraphs of a report that match `q`, found by
    evaluating the query exactly as the search does."""
    if not q:
        return {}
    if hasattr(type(engine), "matched_spans"):  # a sharded index: asked of the report's shard
        return engine.matched_spans(report, q, mode)
    mask, ev, _ = engine.evaluate(SearchQuery(q=q, mode=mode))
    if not ev.terms:  # nothing to mark (only filters or negations)
        return {}
    pids = engine.table.paragraph_ids(report.id)
    out = {}
    for pid, para in zip(pids, report.paragraphs, strict=True):
        if mask[pid]:
            out[para.n] = engine.spans(pid, ev.terms)
    return out


def paragraphs(
    report: Report, spans: dict[int, list], permalink, today: Date
) -> list[ReaderParagraph]:
    """The reader's paragraphs; `permalink(n)` gives the absolute URL of paragraph n."""
    matched = sorted(spans)
    prev_of, next_of = {}, {}
    for a, b in zip(matched, matched[1:], strict=False):
        next_of[a], prev_of[b] = b, a
    out = []
    for p in report.paragraphs:
        depth = p.section.count(" > ") + 2 if p.section else 2
        out.append(
            ReaderParagraph(
                n=p.n,
                html=marked(p.text, spans.get(p.n, ())),
                heading=p.heading,
                level=min(depth, 4),
                section=p.section,
                matched=p.n in spans,
                prev_match=prev_of.get(p.n),
                next_match=next_of.get(p.n),
                citation=cite(report, permalink(p.n), today, p.n),
            )
        )
    return out


def topic_profile(report: Report) -> list[dict]:
    """Share of the report's (non-heading) paragraphs per topic, largest first."""
    body = [p for p in report.paragraphs if not p.heading] or list(report.paragraphs)
    counts = {t: 0 for t in TOPIC_IDS}
    for p in body:
        for t in p.topics:
            if t in counts:
                counts[t] += 1
    rows = [
        {"topic": t, "label": TOPIC_LABELS[t], "count": c, "share": c / len(body)}
        for t, c in counts.items()
        if c
    ]
    return sorted(rows, key=lambda r: -r["count"])
