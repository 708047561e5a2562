"""The keywords, dispersion and codebook pages in headless Chromium at a desktop and a phone
width, served by `baogao serve` over the index with places at every level: fill both sets'
filters, switch to bigrams and to another score, read the strips of a dispersion."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.panel import COLUMNS
from tests.browsing import NEEDS_CHROMIUM, checked_page, serve

pytestmark = NEEDS_CHROMIUM
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def server(placed_index: Path) -> Iterator[str]:
    with serve(placed_index) as url:
        yield url


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized(request, browser):
    with checked_page(browser, width=request.param, locale="zh-CN") as pg:
        yield pg


def fits(page) -> bool:
    """No sideways scrolling of the page itself (wide tables scroll inside their box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_keywords_compare_two_sets_and_switch(server, sized) -> None:
    page = sized
    page.goto(server + "/keywords")
    page.locator("input[name=province]").fill("河北省")
    page.locator("input[name=ref_province]").fill("浙江省")
    page.locator(".kw-form button").click()
    page.wait_for_selector(".keywords-table tbody tr")
    assert "province=" in page.url and "ref_province=" in page.url
    assert page.locator(".keywords-table tbody tr").count() >= 5
    assert fits(page)
    page.locator(".switch a", has_text="二元组").click()
    page.wait_for_selector(".switch a.on:has-text('二元组')")
    assert "n=2" in page.url and "ref_province=" in page.url
    page.locator(".switch a", has_text="对数比").click()
    page.wait_for_selector(".switch a.on:has-text('对数比')")
    ratios = [
        float(t) for t in page.locator(".keywords-table tbody td:nth-child(7)").all_inner_texts()
    ]
    assert ratios and ratios == sorted(ratios, reverse=True)
    page.locator(".switch a", has_text="高频 n 元组").click()
    page.wait_for_selector(".switch a.on:has-text('高频 n 元组')")
    freqs = [
        int(t.replace(",", ""))
        for t in page.locator(".keywords-table tbody td:nth-child(3)").all_inner_texts()
    ]
    assert freqs and freqs == sorted(freqs, reverse=True)
    assert fits(page)


def test_dispersion_draws_a_strip_per_report(server, sized) -> None:
    page = sized
    page.goto(server + "/dispersion")
    page.locator("form.searchbox input[name=q]").fill("城市")
    page.locator("form.searchbox button").click()
    page.wait_for_selector(".dispersion-list li")
    strips = page.locator(".dispersion-list .strip")
    ticks = page.locator(".dispersion-list .strip line").count()
    total = int(page.locator(".totals strong").first.inner_text().replace(",", ""))
    assert strips.count() == page.locator(".dispersion-list li").count() >= 2
    assert ticks == total
    assert page.locator(".dispersion-profile rect").count() == 10
    box = strips.first.bounding_box()
    assert box and box["width"] > 200  # a strip is wide enough to read, on a phone too
    assert fits(page)


def test_codebook_lists_every_column(server, sized) -> None:
    page = sized
    page.goto(server + "/adoption?q=城市&level=province")
    page.locator(".switch a", has_text="含下级报告").click()
    page.wait_for_selector(".switch a.on:has-text('含下级报告')")
    assert "rollup=1" in page.url
    page.locator(".exports a", has_text="变量说明").click()
    page.wait_for_selector(".codebook-table")
    assert page.locator(".codebook-table tbody tr").count() == len(COLUMNS)
    assert "rollup=1" in page.locator(".exports a", has_text="面板 CSV").get_attribute("href")
    assert fits(page)
