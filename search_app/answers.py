"""The JSON answers, one model each: what /api/openapi.json says each endpoint returns (a test
checks every answer against it). A hit, a report and a concordance row carry the report's
metadata fields as `indexer.models.Metadata` defines them; the paragraph number is
`paragraph` in every answer."""

from __future__ import annotations

from typing import Literal

from pydantic import AnyUrl, BaseModel, Field, create_model

from indexer.models import METADATA_FIELDS, Metadata
from search.results import PLACE_FIELDS

Url = AnyUrl


def _metadata(name: str, doc: str, base: type[BaseModel] = BaseModel) -> type[BaseModel]:
    """A model of the report's metadata fields (typed as `Metadata` types them)."""
    types = Metadata.__annotations__
    fields = {f: (int | None if "int" in str(types[f]) else str, ...) for f in METADATA_FIELDS}
    return create_model(name, __base__=base, __doc__=doc, **fields)


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
    name: str
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


class Place(BaseModel):
    """A place of the adoption and trends answers: its name, GB/T 2260 code, province and
    city (鼓楼区 is four places)."""

    place: str
    province: str
    city: str


class Coded(Place):
    code: str


class YearCount(BaseModel):
    year: int
    occurrences: int
    paragraphs: int
    reports: int
    chars: int
    per10k: float


class TermYears(BaseModel):
    q: str
    years: list[YearCount]


class YearChars(BaseModel):
    year: int
    chars: int


class PlaceYears(Place):
    years: list[YearCount]


Filters = dict[str, list[str]]


class Trends(BaseModel):
    """Several terms by year; with place= or each=, also the one term in each place."""

    filters: Filters
    years: list[YearChars]
    terms: list[TermYears]
    q: str = None  # type: ignore[assignment]
    each: str | None = None
    unknown: list[str] = None  # type: ignore[assignment]
    left_out: int = None  # type: ignore[assignment]
    places: list[PlaceYears] = None  # type: ignore[assignment]


class Adopter(Coded):
    first_year: int
    first_report_id: str
    first_place: str
    first_paragraph: int
    first_url: Url
    last_year: int
    mentions: dict[str, int]
    years: list[int]


class NotYet(Coded):
    years: list[int]


class CurvePoint(BaseModel):
    year: int
    adopted: int
    places: int
    share: float


class PanelRow(Coded):
    level: str
    year: int
    report_ids: list[str]
    chars: int
    mentions: int
    adopted: bool
    first_year: int | None


class Adoption(BaseModel):
    q: str
    level: str
    rollup: bool
    filters: Filters
    places: list[Adopter]
    not_yet: list[NotYet]
    curve: list[CurvePoint]
    panel: list[PanelRow]


class Elsewhere(BaseModel):
    report_id: str
    paragraph: int
    district: str
    province: str
    city: str
    year: int | None
    url: Url


class SharedPassage(BaseModel):
    paragraph: int
    start: int
    end: int
    chars: int
    text: str
    reports: int
    elsewhere: list[Elsewhere]


class SharedReport(BaseModel):
    report_id: str
    district: str
    province: str
    city: str
    year: int | None
    chars: int
    passages: int
    url: Url


class Reuse(BaseModel):
    """The passages a report (or, with p, one paragraph) shares; `shared`: the reports it
    shares them with (the whole report only)."""

    report_id: str
    min: int
    paragraph: int | None
    passages: list[SharedPassage]
    shared: list[SharedReport] = None  # type: ignore[assignment]


class Keyword(BaseModel):
    word: str
    target: int
    reference: int
    ll: float
    pdiff: float | None
    log_ratio: float


class Keywords(BaseModel):
    target: Filters
    reference: Filters | None
    n: int
    min: int
    sort: str
    target_size: int
    reference_size: int
    target_paragraphs: int
    reference_paragraphs: int
    candidates: int
    rows: list[Keyword]


class NGram(BaseModel):
    word: str
    freq: int
    per_million: float
    reports: int


class NGrams(BaseModel):
    target: Filters
    n: int
    min: int
    size: int
    paragraphs: int
    rows: list[NGram]


class Holder(BaseModel):
    report_id: str
    district: str
    province: str
    city: str
    code: str
    year: int | None
    date: str
    title: str
    paragraph: int
    occurrences: int
    url: Url


class Lineage(BaseModel):
    text: str
    reports: int
    holders: list[Holder]


class DispersionReport(BaseModel):
    report_id: str
    district: str
    province: str
    city: str
    year: int | None
    chars: int
    positions: list[float]


class Dispersion(BaseModel):
    q: str
    occurrences: int
    profile: list[int]
    reports: list[DispersionReport]
