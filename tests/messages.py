"""Reading the message of an error answer, and telling whether it is Chinese only."""

from __future__ import annotations

import html
import re

CJK = re.compile(r"[\u4e00-\u9fff]")
# Two English words in a row: the English half of a message such as "… / too many terms".
# Parameter names, choices and keywords (page, relevance、newest, NEAR, jieba) stand alone.
ENGLISH = re.compile(r"[A-Za-z]+ +[A-Za-z]+")
USER_VALUE = re.compile(r"「[^」]*」")  # what the user typed, repeated


def message_of(response) -> str:
    """The message of an error answer: the JSON error's, or the one on the error page."""
    if response.is_json:
        return response.get_json()["error"]["message"]
    body = response.get_data(as_text=True)
    found = re.search(r'<p class="message">(.*?)</p>', body, re.S)
    assert found, f"{response.status_code} without its message"
    return html.unescape(found.group(1))


def english_half(message: str) -> str | None:
    """The English words of a message (its user's values aside), or None."""
    found = ENGLISH.search(USER_VALUE.sub("", message))
    return found.group(0) if found else None
