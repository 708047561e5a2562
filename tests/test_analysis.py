"""Whoosh tokenizers: positions, chars, Whoosh's arguments, the user dictionary, phrase search."""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Phrase
from whoosh.query import Term as WTerm

from indexer import analysis
from indexer.analysis import (
    USERDICT,
    CharTokenizer,
    JiebaTokenizer,
    char_analyzer,
    jieba_analyzer,
    words,
)
from indexer.fold import fold

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "深化“最多跑一次”改革，推进ＰＭ２．５治理。政府工作報告 提到 G20 峰会和5G网络"
TOKENIZERS = [JiebaTokenizer(), CharTokenizer()]
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


@pytest.mark.parametrize("tk", TOKENIZERS, ids=["jieba", "char"])
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


def test_char_tokens_are_every_non_space_character_at_its_offset() -> None:
    text = "PM２.5 治理\u3000G20"
    toks = _tokens(CharTokenizer(), text)
    assert [(w, p) for w, p, _, _ in toks] == [
        ("p", 0), ("m", 1), ("2", 2), (".", 3), ("5", 4), ("治", 6), ("理", 7),
        ("g", 9), ("2", 10), ("0", 11),
    ]  # fmt: skip


@pytest.mark.parametrize("tk", TOKENIZERS, ids=["jieba", "char"])
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


def test_schema_with_both_analyzers_pickles() -> None:
    schema = Schema(words=TEXT(analyzer=jieba_analyzer()), chars=TEXT(analyzer=char_analyzer()))
    again = pickle.loads(pickle.dumps(schema))
    assert again == schema
    assert [t.text for t in again["words"].analyzer("最多跑一次")] == ["最多跑一次"]


def test_import_does_no_work_and_loading_is_quiet(capfd, monkeypatch) -> None:
    code = "import sys, indexer.analysis; print('jieba' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
    monkeypatch.setattr(analysis, "_JIEBA", None)
    capfd.readouterr()
    assert words("放管服") == ["放管服"]
    captured = capfd.readouterr()
    assert captured.out == "" and "prefix dict" not in captured.err


def _paragraphs() -> list[str]:
    texts = sorted((ROOT / "corpus").rglob("*.txt"))
    paras = [p.strip() for f in texts for p in f.read_text("utf-8").split("\n\n")]
    return [p for p in paras if len(p) >= 20][:80] + [SAMPLE, "换位跑一次", "１９５５年"]


def test_char_phrase_query_finds_every_sampled_substring() -> None:
    paras = _paragraphs()
    schema = Schema(id=ID(stored=True), chars=TEXT(analyzer=char_analyzer(), phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for i, p in enumerate(paras):
            w.add_document(id=str(i), chars=p)
    folded = [fold(p) for p in paras]
    rng = random.Random(1955)
    samples = ["最多跑一次", "跑一次", "pm2.5", "1955", "g20", "5g", "报告"]
    while len(samples) < 200:
        p = rng.choice(paras)
        n = rng.randint(1, 12)
        i = rng.randrange(max(1, len(p) - n))
        piece = p[i : i + n]
        if piece and not any(c.isspace() for c in piece):
            samples.append(piece)
    with ix.searcher() as s:
        for piece in samples:
            chars = [t.text for t in char_analyzer()(piece)]
            q = WTerm("chars", chars[0]) if len(chars) == 1 else Phrase("chars", chars)
            found = {int(h["id"]) for h in s.search(q, limit=None)}
            expected = {i for i, f in enumerate(folded) if fold(piece) in f}
            assert found == expected, piece
