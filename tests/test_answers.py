"""Every JSON answer is its answer model's serialisation: the body an endpoint sends, read by
the model /api/openapi.json names for it and written again (by the one serialiser, and by
pydantic's own), is the same bytes (keys, their order, every value and number format). A view
that wrote a dict of its own, an extra or missing key, a float unrounded or another JSON writer
would change them. The same holds for `baogao search --json`, whose lines are the API's bytes,
and for the CSV rows, whose columns are the model's fields."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from search.panel import COLUMNS as CODEBOOK_COLUMNS
from search_app import answers, openapi, study_answers
from search_app.csvexport import HITS
from search_app.kwic import COLLOCATES, ROWS
from search_app.serialize import Table, to_json

ROOT = Path(__file__).resolve().parent.parent
MODEL = {entry[0]: entry[4] for entry in openapi.API}  # path: its answer model

# Several requests per endpoint: pages, empty answers, optional fields set and unset.
REQUESTS = {
    "/api/search": ["q=改革", "q=改革&per_page=3&page=2", "q=", "q=经济 OR 发展&mode=words",
                    "q=不存在的词语", "q=改革&district=拱墅区&topic=reform"],
    "/api/reports": ["", "q=改革&per_page=2&page=2", "level=province"],
    "/api/reports/{report_id}": ["", "page=2&per_page=3"],
    "/api/concordance": ["q=改革", "q=改革&order=left&context=10&page=2", "q=不存在的词语",
                         "q=-改革"],
    "/api/collocations": ["q=改革", "q=改革&pos=n&min_freq=1"],
    "/api/trends": ["q=改革&q=创新", "q=改革&each=district", "q=改革&place=拱墅区"],
    "/api/adoption": ["q=改革", "q=数字经济&rollup=1", "q=-改革"],
    "/api/reports/{report_id}/reuse": ["", "p=3&min=20"],
    "/api/keywords": ["", "district=拱墅区&ref_district=上城区&n=2"],
    "/api/ngrams": ["n=2"],
    "/api/passage": ["text=全面深化改革"],
    "/api/dispersion": ["q=改革"],
}  # fmt: skip


def _round_trip(model, body: bytes) -> bytes:
    """The body read by `model` and written again, by the app's serialiser and by pydantic's
    own, which must agree (the serialiser writes with orjson for speed)."""
    answer = model.model_validate_json(body)
    written = to_json(answer)
    assert written == answer.model_dump_json(exclude_unset=True).encode()
    return written + b"\n"


@pytest.fixture(scope="module")
def report_id(client) -> str:
    return client.get("/api/reports").get_json()["reports"][0]["id"]


def test_every_endpoint_is_asked(client) -> None:
    assert set(REQUESTS) == set(MODEL)


@pytest.mark.parametrize("path", sorted(REQUESTS))
def test_every_answer_is_its_models_serialisation(client, report_id, path: str) -> None:
    model = MODEL[path]
    for args in REQUESTS[path]:
        url = path.replace("{report_id}", report_id) + (f"?{args}" if args else "")
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data()
        assert body == _round_trip(model, body), url


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/search?q=改革&page=99999", 400), ("/api/reports/nope", 404), ("/api/nowhere", 404)],
)
def test_every_error_is_the_error_models_serialisation(client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.get_data() == _round_trip(answers.Error, response.get_data())


def test_the_cli_writes_the_apis_bytes(runner, bundled_index) -> None:
    """`baogao search --json`: each line the serialisation of `Results` (or, for a refused
    query, of `Refused`), written as the API writes."""
    queries = bundled_index.parent / "answers-queries.txt"
    queries.write_text("改革\n最多跑一次\nyear:abc\n\n", encoding="utf-8")
    result = runner("search", "--queries", queries, "--index", bundled_index, "--json")
    lines = [line.encode() for line in result.stdout.splitlines()]
    assert len(lines) == 4
    for line in lines:
        model = answers.Refused if b'"error"' in line[:200] else answers.Results
        assert line + b"\n" == _round_trip(model, line)
    assert b'"hits":[{"report_id"' in lines[0]


@pytest.mark.parametrize(
    ("url", "table"),
    [("/search.csv?q=改革", HITS), ("/concordance.csv?q=改革", ROWS),
     ("/collocations.csv?q=改革", COLLOCATES)],
)  # fmt: skip
def test_a_csv_has_its_models_fields_as_columns(client, url: str, table) -> None:
    """The header is the model's fields (the place as place, code, level, province, city),
    and every row has a cell for each."""
    rows = list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    want = []
    for f in table.model.model_fields:
        if f not in table.skip:
            place = ["place", "code", "level", "province", "city"]
            want.extend(place if f == "place" else [table.rename.get(f, f)])
    assert rows[0] == want
    assert len(rows) > 2 and {len(r) for r in rows} == {len(want)}


# A CSV of each research view, with rows (an inf pdiff, empty cells, places, floats), and
# the model of its rows in `study_answers`
RESEARCH_CSVS = [
    ("/keywords.csv?district=拱墅区&ref_district=萧山区&n=2&min=2", "KeywordRow"),
    ("/keywords.csv?view=ngrams&n=3", "NGramRow"),
    ("/dispersion.csv?q=改革", "DispersionRow"),
    ("/trends.csv?q=改革&q=创新", "TrendsRow"),
    ("/trends.csv?q=营商环境&each=district", "PlaceTrendsRow"),
    ("/adoption.csv?q=营商环境&level=district", "AdoptionRow"),
    ("/adoption/panel.csv?q=营商环境&level=district&all=1", "EventRow"),
]


@pytest.mark.parametrize(("url", "name"), RESEARCH_CSVS)
def test_a_research_csv_has_its_row_models_fields_as_columns(client, url: str, name) -> None:
    """The CSVs of keywords, n-grams, dispersion, trends, adoption and the panel: the header is
    the fields of the row model (a `Place` field as its five columns) and every row has a cell
    for each, as `Table` writes them."""
    model = getattr(study_answers, name)
    want = []
    for f, info in model.model_fields.items():
        place = info.annotation is answers.Place
        want.extend(["place", "code", "level", "province", "city"] if place else [f])
    rows = list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == want
    assert len(rows) > 1 and {len(r) for r in rows} == {len(want)}


def test_the_panels_columns_are_its_codebooks() -> None:
    """The event-history panel's row model has the codebook's variables, in its order."""
    assert tuple(Table(study_answers.EventRow).columns) == CODEBOOK_COLUMNS


def test_a_table_writes_a_null_a_list_and_a_mapping_as_its_cells() -> None:
    """A keyword the reference never has: pdiff null in JSON, inf in the CSV; floats with all
    their decimals; a place not yet adopting: empty first_* cells, its years joined by ;."""
    keyword = study_answers.KeywordRow(
        word="数字", n=2, target=3, reference=0, ll=12.3, pdiff=None, log_ratio=2.0
    )
    assert b'"pdiff":null' in to_json(keyword)
    assert Table(study_answers.KeywordRow).cells(keyword) == [
        "数字", 2, 3, 0, "12.3000", "inf", "2.0000",
    ]  # fmt: skip
    place = answers.Place(
        name="拱墅区", code="330105", level="district", province="浙江省", city="杭州市"
    )
    adopted = study_answers.AdoptionRow(
        place=place, status="adopted", first_year=2019, first_report_id="r1", first_place="拱墅区",
        first_paragraph=4, first_url="http://x/r1#p4", last_year=2021, mentions=5,
        mentions_by_year={2019: 2, 2021: 3}, years=[2019, 2020, 2021],
    )  # fmt: skip
    not_yet = study_answers.AdoptionRow(place=place, status="not_yet", years=[2019, 2020])
    table = Table(study_answers.AdoptionRow)
    assert table.cells(adopted)[5:] == [
        "adopted", 2019, "r1", "拱墅区", 4, "http://x/r1#p4", 2021, 5, "2019:2;2021:3",
        "2019;2020;2021",
    ]  # fmt: skip
    assert table.cells(not_yet) == [
        "拱墅区", "330105", "district", "浙江省", "杭州市", "not_yet",
        None, "", "", None, "", None, 0, "", "2019;2020",
    ]  # fmt: skip


def test_only_the_csv_writer_writes_csv() -> None:
    """Every CSV of the site is rows of a model written by `csvexport.stream`: no other module
    of the web face builds a csv writer of its own (and so a header and cells by hand)."""
    found = []
    for path in sorted((ROOT / "search_app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter"):
                if getattr(node.value, "id", None) == "csv":
                    found.append(str(path.relative_to(ROOT)))
    assert found == ["search_app/csvexport.py"]


def test_no_view_writes_json_of_its_own() -> None:
    """Only the serialiser writes an answer: no module of the web face or the CLI calls
    `jsonify` or `json.dumps` but for the OpenAPI document itself."""
    allowed = {("search_app/api.py", "jsonify")}
    found = set()
    for folder in ("search_app", "baogao"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                called = node.func if isinstance(node, ast.Call) else None
                attr = getattr(called, "attr", None) or getattr(called, "id", None)
                if attr in ("jsonify", "dumps") and name != "search_app/serialize.py":
                    found.add((name, attr))
    assert found <= allowed, found - allowed
