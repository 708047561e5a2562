"""The whole pipeline over real folders: the acceptance points of the ingestion issue."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from baogao.cli import main
from indexer.ingest import ingest, report_id
from indexer.metadata import read_manifest
from indexer.models import IngestResult

PROSE = (
    "现在，我代表区人民政府向大会报告工作，请予审议，并请区政协各位委员和其他列席人员提出意见。" * 2
)


@pytest.fixture(scope="module")
def hangzhou(bundled_corpus: Path) -> IngestResult:
    return ingest([bundled_corpus])


@pytest.fixture(scope="module")
def shared(shared_ingest) -> IngestResult:
    """The reference corpus, as the session ingested it once (conftest.py)."""
    return shared_ingest


HANGZHOU = [
    ("hangzhou/000_069442e9e4bac5b8.txt", "拱墅区", "district", 2018, "", "政府工作报告"),
    ("hangzhou/001_84e35802d34e009f.txt", "拱墅区", "district", 2016, "2016-07-28", "全会报告"),
    ("hangzhou/001_84e35802d34e009f.txt", "拱墅区", "district", 2016, "2016-12-28", "党代会报告"),
    ("hangzhou/001_84e35802d34e009f.txt", "拱墅区", "district", 2017, "2017-02-09", "政府工作报告"),
    ("hangzhou/002_9bc730d6815c430c.txt", "上城区", "district", 2015, "2015-01-27", "政府工作报告"),
    ("hangzhou/003_21005e00cf82ecb8.txt", "萧山区", "district", 2021, "", "工作总结"),
    ("hangzhou/004_4e54d764820ff8e8.txt", "江干区", "district", 2020, "", "工作计划"),
]


def test_hangzhou_five_files_give_seven_reports(hangzhou: IngestResult) -> None:
    assert hangzhou.files_read == 5 and not hangzhou.problems
    got = [(r.source, r.district, r.level, r.year, r.date, r.type) for r in hangzhou.reports]
    # 000 and 003 carry a publication date from their header; only the delivery dates are pinned
    expected = [
        (src, d, lv, y, got[i][4] if not date else date, t)
        for i, (src, d, lv, y, date, t) in enumerate(HANGZHOU)
    ]
    assert got == expected
    assert [r.speaker for r in hangzhou.reports[1:5]] == ["许明", "朱建明", "章燕", "陈瑾"]


@pytest.mark.parametrize(
    "phrase",
    ["全国先进基层党组织", "党的十八大以来", "拱墅环境的新颜值", "养老服务业综合改革试点工作"],
)
def test_phrases_broken_by_page_breaks_stand_whole_in_one_paragraph(
    hangzhou: IngestResult, phrase: str
) -> None:
    paragraphs = [p.text for r in hangzhou.reports if "/001_" in r.source for p in r.paragraphs]
    assert any(phrase in text for text in paragraphs)


def test_paragraphs_are_numbered_from_one_in_every_report(hangzhou: IngestResult) -> None:
    for report in hangzhou.reports:
        assert [p.n for p in report.paragraphs] == list(range(1, len(report.paragraphs) + 1))
        assert all(p.text.strip() == p.text and p.text for p in report.paragraphs)


def test_paragraphs_carry_their_section(hangzhou: IngestResult) -> None:
    government = hangzhou.reports[3]
    (paragraph,) = [p for p in government.paragraphs if p.text.startswith("产业培育有力推进。")]
    assert paragraph.section == (
        "一、过去五年工作回顾 > （一）五年来，我们着力加快转型发展，区域经济实力显著增强"
    )
    (heading,) = [p for p in government.paragraphs if p.text == "一、过去五年工作回顾"]
    assert heading.heading and heading.section == heading.text


CHROME = re.compile(
    r"^(下载|打印|全屏|收藏|加大|还原|减小|首页|>|】|分享到?[:：]?|相关报道[:：]|打印本页|关闭窗口)$"
    r"|【字[号体]|您的位置|当前位置|Produced By|发布时间|发表时间|索 ?引 ?号|主题分类|成文日期|"
    r"供图|记者[^。，]{0,12}摄|本作品|公有领域|公有領域|Public domain|维基文库|維基文庫|"
    r"责任编辑|扫一扫|^来源[:：]|^时间[:：]|^\[|^↑|[\u200b\u200c\u200d\ufeff]"
)


def test_no_paragraph_holds_page_furniture(shared: IngestResult) -> None:
    leaks = [
        (r.source, p.n, p.text[:40])
        for r in shared.reports
        for p in r.paragraphs
        if CHROME.search(p.text)
    ]
    assert leaks == []


def test_shared_corpus_reports_and_skips(shared: IngestResult) -> None:
    assert (
        len(shared.reports) == 7 + 87 + 31 + 25 + 14
    )  # hangzhou, national, provinces, zhumadian, official
    reasons = {p.source: p.reason for p in shared.problems}
    assert "no Chinese prose" in reasons["national/national_cpc_congress_07_論聯合政府_(七大).txt"]


@pytest.fixture(scope="module")
def neutral_provinces(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    folder = tmp_path_factory.mktemp("provinces")
    names = {}
    for k, path in enumerate(sorted((shared_corpus / "provinces-2026").glob("*.txt"))):
        neutral = f"report_{k:02d}.txt"
        shutil.copyfile(path, folder / neutral)
        names[neutral] = path.name.split("_")[1]  # 2026_<province>_政府工作报告.txt
    return ingest([folder]), names


def test_provinces_metadata_from_the_text_alone(neutral_provinces: tuple) -> None:
    result, names = neutral_provinces
    assert len(result.reports) == 31 and not result.problems
    got = {r.source: (r.district, r.level, r.year, r.type) for r in result.reports}
    assert got == {
        name: (province, "province", 2026, "政府工作报告") for name, province in names.items()
    }
    assert {"浙江省", "北京市", "广西壮族自治区"} <= {d for d, *_ in got.values()}


def test_national_reports_take_the_manifest_year(shared: IngestResult, shared_corpus: Path) -> None:
    manifest = read_manifest(shared_corpus / "national" / "MANIFEST.csv")
    national = [r for r in shared.reports if r.source.startswith("national/")]
    assert len(national) == 87
    for report in national:
        row = manifest[report.source.split("/", 1)[1]]
        assert (report.district, report.level) == (row["district"], row["level"])
        if "year" in row:
            assert report.year == int(row["year"]), report.source
        assert report.title == row["title"]


def test_ids_are_stable_url_safe_and_independent_of_other_files(
    bundled_corpus: Path, hangzhou: IngestResult, tmp_path: Path
) -> None:
    ids = [r.id for r in hangzhou.reports]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    assert [r.id for r in ingest([bundled_corpus]).reports] == ids
    corpus = tmp_path / "corpus"
    shutil.copytree(bundled_corpus, corpus)
    (corpus / "hangzhou" / "000_added.txt").write_text(PROSE * 3, encoding="utf-8")
    (corpus / "aaa").mkdir()
    (corpus / "aaa" / "new.txt").write_text(PROSE * 3, encoding="gbk")
    grown = ingest([corpus]).reports
    assert len(grown) == len(ids) + 2
    assert set(ids) <= {r.id for r in grown}
    assert {r.id for r in grown if r.source == "aaa/new.txt"} == {report_id("aaa/new.txt", 1)}


def test_messy_folder_is_ingested_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "messy"
    folder.mkdir()
    (folder / "gbk.txt").write_bytes(("上城区" + PROSE).encode("gbk"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ("拱墅区" + PROSE).encode())
    (folder / "copy.txt").write_bytes(b"\xef\xbb\xbf" + ("拱墅区" + PROSE).encode())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\x00")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")

    result = ingest([folder], progress=True)

    assert sorted(r.source for r in result.reports) == ["bom.txt", "gbk.txt"]
    reasons = {p.source: p.reason for p in result.problems}
    assert reasons["copy.txt"] == "duplicate of bom.txt"
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "damaged PDF" in reasons["scan.pdf"]
    assert "not a report file (.png)" == reasons["photo.png"]
    assert "symlink loop" in reasons["loop"]
    assert "symlink loop" in reasons["self.txt"]
    assert "cannot read" in reasons["dangling.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(PROSE * 3, encoding="utf-8")
    locked.chmod(0)
    try:
        result = ingest([tmp_path])
    finally:
        locked.chmod(0o644)
    assert [(p.source, "cannot read" in p.reason) for p in result.problems] == [
        ("locked.txt", True)
    ]


def test_a_file_argument_is_named_by_its_file_name(bundled_corpus: Path) -> None:
    (path,) = bundled_corpus.glob("hangzhou/002_*.txt")
    (report,) = ingest([path]).reports
    assert report.source == path.name


def test_missing_path_is_reported(tmp_path: Path) -> None:
    result = ingest([tmp_path / "nowhere"])
    assert result.reports == [] and result.problems[0].reason == "no such file or folder"


def test_cli_ingest_prints_reports_and_a_summary(
    bundled_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(bundled_corpus)]) == 0
    out, err = capsys.readouterr()
    assert "files read: 5, reports: 7, paragraphs:" in out
    assert "\t上城区\t2015\t政府工作报告\t" in out
    assert err == ""  # a fast run shows no progress bar


def test_cli_ingest_json(bundled_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--json", str(bundled_corpus)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 7
    fields = {"id", "place", "year", "date", "type", "title", "speaker", "source", "source_url"}
    assert set(rows[0]) == fields | {"paragraphs"}
    assert rows[2]["place"] == {
        "name": "拱墅区", "code": "330105", "level": "district", "province": "浙江省",
        "city": "杭州市",
    }  # fmt: skip
    # the title block leads as paragraphs of its own: title, meeting line, date, speaker
    assert [p["text"] for p in rows[2]["paragraphs"][:4]] == [
        rows[2]["title"],
        "——在中国共产党杭州市拱墅区第七次代表大会上的报告",
        "（2016年12月28日）",
        "朱建明",
    ]
    assert rows[2]["paragraphs"][4] == {"paragraph": 5, "section": "", "text": "各位代表、同志们："}


def test_cli_ingest_json_lists_skipped_files_with_their_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prose = "一年来，我们坚持稳中求进工作总基调，经济运行稳中有进，民生保障扎实有力。" * 3
    (tmp_path / "a.txt").write_text("各位代表：\n" + prose, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["ingest", "--json", str(tmp_path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len([r for r in rows if "id" in r]) == 1
    skipped = {r["skipped"]: r["reason"] for r in rows if "skipped" in r}
    assert set(skipped) == {"notes.csv", "empty.txt"}
    assert all(reason and str(tmp_path) not in reason for reason in skipped.values())


def test_a_report_in_traditional_characters_is_read_like_its_simplified_form(tmp_path) -> None:
    from indexer.ingest import ingest_bytes

    path = Path(__file__).parent / "data" / "corpus" / "hangzhou" / "006_traditional.txt"
    text = path.read_text(encoding="utf-8")
    (report,) = ingest_bytes(text.encode("utf-8"), "006_traditional.txt")
    assert (report.district, report.city, report.province) == ("江干区", "杭州市", "浙江省")
    assert "區" in "".join(p.text for p in report.paragraphs)  # the text itself is kept as written


def test_each_file_is_read_once_so_its_recorded_hash_is_of_the_bytes_indexed(
    fixture_corpus: Path, tmp_path: Path
) -> None:
    """A file that changes after it was hashed: what is indexed is what was hashed, never the
    old hash recorded with the new text (a later --update would then miss the change)."""
    import hashlib

    from indexer.ingest import ingest_file, scan

    folder = tmp_path / "corpus"
    shutil.copytree(fixture_corpus, folder)
    result = IngestResult()
    first = next(iter(scan([folder], result)))
    hashed = first.path.read_bytes()
    first.path.write_text("2025年某区政府工作报告\n\n" + PROSE + "\n", encoding="utf-8")
    reports = ingest_file(first, result)
    assert reports and result.digests[first.source] == hashlib.sha256(hashed).hexdigest()
    indexed = "".join(p.text for r in reports for p in r.paragraphs)
    assert PROSE[:20] not in indexed  # the text of the bytes hashed, not of the new ones
    assert ingest([folder]).digests[first.source] != result.digests[first.source]
