"""Stage 2, clean: real page furniture from the corpus is dropped, header lines become metadata."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.clean import clean, is_caption, squeeze_spaces

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
    ],
)
def test_header_lines_become_metadata_not_prose(case: str, raw: str, header: dict) -> None:
    cleaned = clean(raw)
    assert cleaned.header == header
    for key in header:
        assert key not in cleaned.text
    assert "|" not in cleaned.text


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
