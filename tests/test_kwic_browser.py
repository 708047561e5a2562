"""The concordance in headless Chromium, served by `baogao serve` over the bundled index:
search → concordance → sort by left context → export the CSV. The screenshot goes to a
temporary folder, and to docs/screenshots/ (shown in the README) when BAOGAO_SCREENSHOTS is
set."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.fold import fold

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
QUERY = "改革"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def kwic_server(bundled_index: Path) -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "baogao", "serve", "--index", str(bundled_index)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("baogao serve did not start")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_search_then_concordance_sorted_by_left_then_export(kwic_server, tmp_path) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{kwic_server}/search?q={QUERY}")
        occurrences = page.locator(".totals strong").nth(2).inner_text()

        page.click("nav.views a")  # 语境（KWIC）
        page.wait_for_selector("table.kwic")
        assert page.locator(".totals strong").first.inner_text() == occurrences
        assert set(page.locator("table.kwic td.match").all_inner_texts()) == {QUERY}

        page.click("text=按左侧")
        page.wait_for_url("**order=left**")
        lefts = page.locator("table.kwic td.left").all_inner_texts()
        assert len(lefts) == 20
        assert lefts == sorted(lefts, key=lambda s: fold(s)[::-1])
        shot = tmp_path / "concordance.png"
        page.screenshot(path=str(shot))
        if os.environ.get("BAOGAO_SCREENSHOTS"):
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, DOCS / "concordance.png")

        with page.expect_download() as info:
            page.click("text=下载 CSV")
        body = Path(info.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))[1:]
        assert len(rows) == int(occurrences.replace(",", ""))
        assert [r[0] for r in rows[:20]] == lefts
        context.close()
        browser.close()
        assert errors == []
