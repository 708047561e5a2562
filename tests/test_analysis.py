"""Whoosh tokenizers: positions, chars, Whoosh's arguments, the user dictionary, phrase search."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import TEXT, Schema

from indexer import analysis
from indexer.analysis import (
    USERDICT,
    JiebaTokenizer,
    jieba_analyzer,
    words,
)
from indexer.fold import fold

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "深化“最多跑一次”改革，推进ＰＭ２．５治理。政府工作報告 提到 G20 峰会和5G网络"
TOKENIZERS = [JiebaTokenizer()]
TEXTS = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.sampled_from(list("  ，。、“”（）ＡＢ１２ab12.%+\u3000\n")),
    ),
    max_size=40,
)


def _tokens(tk, text: str, **kw) -> list[tuple[str, int, int, int]]:
    toks = tk(text, positions=True, chars=True, **kw)
    return [(t.text, t.pos, t.startchar, t.endchar) for t in toks]


@pytest.mark.parametrize("tk", TOKENIZERS, ids=["jieba"])
@settings(max_examples=60, deadline=None)
@given(text=TEXTS, start_pos=st.integers(0, 50), start_char=st.integers(0, 500))
def test_tokens_slice_back_and_honour_start_pos_and_start_char(
    tk, text: str, start_pos: int, start_char: int
) -> None:
    folded = fold(text)
    toks = _tokens(tk, text, start_pos=start_pos, start_char=start_char)
    for word, _, s, e in toks:
        assert folded[s - start_char : e - start_char] == word
        assert word.strip() and word == word.strip()
    if isinstance(tk, JiebaTokenizer):
        assert [p for _, p, _, _ in toks] == list(range(start_pos, start_pos + len(toks)))
    else:
        assert [p - start_pos for _, p, _, _ in toks] == [s - start_char for _, _, s, _ in toks]


def test_jieba_tokens_are_folded_words_with_consecutive_positions() -> None:
    toks = _tokens(JiebaTokenizer(), SAMPLE)
    assert [w for w, *_ in toks] == words(SAMPLE)
    assert words(SAMPLE)[:6] == ["深化", "最多跑一次", "改革", "推进", "pm2.5", "治理"]
    assert {"报告", "g20", "5g"} <= set(words(SAMPLE))
    assert [p for _, p, _, _ in toks] == list(range(len(toks)))
    assert not any(w in "，。“”" for w, *_ in toks)


@pytest.mark.parametrize("tk", TOKENIZERS, ids=["jieba"])
def test_whoosh_arguments(tk) -> None:
    whole = list(tk("政府工作報告 G20", positions=True, chars=True, tokenize=False, start_pos=3))
    assert [(t.text, t.pos, t.startchar, t.endchar) for t in whole] == [
        ("政府工作报告 g20", 3, 0, 10)
    ]
    plain = [(t.text, t.positions, t.chars) for t in tk("工作報告")]
    assert plain and all(not p and not c for _, p, c in plain)
    kept = [t.original for t in tk("工作報告", keeporiginal=True)]
    assert "".join(kept) == "工作報告"
    modes = {(t.mode, t.removestops) for t in tk("工作", mode="query", removestops=False)}
    assert modes == {("query", False)}


@pytest.mark.parametrize(
    "term",
    [line.split()[0] for line in USERDICT.read_text("utf-8").splitlines() if line[:1] != "#"],
)
def test_user_dictionary_terms_stay_whole(term: str) -> None:
    assert fold(term) in words(f"我们要持续推进{term}工作")


def test_user_dictionary_is_large_enough() -> None:
    lines = [line for line in USERDICT.read_text("utf-8").splitlines() if line[:1] != "#"]
    assert len(lines) >= 67
    assert all(len(line.split()) == 2 and line.split()[1].isdigit() for line in lines)


def test_schema_with_the_analyzer_pickles() -> None:
    schema = Schema(words=TEXT(analyzer=jieba_analyzer()))
    again = pickle.loads(pickle.dumps(schema))
    assert again == schema
    assert [t.text for t in again["words"].analyzer("最多跑一次")] == ["最多跑一次"]


def test_import_does_no_work_and_loading_is_quiet(capfd, monkeypatch) -> None:
    code = "import sys, indexer.analysis; print({'jieba', 'rjieba'} & set(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "set()"
    monkeypatch.setattr(analysis, "_SEGMENTER", None)
    monkeypatch.setattr(analysis, "_JIEBA", None)
    capfd.readouterr()
    assert words("放管服") == ["放管服"]
    assert words("划划划") and words("2-3") == ["2", "3"]  # both segmenters loaded
    captured = capfd.readouterr()
    assert captured.out == "" and "prefix dict" not in captured.err


# The words are jieba's: jieba-rs cuts them, checked here against Python jieba itself.
JIEBA_TEXTS = st.text(
    st.one_of(
        st.sampled_from(list("中国发展改革经济政府工作报告最多跑一次城乡规划区县市一步")),
        st.sampled_from(list("abcxyz0123456789+#&._%-")),
        st.sampled_from(list(" ，。、“”（）\n\r\t:/")),
        st.sampled_from(list("䶮㟃鿫𠮷﨑")),  # Han to jieba-rs, not to jieba
    ),
    max_size=40,
)


def _jieba(folded: str) -> list[str]:
    return list(analysis.jieba_tokenizer().cut(folded))


@settings(max_examples=400, deadline=None)
@given(text=JIEBA_TEXTS)
def test_cut_equals_jiebas_on_any_text(text: str) -> None:
    folded = fold(text)
    assert analysis.cut(folded) == _jieba(folded)
    assert analysis.word_set(folded) == set(words(text))


@pytest.mark.parametrize(
    "text",
    ["2021-2023年", "pm_2.5浓度", "5g-a网络", "4.5-5%", "1.4l", "23.gep", "a-f"]
    + ["划划划", "一步一步一步", "零零零九九九"]
    + ["切实䶮打好", "在䶮打好基础", "𠮷打好", "㟃鿫区", "_㟃", "#䶮", ".𠮷4%"]
    + ["划划划\n发展改革\n切实䶮打好\r\n最多跑一次\n\n2-3\n", "\n零零零\n\n打好\r\n\n"],
)
def test_cut_equals_jiebas_where_jieba_rs_differs(text: str) -> None:
    assert analysis.cut(fold(text)) == _jieba(fold(text))


def test_cut_equals_jiebas_on_the_bundled_corpus() -> None:
    from indexer.ingest import ingest

    reports = ingest([str(ROOT / "corpus")], progress=False).reports
    texts = [fold(p.text.replace("\n", " ")) for r in reports for p in r.paragraphs]
    assert len(texts) > 300
    assert [analysis.cut(t) for t in texts] == [_jieba(t) for t in texts]
