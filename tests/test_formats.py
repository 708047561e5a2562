"""PDF, Word and web-page versions of the bundled reports ingest to the same reports as their
text versions; files that cannot be read are skipped with one line saying why.

The files are written at test time from corpus/ by bench/convert.py (no binary fixtures):
a PDF with a running header, "— N —" page numbers and page breaks inside sentences and words;
a .docx with numbered headings, a table of header fields and a report paragraph boxed in a
table; a portal page with a menu, a breadcrumb, share buttons, a sidebar of other reports'
titles, a footer and scripts, in UTF-8 and in GBK.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import jieba
import pytest

from bench.convert import convert_file, to_docx, to_pdf
from indexer.fold import fold
from indexer.formats import extract, format_of
from indexer.formats.html import page_charset
from indexer.formats.pdf import is_page_number
from indexer.ingest import ingest, ingest_bytes, report_id
from indexer.read import ReadError

BUNDLED = sorted((Path(__file__).resolve().parents[1] / "corpus" / "hangzhou").glob("*.txt"))
FORMATS = ("pdf", "docx", "docx-nested", "html", "html-gbk", "html-table")
# Page furniture the converted files add around the report: none of it may reach a paragraph.
FURNITURE = (
    "拱墅区人民政府公报", "— 1 —", "— 2 —", "首页", "政务服务", "互动交流", "您现在的位置",
    "分享到", "微信", "QQ空间", "相关报告", "2017年拱墅区政府工作报告", "统计公报", "浏览次数",
    "主办：", "版权所有", "ICP备", "公网安备", "网站标识码", "统计代码", "页面加载完成", "console",
)  # fmt: skip


def _converted(path: Path, fmt: str, font: Path | None) -> tuple[bytes, str]:
    return convert_file(path.read_bytes(), path.name, fmt, font)


@pytest.fixture(scope="module", params=FORMATS)
def fmt(request) -> str:
    if request.param == "pdf":
        request.getfixturevalue("cjk_font")
    return request.param


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name[:3])
def test_each_format_ingests_to_the_text_versions_reports(path: Path, fmt: str, request) -> None:
    font = request.getfixturevalue("cjk_font") if fmt == "pdf" else None
    data, name = _converted(path, fmt, font)
    text_reports = ingest_bytes(path.read_bytes(), f"hangzhou/{path.name}")
    reports = ingest_bytes(data, f"hangzhou/{name}")

    assert len(reports) == len(text_reports)
    added = [
        f for f in FURNITURE if not any(f in p.text for r in text_reports for p in r.paragraphs)
    ]
    for k, (got, want) in enumerate(zip(reports, text_reports, strict=True), start=1):
        assert [fold(p.text) for p in got.paragraphs] == [fold(p.text) for p in want.paragraphs]
        assert [(p.heading, p.section) for p in got.paragraphs] == [
            (p.heading, p.section) for p in want.paragraphs
        ]
        same = {**want.meta(), "id": got.id, "source": got.source}
        assert got.meta() == same, f"metadata of report {k} differs"
        assert got.source == f"hangzhou/{name}"  # the original file, not a converted text
        assert got.id == report_id(got.source, k)
        for paragraph in got.paragraphs:
            assert not [f for f in added if f in paragraph.text], paragraph.text


def test_pdf_page_breaks_inside_a_sentence_and_a_word_rejoin_with_no_space(cjk_font) -> None:
    path = BUNDLED[0]
    layout = to_pdf(path.read_text(encoding="utf-8"), cjk_font)
    assert layout.pages >= 3
    inside_word = []
    for before, after in layout.breaks:
        tail, head = before.rstrip()[-6:], after[:6]
        offsets, cut = [0], len(tail)
        for word in jieba.lcut(tail + head):
            offsets.append(offsets[-1] + len(word))
        if cut not in offsets:
            inside_word.append(tail + head)
    assert inside_word, f"no page break falls inside a word: {layout.breaks}"
    texts = [_bare(p.text) for r in ingest_bytes(layout.data, "000.pdf") for p in r.paragraphs]
    for before, after in layout.breaks:  # every break is inside a sentence: rejoined whole
        phrase = before.rstrip()[-6:] + after[:6]
        assert any(_bare(phrase) in t for t in texts), phrase
    for phrase in inside_word:
        assert any(_bare(phrase) in t for t in texts), phrase


def _bare(text: str) -> str:
    """Folded, without punctuation (the clean stage widens a comma between Chinese words)."""
    return re.sub(r"[\W_]", "", fold(text))


def test_pdf_running_header_and_page_numbers_are_not_text(cjk_font) -> None:
    layout = to_pdf(BUNDLED[2].read_text(encoding="utf-8"), cjk_font, "上城区政府公报 第3期")
    text = extract(layout.data, "002.pdf").text
    assert "上城区政府公报" not in text and "第3期" not in text
    assert not [line for line in text.split("\n") if is_page_number(line) or "— " in line]
    assert layout.pages == extract(layout.data, "002.pdf").pages


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("3", True), ("- 3 -", True), ("— 3 —", True), ("－ 12 －", True), ("第3页", True),
        ("第 3 页 共 20 页", True), ("3/20", True), ("Page 3 of 20", True), ("- iii -", True),
        ("2018年第1期", False), ("一、2014年工作回顾", False), ("3.5%", False),
    ],
)  # fmt: skip
def test_page_number_shapes(line: str, number: bool) -> None:
    assert is_page_number(line) is number


def test_docx_headings_and_tables_are_read() -> None:
    import docx

    data = to_docx(BUNDLED[2].read_text(encoding="utf-8"))
    document = docx.Document(io.BytesIO(data))
    assert document.tables  # a report paragraph boxed in a one-cell table
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "一、2014年工作回顾" in headings
    (report,) = ingest_bytes(data, "002.docx")
    assert "一、2014年工作回顾" in {p.text for p in report.paragraphs if p.heading}
    boxed = document.tables[0].cell(0, 0).text
    assert _bare(boxed) in {_bare(p.text) for p in report.paragraphs}  # table prose stays prose

    data = to_docx(BUNDLED[3].read_text(encoding="utf-8"))  # header fields as a table
    assert "索 引 号 | H001/2021-48336\n成文日期 | 2021-07-07" in extract(data, "003.docx").text
    (report,) = ingest_bytes(data, "003.docx")
    assert report.date == "2021-07-07"


def test_a_gbk_page_is_read_in_the_charset_it_declares() -> None:
    data, _ = convert_file(BUNDLED[0].read_bytes(), "000.txt", "html-gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert page_charset(data) == "gb18030"
    assert page_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    extracted = extract(data, "000.html")
    assert extracted.header["标题"] == "2018年拱墅区政府工作报告"
    assert extracted.header["发布日期"] == "2018-01-23"
    assert "政府绩效" in extracted.text


def _scan_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("L", (600, 800), 255)
    for x in range(50, 550):  # a few dark strokes where a scan would have print
        for y in range(100, 700, 40):
            image.putpixel((x, y), 0)
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(image, x=0, y=0, w=pdf.w)
    return bytes(pdf.output())


def _encrypted_pdf(font: Path) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    pdf.multi_cell(w=400, text=BUNDLED[0].read_text(encoding="utf-8")[:400])
    data = bytes(pdf.output())
    for loaded in pdf.fonts.values():
        loaded.ttfont.close()
    return data


def _zip_of_something_else() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/1.txt", "这不是一份文档。")
    return out.getvalue()


def test_unreadable_files_are_skipped_with_one_line_each(
    tmp_path: Path, cjk_font: Path, caplog, monkeypatch
) -> None:
    layout = to_pdf(BUNDLED[0].read_text(encoding="utf-8"), cjk_font)
    files = {
        "scan.pdf": _scan_pdf(),
        "locked.pdf": _encrypted_pdf(cjk_font),
        "truncated.pdf": layout.data[: len(layout.data) // 2],
        "garbled.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
        "photos.docx": _zip_of_something_else(),
        "nobody.html": "<html><head><title>2018年拱墅区政府工作报告</title></head></html>".encode(),
        "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "good.pdf": layout.data,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.setattr("indexer.formats.doc.shutil.which", lambda _: None)

    result = ingest([tmp_path])

    reasons = {p.source: p.reason for p in result.problems}
    assert reasons == {
        "scan.pdf": "no text layer: a scan; OCR it first",
        "locked.pdf": "encrypted PDF: needs a password; save it unprotected first",
        "truncated.pdf": "damaged PDF: truncated (no end-of-file marker)",
        "garbled.pdf": reasons["garbled.pdf"],
        "photos.docx": "not a Word document: the .docx holds no document part",
        "nobody.html": "web page without report text (no body)",
        "old.doc": "a .doc file needs conversion: install antiword or save it as .docx",
    }
    assert reasons["garbled.pdf"].startswith("damaged PDF: cannot be opened")
    assert all("\n" not in r and "internal error" not in r for r in reasons.values())
    assert "Traceback" not in caplog.text
    assert [r.source for r in result.reports] == ["good.pdf"]  # the run went on
    assert result.formats == {"pdf": 5, "docx": 1, "html": 1, "doc": 1}


def test_a_doc_is_read_through_antiword_when_installed(monkeypatch) -> None:
    from indexer.formats import doc

    monkeypatch.setattr(doc.shutil, "which", lambda _: "/bin/false")
    with pytest.raises(ReadError, match="unreadable .doc"):
        doc.read(b"\xd0\xcf\x11\xe0" + bytes(64))


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("a.pdf", b"%PDF-1.7", "pdf"), ("a.PDF", b"", "pdf"), ("a.docx", b"PK", "docx"),
        ("a.doc", b"", "doc"), ("a.htm", b"", "html"), ("a.txt", b"%PDF-1.4", "pdf"),
        ("a", b"\xd0\xcf\x11\xe0", "doc"), ("a.txt", b"", "text"), ("a.png", b"", ""),
        ("a.doc", b"PK\x03\x04", "docx"), ("a.doc", b"{\\rtf1", "rtf"),
        ("a.doc", b"\r\n<html>", "html"), ("a.docx", b"\xd0\xcf\x11\xe0", "doc"),
        ("a.txt", b"PK\x03\x04", "text"), ("a.txt", b"{\\rtf1", "text"),
    ],
)  # fmt: skip
def test_format_by_name_and_first_bytes(name: str, head: bytes, fmt: str) -> None:
    assert format_of(name, head) == fmt


def test_the_ingest_summary_counts_files_by_format_and_lists_skips(
    tmp_path: Path, runner, cjk_font: Path
) -> None:
    for path in BUNDLED[:2]:
        for fmt in ("pdf", "docx", "html"):
            data, name = _converted(path, fmt, cjk_font)
            (tmp_path / name).write_bytes(data)
    (tmp_path / "scan.pdf").write_bytes(_scan_pdf())

    result = runner("ingest", tmp_path)

    assert result.exit_code == 0
    assert "files by format: pdf 3, docx 2, html 2" in result.stdout
    assert "skipped scan.pdf: no text layer: a scan; OCR it first" in result.stdout


def test_a_word_file_that_is_really_another_kind_is_read_as_what_it_is(tmp_path: Path) -> None:
    """Portals serve .docx, web pages and RTF under a .doc name."""
    text = BUNDLED[0].read_text(encoding="utf-8")
    (tmp_path / "a.doc").write_bytes(to_docx(text))
    (tmp_path / "b.doc").write_bytes(b"{\\rtf1\\ansi \\u25913?}")
    result = ingest([tmp_path])
    assert [r.source for r in result.reports if r.source == "a.doc"]
    assert {p.source: p.reason for p in result.problems} == {
        "b.doc": "b.doc is rich text (RTF): save it as .docx or text"
    }
    assert result.formats == {"docx": 1, "rtf": 1}


def test_tables_nested_in_a_word_table_cell_are_read() -> None:
    """The whole report in a one-cell table, its header-field table and a paragraph boxed in
    tables nested in that cell: the nested prose stays paragraphs, the fields stay rows."""
    text = BUNDLED[3].read_text(encoding="utf-8")
    data = to_docx(text, nested=True)
    import docx

    (outer,) = docx.Document(io.BytesIO(data)).tables
    assert len(outer.cell(0, 0).tables) == 2
    got = extract(data, "003.docx").text
    assert "索 引 号 | H001/2021-48336\n成文日期 | 2021-07-07" in got
    boxed = outer.cell(0, 0).tables[1].cell(0, 0).text
    assert len(boxed) > 200 and boxed in got.split("\n")


# a paragraph of a bundled report
NESTED = next(
    line for line in BUNDLED[1].read_text(encoding="utf-8").split("\n") if "城中村" in line
)


def _nested_docx(depth: int) -> bytes:
    """A report paragraph in a table nested `depth` tables deep."""
    import docx

    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(depth - 1):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = NESTED
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_table_nested_deep_is_read_and_one_too_deep_for_the_xml_parser_is_skipped() -> None:
    # three XML levels a table (w:tbl, w:tr, w:tc): 60 tables stay within lxml's 256 levels
    assert NESTED in extract(_nested_docx(60), "a.docx").text.split("\n")
    with pytest.raises(ReadError) as raised:
        extract(_nested_docx(100), "deep.docx")
    assert str(raised.value) == "Word document nested too deep: XML over 256 levels"


_FILLER = b"<w:p><w:r><w:t>0</w:t></w:r></w:p>" * 30_000  # a megabyte of paragraphs


def _bomb(size: int, part: str = "word/document.xml", zip64: bool = True) -> bytes:
    """A report's .docx with `part` grown (or added) to over `size` bytes of paragraphs,
    written a megabyte at a time: a few hundred KB packed."""
    docx_data = to_docx(BUNDLED[0].read_text(encoding="utf-8"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_data)) as src, zipfile.ZipFile(out, "w") as dest:
        body = src.read(part) if part in src.namelist() else b"<w:body>"
        head, tail = body.split(b"<w:body>")
        for info in src.infolist():
            if info.filename != part:
                dest.writestr(info, src.read(info))
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dest.open(info, "w", force_zip64=zip64) as member:
            member.write(head + b"<w:body>")
            for _ in range(size // len(_FILLER) + 1):
                member.write(_FILLER)
            member.write(tail)
    return out.getvalue()


def _declared(data: bytes, part: str, size: int) -> bytes:
    """The zip with `part`'s unpacked size given as `size` in both of its headers."""
    name = part.encode()
    out = bytearray(data)
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        at = next(
            m.start()
            for m in re.finditer(re.escape(signature), data)
            if data[m.start() + name_at :].startswith(name)
        )
        out[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
    return bytes(out)


def test_a_word_file_whose_xml_unpacks_past_16_mb_is_skipped_unread() -> None:
    """The 200 MB document.xml took 100 s and 5.9 GB; one of 33 MB took 115 s and 0.7 GB."""
    bomb = _bomb(17 * 2**20)
    assert len(bomb) < 2**20
    with pytest.raises(ReadError) as raised:
        extract(bomb, "bomb.docx")
    assert str(raised.value) == "Word document too large: its XML says it unpacks to over 16 MB"


def test_a_word_file_with_parts_past_256_mb_is_skipped_unread() -> None:
    """Pictures count too: python-docx holds every part it reads in memory."""
    pictures = _bomb(2**20, "word/media/image1.png", zip64=False)
    with pytest.raises(ReadError) as raised:
        extract(_declared(pictures, "word/media/image1.png", 257 * 2**20), "pictures.docx")
    assert str(raised.value) == "Word document too large: it says it unpacks to over 256 MB"


def test_a_word_file_that_understates_a_parts_size_is_read_no_further_and_skipped() -> None:
    liar = _declared(_bomb(2 * 2**20, zip64=False), "word/document.xml", 50_000)
    with pytest.raises(ReadError) as raised:
        extract(liar, "liar.docx")
    assert str(raised.value) == "damaged Word document: word/document.xml does not unpack"


def _page(body: str) -> bytes:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>2018年拱墅区政府工作报告</title>"
        f"</head><body>{body}</body></html>"
    ).encode()


