"""Check that the index's words equal Python jieba's on a whole corpus (not run in tests or CI).

Usage:
    python tools/segmenter_identity.py [FOLDER ...]      (default: ../shared/corpus, else corpus/)

Every paragraph is ingested, folded as the build folds it, and cut twice: by
``indexer.analysis.cut`` (jieba-rs plus the split that makes it cut as jieba does) and by the
reference, Python jieba with the same dictionary (``indexer.analysis.jieba_tokenizer``).
Prints how many paragraphs are cut identically, token for token with offsets, how many are
identical without the split (jieba-rs alone), the first differences, and both speeds.
The query mix of ``bench/queries.txt`` is checked the same way, and the word sets the index
holds (``indexer.analysis.word_set``). Exit status 1 on a difference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import source_root  # noqa: E402
from indexer import analysis  # noqa: E402
from indexer.fold import fold  # noqa: E402
from indexer.ingest import ingest  # noqa: E402


def _spans(tokens: list[str]) -> list[tuple[str, int, int]]:
    out, end = [], 0
    for token in tokens:
        out.append((token, end, end + len(token)))
        end += len(token)
    return out


def _queries() -> list[str]:
    path = ROOT / "bench" / "queries.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*")
    args = parser.parse_args(argv)
    if args.folders:
        folders = args.folders
    else:
        root = source_root()
        folders = sorted(str(p) for p in root.iterdir() if p.is_dir()) or [str(root)]
    reports = ingest(folders, progress=False).reports
    texts = [fold(p.text.replace("\n", " ")) for r in reports for p in r.paragraphs]
    texts += [fold(q) for q in _queries()]
    chars = sum(map(len, texts))
    reference, seg = analysis.jieba_tokenizer(), analysis.segmenter()

    started = time.process_time()
    expected = [list(reference.tokenize(t)) for t in texts]
    jieba_s = time.process_time() - started
    started = time.process_time()
    got = [_spans(analysis.cut(t)) for t in texts]
    ours_s = time.process_time() - started
    plain = sum(e == _spans(seg.cut(t)) for t, e in zip(texts, expected, strict=True))
    same = sum(e == g for e, g in zip(expected, got, strict=True))
    repeats = sum(bool(analysis._REPEAT.search(t)) for t in texts)
    sets = sum(
        analysis.word_set(t) == {w for w, *_ in e if analysis._is_word(w)}
        for t, e in zip(texts, expected, strict=True)
    )

    print(f"{len(texts):,} texts ({len(texts) - len(_queries()):,} paragraphs of {len(reports):,}")
    print(f"reports in {', '.join(folders)}, and {len(_queries())} queries), {chars:,} chars")
    print(f"identical to jieba: {same:,} / {len(texts):,}; jieba-rs alone: {plain:,}")
    print(f"cut by jieba itself (a run said three times): {repeats:,}")
    print(f"word sets (what the index holds) identical: {sets:,} / {len(texts):,}")
    print(
        f"CPU: jieba {jieba_s:.2f} s ({chars / jieba_s:,.0f} chars/s), ours {ours_s:.2f} s", end=""
    )
    print(f" ({chars / ours_s:,.0f} chars/s)")
    shown = 0
    for text, e, g in zip(texts, expected, got, strict=True):
        if e != g and shown < 10:
            shown += 1
            print("differs:", text[:60], [w for w, *_ in e][:20], [w for w, *_ in g][:20])
    return 0 if same == sets == len(texts) else 1


if __name__ == "__main__":
    sys.exit(main())
