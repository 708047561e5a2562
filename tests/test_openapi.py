"""The JSON API against its own OpenAPI description, with generated requests (schemathesis,
run in process against the real app over a real index): no 5xx, and every response, errors
included, matches the schema the description gives for it."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from search_app import create_app

PATHS = (
    "/api/search",
    "/api/reports",
    "/api/reports/{report_id}",
    "/api/concordance",
    "/api/collocations",
    "/api/trends",
    "/api/adoption",
    "/api/reports/{report_id}/reuse",
    "/api/keywords",
    "/api/ngrams",
    "/api/dispersion",
    "/api/passage",
)


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def _template(rule) -> str:
    """A werkzeug rule as an OpenAPI path: /search.<fmt> → /search.{fmt}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", str(rule))


def test_the_description_covers_every_api_route_and_download(api_schema) -> None:
    """Every JSON endpoint and every file a search can be downloaded as (a path with an
    extension: CSV, Atom, BibTeX, RIS) is described; a new one fails here until it is."""
    app = create_app({"INDEX_DIR": "nowhere"})
    routes = {
        _template(rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in ("static", "api.openapi_json", "api.docs")
        and (str(rule).startswith("/api/") or "." in str(rule).rsplit("/", 1)[1])
    }
    assert routes == set(api_schema.raw_schema["paths"])
    assert {path for path in routes if path.startswith("/api/")} == set(PATHS)
    assert {"/search.csv", "/search.{fmt}", "/search.atom", "/concordance.csv"} <= routes


@pytest.mark.parametrize("path", PATHS)
def test_every_response_matches_the_description(api_schema, path: str) -> None:
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        # A schema-valid query may still be refused (400) by limits no schema can state, such
        # as 32 terms or 16 OR branches; every other check runs, 4xx answers included.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


# -- what the document allows is what the server accepts ------------------------------------


def _spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def _operations(client):
    """(path, operation) for every described GET, with its path parameters filled: a report
    of the index, each value of an enumerated one."""
    report_id = client.get("/api/reports").get_json()["reports"][0]["id"]
    for path, ops in _spec(client)["paths"].items():
        op = ops["get"]
        fills = [{}]
        for p in op["parameters"]:
            if p["in"] == "path":
                values = p["schema"].get("enum") or [report_id]
                fills = [{**f, p["name"]: v} for f in fills for v in values]
        for fill in fills:
            url = re.sub(r"{(\w+)}", lambda m, fill=fill: fill[m.group(1)], path)
            yield url, op


def _status(client, url: str, base: dict, name: str, value) -> int:
    response = client.get(url, query_string={**base, name: value})
    response.get_data()  # a streamed download, read to its end
    return response.status_code


def _vocabulary(spec: dict) -> dict[str, set]:
    """Every value any described parameter of each name may take."""
    out: dict[str, set] = {}
    for ops in spec["paths"].values():
        for p in ops["get"]["parameters"]:
            schema = p["schema"].get("items", p["schema"])
            out.setdefault(p["name"], set()).update(schema.get("enum", ()))
    return out


def test_every_described_value_is_accepted_and_no_other(client) -> None:
    """For each described parameter: each value of its enum is accepted, a value of another
    parameter of the same name (or none at all) is refused; integers at their minimum and
    maximum are accepted and one past is refused; an array takes as many values as maxItems
    says, and one more is refused; a string as long as maxLength is accepted. Accepted: a
    200, or a 404 when a well-formed value names nothing there (a paragraph past the report's
    last, a report id of no report)."""
    vocabulary = _vocabulary(_spec(client))
    problems = []
    for url, op in _operations(client):
        base = {  # q, and any parameter the request cannot go without (/api/passage's text)
            p["name"]: "最多跑一次"
            for p in op["parameters"]
            if p["in"] == "query" and (p["name"] == "q" or p.get("required"))
        }
        for p in op["parameters"]:
            if p["in"] != "query":
                continue
            name, schema = p["name"], p["schema"]
            many = schema.get("type") == "array"
            item = schema.get("items", schema)
            ok, refused = [], []
            if "enum" in item:
                ok += item["enum"]
                refused += sorted(vocabulary[name] - set(item["enum"])) + ["nonsense"]
                if many:
                    ok.append(item["enum"][:2])
            if item.get("type") == "integer":
                lo, hi = item.get("minimum"), item.get("maximum")
                ok += [str(v) for v in (lo, hi) if v is not None]
                refused += [str(hi + 1)] if hi is not None else []
                refused += [str(lo - 1)] if lo is not None else []
                refused += [str(10**30), "9" * 5000]  # past any bound, and past int()'s limit
            if "maxLength" in item:
                ok.append("区" * item["maxLength"])
                refused.append("区" * (item["maxLength"] + 1))
            if many and "maxItems" in schema and "enum" not in item:
                top = schema["maxItems"]
                distinct = [str(item.get("minimum", 1000) + i) for i in range(top + 1)]
                if item.get("type") != "integer":
                    word = "r" if "pattern" in item else "地"  # a report id, or any text
                    distinct = [f"{word}{i}" for i in range(top + 1)]
                ok.append(distinct[:top])
                refused.append(distinct)
            for value in ok:
                if (got := _status(client, url, base, name, value)) not in (200, 404):
                    problems.append(f"{url} {name}={str(value)[:40]}: {got}, described as valid")
            for value in refused:
                if (got := _status(client, url, base, name, value)) != 400:
                    problems.append(f"{url} {name}={str(value)[:40]}: {got}, not described")
    assert not problems, "\n".join(problems)


# -- positive checks: every schema-valid request is accepted --------------------------------


def _documented_refusal(case, response) -> bool:
    """A 400 the description allows for a schema-valid request: its message is one of the
    rules the operation's 400 names (two parameters that cannot go together), or a query of
    the request is malformed: /api/search refuses it alone with the same message (a
    reference set's `ref_q`, naming it)."""
    described = case.operation.definition.raw["responses"]["400"]["description"]
    message = response.json()["error"]["message"]
    if any(rule and message.startswith(rule) for rule in described.split("：", 1)[1].split("；")):
        return True
    for name, named in (("q", "{}"), ("ref_q", "参数 ref_q：{}")):  # the reference set's, named
        queries = (case.query or {}).get(name, [])
        for q in queries if isinstance(queries, list) else [queries]:
            alone = case.operation.schema["/api/search"]["GET"].Case(query={"q": q}).call()
            said = alone.json()["error"]["message"] if alone.status_code == 400 else None
            if said is not None and named.format(said) == message:
                return True
    return False


@pytest.mark.parametrize("path", PATHS)
def test_every_schema_valid_request_is_accepted(api_schema, path: str) -> None:
    """Positive data only: a 200 (or a 404 for a report or paragraph that is not there), or
    a 400 the description documents; never a refusal of what the schema allows."""
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        response = case.call()
        if response.status_code == 400 and _documented_refusal(case, response):
            return
        case.validate_response(response, checks=[positive_data_acceptance])

    check()
