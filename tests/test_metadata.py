"""Stage 5, metadata: district, level, year, type from the text first; manifests override."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.metadata import infer, level_of, read_manifest
from indexer.split import RawReport

GOV = "现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。"


@pytest.mark.parametrize(
    ("case", "raw", "text", "header", "filename", "expected"),
    [
        (
            "province from the meeting line (neutral file name)",
            RawReport(
                "",
                "政府工作报告",
                "2026年1月26日在广东省第十四届人民代表大会第五次会议上",
                "2026-01-26",
            ),
            GOV,
            {},
            "a.txt",
            ("广东省", "province", 2026, "2026-01-26", "政府工作报告"),
        ),
        (
            "autonomous region",
            RawReport(
                "",
                "2026年广西壮族自治区政府工作报告",
                "2026年2月2日在广西壮族自治区第十四届人民代表大会第五次会议上",
                "2026-02-02",
            ),
            GOV,
            {},
            "b.txt",
            ("广西壮族自治区", "province", 2026, "2026-02-02", "政府工作报告"),
        ),
        (
            "district of a city, party congress (hangzhou/001)",
            RawReport(
                "",
                "实施四大战略推进五区建设",
                "在中国共产党杭州市拱墅区第七次代表大会上的报告 2016年12月28日",
                "2016-12-28",
            ),
            "现在，我代表中国共产党杭州市拱墅区第六届委员会向大会作报告。",
            {},
            "001.txt",
            ("拱墅区", "district", 2016, "2016-12-28", "党代会报告"),
        ),
        (
            "plenary report: district from the text (hangzhou/001)",
            RawReport(
                "",
                "着力补短板推进国际化",
                "在区委六届十次全体（扩大）会议上的报告 2016年7月28日",
                "2016-07-28",
            ),
            "下面，我代表区委常委会，向全会报告工作。拱墅环境的新颜值。拱墅作为中心城区。",
            {},
            "001.txt",
            ("拱墅区", "district", 2016, "2016-07-28", "全会报告"),
        ),
        (
            "web page: year from the header, not the year reviewed (hangzhou/000)",
            RawReport(""),
            "一年来，在市委、市政府和区委正确领导下，在区人大、政协监督支持下，我们深入贯彻落实决策部署。"
            "2017年建成运河沿岸名区。拱墅城市魅力。实施“美丽拱墅”建设。",
            {"发布时间": "2018-01-23 09:15:28", "来源": "区电子政务办"},
            "000_069442e9e4bac5b8.txt",
            ("拱墅区", "district", 2018, "2018-01-23", "政府工作报告"),
        ),
        (
            "half-year summary (hangzhou/003)",
            RawReport(""),
            "回顾上半年，主要抓了以下八方面工作：一是大力推进数字化改革。萧山区数字化改革。萧山区块建设。",
            {"成文日期": "2021-07-07"},
            "003.txt",
            ("萧山区", "district", 2021, "2021-07-07", "工作总结"),
        ),
        (
            "plan page: the year it plans (hangzhou/004)",
            RawReport(""),
            "2020年是全面建成小康社会和“十三五”规划收官之年，是江干高水平全面建设的冲刺之年。"
            "2020年全区经济社会发展的主要预期目标是：地区生产总值增长5.5%。江干无欠薪。",
            {},
            "004.txt",
            ("江干区", "district", 2020, "", "工作计划"),
        ),
        (
            "national government work report",
            RawReport(
                "",
                "政府工作报告",
                "2022年3月5日在第十三届全国人民代表大会第五次会议上",
                "2022-03-05",
            ),
            "现在，我代表国务院，向大会报告政府工作，请予审议。",
            {},
            "x.txt",
            ("全国", "national", 2022, "2022-03-05", "政府工作报告"),
        ),
        (
            "CPC congress: year from the congress number",
            RawReport(""),
            "同志们：我受十二届中央委员会委托，向大会作报告。",
            {},
            "national_cpc_congress_13_沿着有中国特色的社会主义道路前进_(十三大).txt",
            ("全国", "national", 1987, "", "党代会报告"),
        ),
        (
            "nothing to go by: fields stay empty",
            RawReport(""),
            "我们要坚定信心，攻坚克难，奋力开创新局面。",
            {},
            "notes.txt",
            ("", "", None, "", ""),
        ),
    ],
)
def test_metadata_from_text(
    case: str, raw: RawReport, text: str, header: dict, filename: str, expected: tuple
) -> None:
    meta = infer(raw, text, header, filename)
    assert (meta.district, meta.level, meta.year, meta.date, meta.type) == expected


def test_title_is_derived_only_from_determined_fields() -> None:
    meta = infer(
        RawReport(""), "回顾上半年，萧山区推进数字化改革。萧山区块。", {"成文日期": "2021-07-07"}
    )
    assert meta.title == "2021年萧山区工作总结"
    assert infer(RawReport(""), "奋力开创新局面。").title == ""


@pytest.mark.parametrize(
    ("district", "level"),
    [("全国", "national"), ("北京市", "province"), ("浙江省", "province"), ("杭州市", "city"),
     ("拱墅区", "district"), ("宁夏回族自治区", "province"), ("", "")],
)  # fmt: skip
def test_level_of(district: str, level: str) -> None:
    assert level_of(district) == level


def test_manifest_columns_map_and_extra_columns_are_ignored(tmp_path: Path) -> None:
    manifest = tmp_path / "MANIFEST.csv"
    manifest.write_text(
        "file,region,level,year,title,chars,source_path\n"
        "a.txt,全国,national,1964,1964年政府工作报告（摘要）,123,x.jsonl#L1\n"
        "b.txt,全国,national,,論聯合政府,76,x.jsonl#L2\n",
        encoding="utf-8",
    )
    rows = read_manifest(manifest)
    assert rows["a.txt"] == {
        "district": "全国",
        "level": "national",
        "year": "1964",
        "title": "1964年政府工作报告（摘要）",
    }
    assert rows["b.txt"] == {"district": "全国", "level": "national", "title": "論聯合政府"}


def test_manifest_overrides_only_what_it_states() -> None:
    raw = RawReport(
        "", "政府工作报告", "1975年1月13日在第四届全国人民代表大会第一次会议上", "1975-01-13"
    )
    meta = infer(
        raw, GOV, {}, "x.txt", {"year": "1975", "title": "1975年政府工作报告", "district": "全国"}
    )
    assert (meta.year, meta.title, meta.district, meta.level, meta.type) == (
        1975,
        "1975年政府工作报告",
        "全国",
        "national",
        "政府工作报告",
    )
    meta = infer(raw, GOV, {}, "x.txt", {"year": "1976"})
    assert meta.year == 1976 and meta.date == ""  # a date contradicting the manifest is dropped
