"""What flows between the ingestion stages, the index and the search engine."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from indexer.place import Place

# Every report type, in the order facets list them; indexer.report_type.type_of tells them apart.
REPORT_TYPES = (
    "政府工作报告",
    "党代会报告",
    "全会报告",
    "工作总结",
    "工作计划",
    "决议",
    "预算报告",  # 关于XX年预算执行情况和XX年预算草案的报告
    "决算报告",  # 关于XX年决算的报告, 决算草案
    "计划报告",  # 关于XX年国民经济和社会发展计划执行情况与XX年计划草案的报告
    "人大常委会工作报告",
    "法院工作报告",
    "检察院工作报告",
    "其他",
)
LEVELS = ("national", "province", "city", "district")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or heading) of a report, numbered from 1 within it."""

    n: int
    text: str
    section: str = ""  # heading path, outermost first, joined by " > "
    heading: bool = False
    topics: tuple[str, ...] = ()
    topic_scores: tuple[float, ...] = ()  # how sure the labeller is of each topic (0–1)


@dataclass(frozen=True, kw_only=True)
class Metadata:
    """What is known about one report; empty strings / None mean "not determined".

    The one definition of a report's metadata: reports, hits, the index's report table, JSON,
    CSV columns and the CLI take their fields from here."""

    district: str = ""  # the issuing place: 拱墅区, 驻马店市, 河北省, 全国
    province: str = ""  # its province (itself for a province's own report; empty: national)
    city: str = ""  # its prefecture-level city (itself for a city's own report), if any
    level: str = ""
    year: int | None = None
    date: str = ""
    type: str = ""
    title: str = ""
    speaker: str = ""

    @property
    def place(self) -> Place:
        """The issuing place as one value (name, code, level, province, city)."""
        return Place.of_report(self)


METADATA_FIELDS = tuple(f.name for f in fields(Metadata))
# The metadata fields that make up `Metadata.place`; every answer shows them as one `place`.
PLACE_METADATA = ("district", "province", "city", "level")
OTHER_METADATA = tuple(f for f in METADATA_FIELDS if f not in PLACE_METADATA)
# Empty by right for some reports (national ones have no province): never "missing".
PLACE_ANCESTORS = ("province", "city")
PARAGRAPH_FIELDS = tuple(f.name for f in fields(Paragraph))
# A report's record, without its paragraphs: source is the file, source_url where it was published.
REPORT_FIELDS = ("id", *METADATA_FIELDS, "source", "source_url")


@dataclass(frozen=True, kw_only=True)
class Report(Metadata):
    """One report: its metadata, where it came from and its paragraphs."""

    id: str
    source: str
    source_url: str = ""  # the page the report was published on, when the file or manifest says
    paragraphs: tuple[Paragraph, ...] = ()
    header: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # (field, why it was left empty), for the ingest summary
    notes: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def missing(self) -> tuple[str, ...]:
        """Metadata fields that could not be determined."""
        return tuple(
            name
            for name in METADATA_FIELDS
            if name not in PLACE_ANCESTORS and getattr(self, name) in ("", None)
        )

    @property
    def why_empty(self) -> dict[str, str]:
        """Why each empty field was left empty, where ingestion recorded a reason."""
        return {name: why for name, why in self.notes if getattr(self, name) in ("", None)}

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)

    def meta(self) -> dict:
        """The report's record: id, metadata and source."""
        return {name: getattr(self, name) for name in REPORT_FIELDS}


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
    formats: dict[str, int] = field(default_factory=dict)  # files read, by format (pdf, html…)
    digests: dict[str, str] = field(default_factory=dict)  # source → content hash, if ingested
    readers: dict[str, str] = field(default_factory=dict)  # source → converter, for a .doc


# The fixed topic taxonomy: ids in display order and their labels.
TOPIC_LABELS = {
    "economy": "经济发展",
    "innovation": "科技创新",
    "reform": "改革开放",
    "urban": "城乡建设",
    "environment": "生态环境",
    "rural": "三农与扶贫",
    "welfare": "社会民生",
    "education": "教育",
    "health": "医疗卫生",
    "culture": "文化体育",
    "governance": "社会治理",
    "government": "政府建设",
    "party": "党的建设",
    "defense": "国防外交",
    "general": "综合",
}
TOPIC_IDS = tuple(TOPIC_LABELS)
LEVEL_LABELS = {"national": "全国", "province": "省级", "city": "市级", "district": "区县"}
