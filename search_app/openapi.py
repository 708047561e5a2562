"""The OpenAPI 3.1 description of the JSON API and the downloads, served at /api/openapi.json
and rendered for people at /api/docs: generated from the models that read the requests
(`search_app.models`: parameters, their limits and descriptions) and describe the answers
(`search_app.answers`), so the document cannot disagree with the server."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from search_app import answers, models
from search_app import study_answers as studies
from search_app.fields import Request

REF = "#/components/schemas/{model}"
PAGING = ("page", "per_page")
STEERING = ("min_freq", "stop", "stop_default", "pos")
QUERY_ERRORS = "检索式有误（见 README 的检索语法：如 OR 分支、检索词或括号过多）"
RULES = {  # the 400s a schema-valid request may still get, besides a malformed query
    "trends": (
        "参数 place 与 each 只能给一个",
        "按地区比较时只能有一个检索词",
        f"最多比较 {models.MAX_PLACES} 个地区",
        "按地区比较需要一个检索词",
        "参数 chart 须在 0 到",
    ),
    "passage": (models.PASSAGE_LENGTH,),
}


def parameters(
    model: type[Request], skip: tuple[str, ...] = (), prefix: str = "", note: str = ""
) -> list[dict]:
    """The query parameters of `model`, in its order (`prefix`: the same set again, such as
    the reference set's `ref_` parameters)."""
    schema = model.model_json_schema()
    out = []
    for name, prop in schema["properties"].items():
        if name in skip:
            continue
        prop = _plain(prop)
        param = {
            "name": prefix + name,
            "in": "query",
            "required": name in schema.get("required", ()),
            "description": note + prop.pop("description", ""),
            "schema": prop,
        }
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        out.append(param)
    return out


def _plain(prop: dict) -> dict:
    """A parameter's schema without its title, and an optional one as its type alone (a
    query string has no null: the parameter is left out)."""
    prop = {k: v for k, v in prop.items() if k != "title"}
    options = [p for p in prop.pop("anyOf", ()) if p.get("type") != "null"]
    if options:
        prop = {**options[0], **{k: v for k, v in prop.items() if v is not None}}
    if prop.get("default") is None:
        prop.pop("default", None)
    return prop


REPORT_ID = {
    "name": "report_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": models.REPORT_ID},
    "description": "报告编号",
}
FMT = {
    "name": "fmt",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["bib", "ris"]},
    "description": "bib：BibTeX；ris：RIS",
}


def search(skip: tuple[str, ...] = PAGING) -> list[dict]:
    return parameters(models.Search, skip)


def concordance(skip: tuple[str, ...] = PAGING + STEERING) -> list[dict]:
    return parameters(models.Concordance, skip)


def keywords() -> list[dict]:
    return [
        *parameters(models.Matched),
        *parameters(models.Matched, prefix="ref_", note="参照集："),
        *parameters(models.Keywords, ("view",)),
    ]


def chart() -> list[dict]:
    """The chart's number is checked against the charts drawn: only 0 is always one."""
    out = parameters(models.TrendsChart)
    for p in out:
        if p["name"] == "chart":
            p["schema"]["maximum"] = 0
            p["description"] += "；小多图时上限为地区数 − 1"
    return out


def export() -> list[dict]:
    return parameters(models.Export, PAGING)


