"""What a search is and what it answers: `SearchQuery` in, `SearchResults` (with `Hit`s and
facet counts) out. A hit carries its report's metadata fields as `indexer.models` defines them."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.models import METADATA_FIELDS, Metadata
from indexer.place import Place
from search.facet_table import COUNTED, SELECTION
from search.facet_table import PLACE_FIELDS as PLACE_FIELDS  # the place tree's levels

SORTS = ("relevance", "newest", "oldest")
MODES = ("exact", "words")
FACETS = COUNTED  # flat facets, and `name:value` filters
FILTER_FIELDS = tuple(SELECTION)  # what `name:value` may filter in a query
MAX_PER_PAGE = 100_000

Span = tuple[int, int]


@dataclass(frozen=True)
class SearchQuery:
    """One search: the query string plus facet selections (OR within a facet, AND across)."""

    q: str = ""
    provinces: tuple[str, ...] = ()  # the place selections (province, city, district) are one
    cities: tuple[str, ...] = ()  # facet: a paragraph matches when its place is under any
    districts: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sort: str = "relevance"
    mode: str = "exact"
    page: int = 1
    per_page: int | None = 20  # None: every hit


@dataclass(frozen=True, kw_only=True)
class Hit(Metadata):
    """One matching paragraph, with its report's metadata and its marks: the spans of the
    query's terms in its text, sorted, overlapping occurrences of two terms merged."""

    report_id: str
    paragraph: int
    source: str = ""
    section: str = ""
    text: str = ""
    heading: bool = False
    topics: tuple[str, ...] = ()
    topic_scores: tuple[float, ...] = ()  # the labeller's score of each topic (0–1)
    matches: tuple[Span, ...] = ()
    score: float = 0.0


# A hit's record, in order: what JSON, CSV and the CLI show of it.
HIT_FIELDS = ("report_id", "paragraph", *METADATA_FIELDS, "section", "source", "text")


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class PlaceCount:
    """A node of the place tree: a province, a city or an issuing place, with the matching
    paragraphs at and under it. `count == own + sum(child.count for child in children)`."""

    place: Place  # its code: the latest (the tree spans every year)
    field: str  # the filter that selects it (province, city or district) with `place.name`
    count: int
    own: int  # paragraphs of reports issued by this place itself
    selected: bool = False
    children: tuple[PlaceCount, ...] = ()

    @property
    def name(self) -> str:
        return self.place.name


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    total: int  # paragraphs
    reports: int
    occurrences: int  # marks in all matching paragraphs
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    places: tuple[PlaceCount, ...] = ()  # the place tree, provinces (and 全国) at the top
    timeline: tuple[tuple[int, str, int], ...] = ()  # (year, district, paragraphs)
    terms: tuple[str, ...] = ()  # folded terms that are marked in the hits
