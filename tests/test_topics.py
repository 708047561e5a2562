"""Topic labelling by the term list: real paragraphs, the data file as the source of truth, and
the gold set (the learned model: tests/test_topic_model.py)."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import topics
from indexer.topic_eval import evaluate, format_eval, term_labeller
from indexer.topics import (
    DEFAULT_PATH,
    TOPIC_IDS,
    TOPIC_LABELS,
    TaxonomyError,
    label,
    load_taxonomy,
)

GOLD = Path(__file__).parent / "data" / "topics_gold.jsonl"

# (what, paragraph as found in ../shared/corpus, section heading path, expected primary topic)
CASES = [
    (
        "water clean-up under an environment heading",
        "坚持“五水共治”,完善“河长制”,全面消除劣 V 类水质,建立净水监管智慧平台,打赢污水剿灭战。",
        "三、2017年重点工作 > (四) 大力保护生态环境,增强区域环境吸引力",
        "environment",
    ),
    (
        "最多跑一次 is reform",
        "深度推进“最多跑一次”改革。聚焦破解群众“办事烦、办事难”,持续推进“最多跑一次”改革延伸扩面。",
        "",
        "reform",
    ),
    (
        "grain and farmers",
        "稳定粮食播种面积，巩固大豆扩种成果，推动大面积提高单产。适当提高小麦最低收购价，"
        "健全种粮农民收益保障机制。",
        "",
        "rural",
    ),
    (
        "Taiwan",
        "解决台湾问题、实现祖国完全统一，是全体中华儿女共同愿望，是中华民族根本利益所在。"
        "必须继续坚持“和平统一、一国两制”方针，推动两岸关系和平发展，推进祖国和平统一进程。",
        "十一、坚持“一国两制”，推进祖国统一",
        "defense",
    ),
    (
        "schools",
        "加快建设高质量教育体系。深化大思政课和大中小学思想政治教育一体化建设，强化五育融合，"
        "促进学生身心健康。新增中学学位1万个，促进义务教育优质均衡发展。",
        "",
        "education",
    ),
    (
        "medical insurance",
        "积极稳妥推进医药卫生体制改革，全面建立城镇居民基本医疗保险制度、新型农村合作医疗制度，"
        "惠及4.32亿城镇职工和城镇居民、8.35亿农村居民。",
        "",
        "health",
    ),
    (
        "zero tariffs in Hainan",
        "出台实施岛内居民消费进境商品“零关税”政策。健全海关监管配套制度体系。",
        "",
        "reform",
    ),
    (
        "城中村 and resettlement housing",
        "加快推进城改旧改。全面完成城中村改造攻坚行动,征迁笕石路等重点项目住户39户、企业66家,"
        "持续推进征迁清零。开工范家、皋塘等安置房。",
        "",
        "urban",
    ),
    (
        "employment",
        "实施更加积极的就业政策。强化政府促进就业的责任。中央财政安排就业专项资金426亿元，"
        "鼓励企业稳定和增加就业。",
        "",
        "welfare",
    ),
    (
        "grassroots party organisations",
        "加强基层基础建设,构建坚实的一线战斗堡垒。坚持大抓基层的鲜明导向,"
        "不断强化基层党组织的整体功能。加强城市社区党组织建设。",
        "四、全面落实从严治党各项任务",
        "party",
    ),
    (
        "rule of law in administration",
        "坚持依法行政。严格规范公正文明执法。全面推进政务公开。依法接受人大监督，"
        "主动接受政协民主监督和各方面监督，办理好人大代表建议、政协提案。",
        "四、全面加强政府自身建设",
        "government",
    ),
    (
        "safety in production",
        "全面完成安全生产治本攻坚三年行动任务。坚决防范遏制重特大事故发生。"
        "完成地质灾害避险搬迁任务。提升基层应急管理能力。",
        "",
        "governance",
    ),
    (
        "festivals, museums, tourists",
        "成功举办中国时尚产业盛典、国际电影节、国际艺术节等文化节展。"
        "全市博物馆、美术馆举办文化展览1565场。接待国内游客4.16亿人次。",
        "",
        "culture",
    ),
    (
        "laboratories and talent",
        "提升科技创新能力。实施基础研究十年规划，加强国家实验室和全国重点实验室建设，"
        "加快建设世界重要人才中心和创新高地。",
        "",
        "innovation",
    ),
    (
        "investment and attracting business",
        "积极扩大有效投资。持续实施“抓招商、推项目、促落地”专项行动，固定资产投资增长3%左右。",
        "",
        "economy",
    ),
    (
        "traditional characters (1954) fold to the same terms",
        "我國同二十五個國家已經建立了或者正在建立外交關係，並同另外一些國家發生了事務性的關係。",
        "",
        "defense",
    ),
    (
        "the opening formula",
        "现在，我代表省人民政府，向大会报告政府工作，请予审议，并请省政协委员提出意见。",
        "",
        "general",
    ),
]


@pytest.mark.parametrize(("what", "text", "section", "primary"), CASES, ids=[c[0] for c in CASES])
def test_real_paragraph_gets_its_primary_topic(what, text, section, primary):
    assert label(text, section)[0] == primary


def test_single_field_paragraph_gets_a_single_topic():
    text = CASES[0][1]
    assert label(text, CASES[0][2]) == ("environment",)


def test_mixed_paragraph_gets_several_topics():
    text = (
        "公共服务提质增效。打造“主城区最好教育”,开工建设华师大附校等14所学校、竣工8所、投用4所,"
        "招引优秀教育人才331人。深化“健康拱墅”建设,启动医疗卫生服务提升五年行动计划,"
        "加快建设市一医院城北院区,提升改造社区卫生服务中心5家。"
    )
    assert set(label(text)) == {"education", "health"}


@pytest.mark.parametrize(
    "text", ["", "   ", "各位代表！", "同志们：", "下面，我代表区委常委会，向全会报告工作。"]
)
def test_no_clear_field_is_general(text):
    assert label(text) == ("general",)


def test_heading_moves_an_ambiguous_paragraph():
    text = "打好攻坚战，完成年度目标任务。"
    assert label(text) == ("general",)
    assert label(text, "（四）大力保护生态环境")[0] == "environment"


def test_labels_are_deterministic():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    first = [label(r["text"], r["section"]) for r in rows]
    fresh = topics.parse_taxonomy(tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8")))
    assert [label(r["text"], r["section"], fresh) for r in rows] == first
    assert [label(r["text"], r["section"]) for r in rows] == first


def test_every_gold_paragraph_gets_one_to_three_known_topics():
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        got = label(row["text"], row["section"])
        assert len(got) in (1, 2, 3)
        assert len(set(got)) == len(got)
        assert set(got) <= set(TOPIC_IDS)
        assert "general" not in got or got == ("general",)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=40))
def test_any_text_gets_one_to_three_topics(text, section):
    got = label(text, section)
    assert len(got) in (1, 2, 3)
    assert set(got) <= set(TOPIC_IDS)


def test_labels_for_the_ui():
    taxonomy = load_taxonomy()
    assert taxonomy.topics == TOPIC_IDS
    assert {t: taxonomy.labels[t] for t in TOPIC_IDS} == TOPIC_LABELS


def _copy_toml(tmp_path: Path) -> Path:
    path = tmp_path / "topics.toml"
    shutil.copyfile(DEFAULT_PATH, path)
    return path


def test_the_data_file_is_the_source_of_truth(tmp_path):
    text = "举办龙舟邀请赛，推进茶园步道建设。"
    path = _copy_toml(tmp_path)
    assert label(text, taxonomy=load_taxonomy(path)) == ("general",)
    source = path.read_text(encoding="utf-8")
    source = source.replace(
        '[topics.culture]\nlabel = "文化体育"\nterms = { ',
        '[topics.culture]\nlabel = "文化体育"\nterms = { "龙舟" = 5, ',
    )
    path.write_text(source.replace('label = "文化体育"', 'label = "文体旅"'), encoding="utf-8")
    changed = load_taxonomy(path)
    assert label(text, taxonomy=changed) == ("culture",)
    assert changed.labels["culture"] == "文体旅"


def test_thresholds_come_from_the_data_file(tmp_path):
    text = CASES[0][1]
    path = _copy_toml(tmp_path)
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("min_score = 3.0", "min_score = 999.0"), encoding="utf-8")
    assert label(text, taxonomy=load_taxonomy(path)) == ("general",)


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('[topics.sport]\nterms = { "足球" = 3 }\n', None),
        ('[sections]\nsport = { "体育" = 3 }\n', "unknown topic"),
        ("[scoring]\nmin_scor = 3\n", "unknown"),
    ],
)
def test_malformed_data_file_is_reported(tmp_path, snippet, message):
    path = tmp_path / "topics.toml"
    base = '[topics.economy]\nlabel = "经济发展"\nterms = { "投资" = 2 }\n'
    path.write_text(base + snippet, encoding="utf-8")
    if message is None:  # a new topic is allowed: users may extend the taxonomy
        assert "sport" in load_taxonomy(path).topics
        return
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(path)


def test_evaluation_report_has_the_figures_and_the_table():
    report = evaluate(GOLD, "dev", term_labeller())
    assert report.n > 100
    text = format_eval(report)
    assert "micro-F1" in text and "primary accuracy" in text
    assert all(t in text for t in TOPIC_IDS)


def test_term_list_alone_keeps_its_figures_on_the_test_split():
    """The term list is a feature and the fallback evidence of the model: it must not decay."""
    report = evaluate(GOLD, "test", term_labeller())
    assert report.n >= 120
    assert report.micro_f1 >= 0.80, format_eval(report)
    assert report.primary_accuracy >= 0.80, format_eval(report)
    weak = [s.topic for s in report.per_topic if s.support >= 8 and s.f1 < 0.6]
    assert not weak, format_eval(report)


def test_gold_set_covers_every_topic_in_both_splits():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 260
    for split in ("dev", "test"):
        present = {t for r in rows if r["split"] == split for t in r["topics"]}
        assert present == set(TOPIC_IDS)
    assert all(1 <= len(r["topics"]) <= 3 for r in rows)


def _alternation(matcher: topics.Matcher):
    """The terms longest first as one regex alternation: the matches the automaton must find."""
    import re

    ordered = sorted(matcher.weights, key=lambda t: (-len(t), t))
    return re.compile("|".join(re.escape(t) for t in ordered))


def test_matcher_finds_what_the_longest_first_alternation_finds() -> None:
    from indexer.fold import fold
    from indexer.ingest import ingest

    tax = topics.load_taxonomy()
    root = Path(__file__).resolve().parents[1]
    texts = [fold(p.text) for r in ingest([str(root / "corpus")]).reports for p in r.paragraphs]
    terms = list(tax.terms.weights)
    # pieces of terms glued together: prefixes, suffixes and overlaps of terms
    texts += ["".join(t[i % 3 : i % 5 + 1] for t in terms[i : i + 6]) for i in range(0, 1200, 3)]
    for matcher in (tax.terms, tax.sections):
        regex = _alternation(matcher)
        for text in texts:
            assert matcher.automaton.find_matches_as_strings(text) == regex.findall(text)
