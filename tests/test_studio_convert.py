"""ie.studio without a server: chunks, predictions, file names, and convert on hand-built exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ie.document import Document, identity_offsets
from ie.eval.gold import document_file_name
from ie.studio.__main__ import main
from ie.studio.convert import (
    Malformed,
    bio_tags,
    convert,
    split_documents,
    task_example,
)
from ie.studio.export import file_names, write_exports
from ie.studio.tasks import chunks, document_tasks, prediction
from ie.types import Entity, Relation, Span, Tagging

REPORT = (
    "某区2019年政府信息公开工作年度报告\n"
    "\n"
    "    全年主动公开政府信息4126条，其中规范性文件57条。\n"
    "共收到政府信息公开申请26件，办结26件。\n"
)


def entity(text: str, phrase: str, label: str, occurrence: int = 0) -> Entity:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return Entity(Span(start, start + len(phrase), phrase), label)


def region(rid: str, start: int, end: int, text: str, label: str | None) -> dict:
    value = {"start": start, "end": end, "text": text}
    if label is not None:
        value["labels"] = [label]
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def relation(head: str, tail: str, label: str | None, direction: str = "right") -> dict:
    item = {"type": "relation", "from_id": head, "to_id": tail, "direction": direction}
    item["labels"] = [label] if label else []
    return item


def task(task_id: int, document: str, start: int, text: str, result: list | None) -> dict:
    annotations = [] if result is None else [{"id": task_id * 10, "result": result}]
    data = {"text": text, "document": document, "start": start, "end": start + len(text)}
    return {"id": task_id, "data": data, "annotations": annotations}


# ------------------------------------------------------------------------------------------------
# chunks and predictions


def test_chunks_are_whole_lines_within_the_limit():
    found = chunks(REPORT, max_chars=40)
    assert [c.text for c in found] == [
        "某区2019年政府信息公开工作年度报告",
        "全年主动公开政府信息4126条，其中规范性文件57条。",
        "共收到政府信息公开申请26件，办结26件。",
    ]
    assert all(REPORT[c.start : c.end] == c.text for c in found)
    packed = chunks(REPORT, max_chars=500)
    assert len(packed) == 1 and packed[0].text == REPORT.strip()


def test_a_long_line_is_cut_after_a_sentence_end_only():
    line = "第一句话很长很长。第二句话也很长；第三句没有结束"
    found = chunks(line, max_chars=10)
    assert [c.text for c in found] == ["第一句话很长很长。", "第二句话也很长；", "第三句没有结束"]
    assert chunks("一句没有句号的很长的话", max_chars=3)[0].text == "一句没有句号的很长的话"


def test_prediction_keeps_what_lies_inside_the_chunk_relative_to_it():
    number = entity(REPORT, "26", "NUMBER", occurrence=1)  # not the 26 of 4126
    unit = entity(REPORT, "件", "UNIT", occurrence=1)  # not the 件 of 文件
    metric = entity(REPORT, "政府信息公开申请", "METRIC")
    outside = entity(REPORT, "4126", "NUMBER")
    tagging = Tagging(
        (metric, number, unit, outside),
        (Relation(number, metric, "value"), Relation(unit, number, "unit"),
         Relation(outside, metric, "value")),
    )  # fmt: skip
    chunk = chunks(REPORT, 40)[2]
    made = prediction(tagging, chunk, "v1")
    assert made["model_version"] == "v1"
    regions = [r for r in made["result"] if r["type"] == "labels"]
    links = [r for r in made["result"] if r["type"] == "relation"]
    assert {r["value"]["text"] for r in regions} == {"26", "件", "政府信息公开申请"}
    for r in regions:
        value = r["value"]
        assert chunk.text[value["start"] : value["end"]] == value["text"]
    assert sorted(r["labels"][0] for r in links) == ["unit", "value"]  # the 4126 link is left out
    ids = {r["id"] for r in regions}
    assert all(r["from_id"] in ids and r["to_id"] in ids for r in links)


def test_document_tasks_carry_their_offsets():
    document = Document("r.txt", REPORT, REPORT, identity_offsets(REPORT), "txt")
    tasks = document_tasks("../shared/r.txt", document, None, 40, "v1")
    assert [t["data"]["start"] for t in tasks] == [c.start for c in chunks(REPORT, 40)]
    assert all("predictions" not in t for t in tasks)
    assert tasks[1]["data"]["document"] == "../shared/r.txt"


# ------------------------------------------------------------------------------------------------
# pull: file names and files


def test_file_names_follow_the_gold_facts_naming():
    assert document_file_name("../shared/seeds/004_e0499503ab353c5a.txt") == (
        "seeds__004_e0499503ab353c5a.json"
    )
    assert (
        document_file_name("/work/shared/corpus/v2019/2019-02.txt") == "corpus__v2019__2019-02.json"
    )
    assert document_file_name("reports/a b.html") == "reports__a_b.json"
    names = file_names(["a/x.txt", "../a/x.txt"])
    assert len(set(names.values())) == 2


def test_written_exports_are_sorted_and_stable(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the documents, named relative to the working folder
    Path("d.txt").write_text(
        "主动公开4126条".ljust(50, "。") + "共收到申请26件\n", encoding="utf-8"
    )
    Path("e.txt").write_text("无\n", encoding="utf-8")
    later = task(2, "d.txt", 50, "共收到申请26件", [region("b", 5, 7, "26", "NUMBER"),
                                                   region("a", 3, 5, "申请", "METRIC")])  # fmt: skip
    earlier = task(1, "d.txt", 0, "主动公开4126条", [])
    other = task(3, "e.txt", 0, "无", None)
    out = tmp_path / "out"
    report = write_exports([later, earlier, other], out)
    assert sorted(p.name for p in report.files) == ["d.json", "e.json"]
    content = (out / "d.json").read_text(encoding="utf-8")
    tasks = json.loads(content)
    assert [t["data"]["start"] for t in tasks] == [0, 50]
    assert all("text" not in t["data"] for t in tasks)  # stored by reference to d.txt
    assert [r["id"] for r in tasks[1]["annotations"][0]["result"]] == ["a", "b"]
    assert content == json.dumps(tasks, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_exports([earlier, later, other], out)
    assert (out / "d.json").read_text(encoding="utf-8") == content
    assert not list(out.glob(".*.tmp"))


# ------------------------------------------------------------------------------------------------
# convert


def test_task_example_is_character_bio_with_relations():
    text = "共收到申请26件"
    result = [
        region("n", 5, 7, "26", "NUMBER"),
        region("m", 3, 5, "申请", "METRIC"),
        region("u", 7, 8, "件", "UNIT"),
        relation("n", "m", "value"),
        relation("n", "u", "unit", direction="left"),  # drawn from the NUMBER to its UNIT
    ]
    example = task_example(task(7, "d.txt", 100, text, result))
    assert example.tokens == list(text)
    assert example.ner_tags == ["O", "O", "O", "B-METRIC", "I-METRIC", "B-NUMBER", "I-NUMBER",
                                "B-UNIT"]  # fmt: skip
    assert example.start == 100 and example.end == 108 and example.document == "d.txt"
    assert example.relations == [
        {"head_start": 5, "head_end": 7, "tail_start": 3, "tail_end": 5, "label": "value"},
        {"head_start": 7, "head_end": 8, "tail_start": 5, "tail_end": 7, "label": "unit"},
    ]


def test_unannotated_and_cancelled_tasks_give_no_example():
    assert task_example(task(1, "d.txt", 0, "无", None)) is None
    cancelled = task(2, "d.txt", 0, "无", [])
    cancelled["annotations"][0]["was_cancelled"] = True
    assert task_example(cancelled) is None


MALFORMED = {
    "no label": [region("a", 0, 2, "共收", None)],
    "not inside the text": [region("a", 5, 40, "26件", "NUMBER")],
    "is not text": [region("a", 5, 7, "62", "NUMBER")],
    "overlap": [region("a", 3, 7, "申请26", "METRIC"), region("b", 5, 7, "26", "NUMBER")],
    "no region": [region("a", 5, 7, "26", "NUMBER"), relation("a", "ghost", "value")],
    "relation a→b: no label": [
        region("a", 5, 7, "26", "NUMBER"),
        region("b", 3, 5, "申请", "METRIC"),
        relation("a", "b", None),
    ],  # fmt: skip
    "unknown label": [region("a", 5, 7, "26", "PERCENT")],
}


@pytest.mark.parametrize("problem", sorted(MALFORMED))
def test_malformed_annotations_are_refused(problem: str):
    with pytest.raises(Malformed, match=problem):
        task_example(task(1, "d.txt", 0, "共收到申请26件", MALFORMED[problem]))


def test_convert_reports_and_skips_malformed_tasks(tmp_path: Path):
    exports = tmp_path / "studio"
    exports.mkdir()
    text = "共收到申请26件"
    good = task(1, "docs/a.txt", 0, text, [region("a", 5, 7, "26", "NUMBER")])
    bad = [task(100 + i, "docs/a.txt", 10 * (i + 1), text, MALFORMED[problem])
           for i, problem in enumerate(sorted(MALFORMED))]  # fmt: skip
    (exports / "a.json").write_text(json.dumps([good, *bad], ensure_ascii=False), encoding="utf-8")
    stderr = io.StringIO()
    dataset, report = convert(exports, tmp_path / "ds", seed=13, stderr=stderr)
    lines = stderr.getvalue().splitlines()
    assert report.skipped == len(MALFORMED) == len(lines)
    for i in range(len(MALFORMED)):
        assert any(line.startswith(f"[E025] task {100 + i} (docs/a.txt):") for line in lines)
    assert report.examples == 1 and dataset["train"]["ner_tags"] == [
        ["O"] * 5 + ["B-NUMBER", "I-NUMBER", "O"]
    ]


def test_splits_are_by_document_seeded_and_the_split_file_wins(tmp_path: Path):
    documents = [f"../shared/reports/{n:02d}.txt" for n in range(1, 11)]  # names only: none is read
    first = split_documents(documents, seed=13)
    assert first == split_documents(list(reversed(documents)), seed=13)
    assert sorted(first.values()).count("test") == 1 and sorted(first.values()).count("dev") == 1
    listed = {"reports/01.txt": "test", "reports/02.txt": "test"}
    with_file = split_documents(documents, seed=13, split_file=listed)
    assert with_file[documents[0]] == with_file[documents[1]] == "test"

    exports = tmp_path / "studio"
    exports.mkdir()
    tasks = [task(n * 10 + k, doc, k * 20, "共收到申请26件", [region("a", 5, 7, "26", "NUMBER")])
             for n, doc in enumerate(documents) for k in range(3)]  # fmt: skip
    (exports / "all.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    split_file = tmp_path / "splits.json"
    split_file.write_text(json.dumps({"seed": 1, "documents": listed}), encoding="utf-8")
    dataset, report = convert(exports, None, seed=13, split_file=split_file)
    assert report.examples == 30
    seen: dict[str, str] = {}
    for split in ("train", "dev", "test"):
        for document in dataset[split]["document"]:
            assert seen.setdefault(document, split) == split  # a document lies in one split only
    assert seen[documents[0]] == seen[documents[1]] == "test"


def test_convert_cli_prints_counts_and_saves(tmp_path: Path, capsys: pytest.CaptureFixture):
    from datasets import load_from_disk

    exports = tmp_path / "studio"
    exports.mkdir()
    tasks = [task(1, "a.txt", 0, "共收到申请26件", [region("a", 5, 7, "26", "NUMBER")]),
             task(2, "a.txt", 9, "无", None)]  # fmt: skip
    (exports / "a.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert main(["convert", str(exports), "--out", str(tmp_path / "ds")]) == 0
    printed = capsys.readouterr().out
    assert "2 tasks in 1 files: 1 examples, 1 not annotated, 0 skipped" in printed
    loaded = load_from_disk(str(tmp_path / "ds"))
    assert loaded["train"][0]["relations"] == [] and loaded["train"][0]["start"] == 0
    assert set(loaded) == {"train", "dev", "test"}


def test_convert_cli_refuses_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture):
    assert main(["convert", str(tmp_path), "--out", str(tmp_path / "ds")]) == 2
    assert "no Label Studio exports" in capsys.readouterr().err


def test_bio_tags():
    assert bio_tags(4, [(1, 3, "UNIT")]) == ["O", "B-UNIT", "I-UNIT", "O"]
