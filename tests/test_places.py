"""Places: the gazetteer, names found in text, and the issuing place of a report."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.ingest import ingest, ingest_bytes
from indexer.metadata import infer, level_of, place_of
from indexer.places import gazetteer
from indexer.split import RawReport

# A neutral paragraph: a report's opening needs some prose to be read as a report at all.
PROSE = (
    "过去一年，面对复杂严峻的发展形势，我们坚持稳中求进工作总基调，统筹推进稳增长、促改革、"
    "调结构、惠民生、防风险各项工作，经济社会发展主要目标任务圆满完成，人民群众获得感、"
    "幸福感、安全感不断增强。"
)


def opening(*lines: str) -> str:
    """Title block lines, then the salutation and first paragraph, as a report file starts."""
    return "\n".join(lines) + f"\n\n{PROSE}\n{PROSE}\n"


def at(date: str, where: str, congress: str, session: str, word: str, *more: str) -> str:
    """A work report's title block: the meeting line, then 我代表…人民政府 and more lines."""
    line = f"——{date}在{where}第{congress}届人民代表大会第{session}次会议上"
    return opening("政府工作报告", line, gov(word), *more)


def gov(level_word: str) -> str:
    return f"各位代表：\n现在，我代表{level_word}人民政府，向大会报告工作，请予审议。"


def place(text: str, filename: str = "report.txt") -> tuple[str, str, str, str]:
    report = ingest_bytes(text.encode("utf-8"), filename)[0]
    return (report.district, report.level, report.province, report.city)


