"""Errors as pages or JSON: BadQuery → 400, ReportNotFound → 404, IndexMissing and a spent
time budget (TimeBudgetExceeded) → 503, and HTTP errors likewise; JSON under /api/ and for
the CSV, {"error": {"code", "message"}}. Each request gets the engine's time budget
(config TIME_LIMIT, seconds; None: no limit) until its view returns."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from search import budget
from search.errors import BaogaoError
from search_app import answers
from search_app.serialize import respond

log = logging.getLogger(__name__)

MESSAGES = {
    400: "请求参数有误",
    404: "找不到这个页面",
    405: "不支持这种请求方式",
    500: "服务器内部错误",
    503: "索引暂不可用",
}
TITLES = {400: "参数有误", 404: "未找到", 503: "暂不可用"}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str) -> tuple[Response | str, int]:
    if wants_json():
        error = answers.Error(error=answers.ErrorDetail(code=code, message=message))
        return respond(error, status), status
    page = render_template(
        "error.html",
        status=status,
        title=TITLES.get(status, "出错了"),
        message=message,
        q=request.args.get("q", "")[:1000] if request.endpoint == "views.search" else "",
    )
    return page, status


def handle_baogao(exc: BaogaoError):
    if exc.http_status >= 500:
        log.warning("%s: %s", request.path, exc)
    return error_response(exc.http_status, exc.code, str(exc))


def handle_http(exc: HTTPException):
    status = exc.code or 500
    if status == 404:
        code, message = "not_found", MESSAGES[404]
    else:
        code, message = exc.name.lower().replace(" ", "_"), MESSAGES.get(status, exc.name)
    response, status = error_response(status, code, message)
    if isinstance(response, Response):
        response.status_code = status
    return response, status


def handle_unexpected(exc: Exception):
    log.exception("unexpected error on %s", request.full_path)
    return error_response(500, "internal_error", MESSAGES[500])


def start_budget() -> None:
    from flask import current_app

    budget.start(current_app.config.get("TIME_LIMIT"))


def end_budget(response: Response) -> Response:
    budget.start(None)  # a streamed body is bounded by its length, not by the budget
    return response


def clear_budget(exc: BaseException | None = None) -> None:
    budget.start(None)  # whatever happened, the thread's next work starts with no deadline


def init_app(app: Flask) -> None:
    app.before_request(start_budget)
    app.after_request(end_budget)
    app.teardown_request(clear_budget)
    app.register_error_handler(BaogaoError, handle_baogao)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
