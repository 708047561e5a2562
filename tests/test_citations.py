"""Citations as researchers need them: GB/T 7714-2015 with the issuing body, BibTeX and RIS,
for a report and for a paragraph, checked against hand-written expected strings."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.models import Report
from search_app import citations

TODAY = date(2026, 11, 30)
URL = "http://127.0.0.1:5000/reports/r1"


def report(**fields) -> Report:
    return Report(id="r1", source="x.txt", **fields)


NATIONAL_WORK = report(
    district="全国", level="national", year=2018, date="2018-03-05", type="政府工作报告",
    title="2018年中华人民共和国国务院政府工作报告", speaker="李克强",
)  # fmt: skip
CPC_CONGRESS = report(
    district="全国", level="national", year=2017, date="2017-10-18", type="党代会报告",
    title="决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利",
)  # fmt: skip
NPC_RESOLUTION = report(
    district="全国", level="national", year=1962, type="决议",
    title="第二届全国人民代表大会第三次会议关于政府工作报告的决议",
)  # fmt: skip
PROVINCE = report(
    district="河北省", province="河北省", level="province", year=2026, date="2026-01-23",
    type="政府工作报告", title="政府工作报告",
)  # fmt: skip
DISTRICT = report(
    district="拱墅区", province="浙江省", city="杭州市", level="district", year=2017,
    date="2017-02-09", type="政府工作报告", title="2017年拱墅区政府工作报告",
)  # fmt: skip


@pytest.mark.parametrize(
    ("r", "paragraph", "expected"),
    [
        (NATIONAL_WORK, None,
         f"国务院. 2018年中华人民共和国国务院政府工作报告[R/OL]. (2018-03-05)[2026-11-30]. {URL}."),
        (NATIONAL_WORK, 12,
         f"国务院. 2018年中华人民共和国国务院政府工作报告[R/OL]. (2018-03-05): 第12段"
         f"[2026-11-30]. {URL}#p12."),
        (CPC_CONGRESS, None,
         "中共中央. 决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利[R/OL]. "
         f"(2017-10-18)[2026-11-30]. {URL}."),
        (NPC_RESOLUTION, 3,
         "全国人民代表大会. 第二届全国人民代表大会第三次会议关于政府工作报告的决议[Z/OL]. "
         f"(1962): 第3段[2026-11-30]. {URL}#p3."),
        (PROVINCE, None,
         f"河北省人民政府. 2026年河北省政府工作报告[R/OL]. (2026-01-23)[2026-11-30]. {URL}."),
        (DISTRICT, 5,
         f"拱墅区人民政府. 2017年拱墅区政府工作报告[R/OL]. (2017-02-09): 第5段[2026-11-30]. "
         f"{URL}#p5."),
    ],
)  # fmt: skip
def test_gbt7714(r, paragraph, expected) -> None:
    url = URL + (f"#p{paragraph}" if paragraph else "")
    assert citations.gbt7714(r, url, TODAY, paragraph) == expected


def test_bibtex_of_a_paragraph() -> None:
    got = citations.bibtex(DISTRICT, citations.key("r1", 5), URL + "#p5", TODAY, 5)
    assert got == (
        "@misc{baogao-r1-p5,\n"
        "  author = {{拱墅区人民政府}},\n"
        "  title = {{2017年拱墅区政府工作报告}},\n"
        "  year = {2017},\n"
        "  date = {2017-02-09},\n"
        "  type = {政府工作报告},\n"
        f"  howpublished = {{\\url{{{URL}#p5}}}},\n"
        f"  url = {{{URL}#p5}},\n"
        "  urldate = {2026-11-30},\n"
        "  note = {第5段}\n"
        "}"
    )


def test_ris_of_a_report() -> None:
    got = citations.ris(NATIONAL_WORK, URL, TODAY)
    assert got.split("\r\n") == [
        "TY  - GOVDOC",
        "AU  - 国务院",
        "TI  - 2018年中华人民共和国国务院政府工作报告",
        "PY  - 2018",
        "DA  - 2018/03/05",
        "A2  - 李克强",
        f"UR  - {URL}",
        "Y2  - 2026/11/30",
        "ER  -",
        "",
    ]


def test_the_reader_offers_every_format_for_the_report_and_each_paragraph(client):
    rid = client.get("/api/reports").get_json()["reports"][0]["id"]
    text = client.get(f"/reports/{rid}").get_data(as_text=True)
    paragraphs = client.get(f"/api/reports/{rid}?per_page=100").get_json()["paragraphs"]
    body = [p for p in paragraphs if not p["heading"]]
    assert text.count('class="citation gbt"') == len(body) + 1  # each paragraph and the report
    for fmt in ("bib", "ris"):
        assert text.count(f'class="citation {fmt}"') == len(body) + 1


# Who delivered each national report, as the record of the sessions has it (listed here by hand).
WORK_REPORTS = {
    1954: "周恩来", 1955: "李富春", 1956: "李先念", 1957: "周恩来", 1958: "薄一波", 1959: "周恩来",
    1960: "谭震林", 1964: "周恩来", 1975: "周恩来", 1978: "华国锋", 1979: "华国锋", 1980: "姚依林",
    **dict.fromkeys(range(1981, 1988), "赵紫阳"), **dict.fromkeys(range(1988, 1999), "李鹏"),
    **dict.fromkeys(range(1999, 2004), "朱镕基"), **dict.fromkeys(range(2004, 2014), "温家宝"),
    **dict.fromkeys(range(2014, 2024), "李克强"), 2024: "李强", 2025: "李强",
}  # fmt: skip
CONGRESS_REPORTS = {
    1: "", 3: "陈独秀", 7: "毛泽东", 9: "林彪", 10: "周恩来", 11: "华国锋", 12: "胡耀邦",
    13: "赵紫阳", 14: "江泽民", 15: "江泽民", 16: "江泽民", 17: "胡锦涛", 18: "胡锦涛",
    19: "习近平", 20: "习近平",
}  # fmt: skip


@pytest.mark.shared
def test_every_national_report_has_its_issuer_and_speaker(shared_ingest) -> None:
    national = [r for r in shared_ingest.reports if r.source.startswith("national/")]
    assert len(national) == 87
    for r in national:
        name = r.source.removeprefix("national/")
        if r.type == "政府工作报告":
            assert (citations.issuer(r), r.speaker) == ("国务院", WORK_REPORTS[r.year]), name
        elif r.type == "决议":
            assert (citations.issuer(r), r.speaker) == ("全国人民代表大会", ""), name
        else:
            assert r.type == "党代会报告", name
            congress = int(name.split("_")[3])  # national_cpc_congress_09_…
            assert (citations.issuer(r), r.speaker) == ("中共中央", CONGRESS_REPORTS[congress]), (
                name
            )


@pytest.mark.shared
def test_every_report_is_cited_with_an_issuer_and_bare_titles_get_year_and_place(shared_ingest):
    bare = 0
    for r in shared_ingest.reports:
        if not (r.district and r.type and r.year):
            continue
        assert citations.issuer(r), r.source
        if r.title in ("", "政府工作报告", "工作报告"):
            bare += 1
            place = "" if r.district == "全国" else r.district
            assert citations.title(r) == f"{r.year}年{place}{r.title or r.type}", r.source
    assert bare > 0


@pytest.mark.parametrize(("fmt", "entry"), [("bib", "@misc{baogao-"), ("ris", "TY  - GOVDOC")])
def test_citations_of_a_selection_of_results_download(client, fmt, entry):
    total = client.get("/api/search?q=最多跑一次").get_json()["total"]
    response = client.get(f"/search.{fmt}?q=最多跑一次&page=3")  # paging is not an export's
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.count(entry) == total > 0
    assert body.count("#p") == total * (2 if fmt == "bib" else 1)  # each entry's permalink
    assert 'href="/search.' + fmt in client.get("/search?q=最多跑一次").get_data(as_text=True)


@pytest.mark.parametrize(
    ("kind", "title", "district", "issuer"),
    [
        ("法院工作报告", "河南省高级人民法院工作报告", "河南省", "河南省高级人民法院"),
        ("检察院工作报告", "最高人民检察院工作报告", "全国", "最高人民检察院"),
        ("人大常委会工作报告", "驻马店市人大常委会工作报告", "驻马店市", "驻马店市人大常委会"),
        (
            "预算报告",
            "关于广州市2025年预算执行情况和2026年预算草案的报告",
            "广州市",
            "广州市人民政府",
        ),
    ],
)
def test_a_congress_body_issues_its_own_work_report(
    kind: str, title: str, district: str, issuer: str
) -> None:
    level = "national" if district == "全国" else "province"
    r = report(district=district, level=level, year=2025, type=kind, title=title)
    assert citations.issuer(r) == issuer
