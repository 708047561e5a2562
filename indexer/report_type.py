"""A report's type: one of REPORT_TYPES (`indexer.models`), from its title, its meeting line,
its opening sentences and, last, its file name."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.split import RawReport

# The reports delivered to a people's congress besides the government's work report, each known
# by its own title or by the opening sentence that presents it — never by a phrase several share
# (a budget report also thanks 市人大、市政协 for their support). Checked in this order.
_TITLED = "[^。；！？\n]"  # within one title or sentence
_KINDS: tuple[tuple[str, re.Pattern, re.Pattern], ...] = tuple(
    (kind, re.compile(title), re.compile(opening))
    for kind, title, opening in (
        (
            "决算报告",
            rf"决算(?:草案)?(?:情况)?的?报告|决算草案|决算(?:和|及){_TITLED}{{0,30}}报告$",
            rf"(?:报告|提交|提出|提请|现将){_TITLED}{{0,30}}决算(?:报告|草案|情况)"
            rf"|决算{_TITLED}{{0,10}}(?:报告如下|请予审议|请予审查)",
        ),
        (
            "预算报告",
            rf"预算{_TITLED}{{0,40}}预算(?:草案)?(?:（草案）)?的?报告|预算草案的?报告"
            rf"|预算执行情况的?报告|\d{{4}}年{_TITLED}{{0,8}}预算的报告",
            rf"(?:报告|提交|提出|提请|现将){_TITLED}{{0,40}}预算执行情况{_TITLED}{{0,40}}预算(?:草案)?"
            rf"|(?:报告|提交|提出|提请|现将){_TITLED}{{0,30}}预算草案",
        ),
        (
            "计划报告",
            rf"(?:国民经济和社会发展|经济和社会发展|经济社会发展)计划{_TITLED}{{0,40}}报告"
            rf"|计划草案的?报告",
            rf"(?:报告|提交|提请|现将){_TITLED}{{0,40}}(?:国民经济和社会发展|经济社会发展)计划",
        ),
        (
            "人大常委会工作报告",
            r"(?:人民代表大会|人大)常务委员会工作报告|人大常委会工作报告",
            rf"代表{_TITLED}{{0,20}}(?:人民代表大会|人大)常务?委员?会，?向大会(?:作|报告|提交)",
        ),
        (
            "法院工作报告",
            r"法院工作报告",
            rf"代表{_TITLED}{{0,20}}法院，?向大会(?:作|报告)",
        ),
        (
            "检察院工作报告",
            r"检察院工作报告",
            rf"代表{_TITLED}{{0,20}}检察院，?向大会(?:作|报告)",
        ),
    )
)
_NOT_KINDS = re.compile(r"审计|决议|通知|意见|办法")  # an audit report or a decision is not one


def congress_kind(title: str, opening: str = "") -> str:
    """预算报告, 决算报告, 计划报告, 人大常委会工作报告, 法院工作报告 or 检察院工作报告 when a
    report's title (else its opening sentences) says it is one; empty otherwise."""
    if title and not _NOT_KINDS.search(title):
        for kind, by_title, _ in _KINDS:
            if by_title.search(title):
                return kind
    if opening:
        first = opening[:300]
        for kind, _, by_opening in _KINDS:
            if by_opening.search(first):
                return kind
    return ""


def type_of(raw: RawReport, text: str, filename: str) -> str:
    """One of REPORT_TYPES (indexer.models) but 其他, or empty."""
    head = f"{raw.title} {raw.meeting}"
    opening = text[:800]
    if "决议" in raw.title or re.search(r"关于.{0,12}的决议", head):
        return "决议"
    if kind := congress_kind(raw.title):
        return kind
    if "会议通过" in head and not raw.title.endswith("报告"):  # a report "会议通过" stays a report
        return "决议"
    if re.search(r"全体（扩大）会议|全体会议|全会上", head) or "向全会报告工作" in opening:
        return "全会报告"
    if re.search(r"中国共产党.{0,12}代表大会|党代会", head):
        return "党代会报告"
    if "政府工作报告" not in raw.title and (kind := congress_kind("", opening)):
        return kind
    if re.search(r"我代表.{0,20}委员会向大会作?报告|委员会委托，?向大会作报告", opening):
        return "党代会报告"
    if "政府工作报告" in raw.title or re.search(
        r"代表.{0,10}(人民政府|国务院)，?向大会(作|报告)|向大会作政府工作报告", opening
    ):
        return "政府工作报告"
    if re.search(r"人民代表大会", head) and re.search(r"(总理|省长|市长|区长|县长|主席)", head):
        return "政府工作报告"
    if re.search(r"工作总结", raw.title) or re.search(
        r"回顾上半年|上半年[^。]{0,10}工作总结", text
    ):
        return "工作总结"
    if re.search(r"工作计划|工作要点", raw.title) or (
        re.search(r"主要预期目标", text) and not re.search(r"一年来|过去一年|回顾", text)
    ):
        return "工作计划"
    # A district or city government reviewing its year before the people's congress.
    if re.search(r"在[区市县]?人大、[区市县]?政协(的)?监督支持下", opening):
        return "政府工作报告"
    name = Path(filename).stem
    for cue, kind in (
        ("决议", "决议"),
        ("resolution", "决议"),
        ("政府工作报告", "政府工作报告"),
        ("cpc_congress", "党代会报告"),
        ("党代会", "党代会报告"),
        ("全会", "全会报告"),
        ("工作总结", "工作总结"),
        ("工作计划", "工作计划"),
    ):
        if cue in name:
            return kind
    return ""
