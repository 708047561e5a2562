"""The site in headless Chromium, served by `baogao serve` (waitress) over the bundled index:
search from the home page, narrow by a facet, follow a hit to its passage. Saves the
screenshots shown in the README (docs/screenshots/)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUERY = "最多跑一次"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(index: Path) -> Iterator[str]:
    """`baogao serve` over `index` in a subprocess on a free local port; its base URL."""
    port = _free_port()
    cmd = [sys.executable, "-m", "baogao", "serve", "--index", str(index)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"baogao serve did not start: {err}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


@pytest.fixture(scope="module")
def server(bundled_index: Path) -> Iterator[str]:
    with serve(bundled_index) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], f"console errors (CSP violations?): {errors}"


def _total(page) -> int:
    return int(page.locator(".totals strong").first.inner_text().replace(",", ""))


def test_search_narrow_and_read_the_passage(server, page):
    page.goto(server + "/")
    page.fill(".searchbox input[name=q]", QUERY)
    page.press(".searchbox input[name=q]", "Enter")
    page.wait_for_selector(".hit")

    marks = page.locator(".excerpt mark").all_inner_texts()
    assert marks and set(marks) == {QUERY}
    assert page.locator(".timeline svg.chart").is_visible()
    total = _total(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"))

    # Narrow to the district with the fewest hits: the totals change to its facet count.
    items = page.locator('#facet-place li[data-field="district"] a')
    counts = [int(c.replace(",", "")) for c in items.locator(".count").all_inner_texts()]
    assert len(counts) > 1 and sum(counts) == total
    pick = counts.index(min(counts))
    name = items.nth(pick).locator(".label").inner_text()
    items.nth(pick).click()
    page.wait_for_selector("#facet-place li.selected")
    assert _total(page) == counts[pick] < total
    assert page.locator("#facet-place li.selected .label").inner_text() == name
    assert set(page.locator(".hit-meta span:first-child").all_inner_texts()) == {name}

    # Follow the first hit to the reader: it lands on the highlighted paragraph.
    link = page.locator(".hit h3 a").first
    anchor = link.get_attribute("href").rpartition("#")[2]
    link.click()
    page.wait_for_selector(f"#{anchor}")
    assert page.evaluate("document.querySelector(':target').id") == anchor
    target = page.locator(f"#{anchor}")
    assert QUERY in target.locator("mark").all_inner_texts()
    box = target.bounding_box()
    assert box and 0 <= box["y"] < 860
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    page.wait_for_timeout(300)  # let the sticky match bar settle before the picture
    page.screenshot(path=str(SCREENSHOTS / "report.png"))


def test_citation_is_copied_to_the_clipboard(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.goto(server + f"/search?q={QUERY}")
    page.locator(".hit h3 a").first.click()
    anchor = page.url.rpartition("#")[2]
    para = page.locator(f"#{anchor}")
    para.locator(".cite summary").click()
    citation = para.locator(".citation").inner_text()
    para.locator("button.copy").click()
    page.wait_for_function("document.querySelector(':target button.copy').textContent !== '复制'")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    assert f"第{anchor[1:]}段" in citation and f"#{anchor}" in citation
    context.close()


def test_timeline_bar_narrows_to_its_year(server, page):
    page.goto(server + "/search?q=城中村改造")
    bar = page.locator("svg.chart a.bar").filter(has=page.locator("rect.s0")).first
    year = bar.get_attribute("href").rpartition("year=")[2][:4]
    bar.click()
    page.wait_for_selector("#facet-year li.selected")
    assert page.locator("#facet-year li.selected .label").inner_text() == f"{year}年"
