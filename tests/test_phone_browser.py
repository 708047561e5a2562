"""The site at a desktop's 1280 px and a phone's 390 px in headless Chromium, measured: the
concordance keeps its contexts readable, the timeline opens on the years that hold hits, the
home table says it scrolls, and an opened citation leaves the paragraph's links whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browsing import NEEDS_CHROMIUM, checked_page, serve

pytestmark = NEEDS_CHROMIUM
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def server(bundled_index: Path) -> Iterator[str]:
    with serve(bundled_index) as url:
        yield url


@pytest.fixture(scope="module")
def shared_server(shared_index: Path) -> Iterator[str]:
    with serve(shared_index) as url:
        yield url


def at(browser, width: int):
    phone = width < 600
    options = {"is_mobile": True, "has_touch": True} if phone else {}
    return checked_page(browser, width, 844 if phone else 900, locale="zh-CN", **options)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found, locator
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_concordance_keeps_its_contexts(server, browser, width) -> None:
    with at(browser, width) as page:
        page.goto(f"{server}/concordance?q=改革")
        rows = page.locator("table.kwic tbody tr")
        assert rows.count() == 20
        least = 200 if width > 600 else 80
        for i in range(3):
            row = rows.nth(i)
            left, match, right = (box(row.locator(f"td.{c}")) for c in ("left", "match", "right"))
            assert left["width"] >= least and right["width"] >= least, (left, right)
            assert match["width"] >= 40
            assert right["x"] + right["width"] <= width  # on the screen, not beyond
            assert row.locator("td.left").inner_text() and row.locator("td.right").inner_text()
        link = box(rows.first.locator("a", has_text="原文"))
        assert link["x"] + link["width"] <= width  # the way to the passage stays


HITS = """box => [...box.querySelectorAll("a.bar")]
    .filter(a => a.querySelector("rect:not(.hitbox)"))
    .map(a => {
        const r = a.querySelector("rect:not(.hitbox)").getBoundingClientRect();
        return [r.left, r.right];
    })"""


@pytest.mark.shared
@pytest.mark.parametrize("width", WIDTHS)
def test_the_timeline_opens_on_the_years_that_hold_hits(shared_server, browser, width) -> None:
    """最多跑一次 is said from 2016 on, in a timeline over 1921–2026: on a phone, where the
    chart scrolls sideways, it opens on those years, not on the empty 1920s."""
    with at(browser, width) as page:
        page.goto(f"{shared_server}/search?q=最多跑一次")
        scroller = page.locator(".timeline .chart-scroll")
        view = box(scroller)
        hits = scroller.evaluate(HITS)
        assert len(hits) >= 3
        lo, hi = view["x"] - 1, view["x"] + view["width"] + 1
        seen = [[a, b] for a, b in hits if a >= lo and b <= hi]
        if width > 600:
            assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth")
        else:
            assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls
        assert seen == hits  # every year with hits is on the screen as the page opens


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_table_says_it_scrolls_when_it_does(server, browser, width) -> None:
    with at(browser, width) as page:
        page.goto(f"{server}/")
        table = page.locator(".table-scroll")
        overflows = table.evaluate("el => el.scrollWidth > el.clientWidth + 1")
        cue = page.locator("#years-cue")
        assert overflows == (width < 600)  # seven years fit a desktop, not a phone
        assert cue.is_visible() == overflows
        if overflows:
            where = box(cue)
            assert where["x"] >= 0 and where["x"] + where["width"] <= width
            assert where["y"] + where["height"] <= box(table)["y"] + 1  # above the table
            assert "左右滑动" in cue.inner_text() and "2015–2021" in cue.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_opened_citation_leaves_the_paragraph_links_whole(server, browser, width) -> None:
    with at(browser, width) as page:
        page.goto(f"{server}/search?q=改革")
        page.locator(".hit h3 a").first.click()
        page.wait_for_selector(".para.matched")
        para = page.locator(".para.matched").first
        tools = para.locator(".para-tools")
        tools.locator(".cite summary").click()
        cited = box(tools.locator(".cite-item").first)
        assert cited["x"] + cited["width"] <= width
        links = tools.locator(":scope > a")
        assert links.count() >= 1
        for i in range(links.count()):
            link = links.nth(i)
            where = box(link)
            size = link.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
            # one line, each character at least half an em wide: not one character a line
            assert where["height"] < 2 * size * 1.6, (link.inner_text(), where)
            assert where["width"] >= len(link.inner_text().strip()) * size * 0.5, where
