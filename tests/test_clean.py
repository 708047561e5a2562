"""Stage 2, clean: real page furniture from the corpus is dropped, header lines become metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.clean import clean, is_caption, is_clutter, squeeze_spaces
from indexer.ingest import ingest_bytes

SHANGHAI_HEAD = (
    "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年上海市政府工作报告\n"
    "——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n来源：解放日报\n"
    "时间：2026-02-09\n上海市市长 龚 正\n各位代表：\n"
)
NINGXIA_HEAD = (
    "当前位置：\n首页\n>\n政务信息\n>\n宁夏要闻\n2026年宁夏回族自治区政府工作报告\n发表时间：\n"
    "2026-02-09 09:45:30\n来源：\n宁夏日报客户端\n阅读量：\n"
    "【字体：\n小\n中\n大\n】\n政府工作报告\n"
)
JIANGGAN = (
    "您的位置:首页\n> 走进江干 > 前景目标\n前景目标\n\n\n"
    "2020年是全面建成小康社会和“十三五”规划收官之年。"
)


@pytest.mark.parametrize(
    ("case", "raw", "expected"),
    [
        (
            "tool bar, source and time lines (provinces-2026)",
            SHANGHAI_HEAD,
            "2026年上海市政府工作报告\n——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n"
            "上海市市长龚正\n各位代表：",
        ),
        (
            "breadcrumb over several lines (宁夏)",
            NINGXIA_HEAD,
            "2026年宁夏回族自治区政府工作报告\n政府工作报告",
        ),
        ("breadcrumb and repeated page title (hangzhou/004)", JIANGGAN, JIANGGAN.split("\n")[-1]),
        (
            "Produced By footer (hangzhou/004)",
            "各位代表！新的一年，我们要集中力量办好十件民生实事项目。\n\n\n\n"
            "Produced By 大汉网络 大汉版通发布系统",
            "各位代表！新的一年，我们要集中力量办好十件民生实事项目。",
        ),
        (
            "dangling 相关报道 (provinces-2026)",
            "各位代表！\n" * 3 + "蓝图已经绘就，实干创造未来。\n相关报道：",
            "各位代表！\n" * 3 + "蓝图已经绘就，实干创造未来。",
        ),
        (
            "footnote marker broken over lines (national/cpc_congress_03)",
            "現在我代表中央委員會作關於上屆代表會議\n[\n1\n]\n以來的工作報告。",
            "現在我代表中央委員會作關於上屆代表會議\n\n以來的工作報告。",
        ),
        (
            "zero-width characters (national/2015)",
            "各位代表：\u200d\n\u200b国内生产总值达到74.4\n\u200b\n万亿元",
            "各位代表：\n国内生产总值达到74.4\n\n万亿元",
        ),
        (
            "full-width digits (national/1997)",
            "１９９６年是实施“九五”计划的第一年。",
            "1996年是实施“九五”计划的第一年。",
        ),
        (
            "photo caption with its credit line (hangzhou/001)",
            "加强和改善党的领导，营造团结干事的良好局面。\n\n2016年12月28日，中国共产党杭州市拱墅区第七次代表大会\n\n"
            "(区委宣传部 供图)\n\n民主党派、工商联发挥作用。",
            "加强和改善党的领导，营造团结干事的良好局面。\n\n民主党派、工商联发挥作用。",
        ),
        (
            "inline photo credit (provinces-2026/北京)",
            "北京市市长 殷勇\n殷勇同志作政府工作报告。本报记者 戴冰摄\n各位代表：",
            "北京市市长殷勇\n各位代表：",
        ),
    ],
)
def test_clean_removes_page_furniture(case: str, raw: str, expected: str) -> None:
    assert clean(raw).text == expected


def test_wikisource_notice_is_cut_off() -> None:
    raw = (
        "各位代表！信心凝聚力量，实干谱写华章。\n\n\n本作品是中华人民共和国的\n法律\n、\n法规\n，国家机关的决议"
        "……属于\n公有领域\n。\n注：中文维基文库社群认为，中华人民共和国公务演讲，\n不总是\n具有立法、"
        "行政、司法性质的文件。\n\n\nPublic domain\nPublic domain\nfalse\nfalse\n"
    )
    assert clean(raw).text == "各位代表！信心凝聚力量，实干谱写华章。"


@pytest.mark.parametrize(
    ("case", "raw", "header"),
    [
        (
            "web header line (hangzhou/000)",
            "\n发布时间:2018-01-23 09:15:28 来源:区电子政务办\n"
            "一年来，我们立足提质增效促进转型升级。",
            {"发布时间": "2018-01-23 09:15:28", "来源": "区电子政务办"},
        ),
        (
            "header table (hangzhou/003)",
            "索 引 号 | H001/2021-48336 | 成文日期 | 2021-07-07 |\n"
            "发布机构 | 区政府办 | 主题分类 | 政务综合类 |\n"
            "在迎接建党百年的历史性时刻，全区上下坚决贯彻落实。",
            {
                "索引号": "H001/2021-48336",
                "成文日期": "2021-07-07",
                "发布机构": "区政府办",
                "主题分类": "政务综合类",
            },
        ),
        (
            "values on the next line (宁夏)",
            NINGXIA_HEAD,
            {"发表时间": "2026-02-09 09:45:30", "来源": "宁夏日报客户端"},
        ),
        (
            "a bare time stamp (四川)",
            "2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n",
            {"时间": "2026年02月10日07时41分", "来源": "四川日报"},
        ),
        (
            "a crawler's header before the text it saved",
            "发文单位：固原市人民政府\n来源URL：http://www.nxgy.gov.cn/zwgk/2015.htm\n"
            "内容摘要：回顾2014年工作，部署2015年任务。\n正文：\n>> 首页 >> 政务公开\n"
            "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。",
            {
                "发文单位": "固原市人民政府",
                "来源URL": "http://www.nxgy.gov.cn/zwgk/2015.htm",
                "内容摘要": "回顾2014年工作，部署2015年任务。",
            },
        ),
    ],
)
def test_header_lines_become_metadata_not_prose(case: str, raw: str, header: dict) -> None:
    cleaned = clean(raw)
    assert cleaned.header == header
    for key in header:
        assert key not in cleaned.text
    assert "|" not in cleaned.text
    assert "正文" not in cleaned.text and ">>" not in cleaned.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "深入推进养老服务业综合改革试点 工作,加快培育养老服务市场",
            "深入推进养老服务业综合改革试点工作，加快培育养老服务市场",
        ),
        ("上海市市长 龚 正", "上海市市长龚正"),
        ("省长\u3000王予波", "省长王予波"),
        ("五年累计拆迁 4874 户,搬迁企业 429 家。", "五年累计拆迁4874户，搬迁企业429家。"),
        ("Produced By 大汉网络", "Produced By大汉网络"),
        ("以 World Bank 的标准", "以World Bank的标准"),
        ("(2016年7月28日)", "（2016年7月28日）"),
        ("增长1,000 亿元", "增长1,000亿元"),
        ("  上城区人民政府区长 \xa0陈瑾\xa0\xa0".replace("\xa0", " "), "上城区人民政府区长陈瑾"),
        ("——2 016 年 1 月 19 日在", "——2016年1月19日在"),  # a spaced-out year
        ("关于广州市 2 025 年预算执行情况和", "关于广州市2025年预算执行情况和"),
        ("第 3 2 1 项", "第3 2 1项"),  # no year: digits keep their spaces
    ],
)
def test_spaces_inside_chinese_text_are_removed(raw: str, expected: str) -> None:
    assert squeeze_spaces(raw) == expected


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("(区委宣传部 供图)", True),
        ("省长刘小涛代表省人民政府向大会作政府工作报告。本报记者 朱江 摄", True),
        ("政府工作报告。 贵州日报天眼新闻记者 李森 摄", True),
        ("图为运河中央公园。", True),
        ("省长赵刚作政府工作报告", True),
        ("会议决定批准周恩来总理所作的政府工作报告。", False),
        ("拍摄、摄影等文化产业加快发展。", False),
        ("各位代表：", False),
    ],
)
def test_photo_captions_are_recognised(line: str, caption: bool) -> None:
    assert is_caption(line) is caption


LINES = st.lists(
    st.sampled_from(
        [
            "下载",
            "各位代表：",
            "试点 工作",
            "一、总体要求",
            "",
            "发布时间:2018-01-23",
            "加快 发展。",
            "PM2.5 浓度",
            "相关报道：",
        ]
    ),
    max_size=30,
).map("\n".join)


@given(LINES)
def test_clean_is_idempotent(raw: str) -> None:
    once = clean(raw).text
    assert clean(once).text == once


# Synthetic portal pages: each clutter kind around a short real report.
REPORT = (
    "2021年某某县政府工作报告\n"
    "——2021年2月27日在某某县第十七届人民代表大会第五次会议上\n"
    "各位代表：\n"
    "现在，我代表县人民政府，向大会报告工作，请予审议。\n"
    "一、2020年工作回顾\n"
    "过去的一年，全县上下迎难而上，经济运行稳中向好。\n"
    "二、2021年工作安排\n"
    "今年要抓好以下工作，确保全年目标任务圆满完成。\n"
)
PROSE = [line for line in REPORT.split("\n") if line]


def _page(head: str = "", foot: str = "", body: str = REPORT) -> str:
    return head + "\n" + body + "\n" + foot


@pytest.mark.parametrize(
    ("case", "head", "foot"),
    [
        (
            "navigation and breadcrumb run",
            "首页 | 政务公开 | 政务服务 | 互动交流 | 走进某某\n"
            "当前位置：首页 > 政务公开 > 政府工作报告",
            "",
        ),
        (
            "breadcrumb with » and no label",
            "网站首页 » 信息公开 » 规划计划 » 政府工作报告",
            "",
        ),
        (
            "run-on header line (zhumadian/2003)",
            "中国政府网河南省人民政府繁简登录注册某某县人民政府无障碍阅读进入适老模式搜索热搜词："
            "科技创新房屋管理优化营商环境首页政务要闻政务公开政务服务政民互动首页>政务公开>政府信息公开>\n"
            "政府工作报告2021年政府工作报告发布时间：2021-03-0216:02信息来源：某某县政府办打印分享到：",
            "",
        ),
        (
            "sidebar listing other reports' titles",
            "",
            "相关文章\n2020年某某县政府工作报告\n2019年某某县政府工作报告\n2018年某某县政府工作报告\n"
            "关于印发某某县十四五规划纲要的通知",
        ),
        ("tag cloud", "", "标签：政府工作报告 民生 乡村振兴 营商环境"),
        ("share widget", "", "分享到：\n微信 微博 QQ空间\n【打印本页】【关闭窗口】"),
        ("counters", "阅读：1234 评论：5 点赞：12", "浏览次数：3821"),
        ("lone numbers and dates", "2021-03-02\n1234", "2021-03-02 16:02:11\n12"),
        (
            "ICP and 公网安备 footer",
            "",
            "主办单位：某某县人民政府办公室 承办单位：某某县大数据中心\n"
            "豫ICP备05012345号-1 豫公网安备 41170202000123号\n网站标识码：4117000001\n"
            "版权所有 © 2021 某某县人民政府",
        ),
        ("accessibility toolbar", "无障碍 | 适老模式 | 繁體 | English\n进入适老模式无障碍阅读", ""),
        ("previous and next", "", "上一篇：2020年某某县政府工作报告\n下一篇：某某县2021年预算报告"),
        ("source, author and editor fields", "来源：某某县政府办 作者：张三", "责任编辑：李四"),
        ("scan to open on a phone", "", "扫一扫在手机打开当前页【关闭当前页面】"),
        ("leaked CSS", "", ".footer {display: block !important;}"),
    ],
)
def test_portal_clutter_is_dropped_and_the_report_kept(case: str, head: str, foot: str) -> None:
    kept = [line for line in clean(_page(head, foot)).text.split("\n") if line]
    assert kept == PROSE


def test_clutter_glued_to_the_last_sentence_is_cut_off() -> None:
    raw = REPORT.rstrip("\n") + "扫一扫在手机打开当前页【关闭当前页面】\n"
    assert clean(raw).text.split("\n")[-1] == PROSE[-1]


@pytest.mark.parametrize(
    ("case", "raw", "expected"),
    [
        (
            "literal \\r\\n between paragraphs",
            "各位代表：\\r\\n现在，我报告工作。",
            "各位代表：\n现在，我报告工作。",
        ),
        ("literal \\n", "一、总体要求\\n坚持稳中求进。", "一、总体要求\n坚持稳中求进。"),
        (
            "&nbsp; and &ldquo;&rdquo;",
            "坚持&nbsp;&ldquo;两个毫不动摇&rdquo;。",
            "坚持“两个毫不动摇”。",
        ),
        ("numeric entities", "&#8220;十四五&#8221;开局。", "“十四五”开局。"),
        ("twice-escaped entity", "推进&amp;ldquo;放管服&amp;rdquo;改革。", "推进“放管服”改革。"),
        ("entity without semicolon", "全年&nbsp增长6%。", "全年增长6%。"),
        ("mojibake runs", "我们要????发展，推进\ufffd\ufffd改革。", "我们要发展，推进改革。"),
        ("mojibake of U+FFFD", "持续锟斤拷锟斤拷推进。", "持续推进。"),
        ("a lone ? stays a question mark", "怎么办?我们要迎难而上。", "怎么办？我们要迎难而上。"),
    ],
)
def test_escapes_entities_and_mojibake_never_reach_the_text(
    case: str, raw: str, expected: str
) -> None:
    assert clean(raw).text == expected


def test_a_page_holding_the_report_twice_keeps_one_copy() -> None:
    from indexer.split import split_reports

    page = _page("首页 > 政务公开", "", REPORT + "\n" + REPORT)
    reports = split_reports(clean(page).text)
    assert len(reports) == 1
    assert reports[0].body.count("过去的一年") == 1


def test_a_quoted_line_repeated_in_a_report_is_kept() -> None:
    slogan = "要搞马克思主义，不要搞修正主义；要团结，不要分裂；要光明正大，不要搞阴谋诡计"
    filler = "".join(f"第{n}项，我们要坚定信心，攻坚克难，奋力开创新局面。\n\n" for n in range(20))
    raw = f"{filler}他们反对“\n{slogan}\n”的基本原则。\n\n毛主席提出了“\n{slogan}\n”三项基本原则。"
    assert clean(raw).text.count(slogan) == 2


@pytest.mark.parametrize(
    "raw",
    [
        "来源：新华社 2021年政府工作报告 各位代表：现在，我代表国务院，向大会报告政府工作。"
        "过去一年，我国经济稳定恢复。",
        "来源：人民日报各位代表：现在，我代表国务院，向大会报告政府工作。"
        "过去一年，我国经济稳定恢复。",
    ],
)
def test_a_file_whose_only_line_begins_with_a_source_keeps_its_report(raw: str) -> None:
    cleaned = clean(raw)
    assert "我代表国务院，向大会报告政府工作。过去一年，我国经济稳定恢复。" in cleaned.text
    assert cleaned.header["来源"] in ("新华社", "人民日报")


@pytest.mark.parametrize(
    "line",
    [
        "一、2010年工作回顾",
        "（三）坚持稳中求进",
        "政府工作报告",
        "各位代表：",
        "同志们！",
        "——",
        "》",
        "告",
        "习近平",
        "中小企业发展",
        "2026年上海市政府工作报告",
        "主要预期目标：地区生产总值增长6%左右，城镇新增就业5万人。",
        "我们要提高服务质量，打开发展新局面，推进数据发布和政务公开。",
    ],
)
def test_real_prose_and_headings_are_not_clutter(line: str) -> None:
    assert not is_clutter(line)


def test_a_broken_sentence_of_short_lines_survives() -> None:
    raw = "推动发展。\n党的十八届六中全会\n正式明确\n习近平\n总书记的核心地位，很重要。"
    assert clean(raw).text == raw


def test_run_on_title_block_is_split() -> None:
    raw = (
        "政府工作报告——2025年2月21日在某某市第五届人民代表大会第三次会议上某某市人民政府市长张三\n\n"
        "各位代表：现在，我代表市人民政府，向大会报告工作。"
    )
    assert clean(raw).text.split("\n")[:3] == [
        "政府工作报告",
        "——2025年2月21日在某某市第五届人民代表大会第三次会议上",
        "某某市人民政府市长张三",
    ]


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "portal_page.txt",
            ("顺平县", 2021, "2021-02-27", "政府工作报告", "2021年顺平县政府工作报告", "王某某", 8),
        ),
        (
            "portal_page.html",
            ("邢台市", 2022, "2022-01-10", "政府工作报告", "2022年邢台市政府工作报告", "", 6),
        ),
    ],
)
def test_a_whole_portal_page_gives_its_report_alone(name: str, expected: tuple) -> None:
    """Tool bars, menus, breadcrumb, stamps, counters, share buttons, neighbours, related
    reports, tags and footers around one report: only the report's paragraphs remain."""
    (report,) = ingest_bytes((DATA / name).read_bytes(), name)
    got = (report.district, report.year, report.date, report.type, report.title)
    assert got + (report.speaker, len(report.paragraphs)) == expected
    assert report.paragraphs[0].text == "各位代表："
    assert report.paragraphs[-1].text.endswith(("奋勇前进！", "合理区间。"))
    page_words = (
        r"分享|上一篇|下一篇|相关|标签|ICP|公网安备|版权|阅读|浏览|首页|无障碍|适老|主办|\d{4}-\d\d"
    )
    assert not [p.text for p in report.paragraphs if re.search(page_words, p.text)]


