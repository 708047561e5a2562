"""Stage 3, split: files holding several reports, and the title block of a single report."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.clean import clean
from indexer.read import read_text
from indexer.split import parse_date, split_reports


def _cleaned(path: Path) -> str:
    return clean(read_text(path.read_bytes(), path.name)).text


def test_hangzhou_001_holds_three_reports(bundled_corpus: Path) -> None:
    (path,) = bundled_corpus.glob("hangzhou/001_*.txt")
    reports = split_reports(_cleaned(path))
    assert [(r.date, r.speaker) for r in reports] == [
        ("2016-07-28", "许明"),
        ("2016-12-28", "朱建明"),
        ("2017-02-09", "章燕"),
    ]
    assert reports[0].title == "着力补短板推进国际化加快建设产城融合发展的品质之区"
    assert "全体（扩大）会议" in reports[0].meeting
    assert reports[1].title == "实施四大战略推进五区建设为建成运河沿岸名区而努力奋斗"
    assert "中国共产党杭州市拱墅区第七次代表大会" in reports[1].meeting
    assert reports[2].title == "政府工作报告"
    assert reports[2].meeting.startswith("在拱墅区第七届人民代表大会第一次会议上")
    # each body starts with its salutation; the contents list before the first is dropped
    assert [r.body.split("\n")[0] for r in reports] == [
        "同志们：",
        "各位代表、同志们：",
        "各位代表：",
    ]
    assert "特载" not in reports[0].body
    # the title block of the next report is not part of the previous body
    assert "实施四大战略推进五区建设" not in reports[0].body.split("\n")[-1]
    assert not reports[1].body.rstrip().endswith("政府工作报告")


@pytest.mark.parametrize(
    ("case", "text", "title", "date", "speaker", "first_line"),
    [
        (
            "province page (上海)",
            "2026年上海市政府工作报告\n——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n上海市市长龚正\n"
            "各位代表：\n现在，我代表上海市人民政府，向大会报告工作。",
            "2026年上海市政府工作报告",
            "2026-02-03",
            "龚正",
            "各位代表：",
        ),
        (
            "meeting line broken in two (广东)",
            "政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长孟凡利\n各位代表：",
            "政府工作报告",
            "2026-01-26",
            "孟凡利",
            "各位代表：",
        ),
        (
            "date in Chinese numerals (甘肃)",
            "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n甘肃省省长任振鹤\n各位代表：",
            "2026年甘肃省政府工作报告",
            "2026-01-27",
            "任振鹤",
            "各位代表：",
        ),
        (
            "speaker on the meeting line (陕西)",
            "陕西省2026年政府工作报告\n2026年1月27日在陕西省第十四届人民代表大会第四次会议上陕西省省长赵刚\n各位代表：",
            "陕西省2026年政府工作报告",
            "2026-01-27",
            "赵刚",
            "各位代表：",
        ),
        (
            "no title, date line first (hangzhou/002)",
            "（2015年1月27日在上城区第十四届人民代表大会第四次会议上）\n\n上城区人民政府区长陈瑾\n\n各位代表：",
            "",
            "2015-01-27",
            "陈瑾",
            "各位代表：",
        ),
        (
            "resolution (national)",
            "第十三届全国人民代表大会第四次会议关于政府工作报告的决议\n\n（2021年3月11日第十三届全国人民代表大会第四次会议通过）\n\n"
            "第十三届全国人民代表大会第四次会议听取和审议了国务院总理李克强所作的政府工作报告。",
            "第十三届全国人民代表大会第四次会议关于政府工作报告的决议",
            "2021-03-11",
            "",
            "第十三届全国人民代表大会第四次会议听取和审议了国务院总理李克强所作的政府工作报告。",
        ),
        (
            "title over two lines under a masthead; a ——— dash (budget report)",
            "天津市十八届人大\n四次会议文件（三十九）\n\n关于天津市2025年预算执行情况\n和2026年预算草案的报告\n\n"
            "———2026年1月26日在天津市第十八届\n人民代表大会第四次会议上\n\n天津市财政局局长张三\n各位代表：",
            "关于天津市2025年预算执行情况和2026年预算草案的报告",
            "2026-01-26",
            "天津市财政局局长 张三",
            "各位代表：",
        ),
        (
            "title over three lines; a box-drawing dash ──",
            "市十八届人大\n六次会议文件\n\n关于2025年威海市和市级\n预算执行情况与2026年威海市和市级\n预算草案的报告\n"
            "──2026年1月14日在威海市第十八届\n人民代表大会第六次会议上\n威海市财政局局长宋忠勇\n\n各位代表：",
            "关于2025年威海市和市级预算执行情况与2026年威海市和市级预算草案的报告",
            "2026-01-14",
            "威海市财政局局长 宋忠勇",
            "各位代表：",
        ),
        (
            "after a contents list; a single — dash; a standing committee session",
            "第一部分财政决算报告\n第二部分2022年黑龙江省财政决算报表\n"
            "2.1 2022年黑龙江省财政收支决算总表\n2.2 一般公共预算收支总表\n"
            "2.3 收入决算表\n2.4 支出决算表\n2.5 功能分类\n2.6 转移支付\n"
            "2.7 共同财政事权\n2.8 专项转移支付\n2.9 债务限额\n第一部分财政决算报告\n"
            "黑龙江省人民政府关于2022年\n财政决算的报告\n\n"
            "—2023年8月30日在黑龙江省第十四届人民代表大会\n\n常务委员会第六次会议上\n\n"
            "黑龙江省财政厅厅长孟祥会\n\n"
            "主任、各位副主任、秘书长、各位委员：",
            "黑龙江省人民政府关于2022年财政决算的报告",
            "2023-08-30",
            "黑龙江省财政厅厅长 孟祥会",
            "主任、各位副主任、秘书长、各位委员：",
        ),
        (
            "a title over two lines without 关于, the second opening with 与",
            "广州市2025年国民经济和社会发展计划执行情况\n与2026年计划草案的报告\n"
            "——2026年1月19日在广州市第十六届人民代表大会第六次会议上\n各位代表：",
            "广州市2025年国民经济和社会发展计划执行情况与2026年计划草案的报告",
            "2026-01-19",
            "",
            "各位代表：",
        ),
        (
            "the speaker line says what was delivered (河南)",
            "2025年河南省政府工作报告\n2025年1月18日在河南省第十四届人民代表大会第三次会议上"
            "河南省人民政府省长王凯作政府工作报告\n\n各位代表：",
            "2025年河南省政府工作报告",
            "2025-01-18",
            "王凯",
            "各位代表：",
        ),
        (
            "no title block at all (hangzhou/000)",
            "一年来，我们立足提质增效促进转型升级，经济发展动能持续积聚。",
            "",
            "",
            "",
            "一年来，我们立足提质增效促进转型升级，经济发展动能持续积聚。",
        ),
    ],
)
def test_single_report_title_block(
    case: str, text: str, title: str, date: str, speaker: str, first_line: str
) -> None:
    (report,) = split_reports(text)
    assert (report.title, report.date, report.speaker) == (title, date, speaker)
    assert report.body.lstrip("\n").split("\n")[0] == first_line


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("（2016年7月28日）", "2016-07-28"),
        ("——二〇二六年一月二十七日在甘肃省", "2026-01-27"),
        ("一九五六年十二月三十一日", "1956-12-31"),
        ("2026年13月1日", ""),
        ("今年以来", ""),
    ],
)
def test_parse_date(text: str, date: str) -> None:
    assert parse_date(text) == date