def _paragraphs(path: Path) -> str:
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if len(line) > 40]
    return "".join(f"<p>{line}</p>" for line in lines[:6])


def test_a_page_laid_out_in_tables_keeps_its_paragraphs_and_its_data_tables_rows() -> None:
    data, _ = convert_file(BUNDLED[0].read_bytes(), "000.txt", "html-table")
    figures = "<table><tr><td>指标</td><td>数值</td></tr><tr><td>生产总值</td><td>807亿元</td></tr>"
    at = data.index(b"</p>", data.index(b'class="content"')) + 4  # in the article
    data = data[:at] + f"{figures}</table>".encode() + data[at:]
    lines = extract(data, "000.html").text.split("\n")
    text_lines = [line.strip() for line in BUNDLED[0].read_text(encoding="utf-8").split("\n")]
    long = [line for line in text_lines if len(line) > 40]
    assert [line for line in lines if len(line) > 40] == long  # one line a paragraph, as written
    assert "| 生产总值 | 807亿元 |" in [line.strip() for line in lines]


def test_a_page_nested_deep_is_read_and_one_nested_too_deep_is_skipped_saying_so() -> None:
    paragraphs = _paragraphs(BUNDLED[0])
    tables = "<table><tr><td>" * 100 + paragraphs + "</td></tr></table>" * 100  # 400 levels
    assert "一年来" in extract(_page(tables), "tables.html").text
    divs = "<div>" * 3000 + paragraphs + "</div>" * 3000
    with pytest.raises(ReadError) as raised:
        extract(_page(divs), "divs.html")
    assert str(raised.value) == "web page nested too deep: over 2048 levels of elements"


