"""The JSON answers, one model each: every answer is made as an instance of its model from the
engine's objects and written by `search_app.serialize` (JSON for the API and the CLI, CSV rows),
and /api/openapi.json describes the same models, so the two cannot disagree. A hit, a report
and a concordance row carry the report's metadata fields as `indexer.models.Metadata` defines
them, in the engine's order, its place as one `place` object (`Place`, the one shape of a place
in every answer); the paragraph number is `paragraph` in every answer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
)

from indexer.models import METADATA_FIELDS, PLACE_METADATA, REPORT_FIELDS, Metadata
from indexer.place import Place as PlaceValue
from search.results import HIT_FIELDS, PLACE_FIELDS

# An absolute URL: a string (validating it as pydantic's AnyUrl would rewrite it), described as
# AnyUrl is.
Url = Annotated[str, WithJsonSchema({"type": "string", "format": "uri", "minLength": 1})]


@dataclass(frozen=True)
class Decimals:
    """A float's decimals: JSON writes it rounded to them, a table with all of them."""

    digits: int


@dataclass(frozen=True)
class Cell:
    """How a table writes a field that JSON writes as it is: a null as `none` (a keyword
    found only in the target has an infinite pdiff: inf), a list's items or a mapping's
    key:value pairs joined by `sep` (report ids as a;b, mentions by year as 2015:3;2016:1)."""

    none: str = ""
    sep: str = ";"


def rounded(digits: int, none: str | None = None) -> Any:
    """A float kept to `digits` decimals; with `none`, also null, which a table writes so."""
    if none is None:
        return Annotated[float, AfterValidator(lambda v: round(v, digits)), Decimals(digits)]
    return Annotated[
        float | None,
        AfterValidator(lambda v: None if v is None else round(v, digits)),
        Decimals(digits),
        Cell(none=none),
    ]


class Place(BaseModel):
    """A place, as every answer names it (`indexer.place.Place`): the unit's full name, its
    GB/T 2260 code ("" when unknown: 全国, or a name the gazetteer cannot tell apart), its level
    and the province and city above it (its own name at its own level; "" where none)."""

    # made from an `indexer.place.Place`; frozen, as one instance serves every answer naming
    # that place (`place_of`)
    model_config = ConfigDict(from_attributes=True, frozen=True)

    name: str
    code: str
    level: str = Field(description="national, province, city, district; empty: unknown")
    province: str
    city: str


@lru_cache(maxsize=1 << 16)
def place_of(place: PlaceValue) -> Place:
    """The answer's `Place` of an `indexer.place.Place`, validated once: a page names the
    same few places again and again (a model instance is not validated again where an answer
    holds it)."""
    return Place.model_validate(place)


# The type of each record field the answers carry, by its name in the engine's objects.
_TYPES: dict[str, Any] = {
    **{f: int | None if "int" in str(t) else str for f, t in Metadata.__annotations__.items()},
    "id": str, "report_id": str, "paragraph": int, "section": str, "source": str,
    "source_url": str, "text": str, "start": int, "end": int, "left": str, "match": str,
    "right": str, "paragraph_count": int, "chars": int,
}  # fmt: skip


def record_model(name: str, doc: str, names: tuple[str, ...], **extra: Any) -> type[BaseModel]:
    """A model of a record's fields `names` in that order, its place fields as one `place`
    where the first of them stood, then the fields `extra` (name=(type, default))."""
    fields: dict[str, Any] = {}
    for n in names:
        if n not in PLACE_METADATA:
            fields[n] = (_TYPES[n], ...)
        elif "place" not in fields:
            fields["place"] = (Place, ...)
    return create_model(name, __doc__=doc, __module__=__name__, **fields, **extra)


def fields_of(record: Any, model: type[BaseModel]) -> dict[str, Any]:
    """The values of `model`'s fields that `record` (a hit, a concordance row, the report
    table's dict) holds, its place as one `Place`."""
    mapping = isinstance(record, dict)
    out: dict[str, Any] = {}
    for name in model.model_fields:
        if name == "place":
            out[name] = place_of(PlaceValue.of_report(record))
        elif name in record if mapping else hasattr(record, name):
            out[name] = record[name] if mapping else getattr(record, name)
    return out


