"""Chinese numerals and dates as reports write them: 二〇二六年一月二十七日, 2016年7月28日."""

from __future__ import annotations

import re

# Zero in a Chinese-numeral year may be written 〇, ○, 零, O or 0: 二O一一, 二0一一.
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | dict.fromkeys("零○ＯOo0０", 0)
NUM = r"(?:\d{1,4}|[〇○零一二三四五六七八九十]{1,4})"
CN_YEAR = r"[一二][〇○零Oo0一二三四五六七八九]{3}"
_DATE = re.compile(rf"(?P<y>\d{{4}}|{CN_YEAR})年(?P<m>{NUM})月(?P<d>{NUM})日")


def cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, unit = 0, 0
    for c in text:  # 十, 十二, 二十, 二十七
        if c == "十":
            total += (unit or 1) * 10
            unit = 0
        else:
            unit = _CN_DIGITS.get(c, 0)
    return total + unit


def parse_date(text: str) -> str:
    """The first date written like 2016年7月28日 or 二〇二六年一月二十七日, as YYYY-MM-DD."""
    m = _DATE.search(text)
    if not m:
        return ""
    y, mo, d = cn_number(m["y"]), cn_number(m["m"]), cn_number(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"
