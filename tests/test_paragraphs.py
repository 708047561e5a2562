"""Stage 4, paragraphs: broken paragraphs repaired, headings found, sections assigned."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.paragraphs import heading_level, parse_paragraphs


def texts(body: str) -> list[str]:
    return [p.text for p in parse_paragraphs(body)]


@pytest.mark.parametrize(
    ("case", "body", "expected"),
    [
        (
            "page break mid-word (hangzhou/001)",
            "在全市率先召开专题党课，荣获“全\n\n国先进基层党组织”称号。",
            ["在全市率先召开专题党课，荣获“全国先进基层党组织”称号。"],
        ),
        (
            "page break between sentences of one paragraph (hangzhou/001)",
            "习近平同志高度重视补短板工作。党\n\n的十八大以来，习近平总书记作出了一系列新论述。",
            ["习近平同志高度重视补短板工作。党的十八大以来，习近平总书记作出了一系列新论述。"],
        ),
        (
            "PDF line wrapped after a closing quote (official/guangzhou)",
            "全市财政部门迎难而上。突出“稳运行”\n\n，促进财政收支平稳向好。深化“放管服”\n\n改革，优化营商环境。",
            [
                "全市财政部门迎难而上。突出“稳运行”，促进财政收支平稳向好。深化“放管服”改革，优化营商环境。"
            ],
        ),
        (
            "a quotation ending in a full stop ends its paragraph",
            "总书记强调：“要坚持稳中求进。”\n\n过去一年，经济运行稳中有进。",
            ["总书记强调：“要坚持稳中求进。”", "过去一年，经济运行稳中有进。"],
        ),
        (
            "a numbered item wrapped after its first line (official/guangzhou)",
            "（3）财政事务预算减少48,926万元。\n\n（4）税收事务预算增长13,598万元，主要是税务系统人员类\n\n"
            "支出自然增长，以及安排税源培植工作经费等项目。\n\n（5）一般公共服务。",
            [
                "（3）财政事务预算减少48,926万元。",
                "（4）税收事务预算增长13,598万元，主要是税务系统人员类支出自然增长，以及安排税源培植工作经费等项目。",
                "（5）一般公共服务。",
            ],
        ),
        (
            "paragraphs one per line (provinces-2026)",
            "各位代表：\n现在，我代表省人民政府，向大会报告工作。\n一、2025年工作回顾\n过去一年，经济运行稳中有进。",
            [
                "各位代表：",
                "现在，我代表省人民政府，向大会报告工作。",
                "一、2025年工作回顾",
                "过去一年，经济运行稳中有进。",
            ],
        ),
        (
            "link text wrapped onto its own lines (national/2017)",
            "一、2016年工作回顾\n\n\n过去一年，我国发展面临严峻挑战。\n党的十八届六中全会\n正式明确\n习近平\n"
            "总书记的核心地位，全年目标任务圆满完成，“\n十三五\n”实现了良好开局。\n\n"
            "——经济运行缓中趋稳、稳中向好。\n\n——就业增长超出预期。",
            [
                "一、2016年工作回顾",
                "过去一年，我国发展面临严峻挑战。党的十八届六中全会正式明确习近平总书记的核心地位，"
                "全年目标任务圆满完成，“十三五”实现了良好开局。",
                "——经济运行缓中趋稳、稳中向好。",
                "——就业增长超出预期。",
            ],
        ),
        (
            "no newlines, ideographic-space indents (national)",
            "\u3000\u3000一九五八年以来，我国各族人民大大发扬了积极性。\u3000\u3000会议决定批准周恩来总理所作的政府工作报告。",
            [
                "一九五八年以来，我国各族人民大大发扬了积极性。",
                "会议决定批准周恩来总理所作的政府工作报告。",
            ],
        ),
        (
            "photo caption between paragraphs",
            "推进文化繁荣。\n省长刘小涛代表省人民政府向大会作政府工作报告。本报记者 朱江 摄\n"
            "加快建设文化强省。",
            ["推进文化繁荣。", "加快建设文化强省。"],
        ),
        (
            "a line starting with closing punctuation continues",
            "实现了“十三五”\n”良好开局。\n，下一步。",
            ["实现了“十三五””良好开局。，下一步。"],
        ),
    ],
)
def test_paragraph_repair(case: str, body: str, expected: list[str]) -> None:
    assert texts(body) == expected


def test_sections_follow_the_heading_path() -> None:
    body = (
        "各位代表：\n一、2014年工作回顾\n一年来，我们主要做了以下五方面工作：\n（一）以改革创新为动力推动持续发展\n"
        "重点改革取得突破。\n1.建设保障性住房22万平方米。\n（二）以高端集聚为引领加快转型升级\n智慧经济提质发展。\n"
        "二、2015年重点工作\n名词解释\n“两重”：是指国家重大战略实施。"
    )
    got = [(p.n, p.heading, p.section, p.text) for p in parse_paragraphs(body)]
    top, sub1, sub2 = (
        "一、2014年工作回顾",
        "（一）以改革创新为动力推动持续发展",
        "（二）以高端集聚为引领加快转型升级",
    )
    assert got == [
        (1, False, "", "各位代表："),
        (2, True, top, top),
        (3, False, top, "一年来，我们主要做了以下五方面工作："),
        (4, True, f"{top} > {sub1}", sub1),
        (5, False, f"{top} > {sub1}", "重点改革取得突破。"),
        (6, False, f"{top} > {sub1}", "1.建设保障性住房22万平方米。"),
        (7, True, f"{top} > {sub2}", sub2),
        (8, False, f"{top} > {sub2}", "智慧经济提质发展。"),
        (9, True, "二、2015年重点工作", "二、2015年重点工作"),
        (10, True, "二、2015年重点工作 > 名词解释", "名词解释"),
        (11, False, "二、2015年重点工作 > 名词解释", "“两重”：是指国家重大战略实施。"),
    ]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、上半年主要工作", 1),
        ("一", 1),
        ("十二", 1),
        ("十三五", 0),
        ("（一）以改革创新为动力推动持续发展", 2),
        ("(三)五年来,我们着力改善社会民生", 2),
        ("1. 坚持实干至上、行动至上", 3),
        ("3、强化创新发展新动力。", 3),
        ("3.5亿元", 0),
        ("各位代表：", 0),
    ],
)
def test_heading_levels(line: str, level: int) -> None:
    assert heading_level(line) == level


# Text made of prose characters, punctuation, digits, numbering and all kinds of breaks.
ALPHABET = "国家发展改革一二三十年月日，。、；：！？“”（）12345.、abc \n\n\n\u3000"
BODIES = st.text(alphabet=ALPHABET, max_size=300)


def _visible(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(BODIES)
def test_no_prose_lost_or_invented(body: str) -> None:
    paragraphs = parse_paragraphs(body)
    assert _visible("".join(p.text for p in paragraphs)) == _visible(body)


@given(BODIES)
def test_paragraphs_are_numbered_from_one(body: str) -> None:
    paragraphs = parse_paragraphs(body)
    assert [p.n for p in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert all(p.text and p.text == p.text.strip() for p in paragraphs)


@given(BODIES)
def test_a_paragraph_is_a_fixed_point(body: str) -> None:
    for p in parse_paragraphs(body):
        assert texts(p.text) == [p.text]


@pytest.mark.parametrize(
    ("case", "text", "expected"),
    [
        (
            "numbered sections run into one line (zhumadian/2025)",
            "重点做好以下工作：（一）聚焦产业升级，加快发展。推动制造业提质。"
            "（二）聚焦外引内培，筑牢项目支撑。开展大员招商。（三）聚焦创新驱动。支持链主企业。",
            [
                "重点做好以下工作：（一）聚焦产业升级，加快发展。推动制造业提质。",
                "（二）聚焦外引内培，筑牢项目支撑。开展大员招商。",
                "（三）聚焦创新驱动。支持链主企业。",
            ],
        ),
        (
            "a top-level section after a full stop",
            "圆满完成全年目标任务。二、2024年重点工作围绕今年目标，重点抓好以下工作。",
            ["圆满完成全年目标任务。", "二、2024年重点工作围绕今年目标，重点抓好以下工作。"],
        ),
        (
            "an enumeration is no section (provinces-2026/广西)",
            "全区地区生产总值增长5.1%。一、二、三产业增加值分别增长4.2%、5%、5.4%。",
            ["全区地区生产总值增长5.1%。一、二、三产业增加值分别增长4.2%、5%、5.4%。"],
        ),
        (
            "numbering inside a sentence stays",
            "主要有：（一）稳增长；（二）促改革。",
            ["主要有：（一）稳增长；（二）促改革。"],
        ),
        (
            "paragraphs indented by ideographic spaces",
            "一年来，经济平稳运行。\u3000\u3000今年要稳中求进。",
            ["一年来，经济平稳运行。", "今年要稳中求进。"],
        ),
    ],
)
def test_long_lines_split_where_paragraphs_are_evident(
    case: str, text: str, expected: list[str]
) -> None:
    assert texts(text) == expected
