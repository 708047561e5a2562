"""Bulk data against the reports themselves: the catalogue has one row per chosen report with
its fields, code, characters and paragraphs; the plain text and JSON Lines hold every
paragraph of every chosen report, in order."""

from __future__ import annotations

import csv
import io
import json

import pytest

from indexer.fold import fold
from indexer.models import REPORT_FIELDS
from indexer.place import place_code

ENGINE_INDEXES = ("bundled",)  # the `engine` fixture (conftest.py), over the index `client` serves


def rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_catalogue_has_every_report_with_its_fields(client, engine) -> None:
    catalogue = rows(client, "/export/catalogue.csv")
    records = engine.reports()
    assert [r["id"] for r in catalogue] == [r["id"] for r in records]
    for row, record in zip(catalogue, records, strict=True):
        report = engine.get_report(record["id"])
        for name in REPORT_FIELDS:
            column = "place" if name == "district" else name  # the place as every CSV names it
            assert row[column] == ("" if record[name] is None else str(record[name]))
        assert int(row["paragraph_count"]) == len(report.paragraphs)
        assert int(row["chars"]) == sum(len(p.text) for p in report.paragraphs)
        code = place_code(
            record["district"], record["level"], record["province"], record["city"], record["year"]
        )
        assert row["code"] == code and code


@pytest.mark.parametrize(
    ("url", "keep"),
    [
        (
            "district=拱墅区&year_from=2018",
            lambda r, text: r["district"] == "拱墅区" and r["year"] >= 2018,
        ),
        ("q=河长制", lambda r, text: "河长制" in text),
        ("q=数字化改革&year=2021", lambda r, text: "数字化改革" in text and r["year"] == 2021),
    ],
)
def test_filters_choose_the_reports_holding_a_match(client, engine, url, keep) -> None:
    expected = []
    for record in engine.reports():
        text = "\n".join(fold(p.text) for p in engine.get_report(record["id"]).paragraphs)
        if keep(record, text):
            expected.append(record["id"])
    assert expected
    assert [r["id"] for r in rows(client, "/export/catalogue.csv?" + url)] == expected
    lines = client.get("/export/text.jsonl?" + url).get_data(as_text=True).splitlines()
    assert [json.loads(line)["id"] for line in lines] == expected


def test_text_and_json_lines_hold_every_paragraph(client, engine) -> None:
    ids = [r["id"] for r in engine.reports()][:3][::-1]
    query = "&".join(f"id={i}" for i in ids)
    lines = client.get("/export/text.jsonl?" + query).get_data(as_text=True).splitlines()
    text = client.get("/export/text.txt?" + query).get_data(as_text=True)
    assert [json.loads(line)["id"] for line in lines] == ids  # in the order asked for
    at = 0
    for line, report_id in zip(lines, ids, strict=True):
        report = engine.get_report(report_id)
        got = json.loads(line)
        assert [p["text"] for p in got["paragraphs"]] == [p.text for p in report.paragraphs]
        numbers = [p["paragraph"] for p in got["paragraphs"]]
        assert numbers == list(range(1, len(report.paragraphs) + 1))
        assert got["place"]["code"] and got["title"] == report.title
        assert got["place"]["name"] == report.district and "district" not in got
        at = text.index(f"# {report_id}\n", at)
        for p in report.paragraphs:  # each paragraph in order, after the report's header
            at = text.index(p.text, at) + len(p.text)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/export/text.txt?id=nope", 404),
        ("/export/catalogue.csv?id=../x", 400),
        ("/export/text.jsonl?year=19", 400),
    ],
)
def test_bad_choices_are_refused(client, url, status) -> None:
    assert client.get(url).status_code == status
