"""What every peer shares: the query line format, the page shape, the fold, small measurements."""

from __future__ import annotations

import math
import os
import resource
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bench.corpus import Corpus

FACET_FIELDS = ("district", "year", "type", "level")
PAGE_SIZE = 20
EXCERPT_CONTEXT = 30  # characters of context shown on each side of a match


@dataclass(frozen=True)
class Query:
    """One line of the query mix: whitespace-separated terms are ANDed, each an exact substring
    (mode "exact") or a bag of jieba words (mode "words"); filters narrow the set first."""

    q: str
    mode: str = "exact"
    districts: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    @property
    def terms(self) -> list[str]:
        return self.q.split()

    @property
    def label(self) -> str:
        parts = [self.q]
        if self.districts:
            parts.append("district=" + ",".join(self.districts))
        if self.types:
            parts.append("type=" + ",".join(self.types))
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"year={self.year_from}-{self.year_to}")
        if self.mode != "exact":
            parts.append(f"mode={self.mode}")
        return " ".join(parts)

    @property
    def filtered(self) -> bool:
        return bool(self.districts or self.types or self.year_from or self.year_to)

    def accepts(self, district: str, year: int | None, type_: str) -> bool:
        """Whether a paragraph with this metadata passes the filters."""
        if self.districts and district not in self.districts:
            return False
        if self.types and type_ not in self.types:
            return False
        if self.year_from is not None and (year is None or year < self.year_from):
            return False
        return not (self.year_to is not None and (year is None or year > self.year_to))


@dataclass(frozen=True)
class Hit:
    pid: int  # the paragraph's position in the generated corpus, 0-based
    excerpt: str


@dataclass
class Page:
    """The full first page a user sees: total, facet counts over all matches, 20 excerpts."""

    total: int
    facets: dict[str, dict[str, int]]
    hits: list[Hit] = field(default_factory=list)


@dataclass
class BuildStats:
    """What a build reports about itself beyond time and memory (measured by the runner)."""

    documents: int
    notes: str = ""


def parse_query_line(line: str) -> Query | None:
    """`q<TAB>district=A,B<TAB>year=2016-2018<TAB>type=T<TAB>mode=words`; '#' lines are comments."""
    line = line.rstrip("\n")
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    q, *opts = line.split("\t")
    kwargs: dict = {}
    for opt in opts:
        if not opt.strip():
            continue
        key, _, value = opt.partition("=")
        key, value = key.strip(), value.strip()
        if key == "district":
            kwargs["districts"] = tuple(v for v in value.split(",") if v)
        elif key == "type":
            kwargs["types"] = tuple(v for v in value.split(",") if v)
        elif key == "year":
            lo, _, hi = value.partition("-")
            kwargs["year_from"] = int(lo)
            kwargs["year_to"] = int(hi or lo)
        elif key == "mode":
            if value not in ("exact", "words"):
                raise ValueError(f"unknown mode {value!r} in query line {line!r}")
            kwargs["mode"] = value
        else:
            raise ValueError(f"unknown option {key!r} in query line {line!r}")
    return Query(q=q.strip(), **kwargs)


def load_queries(path: Path) -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        query = parse_query_line(line)
        if query is not None:
            queries.append(query)
    return queries


def fold(text: str) -> str:
    """The project's fold, so every peer matches what baogao matches."""
    from indexer.fold import fold as project_fold

    return project_fold(text)


def fold_all(texts: Iterable[str]) -> list[str]:
    """Fold many texts, caching repeats (sampled corpora repeat paragraphs)."""
    from indexer.fold import fold as fn

    cache: dict[str, str] = {}
    out = []
    for text in texts:
        folded = cache.get(text)
        if folded is None:
            folded = cache[text] = fn(text)
        out.append(folded)
    return out


def excerpt(text: str, start: int, end: int, context: int = EXCERPT_CONTEXT) -> str:
    """The shown text around one match, the match marked with 【】."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return f"{prefix}{text[lo:start]}【{text[start:end]}】{text[end:hi]}{suffix}"


def first_match(folded: str, terms: Sequence[str]) -> tuple[int, int]:
    """Span of the earliest occurrence of any folded term (0, 0 when none)."""
    best = (0, 0)
    for term in terms:
        i = folded.find(term)
        if i >= 0 and (best == (0, 0) or i < best[0]):
            best = (i, i + len(term))
    return best


def jieba_words(term: str) -> list[str]:
    """The jieba words of a folded term as word mode reads them (the project's segmentation,
    with its policy-term dictionary)."""
    from indexer.analysis import words

    return words(term) or [term]


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    k = max(0, math.ceil(p / 100 * len(sorted_values)) - 1)
    return sorted_values[min(k, len(sorted_values) - 1)]


def dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest waited-for child."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, children


class Peer(Protocol):
    """One engine under test. `build` runs in one process, `open` + queries in another."""

    name: str
    max_paragraphs: int | None  # larger corpora are skipped (see `skip_reason`)
    skip_reason: str

    def build(self, corpus: Corpus, workdir: Path) -> BuildStats: ...

    def open(self, workdir: Path) -> None: ...

    def first_page(self, query: Query) -> Page: ...

    def all_ids(self, query: Query) -> set[int]: ...


def facet_counts_by_report(
    per_report: dict[int, int], reports: Sequence[tuple[str, str, int, str]]
) -> dict[str, dict[str, int]]:
    """Facet counts from matching-paragraph counts per report index; reports hold
    (district, level, year, type)."""
    facets: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
    for index, count in per_report.items():
        district, level, year, type_ = reports[index]
        for name, value in (
            ("district", district),
            ("year", str(year)),
            ("type", type_),
            ("level", level),
        ):
            facets[name][value] = facets[name].get(value, 0) + count
    return facets
