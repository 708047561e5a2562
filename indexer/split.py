"""Stage 3, split: one cleaned text → the reports it holds, each with its title block lifted out
(dates read by `indexer.cn_dates`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer.cn_dates import CN_YEAR, NUM, cn_number, parse_date

__all__ = ["RawReport", "cn_number", "join_title", "parse_date", "split_reports"]

_DATE_RAW = rf"(?:\d{{4}}|{CN_YEAR})年{NUM}月{NUM}日"
# A date line's dash: ——, ———, ──, ――, —, －－ or --, as printers and converters write it.
_DASH = r"(?:[—―─━－]{1,3}|-{1,2})"
_OFFICE = r"(?:总理|省长|市长|区长|县长|主席)"
# Who delivers a report on a government's behalf: 广州市财政局局长, 省发展改革委主任, 财政厅厅长.
_DEPUTED = r"(?:局长|厅长|主任)"
_MEETING = rf"在.{{2,50}}?(?:会议|大会|全会)上(?:\s*\S*{_OFFICE}\s*\S{{2,12}})?"
_DATE_BODY = rf"{_DATE_RAW}\s*(?:{_MEETING}|在.{{2,30}}|.{{2,40}}通过)?"
# "（2016年7月28日）", "——2026年2月3日在…会议上", "（2021年3月11日第十三届…会议通过）",
# "2026年1月27日在…会议上 陕西省省长 赵刚", and a bare "——在…会议上" subtitle.
_DATE_LINE = re.compile(
    rf"^[（(]\s*{_DATE_BODY}\s*[)）]$|^{_DASH}\s*{_DATE_BODY}$|^{_DATE_RAW}{_MEETING}$"
    rf"|^[（(]?{_DASH}?在.{{2,50}}(?:会议|大会|全会)上[)）]?$"
)
_ADOPTED = re.compile(r"(?:会议|大会)(?:表决)?通过[)）]?$")
_SALUTATION = re.compile(r"^(各位代表|同志们|各位委员|代表们)")
_MEETING_TAIL = re.compile(r"(会议|大会|全会)上[)）]?$|[)）]$")
_SPEAKER = re.compile(
    r"^(?:(?P<office>.{0,20}?(?:总理|省长|市长|区长|县长|主席|书记|部长|院长|检察长|局长|厅长|主任)))?"
    r"\s*(?P<name>[\u4e00-\u9fff·]{2,12})$"
)
# "王凯作政府工作报告": the speaker line goes on to say what was delivered.
_DELIVERS = re.compile(r"作[^，。]{0,16}报告$")
# A multi-line title's first line: "关于广州市2025年预算执行情况和", "黑龙江省人民政府关于2022年".
_TITLE_HEAD = re.compile(r"^[^，。：]{0,16}关于")
# Page furniture above a title: "保定市十六届人大" / "七次会议文件（14）", a contents list's entry.
_FURNITURE = re.compile(r"会议文件|^目\s*录$|^第[一二三四五六七八九十]+部分|人大$|专题$")
# A title line ending or starting with a conjunction goes on over the next line.
_JOINERS = tuple("和与及暨、")
_TITLE_END = re.compile(r"(报告|总结|计划|要点|决议|草案)([（(][^）)]{1,6}[)）])?$")
_TERMINAL = tuple("。！？；：!?;:")


@dataclass(frozen=True)
class RawReport:
    """One report's body text and what its title block states."""

    body: str
    title: str = ""
    meeting: str = ""  # the "——在…会议上" line, with its date
    date: str = ""  # YYYY-MM-DD when stated
    speaker: str = ""
    # the title block as printed: the title (its lines joined), meeting and speaker lines
    head: tuple[str, ...] = ()


