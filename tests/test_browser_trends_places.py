"""/trends by place and /adoption's filters in headless Chromium at a desktop and a phone
width, served by `baogao serve` over the index with places at every level: one term in named
places, a level's small multiples, a chart saved as SVG, a filter removed by its chip and set
in the form; the concordance's collocations steered by their form. No sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browsing import NEEDS_CHROMIUM, checked_page, serve

pytestmark = NEEDS_CHROMIUM
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def server(placed_index: Path) -> Iterator[str]:
    with serve(placed_index) as url:
        yield url


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized(request, browser):
    with checked_page(browser, width=request.param, locale="zh-CN", accept_downloads=True) as pg:
        yield pg


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_one_term_in_places_then_a_levels_small_multiples(server, sized) -> None:
    page = sized
    page.goto(server + "/trends")
    page.locator("form.terms input[name=q]").first.fill("发展")
    page.locator("form.terms input[name=place]").fill("拱墅区、保定市、河北省")
    page.locator("form.terms button").click()
    page.wait_for_selector("svg.chart.lines g.line")
    assert page.locator("svg.chart.lines g.line").count() == 3
    assert page.locator(".legend li").all_inner_texts()[0].startswith("拱墅区（杭州市）")
    assert fits(page)
    with page.expect_download() as download:
        page.locator("a.svg-link").first.click()
    assert download.value.suggested_filename == "baogao-trends.svg"
    assert "<svg" in Path(download.value.path()).read_text(encoding="utf-8")
    page.locator(".switch.modes a", has_text="各区县").click()
    page.wait_for_selector(".multiples figure")
    assert "each=district" in page.url
    assert page.locator(".multiples figure svg.chart").count() == 6
    assert fits(page)


def test_adoption_filters_as_chips_and_a_form(server, sized) -> None:
    page = sized
    page.goto(server + "/adoption?q=发展&level=district&province=浙江省&year_from=2013")
    chips = page.locator(".study-filters a.chip")
    assert chips.all_inner_texts() == ["省：浙江省 ×", "起始年：2013 ×"]
    chips.first.click()
    page.wait_for_selector(".study-filters a.chip")
    assert "province=" not in page.url and "year_from=2013" in page.url
    assert "level=district" in page.url
    page.locator(".study-filters summary").click()
    page.locator(".filter-form input[name=province]").fill("河北省")
    page.locator(".filter-form button").click()
    page.wait_for_selector(".study-filters a.chip:has-text('河北省')")
    assert "province=%E6%B2%B3%E5%8C%97%E7%9C%81" in page.url and "level=district" in page.url
    assert fits(page)


def test_collocations_steered_by_their_form(server, sized) -> None:
    page = sized
    page.goto(server + "/concordance?q=发展&coll=1")
    page.wait_for_selector(".coll-table")
    page.locator(".coll-form input[name=pos][value=n]").check()
    page.locator(".coll-form input[name=min_freq]").fill("3")
    page.locator(".coll-form button").click()
    page.wait_for_selector(".coll-form input[name=pos][value=n]:checked")
    assert "pos=n" in page.url and "min_freq=3" in page.url and "coll=1" in page.url
    nears = [
        int(t.replace(",", ""))
        for t in page.locator(".coll-table tbody td:nth-child(2)").all_inner_texts()
    ]
    assert nears and min(nears) >= 3
    assert fits(page)
