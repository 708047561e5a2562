"""Chinese answers for the requests waitress refuses before the site sees them.

waitress answers a request it cannot read itself — a URL or headers over its limits, a
malformed request line, a broken chunk — in English plain text, and has no setting for the
wording. `baogao serve` gives those answers (their status unchanged) one Chinese line saying
what was wrong and what to do, as every page and the API do. Applied once, by `baogao serve`,
never at import.
"""

from __future__ import annotations

MESSAGES = {
    400: "请求无法读取（不合 HTTP 格式），请检查网址",
    413: "请求体过大",
    431: "网址或请求头过长（最多 256 KB）：请缩短查询，或改用筛选条件",
    500: "服务器内部错误，请稍后再试",
}
OTHER = "服务器无法处理此请求"


def answer_refusals_in_chinese() -> None:
    """Make waitress's own error answers Chinese (idempotent)."""
    from waitress import utilities

    if getattr(utilities.Error.to_response, "in_chinese", False):
        return

    def to_response(self, ident=None):
        body = (MESSAGES.get(self.code, OTHER) + "\n").encode("utf-8")
        return f"{self.code} {self.reason}", [("Content-Type", "text/plain; charset=utf-8")], body

    to_response.in_chinese = True
    utilities.Error.to_response = to_response
