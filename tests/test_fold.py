"""fold: per-character, length-preserving, idempotent normalization for matching."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.fold import fold, fold_table

ANY_CHAR = st.one_of(st.characters(), st.characters(categories=["Cs", "Cc", "Cf", "Co", "Cn"]))
CJK_OR_WIDE = st.one_of(
    st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2FA1F),
)


@pytest.mark.parametrize(
    ("name", "text", "folded"),
    [
        ("traditional to simplified", "政府工作報告", "政府工作报告"),
        ("full-width digits", "１９５５", "1955"),
        ("full-width Latin and dot, case folded", "ＰＭ２．５", "pm2.5"),
        ("ASCII upper case", "G20", "g20"),
        ("ideographic space", "工作\u3000报告", "工作 报告"),
        ("no-break space", "a\u00a0b", "a b"),
        ("full-width punctuation", "（１）！", "(1)!"),
        ("full-width comma, semicolon, colon", "，；：", ",;:"),
        ("other Chinese punctuation kept", "。、“”「」《》", "。、“”「」《》"),
        ("simplified untouched", "最多跑一次", "最多跑一次"),
        ("traditional country name", "中華人民共和國", "中华人民共和国"),
        ("character by character, never OpenCC phrases", "乾隆", "干隆"),
        ("CJK compatibility ideograph, then simplified", "\uf900", "岂"),
        ("surrogate passes through", "a\ud800b", "a\ud800b"),
        ("empty", "", ""),
    ],
)
def test_fold_examples(name: str, text: str, folded: str) -> None:
    assert fold(text) == folded


def test_table_maps_each_character_to_a_fixed_point() -> None:
    table = fold_table()
    changed = [(chr(cp), c) for cp, c in enumerate(table) if c != chr(cp)]
    assert len(changed) > 4000  # OpenCC's single-character table plus widths and cases
    assert all(len(c) == 1 for _, c in changed)
    assert all(fold(c) == c for _, c in changed)


@settings(max_examples=300)
@given(st.text(ANY_CHAR | CJK_OR_WIDE, max_size=60))
def test_fold_is_length_preserving_per_character_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(c) for c in text)
    assert fold(folded) == folded


@settings(max_examples=100)
@given(st.text(ANY_CHAR | CJK_OR_WIDE, max_size=40), st.data())
def test_substring_folds_to_matching_substring(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    assert fold(text[i:j]) == fold(text)[i:j]


@pytest.mark.shared
def test_traditional_1954_report_matches_simplified_words(shared_corpus: Path) -> None:
    text = (shared_corpus / "national" / "national_1954_政府工作报告.txt").read_text("utf-8")
    folded = fold(text)
    assert len(folded) == len(text)
    assert "中華人民共和國" in text and "工作報告" in text
    assert folded.count("中华人民共和国") >= text.count("中華人民共和國")
    assert "工作报告" in folded
    assert "報" not in folded and "國" not in folded and "會" not in folded
    # a traditional query folds to what the simplified query finds
    assert folded.count(fold("工作報告")) == folded.count(fold("工作报告"))


INVISIBLE = ["\u200b", "\u200e", "\u200f", "\u202a", "\u202e", "\u2061", "\u2064", "\u2066",
             "\u2069", "\u180e", "\ufeff", "\u00ad", "\U000e0041", "\U000e007f"]  # fmt: skip


@settings(deadline=None)  # the first call builds the table of format characters
@given(st.text(alphabet=st.sampled_from(["改", "革", "a", " ", *INVISIBLE]), max_size=60))
def test_ingest_and_query_drop_the_same_invisible_characters(text) -> None:
    from indexer.fold import drop_invisible
    from search.lexer import sanitize as _sanitize

    dropped = drop_invisible(text)
    assert not any(c in dropped for c in INVISIBLE)
    assert _sanitize(text) == _sanitize(dropped)


def test_a_paragraph_with_invisible_characters_is_found_by_its_visible_text(tmp_path) -> None:
    from indexer.build import build_index
    from indexer.ingest import ingest_bytes
    from search.engine import Engine
    from search.results import SearchQuery

    marked = "深化改\u200f革，推进\u2066数字\u2069化\U000e0041转型，服务\u180e群众。" * 3
    body = f"拱墅区政府工作报告\n\n各位代表：\n\n{marked}\n\n今年工作总体要求是稳中求进。"
    reports = ingest_bytes(body.encode("utf-8"), "invisible.txt")
    texts = [p.text for r in reports for p in r.paragraphs]
    assert not any(c in t for t in texts for c in INVISIBLE)
    build_index(reports, tmp_path)
    engine = Engine.open(tmp_path)
    try:
        for q in ("改革", "数字化转型", "服务群众", marked[:12]):
            assert engine.search(SearchQuery(q=q)).total == 1, q
    finally:
        engine.close()
