"""The JSON answers of the research views (trends, adoption, shared passages, keywords,
n-grams, passage lineage, dispersion), one model each, beside those of `answers.py`; then
the row of each of their CSVs (trends, adoption, the event-history panel, keywords, n-grams,
dispersion), whose fields are its columns."""

from __future__ import annotations

from typing import Annotated, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model

from search import panel
from search_app.answers import Cell, Place, Url, rounded


class YearCount(BaseModel):
    year: int
    occurrences: int
    paragraphs: int
    reports: int
    chars: int
    per10k: rounded(6)  # type: ignore[valid-type]


class TermYears(BaseModel):
    q: str
    years: list[YearCount]


class YearChars(BaseModel):
    year: int
    chars: int


class PlaceYears(BaseModel):
    place: Place
    years: list[YearCount]


Filters = dict[str, list[str]]


class Trends(BaseModel):
    """Several terms by year; with place= or each=, first the one term in each place (the
    fields left unset otherwise are not written)."""

    q: str = None  # type: ignore[assignment]
    each: str | None = None
    unknown: list[str] = None  # type: ignore[assignment]
    left_out: int = None  # type: ignore[assignment]
    places: list[PlaceYears] = None  # type: ignore[assignment]
    filters: Filters
    years: list[YearChars]
    terms: list[TermYears]


class Adopter(BaseModel):
    place: Place
    first_year: int
    first_report_id: str
    first_place: str
    first_paragraph: int
    first_url: Url
    last_year: int
    mentions: dict[str, int]
    years: list[int]


class NotYet(BaseModel):
    place: Place
    years: list[int]


class CurvePoint(BaseModel):
    year: int
    adopted: int
    places: int
    share: float


class PanelRow(BaseModel):
    place: Place
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
    # what a mention is: an occurrence of the query's terms, or, for a query with no term to
    # count (only negations or filters, -改革), a matching paragraph; as the search counts them
    mentions_count: Literal["occurrences", "paragraphs"]
    filters: Filters
    places: list[Adopter]
    not_yet: list[NotYet]
    curve: list[CurvePoint]
    panel: list[PanelRow]


class Elsewhere(BaseModel):
    report_id: str
    paragraph: int
    place: Place
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
    place: Place
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
    ll: rounded(4)  # type: ignore[valid-type]
    pdiff: rounded(4) | None  # type: ignore[valid-type]
    log_ratio: rounded(4)  # type: ignore[valid-type]


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
    per_million: rounded(4)  # type: ignore[valid-type]
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
    place: Place
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
    place: Place
    year: int | None
    chars: int
    positions: list[rounded(6)]  # type: ignore[valid-type]


class Dispersion(BaseModel):
    q: str
    occurrences: int
    profile: list[int]
    reports: list[DispersionReport]


# -- the rows of the research views' CSVs, one model each, written by `serialize.Table` --


def _year_row(name: str, doc: str, **first) -> type[BaseModel]:
    """A CSV row of the fields `first`, then a year's counts (the fields of `YearCount`)."""
    counts = {n: (f.annotation, f) for n, f in YearCount.model_fields.items()}
    return create_model(name, __doc__=doc, __module__=__name__, **first, **counts)


TrendsRow = _year_row("TrendsRow", "A row of /trends.csv: a term in a year.", term=(str, ...))
PlaceTrendsRow = _year_row(
    "PlaceTrendsRow",
    "A row of /trends.csv with place= or each=: the term in a place (its code that year's) "
    "in a year.",
    term=(str, ...),
    place=(Place, ...),
)


class AdoptionRow(BaseModel):
    """A row of /adoption.csv: a place that adopted the term (its first and last year, its
    mentions by year) or not yet (the first_* and last_year cells empty)."""

    place: Place
    status: Literal["adopted", "not_yet"]
    first_year: int | None = None
    first_report_id: str = ""
    first_place: str = ""
    first_paragraph: int | None = None
    first_url: str = ""
    last_year: int | None = None
    mentions: int = 0
    mentions_by_year: Annotated[dict[int, int], Cell()] = {}
    years: Annotated[list[int], Cell()]


def _event_row() -> type[BaseModel]:
    """A row of the event-history panel (/adoption/panel.csv): the engine's
    `search.panel.EventRow` as a model, field for field (the columns of its codebook,
    `search.panel.CODEBOOK`), its report ids one cell."""
    fields: dict = {name: (kind, ...) for name, kind in get_type_hints(panel.EventRow).items()}
    fields["report_ids"] = (Annotated[list[str], Cell()], ...)
    return create_model(
        "EventRow",
        __config__=ConfigDict(from_attributes=True),
        __doc__=_event_row.__doc__,
        __module__=__name__,
        **fields,
    )


EventRow = _event_row()


class KeywordRow(BaseModel):
    """A row of /keywords.csv: a keyword with its n-gram length; pdiff inf when the
    reference never has it."""

    word: str
    n: int
    target: int
    reference: int
    ll: rounded(4)  # type: ignore[valid-type]
    pdiff: rounded(4, none="inf")  # type: ignore[valid-type]
    log_ratio: rounded(4)  # type: ignore[valid-type]


class NGramRow(BaseModel):
    """A row of /keywords.csv?view=ngrams: an n-gram with its length."""

    word: str
    n: int
    freq: int
    per_million: rounded(4)  # type: ignore[valid-type]
    reports: int


class DispersionRow(BaseModel):
    """A row of /dispersion.csv: one occurrence in a report, its position from 0 to 1."""

    report_id: str
    place: Place
    year: int | None
    chars: int
    occurrence: int
    position: rounded(6)  # type: ignore[valid-type]
