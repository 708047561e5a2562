"""The learned topic labeller: its figures on the gold set, training from a corpus's own
headings, the model file, determinism, budget reports and the scores in the API."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexer.topic_eval import evaluate, format_eval, read_gold, term_labeller
from indexer.topic_model import (
    DEFAULT_MODEL,
    ModelError,
    TopicModel,
    load_model,
    read_model,
    write_model,
)
from indexer.topic_train import Exclusion, distant_examples, fit, heading_topics
from indexer.topics import TOPIC_IDS, load_taxonomy

GOLD = Path(__file__).parent / "data" / "topics_gold.jsonl"
ROOT = Path(__file__).resolve().parents[1]


def test_test_split_keeps_the_measured_figures():
    """The model's figures on the test split, never used to train or tune it (micro-F1 0.834,
    first topic 0.877; issue 24 asks 0.86 and 0.88): it fails if labelling gets worse."""
    report = evaluate(GOLD, "test")
    assert report.n == 285
    assert report.micro_f1 >= 0.83, format_eval(report)
    assert report.primary_accuracy >= 0.87, format_eval(report)


def test_the_model_does_better_than_the_term_list_alone():
    model, terms = evaluate(GOLD, "test"), evaluate(GOLD, "test", term_labeller())
    assert model.micro_f1 > terms.micro_f1
    assert model.primary_accuracy > terms.primary_accuracy


def test_the_shipped_model_says_what_it_was_trained_on():
    note = load_model(DEFAULT_MODEL).note
    assert "national" in note["trained_on"] and "official" in note["trained_on"]
    assert "dev split" in note["tuning"]
    assert note["test_split"] == "never used for training or tuning"


def test_no_gold_paragraph_is_a_training_example(shared_ingest):
    gold = read_gold(GOLD)
    exclude = Exclusion(r["text"] for r in gold)
    examples = distant_examples(shared_ingest.reports, load_taxonomy(), exclude)
    assert len(examples) > 3000
    assert all(r["text"] in exclude for r in gold)
    assert not any(e.text in exclude for e in examples)


@pytest.mark.parametrize(
    ("heading", "topics"),
    [
        ("（三）着力保障和改善民生", ("welfare",)),
        ("四、加快建设美丽中国", ("environment",)),
        ("（九）努力建设生态文明的美好家园。", ("environment",)),
        ("四、加强政府自身建设", ("government",)),
        ("关于外交工作", ("defense",)),
        ("三、卫生健康支出", ("economy",)),  # a budget line: public money
        ("一、2025年工作回顾", ()),  # spans every field
        ("三、2026年工作安排", ()),
        ("一、指导思想和总体要求", ("general",)),
    ],
)
def test_headings_name_their_field(heading, topics):
    assert heading_topics(heading, load_taxonomy()) == topics


def test_training_on_a_small_corpus_labels_held_out_paragraphs(shared_corpus):
    """26 provincial reports train; the paragraphs of 5 others under field-naming headings
    are labelled by the learned n-grams alone (no term list, no heading): measured 76% right,
    where always naming the commonest field would be right for 17%."""
    from indexer.ingest import ingest

    tax = load_taxonomy()
    reports = sorted(ingest([shared_corpus / "provinces-2026"]).reports, key=lambda r: r.source)
    train, held_out = reports[:-5], reports[-5:]
    model = fit(distant_examples(train, tax), tax, c=0.5, bits=16)
    model = replace(model, term_weights=model.term_weights * 0, section_weight=0.0)
    examples = distant_examples(held_out, tax)
    assert len(examples) >= 200
    got = model.label([e.text for e in examples], ["" for _ in examples], tax)
    right = sum(e.topic in topics for e, (topics, _) in zip(examples, got, strict=True))
    commonest = max(sum(e.topic == t for e in examples) for t in TOPIC_IDS)
    assert right / len(examples) >= 0.65
    assert right > 3 * commonest


def test_a_saved_model_labels_as_before(tmp_path):
    model = load_model(DEFAULT_MODEL)
    path = tmp_path / "copy.npz"
    write_model(model, path)
    rows = read_gold(GOLD, "dev")
    texts, sections = [r["text"] for r in rows], [r["section"] for r in rows]
    assert read_model(path).label(texts, sections) == model.label(texts, sections)


def test_labelling_is_deterministic_and_independent_of_batching():
    rows = read_gold(GOLD)
    texts, sections = [r["text"] for r in rows], [r["section"] for r in rows]
    model = load_model()
    first = model.label(texts, sections)
    assert model.label(texts, sections) == first
    assert read_model(DEFAULT_MODEL).label(texts, sections) == first
    one_by_one = [model.label([t], [s])[0] for t, s in zip(texts, sections, strict=True)]
    assert one_by_one == first


def test_every_paragraph_gets_one_to_three_topics_with_scores():
    rows = read_gold(GOLD)
    for topics, scores in load_model().label([r["text"] for r in rows], [""] * len(rows)):
        assert len(topics) in (1, 2, 3) and len(scores) == len(topics)
        assert set(topics) <= set(TOPIC_IDS)
        assert "general" not in topics or topics == ("general",)
        assert all(0 < s <= 1 for s in scores) and list(scores) == sorted(scores, reverse=True)


@pytest.mark.parametrize("text", ["", "   ", "0", "各位代表！"])
def test_empty_or_bare_paragraphs_are_labelled(text):
    ((topics, scores),) = load_model().label([text], [""])
    assert len(topics) == 1 and len(scores) == 1


def _corrupt(path: Path, how: str) -> None:
    data = DEFAULT_MODEL.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "text":
        path.write_text("not a model", encoding="utf-8")
    elif how == "wrong arrays":
        model = load_model(DEFAULT_MODEL)
        write_model(replace(model, bias=model.bias[:3]), path)


@pytest.mark.parametrize("how", ["truncated", "text", "wrong arrays"])
def test_a_corrupted_model_file_is_a_clear_error(tmp_path, how):
    path = tmp_path / "model.npz"
    _corrupt(path, how)
    with pytest.raises(ModelError, match=str(path)):
        read_model(path)


def test_a_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no topic model there"):
        load_model(tmp_path / "none.npz")


def test_a_model_of_other_topics_is_refused():
    model = load_model(DEFAULT_MODEL)
    other: TopicModel = replace(model, topics=model.topics[::-1])
    with pytest.raises(ModelError, match="retrain"):
        other.label(["稳定粮食播种面积"], [""])


def test_cli_says_what_is_wrong_with_a_model_file(tmp_path, runner, bundled_corpus):
    broken = tmp_path / "model.npz"
    _corrupt(broken, "truncated")
    for args in (
        ("eval-topics", "--model", broken),
        ("eval-topics", "--model", tmp_path / "none.npz"),
        ("index", "--topic-model", broken, "--index", tmp_path / "ix", bundled_corpus),
    ):
        result = runner(*args)
        assert result.exit_code == 1, result
        assert result.stderr.startswith("baogao: ") and "Traceback" not in result.stderr
        assert "model" in result.stderr
    assert not (tmp_path / "ix").exists()


def test_eval_topics_prints_the_model_dev_and_term_list_figures(runner):
    result = runner("eval-topics", "--gold", GOLD)
    assert result.exit_code == 0
    out = result.stdout
    assert "split: test  paragraphs: 285" in out
    model, terms = out.split("the term list alone")
    assert "dev: paragraphs 162" in model and "dev: paragraphs 162" in terms
    assert out.count("micro-F1") == 4 and all(t in out for t in TOPIC_IDS)


def test_train_without_scikit_learn_says_how_to_install_it(tmp_path, bundled_corpus):
    code = (
        "import sys; sys.modules['sklearn'] = None; from baogao.cli import main; "
        f"sys.exit(main(['topics', 'train', {str(bundled_corpus)!r}, '--out', "
        f"{str(tmp_path / 'm.npz')!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert "pip install 'baogao[topics]'" in done.stderr and "Traceback" not in done.stderr


def test_train_command_writes_a_model_the_index_can_use(tmp_path, runner, bundled_corpus):
    out = tmp_path / "mine.npz"
    result = runner("topics", "train", bundled_corpus, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "paragraphs under headings" in result.stdout
    mine = read_model(out)
    assert mine.note["tuning"].startswith("decision weights of the shipped model")
    assert mine.secondary == load_model(DEFAULT_MODEL).secondary
    copy = tmp_path / "corpus"
    shutil.copytree(bundled_corpus, copy)
    result = runner("index", "--topic-model", out, "--index", tmp_path / "ix", copy)
    assert result.exit_code == 0, result.stderr


def test_budget_reports_are_mostly_public_finance(shared_ingest):
    towns = ("baoding", "beijing", "chengde", "fuxin", "sanming", "tianjin", "wuxi", "zhanjiang")
    budget = [r for r in shared_ingest.reports if Path(r.source).name.startswith(towns)]
    assert len(budget) >= 6
    paragraphs = [p for r in budget for p in r.paragraphs if not p.heading]
    got = load_model().label([p.text for p in paragraphs], [p.section for p in paragraphs])
    first = [topics[0] for topics, _ in got]
    assert first.count("economy") / len(first) >= 0.6
    lines = {p.text: topics for p, (topics, _) in zip(paragraphs, got, strict=True)}
    education = [t for text, t in lines.items() if "教育支出" in text[:12]]
    assert education and all("education" in t for t in education)


def test_hits_carry_the_topic_scores(client):
    body = client.get("/api/search?q=改革").get_json()
    assert body["hits"]
    for hit in body["hits"]:
        assert len(hit["topic_scores"]) == len(hit["topics"]) >= 1
        assert all(0 < s <= 1 for s in hit["topic_scores"])


def test_the_model_file_is_compact():
    assert DEFAULT_MODEL.stat().st_size < 8_000_000
    with np.load(DEFAULT_MODEL) as data:
        assert json.loads(str(data["meta"]))["topics"] == list(TOPIC_IDS)


def test_the_topic_facet_help_says_how_topics_are_given_and_how_right(client):
    import html

    page = html.unescape(client.get("/search?q=改革").get_data(as_text=True))
    (note,) = [n for n in page.split('<p class="facet-note">')[1:] if "主题" in n[:40]]
    report = evaluate(GOLD, "test")
    assert "小标题" in note and "主题词表" in note and f"{report.n}段" in note
    assert f"约{round(report.primary_accuracy * 100)}%正确" in note
    assert f"F1约{report.micro_f1:.2f}" in note
