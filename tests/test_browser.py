"""The site in headless Chromium, served by `baogao serve` (waitress) over the bundled index:
search from the home page, narrow by a facet, follow a hit to its passage. Screenshots go to
a temporary folder, or to $BAOGAO_SCREENSHOTS when it is set: `make screenshots` refreshes the
README's images (docs/screenshots/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browsing import NEEDS_CHROMIUM, checked_page, screenshot_folder, serve

QUERY = "最多跑一次"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server(bundled_index: Path) -> Iterator[str]:
    with serve(bundled_index) as url:
        yield url


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots are saved: $BAOGAO_SCREENSHOTS when set, else a temporary folder."""
    return screenshot_folder(tmp_path)


def _total(page) -> int:
    return int(page.locator(".totals strong").first.inner_text().replace(",", ""))


def test_search_narrow_and_read_the_passage(server, page, screenshots):
    page.goto(server + "/")
    page.fill(".searchbox input[name=q]", QUERY)
    page.press(".searchbox input[name=q]", "Enter")
    page.wait_for_selector(".hit")

    marks = page.locator(".excerpt mark").all_inner_texts()
    assert marks and set(marks) == {QUERY}
    assert page.locator(".timeline svg.chart").is_visible()
    total = _total(page)
    page.screenshot(path=str(screenshots / "search.png"))

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
    page.screenshot(path=str(screenshots / "report.png"))


def test_citation_is_copied_to_the_clipboard(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.goto(server + f"/search?q={QUERY}")
    page.locator(".hit h3 a").first.click()
    anchor = page.url.rpartition("#")[2]
    para = page.locator(f"#{anchor}")
    para.locator(".cite summary").click()
    citation = para.locator(".citation.gbt").inner_text()
    para.locator("button.copy").first.click()
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


@pytest.fixture
def phone(browser):
    with checked_page(browser, 390, 844, locale="zh-CN", is_mobile=True, has_touch=True) as pg:
        yield pg


def test_on_a_phone_the_filters_are_one_tap_away(server, phone, screenshots):
    phone.goto(server + f"/search?q={QUERY}")
    button = phone.locator("a.to-filters")
    assert button.is_visible()
    assert button.bounding_box()["y"] < 844  # on the first screen, above the results
    phone.screenshot(path=str(screenshots / "search-phone.png"))
    button.click()
    phone.wait_for_function("location.hash === '#filters'")
    facet = phone.locator("#facet-place").bounding_box()
    assert facet and facet["y"] < 844  # the filters are now in view
    phone.locator("#facet-place li a").first.click()
    phone.wait_for_selector("#facet-place li.selected")
    assert "已选 1 项" in phone.locator("a.to-filters").inner_text()


def test_on_a_phone_the_home_table_keeps_its_row_labels(server, phone, screenshots):
    phone.goto(server + "/")
    table = phone.locator(".table-scroll")
    table.evaluate("el => el.scrollLeft = el.scrollWidth")
    label = phone.locator(".corpus-table tbody th").first
    box = label.bounding_box()
    assert box and 0 <= box["x"] < 390 and label.inner_text()
    phone.screenshot(path=str(screenshots / "home-phone.png"), full_page=True)


def test_the_readers_way_back_restores_the_search(server, page):
    start = server + "/search?q=改革&sort=oldest&page=2"
    page.goto(start)
    first = page.locator(".hit h3 a").first.get_attribute("href")
    page.locator(".hit h3 a").first.click()
    page.locator("a", has_text="返回检索结果").click()
    page.wait_for_selector(".hit")
    assert page.url == start.replace("改革", "%E6%94%B9%E9%9D%A9")
    assert page.locator(".hit h3 a").first.get_attribute("href") == first


def test_on_a_phone_the_timeline_labels_are_readable(server, phone):
    phone.goto(server + "/search?q=改革")
    label = phone.locator(".timeline .chart text.year").first
    height = label.evaluate("el => el.getBoundingClientRect().height")
    assert height >= 9, f"year labels {height:.1f} px high"