HEBEI_BD = ("河北省", "保定市")
DISAGREE = "——2019年1月9日在易县第十七届人民代表大会第三次会议上"  # under a 唐县 title
CASES = [
    # --- counties and districts named on the meeting line (all three title-block shapes)
    ("徐水县 in 2010, before it became a district",
     opening("政府工作报告", "——2010年2月4日在徐水县第十四届人民代表大会第四次会议上",
             "徐水县人民政府县长  王建国", gov("县")),
     ("徐水县", "district", *HEBEI_BD)),
    ("徐水区 in 2018",
     at("2018年1月10日", "保定市徐水区", "一", "三", "区"),
     ("徐水区", "district", *HEBEI_BD)),
    ("清苑县 in 2012, a bracketed meeting line",
     opening("政府工作报告", "（2012年2月20日在清苑县第十五届人民代表大会第一次会议上）",
             gov("县")),
     ("清苑县", "district", *HEBEI_BD)),
    ("清苑区 in 2019", at("2019年1月15日", "清苑区", "一", "四", "区"),
     ("清苑区", "district", *HEBEI_BD)),
    ("唐县 is not 唐山市",
     at("2019年1月9日", "唐县", "十七", "三", "县", "融入唐山、保定发展大局。"),
     ("唐县", "district", *HEBEI_BD)),
    ("高唐县 is not 唐县", at("2020年1月6日", "高唐县", "十八", "五", "县"),
     ("高唐县", "district", "山东省", "聊城市")),
    ("易县", at("2016年1月12日", "易县", "十六", "五", "县"),
     ("易县", "district", *HEBEI_BD)),
    ("米易县 is not 易县", at("2017年1月5日", "米易县", "十七", "一", "县"),
     ("米易县", "district", "四川省", "攀枝花市")),
    ("江干区 in 2020, a year before it merged",
     at("2020年1月8日", "杭州市江干区", "十六", "五", "区"),
     ("江干区", "district", "浙江省", "杭州市")),
    ("钱塘区, new in 2021", at("2022年1月6日", "钱塘区", "一", "二", "区"),
     ("钱塘区", "district", "浙江省", "杭州市")),
    ("双流区 (a county until 2015)",
     at("2019年1月8日", "成都市双流区", "十八", "四", "区"),
     ("双流区", "district", "四川省", "成都市")),
    ("平遥县", at("2018年1月16日", "平遥县", "十六", "二", "县"),
     ("平遥县", "district", "山西省", "晋中市")),
    ("阳朔县", at("2019年1月10日", "阳朔县", "十六", "四", "县"),
     ("阳朔县", "district", "广西壮族自治区", "桂林市")),
    ("肥西县", at("2018年1月9日", "肥西县", "十七", "二", "县"),
     ("肥西县", "district", "安徽省", "合肥市")),
    ("长白朝鲜族自治县", at("2019年1月14日", "长白朝鲜族自治县", "十七", "三", "县"),
     ("长白朝鲜族自治县", "district", "吉林省", "白山市")),
    ("准格尔旗", at("2020年1月7日", "准格尔旗", "十七", "五", "旗"),
     ("准格尔旗", "district", "内蒙古自治区", "鄂尔多斯市")),
    ("长安区 of 西安", at("2021年1月12日", "西安市长安区", "十八", "五", "区"),
     ("长安区", "district", "陕西省", "西安市")),
    ("南山区 of 深圳", at("2021年1月19日", "深圳市南山区", "七", "七", "区"),
     ("南山区", "district", "广东省", "深圳市")),
    # --- districts of municipalities: province and no city
    ("朝阳区 of 北京", at("2020年1月7日", "北京市朝阳区", "十六", "五", "区"),
     ("朝阳区", "district", "北京市", "")),
    ("浦东新区", at("2019年1月15日", "上海市浦东新区", "六", "六", "区"),
     ("浦东新区", "district", "上海市", "")),
    ("万州区", at("2018年1月8日", "重庆市万州区", "四", "三", "区"),
     ("万州区", "district", "重庆市", "")),
    ("滨海新区", at("2020年1月9日", "天津市滨海新区", "二", "五", "区"),
     ("滨海新区", "district", "天津市", "")),
    # --- county-level cities: level district, under their prefecture or straight under the province
    ("安国市", at("2021年1月18日", "安国市", "十六", "五", "市"),
     ("安国市", "district", *HEBEI_BD)),
    ("义乌市", at("2022年1月5日", "义乌市", "十七", "一", "市"),
     ("义乌市", "district", "浙江省", "金华市")),
    ("昆山市 from 我代表 alone",
     opening("政府工作报告", "各位代表：",
             "现在，我代表昆山市人民政府，向大会报告工作，请予审议。"),
     ("昆山市", "district", "江苏省", "苏州市")),
    ("浏阳市", at("2022年1月10日", "浏阳市", "十七", "一", "市"),
     ("浏阳市", "district", "湖南省", "长沙市")),
    ("晋江市", at("2020年1月8日", "晋江市", "十七", "五", "市"),
     ("晋江市", "district", "福建省", "泉州市")),
    ("瑞金市", at("2021年1月6日", "瑞金市", "十七", "五", "市"),
     ("瑞金市", "district", "江西省", "赣州市")),
    ("瓦房店市", at("2017年1月9日", "瓦房店市", "十七", "一", "市"),
     ("瓦房店市", "district", "辽宁省", "大连市")),
    ("大理市 under its autonomous prefecture",
     at("2021年1月10日", "大理市", "十四", "五", "市"),
     ("大理市", "district", "云南省", "大理白族自治州")),
    ("济源市, under the province", at("2023年1月9日", "济源市", "十一", "三", "市"),
     ("济源市", "district", "河南省", "")),
    ("仙桃市, under the province", at("2020年1月8日", "仙桃市", "九", "五", "市"),
     ("仙桃市", "district", "湖北省", "")),
    ("神农架林区", at("2021年1月6日", "神农架林区", "九", "五", "区"),
     ("神农架林区", "district", "湖北省", "")),
    # --- prefecture-level cities: their own name as city
    ("苏州市", at("2021年1月20日", "苏州市", "十六", "五", "市"),
     ("苏州市", "city", "江苏省", "苏州市")),
    ("长沙市", at("2019年1月16日", "长沙市", "十五", "三", "市"),
     ("长沙市", "city", "湖南省", "长沙市")),
    ("唐山市 is not 唐县", at("2020年1月12日", "唐山市", "十五", "五", "市"),
     ("唐山市", "city", "河北省", "唐山市")),
    ("兰州市", at("2021年1月26日", "兰州市", "十六", "七", "市"),
     ("兰州市", "city", "甘肃省", "兰州市")),
    ("合肥市", at("2023年1月5日", "合肥市", "十七", "一", "市"),
     ("合肥市", "city", "安徽省", "合肥市")),
    ("太原市", at("2020年1月6日", "太原市", "十四", "五", "市"),
     ("太原市", "city", "山西省", "太原市")),
    ("哈尔滨市", at("2016年1月12日", "哈尔滨市", "十四", "五", "市"),
     ("哈尔滨市", "city", "黑龙江省", "哈尔滨市")),
    ("银川市", at("2021年1月13日", "银川市", "十六", "五", "市"),
     ("银川市", "city", "宁夏回族自治区", "银川市")),
    ("拉萨市", at("2022年1月6日", "拉萨市", "十二", "一", "市"),
     ("拉萨市", "city", "西藏自治区", "拉萨市")),
    ("西宁市", at("2020年1月8日", "西宁市", "十六", "五", "市"),
     ("西宁市", "city", "青海省", "西宁市")),
    ("儋州市, prefecture-level since 2015",
     at("2020年1月9日", "儋州市", "十二", "五", "市"),
     ("儋州市", "city", "海南省", "儋州市")),
    ("东莞市, a prefecture without counties",
     at("2022年1月5日", "东莞市", "十六", "一", "市"),
     ("东莞市", "city", "广东省", "东莞市")),
    ("黔东南苗族侗族自治州",
     at("2020年1月8日", "黔东南苗族侗族自治州", "十四", "五", "州"),
     ("黔东南苗族侗族自治州", "city", "贵州省", "黔东南苗族侗族自治州")),
    ("title names the city", opening("2017年大连市政府工作报告", gov("市")),
     ("大连市", "city", "辽宁省", "大连市")),
    ("speaker line names the city",
     opening("政府工作报告", "桂林市人民政府市长  秦春成", gov("市")),
     ("桂林市", "city", "广西壮族自治区", "桂林市")),
    ("speaker line names the county",
     opening("政府工作报告", "平遥县人民政府县长  张三", gov("县")),
     ("平遥县", "district", "山西省", "晋中市")),
    # --- provinces, autonomous regions, municipalities
    ("河北省", at("2024年1月22日", "河北省", "十四", "二", "省"),
     ("河北省", "province", "河北省", "")),
    ("广东省, 省长 on the meeting line",
     opening("政府工作报告",
             "——2023年1月12日在广东省第十四届人民代表大会第一次会议上 广东省省长 王伟中",
             gov("省")),
     ("广东省", "province", "广东省", "")),
    ("内蒙古自治区, 主席", at("2022年1月20日", "内蒙古自治区", "十三", "五", "自治区"),
     ("内蒙古自治区", "province", "内蒙古自治区", "")),
    ("新疆 in the title", opening("2021年新疆维吾尔自治区政府工作报告", gov("自治区")),
     ("新疆维吾尔自治区", "province", "新疆维吾尔自治区", "")),
    ("北京市", at("2025年1月14日", "北京市", "十六", "三", "市"),
     ("北京市", "province", "北京市", "")),
    ("party congress of a province",
     opening("在中国共产党江西省第十五次代表大会上的报告", "（2021年11月24日）",
             "同志们：\n现在，我代表中国共产党江西省第十四届委员会向大会作报告。"),
     ("江西省", "province", "江西省", "")),
    # --- texts that name only their level: the unit of that level the body names most
    ("县 government; the body names 涉县",
     at("2021年1月8日", "县", "十七", "五", "县",
             "涉县旅游兴旺，涉县人民奋力拼搏，对接邯郸市和北京市、天津市、北京市的发展。"),
     ("涉县", "district", "河北省", "邯郸市")),
    ("县十六届人大; 唐县 named over 唐山",
     opening("政府工作报告", "——2019年1月9日在县十六届人大四次会议上", gov("县"),
             "唐县是革命老区。唐县人民对接唐山港。"),
     ("唐县", "district", *HEBEI_BD)),
    ("市 government of a prefecture; 绵阳 in the body",
     opening("政府工作报告", gov("市"),
             "在四川省委、省政府坚强领导下，绵阳科技城建设提速，绵阳经济总量跃上新台阶。"),
     ("绵阳市", "city", "四川省", "绵阳市")),
    ("市 government of a county-level city; 义乌 over 金华",
     opening("政府工作报告", gov("市"),
             "义乌小商品城繁荣，义乌人民勤劳，融入金华市、金华都市区，义乌港建设。"),
     ("义乌市", "district", "浙江省", "金华市")),
    ("区 government under a municipality; 海淀 over 北京",
     opening("政府工作报告", gov("区"),
             "海淀创新高地，北京市科技中心，北京市、北京市发展，海淀区、海淀区人民。"),
     ("海淀区", "district", "北京市", "")),
    ("徐水 short form, a 县 in 2012",
     at("2012年1月10日", "县", "十五", "一", "县",
             "在保定市委、市政府的正确领导下，徐水经济稳步发展，徐水人民团结一心。"),
     ("徐水县", "district", *HEBEI_BD)),
    ("徐水 short form, a 区 in 2018",
     at("2018年1月10日", "区", "一", "三", "区",
             "在保定市委、市政府的正确领导下，徐水经济稳步发展，徐水人民团结一心。"),
     ("徐水区", "district", *HEBEI_BD)),
    ("自治区 government; 广西 in the body",
     opening("政府工作报告", gov("自治区"), "广西经济稳步发展，广西人民团结奋斗，全区各族人民。"),
     ("广西壮族自治区", "province", "广西壮族自治区", "")),
    ("meeting line names the level, the speaker line the county",
     opening("政府工作报告", "——2021年1月8日在县第十七届人民代表大会第五次会议上",
             "涉县人民政府县长  李四", gov("县")),
     ("涉县", "district", "河北省", "邯郸市")),
    ("区人大、政协: a district government with no other word of its level",
     opening("工作总结", "一年来，在区人大、政协的监督支持下，海淀经济稳步发展，海淀区创新活跃。"),
     ("海淀区", "district", "北京市", "")),
    ("a city's budget report naming its districts and 全区 (the region) stays the city's",
     opening("各位代表：", "受市人民政府委托，向大会报告固原市2025年预算执行情况。",
             "全区经济稳中向好，原州区、西吉县财政收入增长。原州区重点项目建设加快。" * 3,
             "固原市一般公共预算收入增长。"),
     ("固原市", "city", "宁夏回族自治区", "固原市")),
    # --- a unit whose province or city the text never names, named in passing (a partner
    # county, a site) in a report whose own places lie in another province, is not its issuer
    ("a 县 government naming its 新疆 partner county twice and its own 杭州, 浙江",
     opening("政府工作报告", "——2021年1月12日在县第十七届人民代表大会第五次会议上", gov("县"),
             "在杭州市委、市政府的坚强领导下，全县经济稳中向好。",
             "深化东西部协作，对口支援阿瓦提县，阿瓦提县产业园建成投用。",
             "融入杭州都市圈，接轨浙江省大湾区建设。"),
     ("", "", "", "")),
    ("a 市 budget report naming a partner city of another province twice",
     opening("各位代表：", "受市人民政府委托，向大会报告全市2025年预算执行情况，请予审议。",
             "在河北省委、省政府的坚强领导下，全市财政运行平稳，落实河北省财政支持政策。",
             "与对口协作的义乌市共建产业园，义乌市客商投资增长。"),
     ("", "", "", "")),
    ("a county naming itself twice, its city, and its partner county once",
     opening("政府工作报告", gov("县"),
             "在保定市委、市政府领导下，涞源县经济稳步发展，涞源县人民团结奋斗。",
             "对口帮扶的阿瓦提县来涞源考察。"),
     ("涞源县", "district", *HEBEI_BD)),
    ("a city naming itself twice and never its province stays its own",
     opening("政府工作报告", gov("市"), "驻马店经济稳步发展。",
             "驻马店人民团结奋斗，与郑州、武汉客商合作。"),
     ("驻马店市", "city", "河南省", "驻马店市")),
    # --- national
    ("State Council",
     opening("政府工作报告", "各位代表：", "现在，我代表国务院，向大会报告政府工作。"),
     ("全国", "national", "", "")),
    ("CPC Central Committee, 中华人民共和国 is not 共和县",
     opening("同志们：", "现在，我代表第十七届中央委员会向大会作报告。中华人民共和国成立以来。"),
     ("全国", "national", "", "")),
    # --- left empty: nothing fits, or the evidence disagrees
    ("县 government naming only big cities (京津冀) stays empty",
     opening("政府工作报告", gov("县"),
             "主动融入京津冀协同发展，对接北京市、天津市，北京市、天津市、石家庄市。"),
     ("", "", "", "")),
    ("title and meeting line disagree",
     opening("2019年唐县政府工作报告", DISAGREE, gov("县")),
     ("", "", "", "")),
    ("city named but a 县 government speaks, no county named",
     opening("2018年保定市政府工作报告", gov("县")),
     ("", "", "", "")),
    ("a bare 县 is never a place", at("2020年1月5日", "县", "十六", "五", "县"),
     ("", "", "", "")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_issuing_place_of_an_opening(case: str, text: str, expected: tuple) -> None:
    assert place(text) == expected


def test_the_table_covers_what_it_claims() -> None:
    provinces = {e[2] for *_, e in CASES if e[2]}
    levels = {e[1] for *_, e in CASES}
    assert len(CASES) >= 60 and len(provinces) >= 15
    assert {"province", "city", "district", ""} <= levels


def test_file_name_and_crawler_header_are_evidence_when_the_text_names_no_place() -> None:
    text = opening("标题：2019年肥西县政府工作报告", gov("县"))
    assert place(text) == ("肥西县", "district", "安徽省", "合肥市")
    assert place(opening("政府工作报告", gov("县")), "2020_阳朔县_政府工作报告.txt") == (
        "阳朔县",
        "district",
        "广西壮族自治区",
        "桂林市",
    )


def test_an_empty_place_says_why() -> None:
    text = opening("2019年唐县政府工作报告", DISAGREE, gov("县"))
    report = ingest_bytes(text.encode(), "x.txt")[0]
    assert "唐县" in report.why_empty["district"] and "易县" in report.why_empty["district"]
    meta = infer(RawReport(""), "我们要坚定信心，攻坚克难。")
    assert dict(meta.notes)["district"] == "no place named"


# --- the gazetteer ---------------------------------------------------------------------------


def test_gazetteer_holds_every_level_with_its_history() -> None:
    gaz = gazetteer()
    current = [u for u in gaz.units if u.last is None]
    by_level = {lv: sum(u.level == lv for u in current) for lv in ("province", "city", "district")}
    assert 34 == by_level["province"] and 330 <= by_level["city"] <= 340
    assert 2800 <= by_level["district"] <= 2900
    assert gaz.named("江干区", 2021).last == 2021 and gaz.named("江干区", 2022) is not None
    assert gaz.named("徐水县", 2010).code != gaz.named("徐水区", 2018).code
    assert gaz.named("清苑县", 2010) and gaz.named("清苑区", 2016)


@pytest.mark.parametrize(
    ("text", "year", "found"),
    [
        ("河北省保定市唐县", 2010, ["河北省", "保定市", "唐县"]),
        ("山东省聊城市高唐县", None, ["山东省", "聊城市", "高唐县"]),
        ("四川省攀枝花市米易县", None, ["四川省", "攀枝花市", "米易县"]),
        ("驻马店", 2010, ["驻马店市"]),
        ("徐水", 2010, ["徐水县"]),
        ("徐水", 2018, ["徐水区"]),
        ("北京市朝阳区", None, ["北京市", "朝阳区"]),
        ("京津冀协同发展", None, []),
        ("中心城区建设，解放思想，振兴乡村，新兴产业", None, []),
        ("县、市、区各级", None, []),
        ("推进城乡融合和县域经济发展，加快和县级医院建设", None, []),  # 和 + 县域, 和 + 县级
        ("安徽省马鞍山市和县人民政府", None, ["安徽省", "马鞍山市", "和县"]),
        ("萧县县城", None, ["萧县"]),
    ],
)
def test_names_found_by_longest_match_and_resolved_by_year_and_parent(
    text: str, year: int | None, found: list[str]
) -> None:
    gaz = gazetteer()
    mentions = gaz.find(text)
    assert [gaz.resolve(m, year, mentions).name for m in mentions] == found


def test_an_ambiguous_short_name_without_its_parent_stays_unresolved() -> None:
    gaz = gazetteer()
    (mention,) = gaz.find("朝阳区")
    assert gaz.resolve(mention) is None


@pytest.mark.parametrize(
    ("name", "level"),
    [("安国市", "district"), ("义乌市", "district"), ("驻马店市", "city"),
     ("延边朝鲜族自治州", "city"), ("内蒙古自治区", "province"), ("重庆市", "province"),
     ("全国", "national"), ("神农架林区", "district")],
)  # fmt: skip
def test_level_from_the_gazetteer(name: str, level: str) -> None:
    assert level_of(name) == level


# --- never above the government that speaks --------------------------------------------------

_SOME_UNITS = [u for u in gazetteer().units if u.last is None and u.short][::7]
_WORD_MAX = {
    "县": "district", "区": "district", "旗": "district", "州": "city", "盟": "city",
    "市": "province",  # 北京市 speaks as 市 too; the name check below keeps out 省 and 自治区
}  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    word=st.sampled_from(sorted(_WORD_MAX)),
    named=st.lists(
        st.tuples(st.sampled_from(_SOME_UNITS), st.booleans(), st.integers(1, 4)), max_size=6
    ),
    title_unit=st.none() | st.sampled_from(_SOME_UNITS),
)
def test_never_labelled_above_the_government_that_delivered_it(word, named, title_unit) -> None:
    body = "，".join(
        (u.name if full else u.short) * n for u, full, n in named
    )  # other places, any level, any number of times
    text = f"现在，我代表{word}人民政府，向大会报告工作。{body}。全{word}人民团结奋斗。"
    raw = RawReport(text, f"{title_unit.name}政府工作报告" if title_unit else "政府工作报告")
    got = place_of(raw, text, {}, "x.txt", None).place
    if got.name:
        rank = {"district": 1, "city": 2, "province": 3, "national": 4}
        assert rank[got.level] <= rank[_WORD_MAX[word]]
        assert got.name.endswith(word)


# --- the zhumadian folder (../shared) ----------------------------------------------------------


@pytest.mark.shared
def test_zhumadian_reports_are_the_citys_own(shared_corpus: Path) -> None:
    folder = shared_corpus / "zhumadian"
    with (folder / "LABELS.csv").open(encoding="utf-8-sig", newline="") as handle:
        labels = {row["file"]: row for row in csv.DictReader(handle)}
    result = ingest([folder])
    got = {r.source: r for r in result.reports}
    assert len(result.reports) == 25 and set(got) == set(labels)
    for name, row in labels.items():
        report = got[name]
        assert (report.district, report.level) == (row["district"], row["level"]), name
        # A city's own report is under its province and is its own city (city= finds it).
        assert (report.province, report.city) == ("河南省", "驻马店市"), name
