"""Stage 1, read: encodings, HTML, and the files that are rejected with a reason."""

from __future__ import annotations

import pytest

from indexer.read import ReadError, decode, html_to_text, read_text

PROSE = (
    "现在，我代表上城区人民政府向大会报告工作，请予审议，并请区政协各位委员和其他列席人员提出意见。"
    * 2
)


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("utf-8", PROSE.encode("utf-8")),
        ("utf-8 with BOM", b"\xef\xbb\xbf" + PROSE.encode("utf-8")),
        ("gbk", PROSE.encode("gbk")),
        ("gb18030", PROSE.encode("gb18030")),
        ("utf-16 with BOM", PROSE.encode("utf-16")),
        ("utf-16-be with BOM", b"\xfe\xff" + PROSE.encode("utf-16-be")),
    ],
)
def test_encodings_decode_to_the_same_text(case: str, data: bytes) -> None:
    assert read_text(data, "report.txt") == PROSE


@pytest.mark.parametrize(
    ("case", "data", "reason"),
    [
        ("empty", b"", "empty file"),
        ("only whitespace", b" \n\r\n\t", "empty file"),
        ("binary with NUL bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("control characters", bytes(range(1, 9)) * 20, "binary"),
        ("undecodable", b"\xff\xfe\xfd"[1:] * 50 + b"\x81", "undecodable"),
        ("no Chinese", b"Produced By some CMS\nPublic domain\n" * 20, "no Chinese prose"),
        (
            "a stub page",
            "論聯合政府\n的版本包括：\n論聯合政府 (1945年)\n，1945年中共七大報告".encode(),
            "no Chinese prose",
        ),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(case: str, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read_text(data, "x.txt")


def test_decode_tries_utf8_before_gb18030() -> None:
    assert decode("拱墅区".encode()) == "拱墅区"
    assert decode("拱墅区".encode("gbk")) == "拱墅区"


def test_html_markup_and_scripts_are_dropped() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>2026年浙江省政府工作报告</title>"
        "<style>p{color:red}</style><script>var x = '<p>';</script></head><body>"
        "<div class='nav'>首页 &gt; 要闻</div><p>各位代表：</p>"
        f"<p>{PROSE}</p><p>PM2.5&nbsp;浓度下降</p></body></html>"
    )
    text = read_text(html.encode(), "page.html")
    assert "<" not in text and "color" not in text and "var x" not in text
    assert "各位代表：" in text.split("\n")
    assert PROSE in text.split("\n")


def test_html_to_text_puts_block_elements_on_their_own_lines() -> None:
    assert html_to_text("<p>一、总体要求</p><p>坚持稳中求进。<br>扎实推进。</p>") == (
        "一、总体要求\n坚持稳中求进。\n扎实推进。"
    )