HAN_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=4)


@given(st.lists(HAN_TEXT, min_size=1, max_size=6))
def test_a_sentence_of_prose_is_never_clutter(clauses: list[str]) -> None:
    sentence = "，".join(clauses) + "。"
    assert not is_clutter(sentence)
    assert clean(f"各位代表：\n{sentence}").text == f"各位代表：\n{sentence}"


def test_a_cover_page_title_block_is_kept() -> None:
    raw = "政府工作报告\n某某县人民政府\n二〇二一年二月\n各位代表：\n现在，我报告工作。"
    assert clean(raw).text == raw


def test_a_menu_above_the_title_goes_and_the_title_stays() -> None:
    menu = "政务公开\n政务服务\n互动交流\n数据开放\n"
    raw = menu + "2021年某某县政府工作报告\n各位代表：\n现在，我报告工作。"
    assert clean(raw).text == "2021年某某县政府工作报告\n各位代表：\n现在，我报告工作。"


@pytest.mark.parametrize(
    ("line", "printer"),
    [
        ("天津市十八届人大四次会议秘书处 2026年1月28日印", True),
        ("承德市十五届人大七次会议秘书处2026年2月5日印", True),
        ("市人大常委会办公室 2026年1月10日印 共印700份", True),
        ("共印700份", True),
        ("会议于2026年1月28日印发了决议。", False),  # a sentence
        ("全年印发文件20份，比上年减少。", False),
    ],
)
def test_a_printers_line_is_not_text(line: str, printer: bool) -> None:
    assert is_clutter(line) is printer
