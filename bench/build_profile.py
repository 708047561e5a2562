"""`python -m bench.build_profile`: where a build's CPU time goes, stage by stage.

Runs the stages of `indexer.build` one after another in one process over the first N paragraphs
of the benchmark corpus (the build runs them in two worker processes, the character index in
the parent meanwhile) and prints CPU seconds per stage and per million characters. CPU time,
not wall-clock: the figures hold on a machine shared with other work.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time

from bench import corpus as corpus_mod


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--topic-model", help="a topic model file (default: the shipped one)")
    opts = parser.parse_args(argv)

    from whoosh import index as whoosh_index

    from indexer import analysis, topics, whoosh_adapter
    from indexer.characters import clean_text, suffix_array
    from indexer.fold import fold, fold_table
    from indexer.models import PARAGRAPH_FIELDS
    from indexer.postings import WordPostings
    from indexer.schema import make_schema
    from indexer.topic_model import load_model
    from indexer.workers import _LABEL_BATCH

    corpus = corpus_mod.load(corpus_mod.corpus_path(opts.paragraphs, seed=opts.seed))
    rows = [(r, p) for r in corpus.to_reports() for p in r.paragraphs]
    texts = [clean_text(p.text) for _, p in rows]
    chars = sum(map(len, texts))
    print(f"{len(rows):,} paragraphs, {chars:,} characters; CPU s (s per million characters)")
    total = 0.0

    def stage(name: str, work):
        nonlocal total
        started = time.process_time()
        out = work()
        took = time.process_time() - started
        total += took
        print(f"{name:40s} {took:8.2f}  ({took / chars * 1e6:5.2f})", flush=True)
        return out

    stage("load: fold table", fold_table)
    stage("load: segmenter (jieba-rs)", analysis.segmenter)
    taxonomy = stage("load: topic taxonomy", topics.load_taxonomy)
    folded = stage("fold", lambda: [fold(t) for t in texts])
    words = stage("segment (word_set)", lambda: [analysis.word_set(f) for f in folded])
    model = stage("load: topic model", lambda: load_model(opts.topic_model))
    sections = [p.section for _, p in rows]
    stage(
        "topics (model, batches as the build)",
        lambda: [
            model.label_folded(
                folded[i : i + _LABEL_BATCH], sections[i : i + _LABEL_BATCH], taxonomy
            )
            for i in range(0, len(texts), _LABEL_BATCH)
        ],
    )
    folder = tempfile.mkdtemp(prefix="bench-profile-")
    try:
        ix = whoosh_index.create_in(folder, make_schema())
        writer = whoosh_adapter.segment_writer(ix)

        def stored() -> None:
            for pid, ((_, para), text) in enumerate(zip(rows, texts, strict=True)):
                record = {name: getattr(para, name) for name in PARAGRAPH_FIELDS}
                record.update(text=text, topics=("general",))
                writer.add_document(pid=pid, **record)

        stage("whoosh: stored fields", stored)
        postings = WordPostings()
        stage("postings: gather", lambda: [postings.add(i, w) for i, w in enumerate(words)])
        stage(
            "postings: write",
            lambda: postings.write(writer.fieldwriter, "words", ix.schema["words"]),
        )
        stage("whoosh: finish segment", lambda: whoosh_adapter.finish_segment(writer))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    data = stage(
        "character index: folded bytes", lambda: b"".join(f.encode() + b"\n" for f in folded)
    )
    stage("character index: suffix array", lambda: suffix_array(data))
    print(f"{'total':40s} {total:8.2f}  ({total / chars * 1e6:5.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