# (path, operationId, summary, parameters, answer, the errors besides 400 and 503)
API = (
    ("/api/search", "search", "检索段落：命中、计数、各分面计数与地区树",
     lambda: search(()), answers.SearchResults, ()),
    ("/api/reports", "reports", "报告列表；带检索式或筛选时，只列含匹配段落的报告",
     lambda: search(()), answers.ReportList, ()),
    ("/api/concordance", "concordance", "语境（KWIC）：每一处出现及其左右文字",
     lambda: concordance(STEERING), answers.Concordance, ()),
    ("/api/collocations", "collocations",
     "搭配词：出现处附近的词，按 logDice 与对数似然比排序（前 50）",
     lambda: concordance(PAGING), answers.Collocations, ()),
    ("/api/trends", "trends", "各年趋势：最多 5 个检索式的出现次数、段落、报告与每万字",
     lambda: parameters(models.Trends), studies.Trends, ()),
    ("/api/adoption", "adoption",
     "谁先提出：某级各地首次提及的年份、未提及的地区、累计采纳曲线",
     lambda: parameters(models.Adoption), studies.Adoption, ()),
    ("/api/reports/{report_id}/reuse", "reuse", "与其他报告相同的文字（至少 min 字），或某一段的",
     lambda: [REPORT_ID, *parameters(models.Reuse)], studies.Reuse, (404,)),
    ("/api/reports/{report_id}", "report", "一份报告：元数据与段落（分页）",
     lambda: [REPORT_ID, *parameters(models.Paging)], answers.ReportDetail, (404,)),
    ("/api/keywords", "keywords",
     "关键词：目标集比参照集（ref_ 开头的筛选；不给则为全部报告）用得多的词或 n 元组，"
     "附频次、对数似然、%DIFF 与对数比", keywords, studies.Keywords, ()),
    ("/api/ngrams", "ngrams", "高频 n 元组：一组报告中最常见的连续 n 个词",
     lambda: [*parameters(models.Matched), *parameters(models.Keywords, ("view",))],
     studies.NGrams, ()),
    ("/api/passage", "passage",
     "段落溯源：逐字含有一段文字的全部报告，按日期排列，第一份为最早出处",
     lambda: _required(parameters(models.Passage), "text"), studies.Lineage, ()),
    ("/api/dispersion", "dispersion",
     "报告内分布：检索式每一处出现位于各报告全文的位置（0 开头，1 结尾）",
     search, studies.Dispersion, ()),
)  # fmt: skip

CSV = ("text/csv",)
# (path, operationId, summary, parameters, media types, what the file holds)
DOWNLOADS = (
    ("/search.csv", "search_csv", "全部命中段落的 CSV（UTF-8，带 BOM；流式，不分页）",
     search, CSV, "CSV：报告与段落的各字段和 permalink"),
    ("/search.{fmt}", "search_citations", "全部命中段落的引文，BibTeX 或 RIS（流式，按结果顺序）",
     lambda: [FMT, *search()],
     ("application/x-bibtex", "application/x-research-info-systems"), "BibTeX（bib）或 RIS（ris）"),
    ("/search.atom", "search_atom", "检索的 Atom 订阅：最新收录的 50 个命中段落",
     search, ("application/atom+xml",), "Atom 1.0"),
    ("/concordance.csv", "concordance_csv", "语境（KWIC）的每一行，CSV（流式，不分页）",
     concordance, CSV, "CSV：左语境、匹配、右语境、位置、报告字段、permalink"),
    ("/collocations.csv", "collocations_csv",
     "搭配词的全部行（与 /api/collocations 相同的条件），CSV",
     lambda: concordance(PAGING), CSV,
     "CSV：词、词性、邻近次数、语料中次数、logDice、对数似然、检索链接"),
    ("/trends.csv", "trends_csv", "各年趋势表，CSV",
     lambda: parameters(models.Trends), CSV, "CSV：每个检索式每年一行"),
    ("/trends.svg", "trends_svg", "趋势图（SVG 文件，自带样式）；按地区的小多图用 chart 选其中一张",
     chart, ("image/svg+xml",), "SVG"),
    ("/adoption.svg", "adoption_svg", "累计采纳曲线（SVG 文件，自带样式）",
     lambda: parameters(models.Adoption), ("image/svg+xml",), "SVG"),
    ("/adoption.csv", "adoption_csv", "谁先提出：各地首次提及与尚未提及，CSV",
     lambda: parameters(models.Adoption), CSV, "CSV：每个地区一行"),
    ("/adoption/panel.csv", "adoption_panel_csv",
     "谁先提出的事件史面板：每个地区每个风险年份一行（event 为当年是否首次提及），CSV",
     lambda: parameters(models.Panel), CSV,
     "CSV：地区、代码、年份、报告、字数、提及次数、event、at_risk、adopted_cum"),
    ("/adoption/panel.zip", "adoption_panel_zip",
     "事件史面板 CSV 与其变量说明（Markdown），一个 ZIP",
     lambda: parameters(models.Panel), ("application/zip",), "ZIP：panel.csv 与 codebook.md"),
    ("/adoption/codebook.md", "adoption_codebook_md",
     "事件史面板的变量说明（Markdown），附检索式、层级与筛选",
     lambda: parameters(models.Adoption), ("text/markdown",), "Markdown"),
    ("/keywords.csv", "keywords_csv", "关键词或高频 n 元组的全部行，CSV",
     lambda: [*keywords(), *parameters(models.Keywords, ("n", "min", "limit", "sort"))],
     CSV, "CSV：词、n、频次与各项统计量"),
    ("/dispersion.csv", "dispersion_csv", "报告内分布：每一处出现一行，CSV（流式）",
     search, CSV, "CSV：报告、字数、第几处、位置（0 到 1）"),
    ("/export/catalogue.csv", "export_catalogue",
     "报告目录：每份报告一行，全部元数据、GB/T 2260 代码、字数、段落数（流式）",
     export, CSV, "CSV：每份报告一行"),
    ("/export/text.txt", "export_text", "报告全文，纯文本（每份报告先列字段，再列段落；流式）",
     export, ("text/plain",), "纯文本"),
    ("/export/text.jsonl", "export_jsonl",
     "报告全文，JSON Lines：每行一份报告的字段、代码与段落（流式）",
     export, ("application/x-ndjson",), "JSON Lines"),
)  # fmt: skip