def _is_title_line(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 50 and not s.endswith(_TERMINAL) and "。" not in s


def _speaker(line: str) -> str:
    """The person's name on a speaker line; with the office for a report delivered on a
    government's behalf ("广州市财政局局长 姚露"), the name alone for a head of government."""
    s = _DELIVERS.sub("", line.replace(" ", "").strip())
    if _SALUTATION.match(s) or len(s) > 24 or re.search(r"[，。：；（(]", s):
        return ""
    m = _SPEAKER.match(s)
    if not m:
        return ""
    name = m["name"]
    if re.search(r"(报告|会议|工作|政府|人民|代表)", name):
        return ""
    if not (len(name) <= 4 or "·" in name):
        return ""
    office = m["office"] or ""
    return f"{office} {name}" if re.search(f"{_DEPUTED}$", office) else name


def join_title(parts: list[str]) -> str:
    """A title printed over several lines, read as one: no space between Chinese characters
    (a space stays between two Latin letters or digits)."""
    out = ""
    for part in (p.strip() for p in parts):
        if out and part and re.match(r"[A-Za-z0-9]", part) and re.search(r"[A-Za-z0-9]$", out):
            out += " "
        out += part
    return out


def _title_start(lines: list[str], j: int, max_lines: int) -> int:
    """The first line of a title of several lines ending above line j+1 (its top line says
    关于…), or -1 when the lines above do not read as one title."""
    k, seen = j, 0
    while k >= 0 and seen < max_lines:
        line = lines[k].strip()
        if not _is_title_line(line) or _FURNITURE.search(line):
            return -1
        complete = _TITLE_END.search(line) and not re.search(r"计划$", line)
        if _TITLE_HEAD.match(line) and not (seen and complete):
            return k  # "关于…国民经济和社会发展计划" opens a title that goes on below
        if seen and _TITLE_END.search(line):
            return -1  # a complete title above: another document's, or a contents entry
        seen += 1
        k = _nonblank(lines, k - 1, -1)
    return -1


@dataclass
class _Anchor:
    line: int  # index of the date/meeting line
    start: int  # first line of the title block
    end: int  # first line after the title block (and speaker)
    title: str
    meeting: str
    speaker: str
    head: tuple[str, ...]


def _nonblank(lines: list[str], i: int, step: int) -> int:
    while 0 <= i < len(lines) and not lines[i].strip():
        i += step
    return i


def _unwrap(line: str) -> str:
    s = line.strip().lstrip("—―─━-－").strip()
    if s[:1] in "（(" and s[-1:] in ")）":
        s = s[1:-1].strip()
    return s


def _anchor(lines: list[str], i: int, max_title_lines: int) -> _Anchor:
    meeting = lines[i].strip()
    end = i + 1
    printed = [meeting]  # the meeting line (and subtitle, speaker line) as printed
    nxt = _nonblank(lines, end, 1)
    # "——2026年1月26日在广东省第十四届" / "人民代表大会第五次会议上": a meeting line broken in two
    if nxt < len(lines) and not _MEETING_TAIL.search(meeting):
        following = lines[nxt].strip()
        if len(following) <= 30 and _MEETING_TAIL.search(following):
            meeting += following
            printed = [join_title([printed[0], following])]
            end = nxt + 1
    start = i
    title_parts: list[str] = []
    j = _nonblank(lines, i - 1, -1)
    # A subtitle "——在…会议上的报告" may sit between the title and a date line.
    if j >= 0 and re.match(r"^(——|――|—)?在.*(会议|大会|全会)上", lines[j].strip()):
        meeting = _unwrap(lines[j]) + " " + _unwrap(meeting)
        printed.insert(0, lines[j].strip())
        start = j
        j = _nonblank(lines, j - 1, -1)
    top = _title_start(lines, j, 3) if j >= 0 else -1
    while j >= top >= 0:  # "关于广州市2025年预算执行情况和" / "2026年预算草案的报告"
        title_parts.insert(0, lines[j].strip())
        start = j
        j = _nonblank(lines, j - 1, -1)
    while top < 0 and j >= 0 and len(title_parts) < max_title_lines and _is_title_line(lines[j]):
        goes_on = title_parts and (
            title_parts[0].startswith(_JOINERS) or lines[j].strip().endswith(_JOINERS)
        )
        if title_parts and "报告" in title_parts[0] and not goes_on:
            break  # the title is complete; what stands above is page furniture or a contents list
        if _FURNITURE.search(lines[j].strip()):
            break
        title_parts.insert(0, lines[j].strip())
        start = j
        j = _nonblank(lines, j - 1, -1)
    speaker = ""
    # "2026年1月27日在…会议上 陕西省省长 赵刚": the speaker on the meeting line itself
    inline = re.search(r"上\s*(\S*(?:总理|省长|市长|区长|县长|主席)\s*\S{2,24})$", lines[i])
    if inline:
        speaker = _speaker(inline[1])
    nxt = _nonblank(lines, end, 1)
    if not speaker and nxt < len(lines):
        speaker = _speaker(lines[nxt])
        if speaker:
            end = nxt + 1
            meeting += " " + lines[nxt].strip()  # the office, as when it is on the meeting line
            printed.append(lines[nxt].strip())
    title = join_title(title_parts)
    head = tuple(line for line in (title, *printed) if line)
    return _Anchor(i, start, end, title, meeting, speaker, head)


def _has_salutation(lines: list[str], start: int, lookahead: int = 4) -> bool:
    seen = 0
    for line in lines[start:]:
        if not line.strip():
            continue
        if _SALUTATION.match(line.strip()):
            return True
        seen += 1
        if seen >= lookahead:
            return False
    return False


def _raw(lines: list[str], a: _Anchor, body_end: int) -> RawReport:
    body = "\n".join(lines[a.end : body_end]).strip("\n")
    return RawReport(body, a.title, _unwrap(a.meeting), parse_date(a.meeting), a.speaker, a.head)


def _has_prose(lines: list[str]) -> bool:
    return any(re.search(r"[。！？]", line) for line in lines)


def split_reports(text: str) -> list[RawReport]:
    """Split a cleaned text into reports at title blocks (title, "——在…会议上", date, speaker).

    A file with several reports has several date lines each followed by a salutation; a single
    report may have a title block at its head, which is lifted out of the body too.
    """
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if _DATE_LINE.match(line.strip())]
    # A "在…会议上" subtitle right above a date line belongs to that date line's title block.
    candidates = [i for i in candidates if _nonblank(lines, i + 1, 1) not in candidates]
    opening = [i for i in candidates if _has_salutation(lines, i + 1)]
    if len(opening) >= 2:
        # A session bundle or gazette: its resolutions ("（…会议通过）") have no salutation.
        adopted = [i for i in candidates if _ADOPTED.search(lines[i]) and i > opening[0]]
        opening = sorted(set(opening) | set(adopted))
        anchors = [_anchor(lines, i, 1) for i in opening]
        reports = []
        for k, a in enumerate(anchors):
            body_end = anchors[k + 1].start if k + 1 < len(anchors) else len(lines)
            reports.append(_raw(lines, a, body_end))
        preamble = lines[: anchors[0].start]
        if _has_prose(preamble):  # prose before the first title block belongs to the first report
            first = reports[0]
            body = "\n".join(preamble).strip("\n") + "\n" + first.body
            reports[0] = replace(first, body=body)
        return reports
    # A title block near the top, or after a cover and a contents list that hold no prose.
    head = [i for i in candidates if _nonblank_count(lines, i) <= 10 or not _has_prose(lines[:i])]
    if head:
        a = _anchor(lines, head[0], 2)
        preamble = lines[: a.start]
        if _has_prose(preamble):
            a.start = 0
            rest = "\n".join(preamble + lines[a.end :])
            meeting, date = _unwrap(a.meeting), parse_date(a.meeting)
            return [RawReport(rest.strip("\n"), a.title, meeting, date, a.speaker, a.head)]
        return [_raw(lines, a, len(lines))]
    titled = _title_alone(lines)
    if titled is not None:
        return [titled]
    return [RawReport(text.strip("\n"))]


