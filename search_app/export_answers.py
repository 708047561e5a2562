"""The records of the bulk exports and of `baogao ingest --json`, one model each, written by
`search_app.serialize` like every answer: a catalogue row, a report's text as one JSON line,
an ingested report and a skipped file. (The downloads are files: /api/openapi.json describes
them by media type, not by these models.)"""

from __future__ import annotations

from pydantic import BaseModel

from indexer.models import REPORT_FIELDS
from search_app.answers import record_model

CatalogueRow = record_model(
    "CatalogueRow",
    "A report in the catalogue: its record, characters and paragraphs.",
    (*REPORT_FIELDS, "chars", "paragraph_count"),
)


class TextParagraph(BaseModel):
    paragraph: int
    text: str
    section: str
    heading: bool
    topics: list[str]
    topic_scores: list[float]


ReportText = record_model(
    "ReportText",
    "A report of /export/text.jsonl: its record as the report table holds it, and its text.",
    (*REPORT_FIELDS, "paragraph_count", "chars"),
    paragraphs=(list[TextParagraph], ...),
)


class IngestParagraph(BaseModel):
    paragraph: int
    section: str
    text: str


IngestedReport = record_model(
    "IngestedReport",
    "A report as `baogao ingest --json` read it: its record and paragraphs.",
    REPORT_FIELDS,
    paragraphs=(list[IngestParagraph], ...),
)


class Skipped(BaseModel):
    """A file `baogao ingest --json` skipped, and why."""

    skipped: str
    reason: str
