"""Bulk data: the catalogue of reports as CSV (every metadata field, the place's GB/T 2260 code,
characters and paragraphs) and the text of reports as plain text or JSON Lines, streamed.

Every /search parameter chooses the reports (a report is in when one of its paragraphs matches,
as /api/reports counts; none: every report); `id=` (repeatable) names reports instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, replace

from flask import Blueprint, Response, request, stream_with_context

from indexer.models import REPORT_FIELDS
from search.results import SearchQuery
from search.sharding import get_reports
from search_app import get_engine as engine
from search_app.csvexport import stream
from search_app.models import Export
from search_app.params import read
from search_app.serialize import record_cells, record_columns, record_json

bp = Blueprint("bulk", __name__, url_prefix="/export")

CATALOGUE_COLUMNS = (*record_columns(REPORT_FIELDS), "chars", "paragraph_count")
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
    cells = lambda r: [*record_cells(r, REPORT_FIELDS), r["chars"], r["paragraph_count"]]  # noqa: E731
    body = stream(CATALOGUE_COLUMNS, iter(records), cells)
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


def _paragraph(p) -> dict:
    """A paragraph as every JSON answer gives it: its number is `paragraph`."""
    out = {"paragraph": p.n, **{k: v for k, v in asdict(p).items() if k != "n"}}
    return {**out, "topics": list(p.topics), "topic_scores": list(p.topic_scores)}


@bp.get("/text.jsonl", endpoint="jsonl")
def jsonl():
    """One JSON object per line and report: its record, code and paragraphs."""
    pairs = _reports(_records())

    def lines() -> Iterator[str]:
        for record, report in pairs:
            out = record_json(record, tuple(record))
            out["paragraphs"] = [_paragraph(p) for p in report.paragraphs]
            yield json.dumps(out, ensure_ascii=False) + "\n"

    return Response(
        stream_with_context(lines()),
        mimetype="application/x-ndjson",
        headers=_attachment("baogao-text.jsonl"),
    )