# A section heading's number: 一、, （一）, 1.
NUMBERED = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])"
)
# The salutation a title stands over: 各位代表, or a standing committee's 主任、各位副主任….
_OPENING = re.compile(r"^(各位代表|同志们|各位委员|代表们|主任、)")


def _title_alone(lines: list[str]) -> RawReport | None:
    """A title printed with no meeting line, right above the salutation ("湛江市2025年预算执行
    情况和2026年预算草案的报告" / "各位代表："), on up to three lines: the title block is the
    title alone."""
    nonblank = [k for k, line in enumerate(lines) if line.strip()][:4]
    at = next((n for n, k in enumerate(nonblank) if _OPENING.match(lines[k].strip())), 0)
    parts = [lines[k].strip() for k in nonblank[:at]]
    if not parts or not _TITLE_END.search(parts[-1]):
        return None
    if not all(_is_title_line(p) and not _FURNITURE.search(p) for p in parts):
        return None
    if NUMBERED.match(parts[0]):
        return None  # "一、2025年工作总结": a section heading
    title = join_title(parts)
    body = "\n".join(lines[nonblank[at] :]).strip("\n")
    return RawReport(body, title, head=(title,))


def _nonblank_count(lines: list[str], upto: int) -> int:
    return sum(1 for line in lines[:upto] if line.strip())
