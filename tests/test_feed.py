"""The Atom feed of a search: valid Atom, text escaped, newest paragraphs first; after an
update that adds a report mentioning a watched phrase, its paragraphs top that phrase's feed."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from lxml import etree

from indexer.update import update_index

PHRASE = "最多跑一次"
NEW_REPORT = (
    "余杭区二〇三〇年政府工作报告\n\n各位代表：\n\n"
    "过去一年，我们深化最多跑一次改革，办事更便捷\x0c，R&D 投入 <5% 的企业减少\x02。\n\n"
    "今年要把最多跑一次延伸到每个村社。\n\n"
    + "坚持以人民为中心的发展思想，统筹推进经济建设、政治建设、文化建设、社会建设和生态文明建设，"
    "全区地区生产总值稳步增长，城乡居民收入持续提高，民生福祉不断增进，社会大局和谐稳定。\n\n" * 3
)


def atom(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data, sanitize_html=False)  # the HTML as sent
    assert not parsed.bozo, parsed.bozo_exception  # well-formed XML
    assert parsed.version == "atom10"
    return parsed


def test_the_feed_is_valid_atom_with_a_permalink_per_entry(client):
    feed = atom(client, f"/search.atom?q={PHRASE}&district=拱墅区")
    assert feed.feed.title.endswith(PHRASE)
    assert feed.entries
    for entry in feed.entries:
        assert entry.link.startswith("http://localhost/reports/") and "#p" in entry.link
        assert entry.id and entry.updated
        assert "拱墅区" in entry.title
        assert f"<mark>{PHRASE}</mark>" in entry.summary


def test_the_results_page_links_its_feed(client):
    page = client.get(f"/search?q={PHRASE}").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert "/search.atom?q=" in page and ">订阅</a>" in page


# RFC 3987 without its non-ASCII ranges: what an IRI may hold once percent-encoded.
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


@pytest.mark.parametrize(
    "q", ["最多跑一次 \"<b>\" & 'x'", "最多跑一次 district:拱墅区 <", "最多跑一次"]
)
def test_the_feed_id_is_the_search_as_an_escaped_uri(client, q):
    """The feed's <id> (and self link) is a valid IRI: the search's own URL, percent-encoded,
    whatever the query holds (a raw " or < was sent as it came)."""
    response = client.get("/search.atom", query_string={"q": q})
    assert response.status_code == 200
    root = etree.fromstring(response.data)  # well-formed XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [root.findtext("a:id", namespaces=ns), *root.xpath("a:entry/a:id/text()", namespaces=ns)]
    assert len(ids) > 1 or "<" in q
    for value in ids:
        assert URI.fullmatch(value), value
    feed_id = ids[0]
    assert root.xpath("a:link[@rel='self']/@href", namespaces=ns) == [feed_id]
    assert parse_qs(urlsplit(feed_id).query)["q"] == [q.strip()]
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo and parsed.feed.id == feed_id


def test_a_bad_query_in_a_feed_is_a_400(client):
    assert client.get("/search.atom?q=(改革").status_code in (200, 400)
    assert client.get("/search.atom?year_from=abc").status_code == 400


@pytest.fixture
def growing(bundled_corpus, tmp_path, client_of, one_second):
    """An index of corpus/ made by an update, and its client; the updates of the test come
    within one second of it (`one_second`)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(bundled_corpus, corpus)
    update_index([corpus], index)
    return corpus, index, client_of(index)


def test_a_report_added_by_an_update_tops_the_feed_and_its_text_is_escaped(growing):
    corpus, index, client = growing
    before = atom(client, f"/search.atom?q={PHRASE}")
    assert before.entries
    (corpus / "hangzhou" / "999_yuhang.txt").write_text(NEW_REPORT, encoding="utf-8")
    stats, _ = update_index([corpus], index)
    assert stats.added == ["hangzhou/999_yuhang.txt"]
    after = atom(client, f"/search.atom?q={PHRASE}")
    top = after.entries[:2]
    assert all("余杭区" in e.title for e in top)
    assert not any("余杭区" in e.title for e in after.entries[2:])
    oldest_first = atom(client, f"/search.atom?q={PHRASE}&sort=oldest")  # 2030 sorts last
    assert {e.title for e in oldest_first.entries[:2]} == {e.title for e in top}
    assert top[0].updated_parsed >= before.entries[0].updated_parsed  # shown to the second
    # control characters of the file (a form feed, \x02) are left out: the feed stays XML
    # the file's markup is text: escaped once in the HTML, never a live tag
    text = next(e.summary for e in top if "R&amp;D" in e.summary)
    assert "R&amp;D" in text and "&lt;5%" in text  # escaped once in the HTML
