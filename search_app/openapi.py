"""The OpenAPI 3 description of the JSON API, served at /api/openapi.json and rendered for
people at /api/docs. The record fields come from `indexer.models` and `search.results`, the
parameters from `search_app.params`, so the description follows the code."""

from __future__ import annotations

from indexer.models import LEVEL_LABELS, METADATA_FIELDS, REPORT_TYPES, TOPIC_IDS
from search import collocations as coll
from search import concordance as kwic
from search import filters
from search.adoption import LEVELS
from search.results import MODES, SORTS
from search.trends import MAX_PLACES, MAX_TERMS
from search_app import openapi_studies, params
from search_app.models import MAX_MIN, MIN_MIN, SHOWS
from search_app.views import CITATION_FORMATS

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULLABLE_INT = {"type": "integer", "nullable": True}
URL = {"type": "string", "format": "uri"}
NULLABLE_URL = {"type": "string", "format": "uri", "nullable": True}
FIELD_TYPES = {"year": NULLABLE_INT}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _object(properties: dict, required: bool = True) -> dict:
    out = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(properties)
    return out


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str, schema: dict, description: str, many: bool = False) -> dict:
    out = {"name": name, "in": "query", "required": False, "description": description}
    out["schema"] = {**_array(schema), "maxItems": params.MAX_VALUES} if many else schema
    if many:
        out.update(style="form", explode=True)
    return out


YEAR = {**INT, "minimum": filters.YEAR_MIN, "maximum": filters.YEAR_MAX}
VALUE = {**STR, "maxLength": params.MAX_VALUE_CHARS}

REPORT_ID_PARAM = {
    "name": "report_id",
    "in": "path",
    "required": True,
    "schema": {**STR, "pattern": "^[a-z0-9-]{1,200}$"},
    "description": "报告编号",
}
SEARCH_PARAMS = [
    _param("q", {**STR, "maxLength": 1000}, "检索式（见 README 的检索语法）"),
    _param("province", VALUE, "省级地区：该省及其下各级报告（可带或不带“省”等单位）", many=True),
    _param("city", VALUE, "地级市：该市及其下各区县的报告", many=True),
    _param("district", VALUE, "发布地（报告发出的地区），可多选", many=True),
    _param("year", YEAR, "年份，可多选", many=True),
    _param("year_from", YEAR, "起始年份（含）"),
    _param("year_to", YEAR, "结束年份（含）"),
    _param("type", VALUE, "报告类型：" + "、".join(REPORT_TYPES[:-1]), many=True),
    _param("level", {**STR, "enum": list(LEVEL_LABELS)}, "级别", many=True),
    _param("topic", {**STR, "enum": list(TOPIC_IDS)}, "主题", many=True),
    _param("sort", {**STR, "enum": list(SORTS)}, "排序"),
    _param("mode", {**STR, "enum": list(MODES)}, "匹配方式：exact 逐字，words 按词"),
]
PAGE_PARAMS = [
    _param("page", {**INT, "minimum": 1, "maximum": params.MAX_PAGE_API}, "页码，从 1 起"),
    _param("per_page", {**INT, "minimum": 1, "maximum": params.MAX_PER_PAGE}, "每页条数，默认 20"),
]
PAGING = {"total": INT, "page": INT, "per_page": INT, "next": NULLABLE_URL, "prev": NULLABLE_URL}
METADATA = {name: FIELD_TYPES.get(name, STR) for name in METADATA_FIELDS}
SPAN = {**_array(INT), "minItems": 2, "maxItems": 2}
FACET_ITEM = _object({"value": STR, "label": STR, "count": INT, "selected": BOOL})

