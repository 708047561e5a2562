"""The concordance in headless Chromium, served by `baogao serve` over the bundled index:
search → concordance → sort by left context → export the CSV. The screenshot goes to a
temporary folder, and to docs/screenshots/ (shown in the README) when BAOGAO_SCREENSHOTS is
set."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.fold import fold
from tests.browsing import NEEDS_CHROMIUM, checked_page, chromium, screenshot_folder, serve

QUERY = "改革"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def kwic_server(bundled_index: Path) -> Iterator[str]:
    with serve(bundled_index) as url:
        yield url


def test_search_then_concordance_sorted_by_left_then_export(kwic_server, tmp_path) -> None:
    with (
        chromium() as browser,
        checked_page(browser, 1280, 900, locale="zh-CN", accept_downloads=True) as page,
    ):
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
        page.screenshot(path=str(screenshot_folder(tmp_path) / "concordance.png"))

        with page.expect_download() as info:
            page.click("text=下载 CSV")
        body = Path(info.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))[1:]
        assert len(rows) == int(occurrences.replace(",", ""))
        assert [r[0] for r in rows[:20]] == lefts