def test_what_a_browser_does_not_show_is_not_read() -> None:
    hidden = "这一段藏在页面里，浏览器不会显示它，也不应当被索引。"
    body = (
        _paragraphs(BUNDLED[0])
        + f"<template><p>{hidden}</p></template><p hidden>{hidden}</p>"
        + f"<div style='display:none'><p>{hidden}</p></div><p aria-hidden='true'>{hidden}</p>"
        + _paragraphs(BUNDLED[1])
    )
    text = extract(_page(body), "page.html").text
    assert "一年来" in text and "浏览器" not in text


def test_word_vertical_tab_line_breaks_are_lines() -> None:
    """Word writes a line break within a paragraph (Shift+Enter) as \\x0b in the text it exports."""
    text = BUNDLED[0].read_text(encoding="utf-8")
    reports = ingest_bytes(text.replace("\n", "\x0b").encode(), "000.txt")
    assert [[p.text for p in r.paragraphs] for r in reports] == [
        [p.text for p in r.paragraphs] for r in ingest_bytes(text.encode(), "000.txt")
    ]


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.doc", "a.html", "a.htm", "a.txt", "a.PDF"])
@pytest.mark.parametrize("data", [b"", b" \r\n"], ids=["empty", "blank"])
def test_an_empty_file_of_every_format_is_said_to_be_empty(name: str, data: bytes) -> None:
    with pytest.raises(ReadError) as raised:
        ingest_bytes(data, name)
    assert str(raised.value) == "empty file"


def test_a_skip_reason_names_the_users_file_not_a_temporary_copy(tmp_path, monkeypatch) -> None:
    """antiword names the file it was given, a temporary copy of the user's file: this stand-in
    fails as antiword does on a file that is not a Word document."""
    antiword = tmp_path / "antiword"
    antiword.write_text(
        '#!/bin/sh\nfor last; do :; done\necho "$last is not a Word Document." >&2\nexit 1\n'
    )
    antiword.chmod(0o755)
    monkeypatch.setattr("indexer.formats.doc.shutil.which", lambda _: str(antiword))
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    (problem,) = ingest([tmp_path / "reports"]).problems

    assert problem.reason == "unreadable .doc: old.doc is not a Word Document."
