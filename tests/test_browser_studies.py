"""The trends, adoption and reuse pages in headless Chromium, served by `baogao serve` over an
index with places at every level: switch what a chart counts, switch the level of place, follow
a first mention and a shared passage. Screenshots go to a temporary folder, and to
docs/screenshots/ (shown in the README) when BAOGAO_SCREENSHOTS is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browsing import NEEDS_CHROMIUM, screenshot_folder, serve

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server(placed_index: Path) -> Iterator[str]:
    with serve(placed_index) as url:
        yield url


def shoot(page, name: str, tmp_path_factory) -> None:
    """Into $BAOGAO_SCREENSHOTS when set (docs/screenshots for the README), else a temporary
    folder."""
    folder = screenshot_folder(tmp_path_factory.mktemp("shots"))
    page.screenshot(path=str(folder / f"{name}.png"))


def test_trends_compare_terms_and_switch_the_count(server, page, tmp_path_factory) -> None:
    page.goto(server + "/trends")
    inputs = page.locator("form.terms input[name=q]")
    inputs.nth(0).fill("发展")
    inputs.nth(1).fill("改革")
    inputs.nth(2).fill("创新 OR 开放")
    page.locator("form.terms button").click()
    page.wait_for_selector("svg.chart.lines")
    assert page.locator("svg.chart.lines g.line").count() == 3
    assert page.locator("svg.chart.lines rect.gap").count() == 1  # 2018
    page.locator(".switch a", has_text="每万字次数").click()
    page.wait_for_selector(".switch a.on:has-text('每万字次数')")
    assert "show=per10k" in page.url and "q=%E5%8F%91%E5%B1%95" in page.url
    rows = page.locator(".trends-table tbody tr")
    assert rows.count() >= 7
    chars = int(rows.first.locator("td").first.inner_text().replace(",", ""))
    occ = int(rows.first.locator("td").nth(1).inner_text().replace(",", ""))
    per = float(rows.first.locator("td").nth(4).inner_text())
    assert per == pytest.approx(occ / chars * 1e4, abs=0.006)
    shoot(page, "trends", tmp_path_factory)


def test_adoption_switch_level_and_open_a_first_mention(server, page, tmp_path_factory):
    page.goto(server + "/adoption?q=城市&level=province")
    page.wait_for_selector(".adoption-table")
    page.locator(".switch a", has_text="区县").click()
    page.wait_for_selector(".switch a.on:has-text('区县')")
    assert "level=district" in page.url
    firsts = [
        int(t) for t in page.locator(".adoption-table tbody td:nth-child(2) a").all_inner_texts()
    ]
    assert firsts and firsts == sorted(firsts)
    assert page.locator("svg.chart.lines circle").count() >= 2
    shoot(page, "adoption", tmp_path_factory)
    link = page.locator(".adoption-table tbody td:nth-child(2) a").first
    anchor = link.get_attribute("href").rpartition("#")[2]
    link.click()
    page.wait_for_selector(f"#{anchor}")
    assert "城市" in page.locator(f"#{anchor} mark").all_inner_texts()


def test_reuse_from_the_reader_to_the_copy(server, page, tmp_path_factory) -> None:
    page.goto(server + "/reports/r00#p13")
    page.locator("#p13 .reuse-link").click()
    page.wait_for_selector(".passage")
    assert "p=13" in page.url
    assert page.locator(".reuse-para mark").count() >= 1
    href = page.locator(".where a").first.get_attribute("href")
    page.locator(".totals a", has_text="整份报告").click()
    page.wait_for_selector(".shared-table")
    shared = [
        int(c.replace(",", ""))
        for c in page.locator(".shared-table td:nth-child(4)").all_inner_texts()
    ]
    assert shared and shared == sorted(shared, reverse=True)
    shoot(page, "reuse", tmp_path_factory)
    page.goto(server + href)  # the copy, with the shared passage marked
    anchor = href.rpartition("#")[2]
    page.wait_for_selector(f"#{anchor} mark")
    assert page.locator(f"#{anchor} mark").count() >= 1
