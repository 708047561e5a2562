"""A report's title when the text gives none: the page's, cleaned of a portal's name."""

from __future__ import annotations

import re

# A heading that names only a kind of report: never a report's whole title when a fuller one exists.
BARE_TITLE = re.compile(
    r"(?:政府)?工作报告|预算报告|决算报告|报告|第[一二三四五六七八九十]+部分.{0,8}"
)
# A portal's name after a page title: "…的报告_湛江市人民政府门户网站", "… _ 财政报告 _ …网站".
_TITLE_SEP = re.compile(r"\s*[_|｜]\s*|\s+-\s+")


def clean_title(title: str) -> str:
    """A page's title as the report's: table pipes and a portal's suffix taken off (the first
    part that names more than a site)."""
    parts = [p.strip() for p in _TITLE_SEP.split(title) if p.strip()]
    return parts[0] if parts else ""
