"""Citations as researchers need them: GB/T 7714-2015 with the issuing body, BibTeX and RIS,
for a report and for a paragraph, checked against hand-written expected strings."""

from __future__ import annotations

import re
from datetime import date

import pytest

from indexer.build import build_index
from indexer.ingest import ingest
from indexer.models import Report
from search_app import citations, create_app

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
CPC_1945 = report(
    district="全国", level="national", year=1945, date="1945-04-24", type="党代会报告",
    title="论联合政府",
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
DISTRICT_CONGRESS = report(
    district="拱墅区", province="浙江省", city="杭州市", level="district", year=2016,
    date="2016-12-20", type="党代会报告", title="中国共产党杭州市拱墅区第十次代表大会报告",
)  # fmt: skip
PUBLISHED = Report(
    id="r1", source="b.txt", source_url="https://www.gulou.gov.cn/art/2019/1/8/a.html",
    district="鼓楼区", province="福建省", city="福州市", level="district", year=2019,
    date="2019-01-08", type="政府工作报告", title="2019年鼓楼区政府工作报告",
)  # fmt: skip
UNTITLED = report(
    district="驻马店市", province="河南省", city="驻马店市", level="city", year=2009,
    type="政府工作报告",
)  # fmt: skip
MUNICIPAL_DISTRICT = report(
    district="东城区", province="北京市", level="district", year=2020, type="工作总结",
    title="东城区2020年工作总结",
)  # fmt: skip
COUNTY = report(
    district="西平县", province="河南省", city="驻马店市", level="district", year=2021,
    type="政府工作报告", title="政府工作报告（摘要）",
)  # fmt: skip
NOTHING_KNOWN = report(title="某某报告")
SOURCE = "https://www.gulou.gov.cn/art/2019/1/8/a.html"


@pytest.mark.parametrize(
    ("r", "paragraph", "expected"),
    [
        # a national report: 国务院, published in Beijing
        (NATIONAL_WORK, None,
         "国务院. 2018年中华人民共和国国务院政府工作报告[R/OL]. 北京: 国务院, 2018(2018-03-05)"
         f"[2026-11-30]. {URL}."),
        (NATIONAL_WORK, 12,
         "国务院. 2018年中华人民共和国国务院政府工作报告[R/OL]. 北京: 国务院, 2018(2018-03-05): "
         f"第12段[2026-11-30]. {URL}#p12."),
        # a party congress report, national and local (the committee named with its city)
        (CPC_CONGRESS, None,
         "中共中央. 决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利[R/OL]. 北京: 中共中央, "
         f"2017(2017-10-18)[2026-11-30]. {URL}."),
        (CPC_1945, None,
         "中共中央. 论联合政府[R/OL]. [出版地不详]: 中共中央, 1945(1945-04-24)[2026-11-30]. "
         f"{URL}."),
        (DISTRICT_CONGRESS, 2,
         "中共杭州市拱墅区委员会. 中国共产党杭州市拱墅区第十次代表大会报告[R/OL]. 杭州: "
         f"中共杭州市拱墅区委员会, 2016(2016-12-20): 第2段[2026-11-30]. {URL}#p2."),
        (NPC_RESOLUTION, 3,
         "全国人民代表大会. 第二届全国人民代表大会第三次会议关于政府工作报告的决议[Z/OL]. 北京: "
         f"全国人民代表大会, 1962: 第3段[2026-11-30]. {URL}#p3."),
        # a district work report: the district with its city, published in the city
        (DISTRICT, 5,
         "杭州市拱墅区人民政府. 2017年拱墅区政府工作报告[R/OL]. 杭州: 杭州市拱墅区人民政府, "
         f"2017(2017-02-09): 第5段[2026-11-30]. {URL}#p5."),
        # a report with its source: cited at the page it was published on
        (PUBLISHED, None,
         "福州市鼓楼区人民政府. 2019年鼓楼区政府工作报告[R/OL]. 福州: 福州市鼓楼区人民政府, "
         f"2019(2019-01-08)[2026-11-30]. {SOURCE}."),
        (PUBLISHED, 7,
         "福州市鼓楼区人民政府. 2019年鼓楼区政府工作报告[R/OL]. 福州: 福州市鼓楼区人民政府, "
         f"2019(2019-01-08): 第7段[2026-11-30]. {SOURCE}."),
        # supplied titles: in square brackets, wholly or the part added to a bare title
        (PROVINCE, None,
         "河北省人民政府. [2026年河北省]政府工作报告[R/OL]. 石家庄: 河北省人民政府, "
         f"2026(2026-01-23)[2026-11-30]. {URL}."),
        (UNTITLED, None,
         "驻马店市人民政府. [2009年驻马店市政府工作报告][R/OL]. 驻马店: 驻马店市人民政府, 2009"
         f"[2026-11-30]. {URL}."),
        (COUNTY, None,
         "驻马店市西平县人民政府. [2021年西平县]政府工作报告（摘要）[R/OL]. 西平县: "
         f"驻马店市西平县人民政府, 2021[2026-11-30]. {URL}."),
        (MUNICIPAL_DISTRICT, None,
         "北京市东城区人民政府. 东城区2020年工作总结[R/OL]. 北京: 北京市东城区人民政府, 2020"
         f"[2026-11-30]. {URL}."),
        (NOTHING_KNOWN, None,
         f"佚名. 某某报告[R/OL]. [出版地不详]: [出版者不详], [出版年不详][2026-11-30]. {URL}."),
    ],
)  # fmt: skip
def test_gbt7714(r, paragraph, expected) -> None:
    url = URL + (f"#p{paragraph}" if paragraph else "")
    cited = citations.describe(r, url, TODAY, paragraph, r.source_url)
    assert citations.gbt7714(cited) == expected


def test_places_of_one_name_are_told_apart_by_their_city() -> None:
    fuzhou = citations.issuer(PUBLISHED)
    nanjing = citations.issuer(Report(
        id="r2", source="n.txt", district="鼓楼区", province="江苏省", city="南京市",
        level="district", year=2019, type="政府工作报告",
    ))  # fmt: skip
    assert (fuzhou, nanjing) == ("福州市鼓楼区人民政府", "南京市鼓楼区人民政府")


def test_bibtex_of_a_paragraph() -> None:
    got = citations.bibtex(citations.describe(PROVINCE, URL + "#p5", TODAY, 5), "k")
    assert got == (
        "@misc{k,\n"
        "  author = {{河北省人民政府}},\n"
        "  title = {{[2026年河北省]政府工作报告}},\n"
        "  address = {石家庄},\n"
        "  location = {石家庄},\n"
        "  publisher = {河北省人民政府},\n"
        "  year = {2026},\n"
        "  date = {2026-01-23},\n"
        "  type = {政府工作报告},\n"
        "  mark = {R},\n"
        "  medium = {OL},\n"
        f"  howpublished = {{\\url{{{URL}#p5}}}},\n"
        f"  url = {{{URL}#p5}},\n"
        "  urldate = {2026-11-30},\n"
        "  note = {第5段}\n"
        "}"
    )


def test_ris_of_a_report_published_elsewhere() -> None:
    got = citations.ris(citations.describe(PUBLISHED, URL, TODAY, None, SOURCE))
    assert got.split("\r\n") == [
        "TY  - GOVDOC",
        "AU  - 福州市鼓楼区人民政府",
        "TI  - 2019年鼓楼区政府工作报告",
        "PY  - 2019",
        "DA  - 2019/01/08",
        "CY  - 福州",
        "PB  - 福州市鼓楼区人民政府",
        f"UR  - {SOURCE}",
        "Y2  - 2026/11/30",
        "ER  -",
        "",
    ]


def test_ris_names_the_speaker() -> None:
    got = citations.ris(citations.describe(NATIONAL_WORK, URL, TODAY))
    assert "A2  - 李克强\r\n" in got and "CY  - 北京\r\n" in got


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


def test_the_reader_and_the_exports_cite_the_published_page_when_known(tmp_path):
    """A report with its source URL is cited there (report, paragraph, BibTeX, RIS); one
    without is cited at this site's permalink, with the date it was seen."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    work = "过去一年，我们深化“最多跑一次”改革，推进城中村改造，完善公共服务，办成了一批民生实事。"
    body = "现在，我代表区人民政府，向大会报告工作，请予审议。\n\n" + f"{work}\n\n" * 3
    for name, head in (("a.txt", f"原文链接：{SOURCE}\n\n2019"), ("b.txt", "2020")):
        (corpus / name).write_text(f"{head}年拱墅区政府工作报告\n\n{head[-4:]}年{body}")
    reports = {r.source: r for r in ingest([corpus]).reports}
    build_index(list(reports.values()), tmp_path / "index")
    client = create_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    today = date.today().isoformat()
    for name, where in (("a.txt", SOURCE), ("b.txt", "http://localhost/reports/")):
        rid = reports[name].id
        page = client.get(f"/reports/{rid}").get_data(as_text=True)
        gbt = re.findall(r'<span class="citation gbt">([^<]*)</span>', page)
        assert len(gbt) > 2
        for text in gbt:
            assert "杭州: 杭州市拱墅区人民政府, " in text and f"[{today}]. {where}" in text, text
    bib = client.get("/search.bib?q=最多跑一次").get_data(as_text=True)
    ris = client.get("/search.ris?q=最多跑一次").get_data(as_text=True)
    hits = client.get("/api/search?q=最多跑一次&per_page=100").get_json()["hits"]
    published = sum(h["report_id"] == reports["a.txt"].id for h in hits)
    assert bib.count(f"url = {{{SOURCE}}}") == ris.count(f"UR  - {SOURCE}") == published > 0
    assert bib.count("url = {http://localhost/reports/") == len(hits) - published > 0


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
