"""Where a report was published, when its file or its folder's manifest says: kept with the
report and linked from the reader."""

from __future__ import annotations

from pathlib import Path

from indexer.build import build_index
from indexer.ingest import ingest
from search_app import create_app

BODY = "各位代表：\n\n现在，我代表区人民政府，向大会报告工作，请予审议。\n\n" + (
    "过去一年，我们深化“最多跑一次”改革，推进城中村改造，完善公共服务，办成了一批民生实事。\n\n" * 4
)


def test_a_source_link_from_a_header_line_or_the_manifest_reaches_the_reader(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "原文链接：https://www.example.gov.cn/art/2018/1/23/a.html\n\n2018年拱墅区政府工作报告\n\n"
        + BODY,
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text("2019年拱墅区政府工作报告\n\n" + BODY, encoding="utf-8")
    (corpus / "c.txt").write_text("2020年拱墅区政府工作报告\n\n" + BODY, encoding="utf-8")
    (corpus / "MANIFEST.csv").write_text(
        "file,url\nb.txt,https://www.example.gov.cn/b.html\nc.txt,not a link\n", encoding="utf-8"
    )
    reports = {r.source: r for r in ingest([corpus]).reports}
    assert reports["a.txt"].source_url == "https://www.example.gov.cn/art/2018/1/23/a.html"
    assert reports["b.txt"].source_url == "https://www.example.gov.cn/b.html"
    assert reports["c.txt"].source_url == ""
    assert not any("原文链接" in p.text for p in reports["a.txt"].paragraphs)
    build_index(list(reports.values()), tmp_path / "index")
    client = create_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    page = client.get(f"/reports/{reports['b.txt'].id}").get_data(as_text=True)
    assert 'href="https://www.example.gov.cn/b.html"' in page and "原文链接" in page
    api = client.get(f"/api/reports/{reports['a.txt'].id}").get_json()
    assert api["source_url"] == reports["a.txt"].source_url