SCHEMAS = {
    "Error": _object({"error": _object({"code": STR, "message": STR})}),
    "Hit": _object(
        {
            "report_id": STR,
            "paragraph": INT,
            **METADATA,
            "section": STR,
            "source": STR,
            "text": STR,
            "matches": _array(SPAN),
            "topics": _array(STR),
            "topic_scores": _array({"type": "number"}),
            "snippet": STR,
            "url": URL,
        }
    ),
    "PlaceNode": _object(
        {
            "name": STR,
            "field": {**STR, "enum": ["province", "city", "district"]},
            "count": INT,
            "own": INT,
            "selected": BOOL,
            "children": _array(_ref("PlaceNode")),
        }
    ),
    "SearchResults": _object(
        {
            "query": STR,
            "reports": INT,
            "occurrences": INT,
            "hits": _array(_ref("Hit")),
            "facets": {"type": "object", "additionalProperties": _array(FACET_ITEM)},
            "facet_info": {
                "type": "object",
                "additionalProperties": _object({"title": STR, "multi": BOOL}),
            },
            "places": _array(_ref("PlaceNode")),
            "took_ms": {"type": "number"},
            **PAGING,
        }
    ),
    "Report": _object(
        {
            "id": STR,
            **METADATA,
            "source": STR,
            "source_url": STR,
            "paragraph_count": INT,
            "chars": INT,
            "url": URL,
        }
    ),
    "ReportList": _object({"reports": _array(_ref("Report")), **PAGING}),
    "ReportDetail": _object(
        {
            "id": STR,
            **METADATA,
            "source": STR,
            "source_url": STR,
            "paragraph_count": INT,
            "chars": INT,
            "url": URL,
            "paragraphs": _array(
                _object(
                    {
                        "n": INT,
                        "section": STR,
                        "heading": BOOL,
                        "topics": _array(STR),
                        "text": STR,
                        "url": URL,
                    }
                )
            ),
            **{k: v for k, v in PAGING.items() if k != "total"},
        }
    ),
}


CONCORDANCE_PARAMS = [
    _param(
        "order", {**STR, "enum": list(kwic.ORDERS)}, "排序：原文顺序、左语境、右语境、年份、地区"
    ),
    _param("context", {**INT, "minimum": 0, "maximum": kwic.MAX_CONTEXT}, "两侧语境字数"),
    _param("span", {**INT, "minimum": 1, "maximum": coll.MAX_SPAN}, "搭配词的窗口（字）"),
]
COLLOCATION_PARAMS = [
    _param(
        "min_freq",
        {**INT, "minimum": 1, "maximum": coll.MAX_MIN_FREQ},
        f"最低邻近次数（f_AB），默认 {coll.MIN_NEAR}",
    ),
    _param(
        "stop",
        {**STR, "maxLength": params.MAX_VALUE_CHARS},
        "停用词：不列的词，空格、逗号或顿号分隔，可重复",
        many=True,
    ),
    _param("stop_default", {**STR, "enum": ["0", "1"]}, "0：不用内置的虚词停用词表（默认 1）"),
    _param(
        "pos",
        {**STR, "enum": list(coll.POS_TAGS)},
        "词性（jieba 标记，可重复）：只列这些词性的词；一个标记含以它开头的标记（n 含 nr、ns、nz）",
        many=True,
    ),
]
SCHEMAS["ConcordanceRow"] = _object(
    {
        "report_id": STR,
        "paragraph": INT,
        "start": INT,
        "end": INT,
        "left": STR,
        "match": STR,
        "right": STR,
        **METADATA,
        "url": URL,
    }
)
SCHEMAS["Concordance"] = _object(
    {
        "query": STR,
        "order": STR,
        "context": INT,
        "occurrences": INT,
        "paragraphs": INT,
        "reports": INT,
        "took_ms": {"type": "number"},
        "rows": _array(_ref("ConcordanceRow")),
        **PAGING,
    }
)
SCHEMAS["Collocations"] = _object(
    {
        "query": STR,
        "span": INT,
        "min_freq": INT,
        "stop": _array(STR),
        "stop_default": BOOL,
        "pos": _array(STR),
        "occurrences": INT,
        "corpus_chars": INT,
        "took_ms": {"type": "number"},
        "collocates": _array(
            _object(
                {
                    "word": STR,
                    "pos": STR,
                    "near": INT,
                    "total": INT,
                    "log_dice": {"type": "number"},
                    "log_likelihood": {"type": "number"},
                    "url": URL,
                }
            )
        ),
    }
)


