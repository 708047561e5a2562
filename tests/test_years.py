"""The year a report was delivered: Chinese-numeral years, national sessions, and the text first."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.ingest import ingest
from indexer.metadata import infer, year_of
from indexer.split import RawReport, parse_date
from indexer.years import parse_year, session_year, text_year

CN = "〇一二三四五六七八九"
ZEROS = ["〇", "○", "零", "O", "0"]


def in_chinese(year: int, zero: str) -> str:
    return "".join(zero if d == "0" else CN[int(d)] for d in str(year))


@given(st.integers(1949, 2099), st.sampled_from(ZEROS))
def test_any_chinese_numeral_year_parses_back(year: int, zero: str) -> None:
    written = in_chinese(year, zero)
    assert parse_year(f"{written}年政府工作报告") == year
    assert parse_date(f"——{written}年三月五日在市人民代表大会上") == f"{year}-03-05"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("二O一一年政府工作报告", 2011),
        ("二0一0年政府工作报告", 2010),
        ("二〇〇三年政府工作报告", 2003),
        ("二零一一年", 2011),
        ("一九五四年", 1954),
        ("2026年河南省政府工作报告", 2026),
        ("政府工作报告", None),
        ("第十二个五年", None),
    ],
)
def test_parse_year(text: str, year: int | None) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("第二届全国人民代表大会第三次会议", 1962),
        ("第一届全国人民代表大会第一次会议", 1954),
        ("第一屆全國人民代表大會第一次會議", 1954),
        ("第三届全国人民代表大会第一次会议", 1964),
        ("在第五届全国人民代表大会第五次会议上", 1982),
        ("第十三届全国人民代表大会第五次会议", 2022),
        ("十届全国人大五次会议", 2007),
        ("第十四届全国人民代表大会第三次会议", 2025),
        ("在中国共产党第十九次全国代表大会上的报告", 2017),
        ("中国共产党第一次全国代表大会", 1921),
        ("在党的十一届三中全会上", 1978),
        ("中国共产党第十八届中央委员会第三次全体会议", 2013),
        ("第二届全国人民代表大会第九次会议", None),  # no such session
        ("河南省第十四届人民代表大会第四次会议", None),  # not a national session
        ("在市委十二届三中全会上", None),  # a local party committee's plenum
    ],
)
def test_session_table(text: str, year: int | None) -> None:
    assert session_year(text) == year


@pytest.mark.parametrize(
    ("case", "text", "year"),
    [
        ("resolution", "第二届全国人民代表大会第三次会议听取了周恩来总理的报告。", 1962),
        ("addressed session", "现在，我代表国务院，向第十届全国人民代表大会第一次会议报告。", 2003),
        ("addressed term", "我代表国务院，向第四届全国人民代表大会作政府工作报告。", 1975),
        ("five years since", "各位代表：\n第十二届全国人民代表大会第一次会议以来的五年，", 2018),
        ("since last session", "从去年9月第五届全国人民代表大会第三次会议到现在，", 1981),
        ("outgoing central committee", "现在，我代表第十六届中央委员会向大会作报告。", 2007),
        ("own congress", "同志们！\n中国共产党第九次全国代表大会，将是一次", 1969),
        ("review heading", "各位代表：\n一、2014年工作回顾\n过去一年，", 2015),
        ("review heading, Chinese numerals", "一、二O一O年及“十一五”工作回顾", 2011),
        ("review of a five-year plan", "一、“九五”时期国民经济和社会发展的回顾", 2001),
        ("plan year", "2020年是全面建成小康社会之年。", 2020),
        ("plan for the year presented", "提出关于一九五八年度国民经济计划（草案）的报告", 1958),
        ("a later year named in passing", "做好2022年冬奥会申办工作。一、2014年工作回顾", 2015),
        ("nothing", "我们要坚定信心，攻坚克难。", None),
    ],
)
def test_text_year(case: str, text: str, year: int | None) -> None:
    assert text_year(text) == year


BODY_2021 = (
    "各位代表：现在，我代表市人民政府，向大会报告工作，请予审议。\n"
    "一、2020年工作回顾\n过去的一年，面对突如其来的新冠肺炎疫情，我们迎难而上。"
)


@pytest.mark.parametrize(
    ("case", "raw", "header", "filename", "year"),
    [
        ("page stamp vs review heading", RawReport(""), {"时间": "2023-03-30"}, "a.txt", 2021),
        ("publish stamp", RawReport(""), {"发布时间": "2023-03-30 10:00"}, "a.txt", 2021),
        ("issue stamp", RawReport(""), {"发文时间": "2023-03-30"}, "2023_a.txt", 2021),
        ("crawler year", RawReport(""), {"年份": "2023"}, "2023_b.txt", 2021),
        (
            "page stamp vs title",
            RawReport("", "2021年政府工作报告"),
            {"时间": "2023-03-30"},
            "a.txt",
            2021,
        ),
        (
            "page stamp vs meeting line",
            RawReport("", "政府工作报告", "2021年2月27日在市第四届人民代表大会第七次会议上"),
            {"时间": "2023-03-30"},
            "a.txt",
            2021,
        ),
        (
            "crawler title in Chinese numerals vs listing year",
            RawReport(""),
            {"标题": "二O一一年政府工作报告", "年份": "2014"},
            "2014_二O一一年政府工作报告.txt",
            2011,
        ),
    ],
)
def test_a_page_stamp_never_beats_the_text(
    case: str, raw: RawReport, header: dict, filename: str, year: int
) -> None:
    assert year_of(raw, header, BODY_2021, filename) == year


def test_the_page_stamp_counts_when_the_text_says_nothing() -> None:
    raw = RawReport("")
    text = "一年来，我们深入贯彻落实决策部署，经济平稳运行。"
    assert year_of(raw, {"时间": "2023-03-30"}, text, "a.txt") == 2023
    assert infer(raw, text, {"时间": "2023-03-30"}, "a.txt").date == "2023-03-30"
    assert year_of(raw, {"年份": "2014"}, text, "a.txt") == 2014
    assert year_of(raw, {}, text, "2014_a.txt") == 2014


def test_a_file_name_gives_its_report_year_before_its_listing_year() -> None:
    text = "一年来，我们深入贯彻落实决策部署，经济平稳运行。"
    assert year_of(RawReport(""), {}, text, "2014_二O一一年政府工作报告.txt") == 2011
    assert year_of(RawReport(""), {}, text, "2014_政府工作报告.txt") == 2014


def test_a_page_date_of_another_year_is_not_the_report_date() -> None:
    meta = infer(RawReport(""), BODY_2021, {"时间": "2023-03-30"}, "a.txt")
    assert (meta.year, meta.date) == (2021, "")


# The congress reports and the 1962 resolution have no year in MANIFEST.csv; these are theirs.
CONGRESS_YEARS = {
    "一": 1921, "三": 1923, "九": 1969, "十": 1973, "十一": 1977, "十二": 1982,
    "十三": 1987, "十四": 1992, "十五": 1997, "十六": 2002, "十七": 2007, "十八": 2012,
    "十九": 2017, "二十": 2022,
}  # fmt: skip


def _expected_year(name: str, row: dict[str, str]) -> int:
    if row["year"]:
        return int(row["year"])
    if name.startswith("national_resolution_第二届全国人民代表大会第三次会议"):
        return 1962
    m = re.search(r"\((.{1,2})大|第(.{1,2})次全国代表大会", name)
    assert m, name
    return CONGRESS_YEARS[m[1] or m[2]]


@pytest.mark.shared
def test_every_national_file_gets_its_year_without_the_manifest(
    shared_corpus: Path, tmp_path: Path
) -> None:
    folder = shared_corpus / "national"
    with (folder / "MANIFEST.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    for path in folder.glob("*.txt"):
        shutil.copyfile(path, tmp_path / path.name)
    result = ingest([tmp_path])
    got = {r.source: r.year for r in result.reports}
    assert set(got) == set(rows) - {"national_cpc_congress_07_論聯合政府_(七大).txt"}  # a stub
    assert got == {name: _expected_year(name, rows[name]) for name in got}
    assert (
        got["national_resolution_第二届全国人民代表大会第三次会议关于政府工作报告的决议.txt"]
        == 1962
    )


@pytest.mark.shared
def test_national_years_from_the_text_alone(shared_corpus: Path, tmp_path: Path) -> None:
    """With neutral file names, all but a few national files are dated by their text alone."""
    folder = shared_corpus / "national"
    with (folder / "MANIFEST.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    names = {}
    for k, path in enumerate(sorted(folder.glob("*.txt"))):
        names[f"r{k:03d}.txt"] = path.name
        shutil.copyfile(path, tmp_path / f"r{k:03d}.txt")
    result = ingest([tmp_path])
    wrong, undated = [], []
    for report in result.reports:
        name = names[report.source]
        if report.year is None:
            undated.append(name)
        elif report.year != _expected_year(name, rows[name]):
            wrong.append((name, report.year))
    assert wrong == []  # a wrong year is worse than none
    assert len(undated) <= 8, undated


@pytest.mark.parametrize(
    ("case", "raw", "text", "filename", "kind", "year"),
    [
        (
            "a cover with only a year and month, a budget-year file name",
            RawReport("广州市财政局\n二〇二六年一月\n各位代表：\n现将预算草案提请审查。"),
            "各位代表：\n现将预算草案提请审查。",
            "guangzhou_2025.pdf",
            "",
            2026,
        ),
        (
            "a budget report's session year, not its budget year",
            RawReport("", "关于保定市2025年预算执行情况和2026年预算草案的报告（书面）"),
            "各位代表：\n受市政府委托，向大会提交预算报告。",
            "baoding_2025_budget_report.pdf",
            "预算报告",
            2026,
        ),
        (
            "a final-accounts report: the year after the accounts",
            RawReport("", "关于阜新市2025年财政决算的报告"),
            "主任、各位副主任：\n我受市人民政府委托，提出决算报告。",
            "fuxin_2025.html",
            "决算报告",
            2026,
        ),
        (
            "the file name's year when the text says nothing",
            RawReport(""),
            "一年来，我们深入贯彻落实决策部署，经济平稳运行。",
            "weihai_2025_budget_report.pdf",
            "",
            2025,
        ),
    ],
)
def test_the_year_a_report_was_delivered(
    case: str, raw: RawReport, text: str, filename: str, kind: str, year: int
) -> None:
    assert year_of(raw, {}, text, filename, kind) == year