class ErrorDetail(BaseModel):
    code: str
    message: str


class Error(BaseModel):
    error: ErrorDetail


class Refused(BaseModel):
    """A query `baogao search --json` refused: its line's answer."""

    query: str
    error: str = Field(description="the error's code, as the API's error.code")
    message: str


PAGING: dict[str, Any] = {
    "page": (int, ...),
    "per_page": (int, ...),
    "next": (Url | None, ...),
    "prev": (Url | None, ...),
}


def paged(model: type[BaseModel]) -> type[BaseModel]:
    """`model` with the paging every list has after its own fields: `page`, `per_page` and
    the absolute URLs of the next and previous pages, or null."""
    name = model.__name__.lstrip("_")
    return create_model(name, __base__=model, __doc__=model.__doc__, __module__=__name__, **PAGING)


HitRecord = record_model(
    "HitRecord",
    "A matching paragraph as `baogao search --json` gives it: its report's record and marks.",
    HIT_FIELDS,
    matches=(list[tuple[int, int]], Field(description="[start, end) of each mark in text")),
    topics=(list[str], ...),
    topic_scores=(list[float], ...),
)


class Hit(HitRecord):
    """A matching paragraph: its record, marks, excerpt (HTML) and permalink."""

    # "" only where the excerpt is not shown (a CSV row); every JSON answer has it
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    snippet: str = ""
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


class Results(BaseModel):
    """A search's answer as `baogao search --json` gives it: totals, the hits asked for,
    every facet with its labels and the place tree."""

    query: str
    total: int
    reports: int
    occurrences: int
    hits: list[HitRecord]
    facets: dict[str, list[FacetItem]]
    facet_info: dict[str, FacetInfo]
    places: list[PlaceNode]
    hints: list[str] = Field(
        description="plain-language notes on the query, as the search page shows them: a "
        "filter value the index does not know (level:xyz), a lower-case and/or/not, another "
        "written form the reports use more often"
    )


class _SearchResults(Results):
    """A page of a search, for /api/search: the hits with their excerpts and permalinks."""

    hits: list[Hit]  # type: ignore[assignment]


SearchResults = create_model(
    "SearchResults",
    __base__=paged(_SearchResults),
    __module__=__name__,
    took_ms=(rounded(2), ...),
)

Report = record_model(
    "Report",
    "A report's record, as the report table holds it, and its permalink.",
    (*REPORT_FIELDS, "paragraph_count", "chars"),
    url=(Url, ...),
)


class _ReportList(BaseModel):
    reports: list[Report]  # type: ignore[valid-type]
    total: int


ReportList = paged(_ReportList)


class Paragraph(BaseModel):
    paragraph: int
    section: str
    heading: bool
    topics: list[str]
    text: str
    url: Url


class _ReportDetail(Report):  # type: ignore[valid-type,misc]
    paragraphs: list[Paragraph]


ReportDetail = paged(_ReportDetail)

ConcordanceRow = record_model(
    "ConcordanceRow",
    "One occurrence of the query with its context, and the report it stands in.",
    ("left", "match", "right", "report_id", "paragraph", "start", "end", *METADATA_FIELDS),
    url=(Url, ...),
)


class _Concordance(BaseModel):
    query: str
    order: str
    context: int
    occurrences: int
    paragraphs: int  # the search's matching paragraphs and reports (with or without a row)
    reports: int
    note: str = None  # type: ignore[assignment]  # why there is no row (only negations)
    took_ms: rounded(2)  # type: ignore[valid-type]
    rows: list[ConcordanceRow]  # type: ignore[valid-type]
    total: int


Concordance = paged(_Concordance)


class Collocate(BaseModel):
    word: str
    pos: str
    near: int
    total: int
    log_dice: rounded(4)  # type: ignore[valid-type]
    log_likelihood: rounded(4)  # type: ignore[valid-type]
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
    took_ms: rounded(2)  # type: ignore[valid-type]
    collocates: list[Collocate]