FILTER_PARAMS = [p for p in SEARCH_PARAMS if p["name"] not in ("q", "sort", "mode")]
TRENDS_TERMS = _param(
    "q", {**STR, "maxLength": 1000}, f"检索式，可重复（最多 {MAX_TERMS} 个）", True
)
TRENDS_PARAMS = [
    {**TRENDS_TERMS, "schema": {**TRENDS_TERMS["schema"], "maxItems": MAX_TERMS}},
    _param("show", {**STR, "enum": list(SHOWS)}, "图中显示的计数"),
    {
        **_param(
            "place",
            {**STR, "maxLength": params.MAX_VALUE_CHARS},
            "一个检索词在这些地区（各地自己的报告）逐年的情况，"
            f"可重复或以顿号分隔（最多 {MAX_PLACES} 个）",
            True,
        ),
        "schema": {**_array({**STR, "maxLength": params.MAX_VALUE_CHARS}), "maxItems": MAX_PLACES},
    },
    _param(
        "each",
        {**STR, "enum": list(LEVELS)},
        "一个检索词在这一级的每个地区逐年的情况（小多图；与 place 只取其一）",
    ),
    *FILTER_PARAMS,
]
ADOPTION_LEVEL = _param(
    "level",
    {**STR, "enum": list(LEVELS)},
    "比较哪一级的地区：province 省、city 市、district 区县（只取一个）；"
    "不给则取已提及地区最多的一级",
)
ADOPTION_PARAMS = [
    SEARCH_PARAMS[0],
    *(ADOPTION_LEVEL if p["name"] == "level" else p for p in FILTER_PARAMS),
    _param("rollup", {**STR, "enum": ["0", "1"]}, "1：含下级地区的报告"),
]
NUMBER = {"type": "number"}
SCHEMAS["Trends"] = _object(
    {
        "filters": {"type": "object", "additionalProperties": _array(STR)},
        "years": _array(_object({"year": INT, "chars": INT})),
        "terms": _array(
            _object(
                {
                    "q": STR,
                    "years": _array(
                        _object(
                            {
                                "year": INT,
                                "occurrences": INT,
                                "paragraphs": INT,
                                "reports": INT,
                                "chars": INT,
                                "per10k": NUMBER,
                            }
                        )
                    ),
                }
            )
        ),
    }
)
YEAR_COUNT = SCHEMAS["Trends"]["properties"]["terms"]["items"]["properties"]["years"]
SCHEMAS["Trends"]["properties"].update(  # with place= or each=: the one term in each place
    {
        "q": STR,
        "each": {**STR, "nullable": True},
        "unknown": _array(STR),
        "left_out": INT,
        "places": _array(
            _object({"place": STR, "province": STR, "city": STR, "years": YEAR_COUNT})
        ),
    }
)
PLACE = {"place": STR, "province": STR, "city": STR}
SCHEMAS["Adoption"] = _object(
    {
        "q": STR,
        "level": STR,
        "filters": {"type": "object", "additionalProperties": _array(STR)},
        "places": _array(
            _object(
                {
                    **PLACE,
                    "first_year": INT,
                    "first_report_id": STR,
                    "first_paragraph": INT,
                    "first_url": URL,
                    "last_year": INT,
                    "mentions": {"type": "object", "additionalProperties": INT},
                    "years": _array(INT),
                }
            )
        ),
        "not_yet": _array(_object({**PLACE, "years": _array(INT)})),
        "curve": _array(_object({"year": INT, "adopted": INT, "places": INT, "share": NUMBER})),
        "panel": _array(
            _object(
                {
                    **PLACE,
                    "level": STR,
                    "year": INT,
                    "report_ids": _array(STR),
                    "chars": INT,
                    "mentions": INT,
                    "adopted": BOOL,
                    "first_year": NULLABLE_INT,
                }
            )
        ),
    }
)
PASSAGE = _object(
    {
        "paragraph": INT,
        "start": INT,
        "end": INT,
        "chars": INT,
        "text": STR,
        "reports": INT,
        "elsewhere": _array(
            _object(
                {
                    "report_id": STR,
                    "paragraph": INT,
                    "district": STR,
                    "province": STR,
                    "city": STR,
                    "year": NULLABLE_INT,
                    "url": URL,
                }
            )
        ),
    }
)
SCHEMAS["Reuse"] = _object(
    {
        "report_id": STR,
        "min": INT,
        "paragraph": NULLABLE_INT,
        "passages": _array(PASSAGE),
        "shared": _array(
            _object(
                {
                    "report_id": STR,
                    "district": STR,
                    "province": STR,
                    "city": STR,
                    "year": NULLABLE_INT,
                    "chars": INT,
                    "passages": INT,
                    "url": URL,
                }
            )
        ),
    },
    required=False,
)


