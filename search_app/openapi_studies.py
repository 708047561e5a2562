"""The OpenAPI description of /api/keywords, /api/ngrams, /api/dispersion and /api/passage:
merged into the document of `openapi.py` (paths and schemas), kept apart so that each half
reads on its own."""

from __future__ import annotations

from search import keywords as kw
from search.tokens import MAX_N

INT = {"type": "integer"}
STR = {"type": "string"}
NUMBER = {"type": "number"}
SETS = {"type": "object", "additionalProperties": {"type": "array", "items": STR}}


def _object(properties: dict, nullable: bool = False) -> dict:
    out = {"type": "object", "properties": properties, "required": list(properties)}
    if nullable:
        out["nullable"] = True
    return out


def _param(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


SCHEMAS = {
    "Keywords": _object(
        {
            "target": SETS,
            "reference": {**SETS, "nullable": True},
            "n": INT,
            "min": INT,
            "sort": STR,
            "target_size": INT,
            "reference_size": INT,
            "target_paragraphs": INT,
            "reference_paragraphs": INT,
            "candidates": INT,
            "rows": {
                "type": "array",
                "items": _object(
                    {
                        "word": STR,
                        "target": INT,
                        "reference": INT,
                        "ll": NUMBER,
                        "pdiff": {**NUMBER, "nullable": True},
                        "log_ratio": NUMBER,
                    }
                ),
            },
        }
    ),
    "NGrams": _object(
        {
            "target": SETS,
            "n": INT,
            "min": INT,
            "size": INT,
            "paragraphs": INT,
            "rows": {
                "type": "array",
                "items": _object({"word": STR, "freq": INT, "per_million": NUMBER, "reports": INT}),
            },
        }
    ),
    "Lineage": _object(
        {
            "text": STR,
            "reports": INT,
            "holders": {
                "type": "array",
                "items": _object(
                    {
                        "report_id": STR,
                        "district": STR,
                        "province": STR,
                        "city": STR,
                        "code": STR,
                        "year": {**INT, "nullable": True},
                        "date": STR,
                        "title": STR,
                        "paragraph": INT,
                        "occurrences": INT,
                        "url": {**STR, "format": "uri"},
                    }
                ),
            },
        }
    ),
    "Dispersion": _object(
        {
            "q": STR,
            "occurrences": INT,
            "profile": {"type": "array", "items": INT},
            "reports": {
                "type": "array",
                "items": _object(
                    {
                        "report_id": STR,
                        "district": STR,
                        "province": STR,
                        "city": STR,
                        "year": {**INT, "nullable": True},
                        "chars": INT,
                        "positions": {"type": "array", "items": NUMBER},
                    }
                ),
            },
        }
    ),
}


def reference_params(search_params: list[dict]) -> list[dict]:
    """The search's parameters again with the prefix `ref_`: the reference set."""
    out = []
    for p in search_params:
        if p["name"] in ("sort", "mode"):
            continue
        out.append({**p, "name": "ref_" + p["name"], "description": "参照集：" + p["description"]})
    return out


def _own() -> list[dict]:
    return [
        _param("n", {**INT, "minimum": 1, "maximum": MAX_N}, "1：词；2–4：连续 n 个词的组合"),
        _param("min", {**INT, "minimum": 1, "maximum": 100_000}, "目标集中的最低频次"),
        _param("limit", {**INT, "minimum": 1, "maximum": 1000}, "最多返回的行数，默认 100"),
    ]


def _sort() -> dict:
    return _param("sort", {**STR, "enum": list(kw.SORTS)}, "排序依据，默认 ll")


def downloads(search_params: list[dict], adoption_params: list[dict], download) -> dict:
    """The files of /keywords, /dispersion, the adoption panel and the bulk exports;
    `download(summary, operation, parameters, mimetypes, what)` from openapi.py."""
    target = [p for p in search_params if p["name"] != "sort"]
    view = _param(
        "view", {**STR, "enum": ["keywords", "ngrams"]}, "keywords：关键词；ngrams：高频 n 元组"
    )
    every_year = _param(
        "all", {**STR, "enum": ["0", "1"]}, "1：保留采纳后的年份（以 at_risk 区分）"
    )
    ids = {
        **_param(
            "id",
            {"type": "array", "items": STR},
            "报告编号，可重复（最多 1000 个）；给出时不看筛选",
        ),
        "style": "form",
        "explode": True,
    }
    csv = ("text/csv",)
    return {
        "/keywords.csv": download(
            "关键词或高频 n 元组的全部行，CSV",
            "keywords_csv",
            [*target, *reference_params(search_params), *_own(), _sort(), view],
            csv,
            "CSV：词、n、频次与各项统计量",
        ),
        "/dispersion.csv": download(
            "报告内分布：每一处出现一行，CSV（流式）",
            "dispersion_csv",
            target,
            csv,
            "CSV：报告、字数、第几处、位置（0 到 1）",
        ),
        "/adoption/panel.zip": download(
            "事件史面板 CSV 与其变量说明（Markdown），一个 ZIP",
            "adoption_panel_zip",
            [*adoption_params, every_year],
            ("application/zip",),
            "ZIP：panel.csv 与 codebook.md",
        ),
        "/adoption/codebook.md": download(
            "事件史面板的变量说明（Markdown），附检索式、层级与筛选",
            "adoption_codebook_md",
            adoption_params,
            ("text/markdown",),
            "Markdown",
        ),
        "/export/catalogue.csv": download(
            "报告目录：每份报告一行，全部元数据、GB/T 2260 代码、字数、段落数（流式）",
            "export_catalogue",
            [*search_params, ids],
            csv,
            "CSV：每份报告一行",
        ),
        "/export/text.txt": download(
            "报告全文，纯文本（每份报告先列字段，再列段落；流式）",
            "export_text",
            [*search_params, ids],
            ("text/plain",),
            "纯文本",
        ),
        "/export/text.jsonl": download(
            "报告全文，JSON Lines：每行一份报告的字段、代码与段落（流式）",
            "export_jsonl",
            [*search_params, ids],
            ("application/x-ndjson",),
            "JSON Lines",
        ),
    }


def paths(search_params: list[dict], responses) -> dict:
    """/api/keywords and /api/ngrams; `search_params` and `responses` from openapi.py."""
    target = [p for p in search_params if p["name"] != "sort"]
    own = _own()
    return {
        "/api/keywords": {
            "get": {
                "summary": "关键词：目标集比参照集（ref_ 开头的筛选；不给则为全部报告）用得多的词"
                "或 n 元组，附频次、对数似然、%DIFF 与对数比",
                "operationId": "keywords",
                "parameters": [
                    *target,
                    *reference_params(search_params),
                    *own,
                    _sort(),
                ],
                "responses": responses("Keywords", 400, 503),
            }
        },
        "/api/ngrams": {
            "get": {
                "summary": "高频 n 元组：一组报告中最常见的连续 n 个词",
                "operationId": "ngrams",
                "parameters": [*target, *own],
                "responses": responses("NGrams", 400, 503),
            }
        },
        "/api/passage": {
            "get": {
                "summary": "段落溯源：逐字含有一段文字的全部报告，按日期排列，第一份为最早出处",
                "operationId": "passage",
                "parameters": [
                    {
                        **_param(
                            "text",
                            {**STR, "minLength": 2, "maxLength": 1000},
                            "一段文字（不跨段落）",
                        ),
                        "required": True,
                    },
                    *[p for p in target if p["name"] not in ("q", "mode")],
                ],
                "responses": responses("Lineage", 400, 503),
            }
        },
        "/api/dispersion": {
            "get": {
                "summary": "报告内分布：检索式每一处出现位于各报告全文的位置（0 开头，1 结尾）",
                "operationId": "dispersion",
                "parameters": target,
                "responses": responses("Dispersion", 400, 503),
            }
        },
    }
