"""What flows between the ingestion stages, the index and the search engine."""

from __future__ import annotations

from dataclasses import dataclass, field

REPORT_TYPES = ("政府工作报告", "党代会报告", "全会报告", "工作总结", "工作计划", "决议", "其他")
LEVELS = ("national", "province", "city", "district")
METADATA_FIELDS = ("district", "level", "year", "date", "type", "title", "speaker")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or heading) of a report, numbered from 1 within it."""

    n: int
    text: str
    section: str = ""  # heading path, outermost first, joined by " > "
    heading: bool = False
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """One report with its metadata; empty strings / None mean "not determined"."""

    id: str
    source: str
    district: str = ""
    level: str = ""
    year: int | None = None
    date: str = ""
    type: str = ""
    title: str = ""
    speaker: str = ""
    paragraphs: tuple[Paragraph, ...] = ()
    header: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def missing(self) -> tuple[str, ...]:
        """Metadata fields that could not be determined."""
        return tuple(
            name for name in METADATA_FIELDS if getattr(self, name) in ("", None)
        )

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)

    def meta(self) -> dict:
        return {
            "id": self.id,
            "district": self.district,
            "level": self.level,
            "year": self.year,
            "date": self.date,
            "type": self.type,
            "title": self.title,
            "speaker": self.speaker,
            "source": self.source,
        }


@dataclass(frozen=True)
class Problem:
    """A file (or part of one) that could not be ingested, and why."""

    source: str
    reason: str


@dataclass
class IngestResult:
    reports: list[Report] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