def _responses(schema: str, *errors: int) -> dict:
    out = {"200": _content("结果", schema)}
    for status in errors:
        out[str(status)] = _content(
            {400: "参数有误", 404: "未找到", 503: "索引不可用"}[status], "Error"
        )
    return out


def _content(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _file(description: str, *mimetypes: str) -> dict:
    return {"description": description, "content": {m: {"schema": STR} for m in mimetypes}}


def _file_responses(mimetypes: tuple[str, ...], description: str) -> dict:
    """A download: the file, or the error page (HTML) for a bad request or a missing index."""
    return {
        "200": _file(description, *mimetypes),
        "400": _file("参数有误（错误页）", "text/html"),
        "503": _file("索引不可用（错误页）", "text/html"),
    }


def _download(summary: str, operation: str, parameters: list, mimetypes: tuple, what: str) -> dict:
    return {
        "get": {
            "summary": summary,
            "operationId": operation,
            "tags": ["下载"],
            "parameters": parameters,
            "responses": _file_responses(mimetypes, what),
        }
    }


CSV = ("text/csv",)
FMT_PARAM = {
    "name": "fmt",
    "in": "path",
    "required": True,
    "schema": {**STR, "enum": list(CITATION_FORMATS)},
    "description": "bib：BibTeX；ris：RIS",
}
DOWNLOADS = {
    "/search.csv": _download(
        "全部命中段落的 CSV（UTF-8，带 BOM；流式，不分页）",
        "search_csv",
        SEARCH_PARAMS,
        CSV,
        "CSV：报告与段落的各字段和 permalink",
    ),
    "/search.{fmt}": _download(
        "全部命中段落的引文，BibTeX 或 RIS（流式，按结果顺序）",
        "search_citations",
        [FMT_PARAM, *SEARCH_PARAMS],
        tuple(mimetype for mimetype, _ in CITATION_FORMATS.values()),
        "BibTeX（bib）或 RIS（ris）",
    ),
    "/search.atom": _download(
        "检索的 Atom 订阅：最新收录的 50 个命中段落",
        "search_atom",
        SEARCH_PARAMS,
        ("application/atom+xml",),
        "Atom 1.0",
    ),
    "/concordance.csv": _download(
        "语境（KWIC）的每一行，CSV（流式，不分页）",
        "concordance_csv",
        SEARCH_PARAMS + CONCORDANCE_PARAMS,
        CSV,
        "CSV：左语境、匹配、右语境、位置、报告字段、permalink",
    ),
    "/collocations.csv": _download(
        "搭配词的全部行（与 /api/collocations 相同的条件），CSV",
        "collocations_csv",
        SEARCH_PARAMS + CONCORDANCE_PARAMS + COLLOCATION_PARAMS,
        CSV,
        "CSV：词、词性、邻近次数、语料中次数、logDice、对数似然、检索链接",
    ),
    "/trends.csv": _download(
        "各年趋势表，CSV", "trends_csv", TRENDS_PARAMS, CSV, "CSV：每个检索式每年一行"
    ),
    "/trends.svg": _download(
        "趋势图（SVG 文件，自带样式）；按地区的小多图用 chart 选其中一张",
        "trends_svg",
        [
            *TRENDS_PARAMS,
            _param(
                "chart",
                {**INT, "minimum": 0, "maximum": 0},
                "第几张图（从 0 起；小多图时上限为地区数 − 1）",
            ),
        ],
        ("image/svg+xml",),
        "SVG",
    ),
    "/adoption.svg": _download(
        "累计采纳曲线（SVG 文件，自带样式）",
        "adoption_svg",
        ADOPTION_PARAMS,
        ("image/svg+xml",),
        "SVG",
    ),
    "/adoption.csv": _download(
        "谁先提出：各地首次提及与尚未提及，CSV",
        "adoption_csv",
        ADOPTION_PARAMS,
        CSV,
        "CSV：每个地区一行",
    ),
    "/adoption/panel.csv": _download(
        "谁先提出的事件史面板：每个地区每个风险年份一行（event 为当年是否首次提及），CSV",
        "adoption_panel_csv",
        [*ADOPTION_PARAMS, _param("all", {**STR, "enum": ["0", "1"]}, "1：保留采纳后的年份")],
        CSV,
        "CSV：地区、代码、年份、报告、字数、提及次数、event、at_risk、adopted_cum",
    ),
}


def describe(server: str) -> dict:
    """The whole description, with `server` (scheme, host and port) as its base URL."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "报告检索 API",
            "version": "1",
            "description": "政府工作报告等文件的全文精确检索。只读，任何来源均可调用（CORS）。"
            "列表均按 page / per_page 分页，并给出 next / prev 的完整链接。",
        },
        "servers": [{"url": server}],
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "检索段落：命中、计数、各分面计数与地区树",
                    "operationId": "search",
                    "parameters": SEARCH_PARAMS + PAGE_PARAMS,
                    "responses": _responses("SearchResults", 400, 503),
                }
            },
            "/api/reports": {
                "get": {
                    "summary": "报告列表；带检索式或筛选时，只列含匹配段落的报告",
                    "operationId": "reports",
                    "parameters": SEARCH_PARAMS + PAGE_PARAMS,
                    "responses": _responses("ReportList", 400, 503),
                }
            },
            "/api/concordance": {
                "get": {
                    "summary": "语境（KWIC）：每一处出现及其左右文字",
                    "operationId": "concordance",
                    "parameters": SEARCH_PARAMS + CONCORDANCE_PARAMS + PAGE_PARAMS,
                    "responses": _responses("Concordance", 400, 503),
                }
            },
            "/api/collocations": {
                "get": {
                    "summary": "搭配词：出现处附近的词，按 logDice 与对数似然比排序（前 50）",
                    "operationId": "collocations",
                    "parameters": SEARCH_PARAMS + CONCORDANCE_PARAMS + COLLOCATION_PARAMS,
                    "responses": _responses("Collocations", 400, 503),
                }
            },
            "/api/trends": {
                "get": {
                    "summary": "各年趋势：最多 5 个检索式的出现次数、段落、报告与每万字",
                    "operationId": "trends",
                    "parameters": TRENDS_PARAMS,
                    "responses": _responses("Trends", 400, 503),
                }
            },
            "/api/adoption": {
                "get": {
                    "summary": "谁先提出：某级各地首次提及的年份、未提及的地区、累计采纳曲线",
                    "operationId": "adoption",
                    "parameters": ADOPTION_PARAMS,
                    "responses": _responses("Adoption", 400, 503),
                }
            },
            "/api/reports/{report_id}/reuse": {
                "get": {
                    "summary": "与其他报告相同的文字（至少 min 字），或某一段的",
                    "operationId": "reuse",
                    "parameters": [
                        REPORT_ID_PARAM,
                        _param("min", {**INT, "minimum": MIN_MIN, "maximum": MAX_MIN}, "最短字数"),
                        _param("p", {**INT, "minimum": 1}, "只看这一段"),
                    ],
                    "responses": _responses("Reuse", 400, 404, 503),
                }
            },
            "/api/reports/{report_id}": {
                "get": {
                    "summary": "一份报告：元数据与段落（分页）",
                    "operationId": "report",
                    "parameters": [REPORT_ID_PARAM, *PAGE_PARAMS],
                    "responses": _responses("ReportDetail", 400, 404, 503),
                }
            },
            **DOWNLOADS,
            **openapi_studies.downloads(SEARCH_PARAMS, ADOPTION_PARAMS, _download),
            **openapi_studies.paths(SEARCH_PARAMS, _responses),
        },
        "components": {"schemas": {**SCHEMAS, **openapi_studies.SCHEMAS}},
    }
