"""The JSON answers, one model each: what /api/openapi.json says each endpoint returns (a test
checks every answer against it). A hit, a report and a concordance row carry the report's
metadata fields as `indexer.models.Metadata` defines them, its place as one `place` object
(`Place`, the one shape of a place in every answer); the paragraph number is `paragraph` in
every answer."""

from __future__ import annotations

from typing import Literal

from pydantic import AnyUrl, BaseModel, Field, create_model

from indexer.models import OTHER_METADATA, Metadata
from search.results import PLACE_FIELDS

Url = AnyUrl


class Place(BaseModel):
    """A place, as every answer names it (`indexer.place.Place`): the unit's full name, its
    GB/T 2260 code ("" when unknown: 全国, or a name the gazetteer cannot tell apart), its level
    and the province and city above it (its own name at its own level; "" where none)."""

    name: str
    code: str
    level: str = Field(description="national, province, city, district; empty: unknown")
    province: str
    city: str


def _metadata(name: str, doc: str, base: type[BaseModel] = BaseModel) -> type[BaseModel]:
    """A model of the report's metadata: its place as one `Place`, the other fields typed as
    `Metadata` types them."""
    types = Metadata.__annotations__
    fields = {f: (int | None if "int" in str(types[f]) else str, ...) for f in OTHER_METADATA}
    return create_model(name, __base__=base, __doc__=doc, place=(Place, ...), **fields)


Record = _metadata("Record", "A report's metadata fields.")


class ErrorDetail(BaseModel):
    code: str
    message: str


class Error(BaseModel):
    error: ErrorDetail


class Paged(BaseModel):
    """Every list is paged alike: absolute URLs of the next and previous pages, or null."""

    page: int
    per_page: int
    next: Url | None
    prev: Url | None


class Hit(Record):
    report_id: str
    paragraph: int
    section: str
    source: str
    text: str
    matches: list[tuple[int, int]] = Field(description="[start, end) of each mark in text")
    topics: list[str]
    topic_scores: list[float]
    snippet: str
    url: Url


class FacetItem(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class FacetInfo(BaseModel):
    title: str
    multi: bool


class PlaceNode(BaseModel):
    place: Place
    field: Literal[PLACE_FIELDS]  # type: ignore[valid-type]
    count: int
    own: int
    selected: bool
    children: list[PlaceNode]


class SearchResults(Paged):
    query: str
    total: int
    reports: int
    occurrences: int
    hits: list[Hit]
    facets: dict[str, list[FacetItem]]
    facet_info: dict[str, FacetInfo]
    places: list[PlaceNode]
    took_ms: float


class Report(Record):
    id: str
    source: str
    source_url: str
    paragraph_count: int
    chars: int
    url: Url


class ReportList(Paged):
    total: int
    reports: list[Report]


class Paragraph(BaseModel):
    paragraph: int
    section: str
    heading: bool
    topics: list[str]
    text: str
    url: Url


class ReportDetail(Paged, Report):
    paragraphs: list[Paragraph]


class ConcordanceRow(Record):
    report_id: str
    paragraph: int
    start: int
    end: int
    left: str
    match: str
    right: str
    url: Url


class Concordance(Paged):
    query: str
    order: str
    context: int
    occurrences: int
    paragraphs: int
    reports: int
    total: int
    took_ms: float
    rows: list[ConcordanceRow]


class Collocate(BaseModel):
    word: str
    pos: str
    near: int
    total: int
    log_dice: float
    log_likelihood: float
    url: Url


class Collocations(BaseModel):
    query: str
    span: int
    min_freq: int
    stop: list[str]
    stop_default: bool
    pos: list[str]
    occurrences: int
    corpus_chars: int
    took_ms: float
    collocates: list[Collocate]
