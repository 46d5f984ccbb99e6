"""Gold span files refer to the reports by path and offsets: no report text is stored in the project,
loading fills it in from the reader and stops on any drift, and writing leaves it out."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ie.errors import InputError
from ie.eval.spans import gold_tasks
from ie.read import read
from ie.studio.convert import convert
from ie.studio.export import write_exports
from ie.studio.stored import document_path, load_tasks, read_export
from tests.helpers import ROOT, SHARED, shared_file

STUDIO = ROOT / "annotations" / "studio"
SAMPLE = STUDIO / "corpus__v2021__2022-04.json"


def test_no_stored_annotation_holds_the_reports_text() -> None:
    files = sorted(STUDIO.glob("*.json"))
    assert len(files) >= 129
    for file in files:
        for task in read_export(file):
            assert "text" not in task["data"], f"{file.name}: task {task['data'].get('start')}"
            assert {"document", "start", "end"} <= set(task["data"]), file.name


def test_loading_fills_each_task_with_the_readers_text() -> None:
    shared_file("corpus/v2021/2022-04.txt")
    tasks = load_tasks(SAMPLE)
    document = read(document_path(tasks[0]["data"]["document"]))
    for task in tasks:
        data = task["data"]
        assert data["text"] == document.text[data["start"] : data["end"]]
        for item in task["annotations"][0]["result"]:
            if item["type"] == "labels":
                value = item["value"]
                assert data["text"][value["start"] : value["end"]] == value["text"]
    # the evaluation's reader fills them the same way, from the report it has read
    assert gold_tasks("corpus/v2021/2022-04.txt", report=document) == tasks


def _tampered(tmp_path: Path) -> Path:
    """A copy of a real gold file whose first task's offsets are shifted by one character: what a
    reader whose text gained a character before that chunk would give."""
    tasks = read_export(SAMPLE)
    tasks[0]["data"]["start"] += 1
    tasks[0]["data"]["end"] += 1
    copy = tmp_path / "studio" / SAMPLE.name
    copy.parent.mkdir()
    copy.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return copy


def test_a_span_the_readers_text_no_longer_holds_is_an_error_naming_document_and_task(
    tmp_path: Path,
) -> None:
    shared_file("corpus/v2021/2022-04.txt")
    copy = _tampered(tmp_path)
    start = read_export(copy)[0]["data"]["start"]
    with pytest.raises(InputError) as raised:
        load_tasks(copy)
    message = str(raised.value)
    assert "../shared/corpus/v2021/2022-04.txt" in message
    assert f"task at characters {start}-" in message and "has changed" in message
    # the command line: one line, exit 2, no dataset written
    result = subprocess.run(
        [sys.executable, "-m", "ie.studio", "convert", str(copy.parent), "--out",
         str(tmp_path / "ds")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and not (tmp_path / "ds").exists()


def test_offsets_past_the_readers_text_are_an_error(tmp_path: Path) -> None:
    shared_file("corpus/v2021/2022-04.txt")
    tasks = read_export(SAMPLE)
    tasks[-1]["data"]["end"] += 100_000
    copy = tmp_path / SAMPLE.name
    copy.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="outside the .* characters the reader gives now"):
        load_tasks(copy)


def test_a_missing_document_is_an_error_naming_the_file(tmp_path: Path) -> None:
    tasks = read_export(SAMPLE)[:1]
    tasks[0]["data"]["document"] = str(tmp_path / "gone.txt")
    copy = tmp_path / "gone.json"
    copy.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=r"gone\.json: cannot read the annotated document"):
        load_tasks(copy)


def _exported(path: Path, start: int, end: int, text: str, span: str) -> dict:
    """A task as Label Studio exports it: with its text, one NUMBER region."""
    at = text.index(span)
    value = {"start": at, "end": at + len(span), "text": span, "labels": ["NUMBER"]}
    region = {"id": "n", "from_name": "label", "to_name": "text", "type": "labels", "value": value}
    data = {"text": text, "document": str(path), "start": start, "end": end}
    return {"id": 7, "data": data, "annotations": [{"id": 1, "result": [region]}]}


def _pulled_seed_task(shift: int = 0) -> dict:
    """Seed 004's "共收到政府信息公开申请26件" as Label Studio exports it; ``shift`` moves its offsets
    (as if the document had changed since the push)."""
    source = shared_file("seeds/004_e0499503ab353c5a.txt")
    line = "共收到政府信息公开申请26件"
    start = read(source).text.index(line) + shift
    return _exported(source, start, start + len(line), line, "26")


def test_pulled_tasks_are_written_without_their_text_and_read_back_whole(tmp_path: Path) -> None:
    task = _pulled_seed_task()
    written = write_exports([task], tmp_path / "out").files
    assert [p.name for p in written] == ["seeds__004_e0499503ab353c5a.json"]
    stored = read_export(written[0])
    assert "text" not in stored[0]["data"] and "共收到" not in written[0].read_text(
        encoding="utf-8"
    )
    assert load_tasks(written[0]) == [task]


def test_a_pulled_task_whose_text_is_not_the_documents_is_not_written(tmp_path: Path) -> None:
    task = _pulled_seed_task(shift=1)  # the document changed since it was pushed
    with pytest.raises(InputError, match="cannot store task 7 .* by reference"):
        write_exports([task], tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_broken_span_in_a_stored_task_is_left_to_conversion_not_taken_for_drift(
    tmp_path: Path,
) -> None:
    """Offsets past the chunk cannot come from a reader's drift (a filled chunk keeps its length):
    the task is reported as malformed and skipped, the others convert."""
    shared_file("corpus/v2021/2022-04.txt")
    tasks = read_export(SAMPLE)
    region = next(r for r in tasks[0]["annotations"][0]["result"] if r["type"] == "labels")
    region["value"]["end"] = tasks[0]["data"]["end"] - tasks[0]["data"]["start"] + 5
    copy = tmp_path / SAMPLE.name
    copy.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert len(load_tasks(copy)) == len(tasks)
    stderr = io.StringIO()
    _, report = convert(copy, None, stderr=stderr)
    assert report.skipped == 1 and report.examples == len(tasks) - 1
    assert "are not inside the text" in stderr.getvalue()


def test_a_pulled_span_that_is_not_its_tasks_text_is_not_written(tmp_path: Path) -> None:
    task = _pulled_seed_task()
    task["annotations"][0]["result"][0]["value"]["text"] = "62"
    with pytest.raises(InputError, match="region n says '62' where its text is '26'"):
        write_exports([task], tmp_path / "out")


def test_stored_documents_are_found_under_ie_shared_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the stored files name ../shared/...: run from another folder with the reports elsewhere
    # ($IE_SHARED), the loader still reads each task's document
    shared_file("corpus/v2021/2022-04.txt")
    elsewhere = tmp_path / "reports"
    elsewhere.symlink_to(SHARED.resolve(), target_is_directory=True)
    monkeypatch.setenv("IE_SHARED", str(elsewhere))
    monkeypatch.chdir(tmp_path)
    document = load_tasks(SAMPLE)[0]["data"]["document"]
    assert document.startswith("../shared/")
    assert document_path(document) == elsewhere / document.removeprefix("../shared/")
    assert load_tasks(SAMPLE)[0]["data"]["text"]
