"""Bulk data: the catalogue of reports as CSV (every metadata field, the place's GB/T 2260 code,
characters and paragraphs) and the text of reports as plain text or JSON Lines, streamed.

Every /search parameter chooses the reports (a report is in when one of its paragraphs matches,
as /api/reports counts; none: every report); `id=` (repeatable) names reports instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from flask import Blueprint, Response, request, stream_with_context

from indexer.models import REPORT_FIELDS
from search.results import SearchQuery
from search.sharding import get_reports
from search_app import get_engine as engine
from search_app.answers import fields_of
from search_app.csvexport import stream
from search_app.export_answers import CatalogueRow, ReportText, TextParagraph
from search_app.models import Export
from search_app.params import read
from search_app.serialize import Table, json_line

bp = Blueprint("bulk", __name__, url_prefix="/export")

CATALOGUE = Table(CatalogueRow)
BATCH = 50  # reports fetched at once by the text exports


def _records() -> list[dict]:
    """The reports a request chooses, in index order."""
    export = read(Export, request.args, paged=False)
    eng = engine()
    if export.id:
        return [eng.table.record(v) for v in export.id]  # 404 for an unknown one
    query = replace(export.search(paged=False), sort="relevance")
    everything = query == replace(SearchQuery(), per_page=None)
    return eng.reports(None if everything else query)


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/catalogue.csv", endpoint="catalogue")
def catalogue():
    records = _records()
    cells = lambda r: CATALOGUE.cells(CatalogueRow(**fields_of(r, CatalogueRow)))  # noqa: E731
    body = stream(CATALOGUE.columns, iter(records), cells)
    return Response(
        stream_with_context(body), mimetype="text/csv", headers=_attachment("baogao-catalogue.csv")
    )


def _reports(records: list[dict]) -> Iterator:
    """Each record with its report, fetched BATCH at a time (one round trip per shard on a
    sharded index). The first batch is fetched now, before the response's status is sent: a
    shard that cannot answer then gives its named 503, not a 200 cut short. A failure on a
    later batch raises inside the stream; the server then ends the connection without the
    chunked body's last chunk, which HTTP/1.1 clients report as an incomplete download."""
    eng = engine()
    batches = [records[i : i + BATCH] for i in range(0, len(records), BATCH)]
    first = get_reports(eng, [r["id"] for r in batches[0]]) if batches else []

    def pairs() -> Iterator:
        for k, batch in enumerate(batches):
            reports = first if k == 0 else get_reports(eng, [r["id"] for r in batch])
            yield from zip(batch, reports, strict=True)

    return pairs()


@bp.get("/text.txt", endpoint="text")
def text():
    """Each report: a header of its fields, then its paragraphs separated by blank lines."""
    pairs = _reports(_records())

    def chunks() -> Iterator[str]:
        for record, report in pairs:
            head = [f"# {record['id']}"] + [
                f"# {k}: {record[k]}"
                for k in (*REPORT_FIELDS[1:], "chars")
                if record[k] not in ("", None)
            ]
            yield (
                "\n".join(head) + "\n\n" + "\n\n".join(p.text for p in report.paragraphs) + "\n\n\n"
            )

    return Response(
        stream_with_context(chunks()), mimetype="text/plain", headers=_attachment("baogao-text.txt")
    )


def _paragraph(p) -> TextParagraph:
    """A paragraph as every JSON answer gives it: its number is `paragraph`."""
    return TextParagraph(
        paragraph=p.n,
        text=p.text,
        section=p.section,
        heading=p.heading,
        topics=p.topics,
        topic_scores=p.topic_scores,
    )


@bp.get("/text.jsonl", endpoint="jsonl")
def jsonl():
    """One JSON object per line and report: its record, code and paragraphs."""
    pairs = _reports(_records())

    def lines() -> Iterator[str]:
        for record, report in pairs:
            paragraphs = [_paragraph(p) for p in report.paragraphs]
            text = ReportText(**fields_of(record, ReportText), paragraphs=paragraphs)
            yield json_line(text) + "\n"

    return Response(
        stream_with_context(lines()),
        mimetype="application/x-ndjson",
        headers=_attachment("baogao-text.jsonl"),
    )
