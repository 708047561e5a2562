"""The facets, written once: each one's name (its URL parameter, its `name:value` filter and its
key in the answers), the `SearchQuery` field holding its selection, the record column it counts,
its titles, how its values read (label) and how a value given by label or alias is found
(resolve). Parsing, masks, counts, URLs, labels and the OpenAPI document read this table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer.fold import fold
from indexer.models import LEVEL_LABELS, REPORT_TYPES, TOPIC_LABELS

TOPIC_NOTE = (
    "主题由模型自动标注：按报告自身小标题学得的字词模型，辅以主题词表，每段1–3个，"
    "主要的在前。对照人工标注的285段测试段落，首个主题约88%正确，全部主题F1约0.84。"
    "一段文字可属于多个主题，各主题计数之和可能大于总段数。"
)


@dataclass(frozen=True)
class Facet:
    name: str  # URL parameter, `name:value` filter, key of `facets` in the answers
    selection: str  # the SearchQuery field of its selected values
    column: str  # the record column it counts (topics: a paragraph's column of topic ids)
    title: str  # the facet's title (in the answers' facet_info)
    short: str  # its name on a chip of filters in force: 省：浙江省
    help: str  # what the URL parameter selects (the OpenAPI document)
    labels: Mapping[str, str] = field(default_factory=dict)  # a fixed vocabulary's labels
    aliases: Mapping[str, str] = field(default_factory=dict)  # more names a value goes by
    unknown: str = "不详"  # the label of the empty value
    place: bool = False  # a level of the place tree (province → city → issuing place)
    counted: bool = True  # counted as a flat facet of the results
    multi: bool = False  # a paragraph may count under several values
    year: bool = False

    def label(self, value: str) -> str:
        """The Chinese label shown for a value."""
        if not value:
            return self.unknown
        return f"{value}年" if self.year else self.labels.get(value, value)

    def resolve(self, value: str) -> str | None:
        """The id of a value given by id (any case), label or alias; None when unknown
        (a facet with no fixed vocabulary takes any value as it is)."""
        if not self.labels:
            return value
        return self._ids().get(fold(value))

    def _ids(self) -> dict[str, str]:
        ids = {fold(label): key for key, label in self.labels.items()}
        ids |= {fold(alias): key for alias, key in self.aliases.items()}
        return ids | {key: key for key in self.labels}


FACETS = (
    Facet("province", "provinces", "province", "省级地区", "省",
          "省级地区：该省及其下各级报告（可带或不带“省”等单位）", place=True, counted=False),
    Facet("city", "cities", "city", "地级市", "市", "地级市：该市及其下各区县的报告",
          place=True, counted=False),
    Facet("district", "districts", "district", "发布地", "区县",
          "发布地（报告发出的地区），可多选", unknown="地区不详", place=True),
    Facet("year", "years", "year", "年份", "年份", "年份，可多选", unknown="年份不详", year=True),
    Facet("type", "types", "type", "类型", "类型", "报告类型：" + "、".join(REPORT_TYPES[:-1]),
          unknown="类型不详"),
    Facet("level", "levels", "level", "级别", "级别", "级别", LEVEL_LABELS,
          {"国家": "national", "省": "province", "市": "city", "区": "district"},
          unknown="级别不详"),
    Facet("topic", "topics", "topic", "主题", "主题", "主题", TOPIC_LABELS, multi=True),
)  # fmt: skip
BY_NAME = {f.name: f for f in FACETS}
SELECTION = {f.name: f.selection for f in FACETS}  # URL parameter → SearchQuery field
PLACE_FIELDS = tuple(f.name for f in FACETS if f.place)  # the place tree's levels, outermost first
COUNTED = tuple(f.name for f in FACETS if f.counted)  # flat facets, and `name:value` filters
LEVEL_NAMES = {f.name: f.short for f in FACETS if f.place}  # a level of places: 省, 市, 区县


def resolve_all(name: str, values) -> tuple[str, ...]:
    """Values of facet `name` as ids (unknown ones as given: they select nothing)."""
    facet = BY_NAME[name]
    return tuple(facet.resolve(v) or v for v in values)
