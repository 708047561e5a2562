"""The JSON API against its own OpenAPI description, with generated requests (schemathesis,
run in process against the real app over a real index): no 5xx, and every response, errors
included, matches the schema the description gives for it."""

from __future__ import annotations

from pathlib import Path

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
def api_schema(bundled_index: Path):
    app = create_app({"INDEX_DIR": str(bundled_index)})
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def test_the_description_covers_every_api_route(api_schema) -> None:
    app = create_app({"INDEX_DIR": "nowhere"})
    routes = {
        str(rule).replace("<report_id>", "{report_id}")
        for rule in app.url_map.iter_rules()
        if str(rule).startswith("/api/") and rule.endpoint not in ("api.openapi_json", "api.docs")
    }
    assert routes == set(api_schema.raw_schema["paths"]) == set(PATHS)


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