def _required(params: list[dict], name: str) -> list[dict]:
    return [{**p, "required": True} if p["name"] == name else p for p in params]


def bad_request(operation: str) -> str:
    """What a 400 says of a request the schema allows: its query may be malformed, and some
    rules bind two parameters together."""
    rules = RULES.get(operation.removesuffix("_svg").removesuffix("_csv"), ())
    return "参数有误。合乎本描述的请求仍可能因此被拒：" + "；".join((QUERY_ERRORS, *rules))


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _file(description: str, mimetypes: tuple[str, ...]) -> dict:
    return {
        "description": description,
        "content": {m: {"schema": {"type": "string"}} for m in mimetypes},
    }


def describe(server: str) -> dict:
    """The whole description, with `server` (scheme, host and port) as its base URL."""
    named: list[type[BaseModel]] = [answers.Error, *(entry[4] for entry in API)]
    refs, defs = models_json_schema([(m, "serialization") for m in named], ref_template=REF)
    ref = {model: refs[(model, "serialization")] for model in named}
    paths = {}
    for path, operation, summary, params, answer, errors in API:
        responses = {
            "200": _json("结果", ref[answer]),
            "400": _json(bad_request(operation), ref[answers.Error]),
        }
        for status in (*errors, 503):
            responses[str(status)] = _json(
                {404: "未找到", 503: "索引不可用"}[status], ref[answers.Error]
            )
        paths[path] = {
            "get": {
                "summary": summary,
                "operationId": operation,
                "parameters": params(),
                "responses": responses,
            }
        }
    for path, operation, summary, params, mimetypes, what in DOWNLOADS:
        responses = {
            "200": _file(what, mimetypes),
            "400": _file(bad_request(operation) + "（错误页）", ("text/html",)),
            "503": _file("索引不可用（错误页）", ("text/html",)),
        }
        paths[path] = {
            "get": {
                "summary": summary,
                "operationId": operation,
                "tags": ["下载"],
                "parameters": params(),
                "responses": responses,
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "报告检索 API",
            "version": "2",
            "description": "政府工作报告等文件的全文精确检索。只读，任何来源均可调用（CORS）。"
            "列表均按 page / per_page 分页，并给出 next / prev 的完整链接。",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {})},
    }
