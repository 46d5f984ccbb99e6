"""The Label Studio round trip against a real server: push a seed report with predictions, annotate
a few tasks through the API as an annotator would, pull, convert, and get exactly the same spans,
labels, relations and offsets back. Also: malformed annotations, and the CLI's one-line errors."""

from __future__ import annotations

import io
import json
import os
import random
import re
import socket
import string
import subprocess
import sys
from pathlib import Path

import pytest

from ie.errors import InputError
from ie.prepared import Prepared
from ie.studio.client import Settings, connect, get_or_create_project
from ie.studio.convert import convert
from ie.studio.export import pull
from ie.studio.tasks import chunks, push
from ie.types import ENTITY_LABELS, Entity, Relation, Span, Tagging
from tests.helpers import SHARED

pytestmark = pytest.mark.slow  # Label Studio, Ray, a browser or training: `pytest -m "not slow"` skips it

ROOT = Path(__file__).resolve().parents[1]
SEED = SHARED / "seeds" / "004_e0499503ab353c5a.txt"
VERSION = "test-regex-1"


def seed_text() -> str:
    if not SEED.is_file():
        message = f"seed report missing: {SEED}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SEED.read_text(encoding="utf-8")


def regex_tagger(prepared: Prepared) -> Tagging:
    """A small stand-in for the rule tagger: counts with their unit, nothing else."""
    entities, relations = [], []
    for match in re.finditer(r"(\d+)(人次|条|件|卷)", prepared.document.text):
        number = Entity(Span(match.start(1), match.end(1), match.group(1)), "NUMBER", 0.8)
        unit = Entity(Span(match.start(2), match.end(2), match.group(2)), "UNIT", 0.9)
        entities += [number, unit]
        relations.append(Relation(unit, number, "unit"))
    return Tagging(tuple(entities), tuple(relations), {"tagger": "regex"})


def region_id() -> str:
    """An id like the ones the Label Studio editor makes."""
    return "".join(random.choices(string.ascii_letters + string.digits + "_-", k=10))


# What an annotator marks: (phrase in the seed, [(part of the phrase, label)], [(head, tail, label,
# direction)]) where head and tail index the parts. "left" is a relation drawn from tail to head.
ANNOTATED = [
    ("新增主动公开各类政府信息4126条",
     [("主动公开各类政府信息", "METRIC"), ("4126", "NUMBER"), ("条", "UNIT")],
     [(1, 0, "value", "right"), (2, 1, "unit", "right")]),
    ("区档案馆共接待来馆咨询查阅档案6705人次",
     [("区档案馆", "AGENCY"), ("接待来馆咨询查阅档案", "METRIC"), ("6705", "NUMBER"), ("人次", "UNIT")],
     [(2, 1, "value", "left"), (3, 2, "unit", "right"), (1, 0, "reported_by", "right")]),
    ("累计公开政府信息9665条",
     [("公开政府信息", "METRIC"), ("9665", "NUMBER")],
     [(1, 0, "value", "right")]),
]  # fmt: skip


def annotate(client, tasks: list, text: str) -> dict[int, tuple[set, set]]:
    """Create the ANNOTATED annotations (and one empty one); the expected spans and relations of
    each annotated task in document offsets."""
    expected: dict[int, tuple[set, set]] = {}
    by_task: dict[int, list] = {}
    for phrase, parts, links in ANNOTATED:
        at = text.index(phrase)
        task = next(t for t in tasks if t.data["start"] <= at and at + len(phrase) <= t.data["end"])
        chunk_start = task.data["start"]
        assert task.data["text"] == text[chunk_start : task.data["end"]]
        result = by_task.setdefault(task.id, [])
        spans, relations = expected.setdefault(task.id, (set(), set()))
        ids, offsets = [], []
        for part, label in parts:
            start = at + phrase.index(part)  # document offset
            ids.append(region_id())
            offsets.append((start, start + len(part)))
            spans.add((start, start + len(part), label, part))
            result.append({
                "id": ids[-1], "from_name": "label", "to_name": "text", "type": "labels",
                "origin": "manual",
                "value": {"start": start - chunk_start, "end": start - chunk_start + len(part),
                          "text": part, "labels": [label]},
            })  # fmt: skip
        for head, tail, label, direction in links:
            drawn = (ids[head], ids[tail]) if direction == "right" else (ids[tail], ids[head])
            result.append({"type": "relation", "from_id": drawn[0], "to_id": drawn[1],
                           "direction": direction, "labels": [label]})  # fmt: skip
            relations.add((*offsets[head], *offsets[tail], label))
    for task_id, result in by_task.items():
        random.shuffle(result)  # the editor's order is not ours: pull must sort
        client.annotations.create(task_id, result=result, lead_time=12.5)
    empty = next(t for t in tasks if t.id not in by_task)  # read, nothing to mark
    client.annotations.create(empty.id, result=[], lead_time=3.0)
    expected[empty.id] = (set(), set())
    return expected


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    found, start = [], None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not tag.startswith("I-"):
            found.append((start, i, tags[start][2:]))
            start = None
        if tag.startswith("B-"):
            start = i
    return found


def test_labeling_config_is_accepted_by_the_server(label_studio):
    client = connect(Settings(label_studio.url, label_studio.token))
    project, created = get_or_create_project(client, "labeling config check")
    assert created
    parsed = project.parsed_label_config
    assert parsed["label"]["type"] == "Labels"
    assert parsed["label"]["to_name"] == ["text"]
    assert parsed["label"]["labels"] == list(ENTITY_LABELS)
    colours = {attrs["background"] for attrs in parsed["label"]["labels_attrs"].values()}
    assert len(colours) == 4
    assert get_or_create_project(client, "labeling config check")[1] is False
    assert get_or_create_project(client, str(project.id))[0].id == project.id


def test_round_trip_is_lossless(label_studio, tmp_path: Path):
    text = seed_text()
    client = connect(Settings(label_studio.url, label_studio.token))
    report = push(client, "round trip 004", [str(SEED)], 500, regex_tagger, version=VERSION)
    expected_chunks = chunks(text, 500)
    assert report.created_project and report.documents == 1
    assert report.tasks == report.predictions == len(expected_chunks)
    again = push(client, "round trip 004", [str(SEED)], 500, regex_tagger, version=VERSION)
    assert again.tasks == 0 and again.already_there == len(expected_chunks)

    tasks = sorted(client.tasks.list(project=report.project_id), key=lambda t: t.data["start"])
    assert [(t.data["start"], t.data["end"]) for t in tasks] == [
        (c.start, c.end) for c in expected_chunks
    ]
    for task in tasks:
        assert task.data["document"] == str(SEED)
        assert [p.model_version for p in task.predictions] == [VERSION]
        for item in task.predictions[0].result:
            if item["type"] == "labels":
                value = item["value"]
                assert task.data["text"][value["start"] : value["end"]] == value["text"]

    expected = annotate(client, tasks, text)

    out = tmp_path / "studio"
    pulled = pull(client, str(report.project_id), out)
    assert [p.name for p in pulled.files] == ["seeds__004_e0499503ab353c5a.json"]
    content = pulled.files[0].read_text(encoding="utf-8")
    exported = json.loads(content)
    assert content == json.dumps(exported, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert [t["data"]["start"] for t in exported] == sorted(t["data"]["start"] for t in exported)
    assert {t["id"] for t in exported} == set(expected)  # annotated tasks only
    for task in exported:
        result = task["annotations"][0]["result"]
        regions = [r for r in result if r["type"] == "labels"]
        assert [r["value"]["start"] for r in regions] == sorted(
            r["value"]["start"] for r in regions
        )
        assert result[len(regions) :] == [r for r in result if r["type"] == "relation"]
    assert pull(client, "round trip 004", out).files == pulled.files
    assert pulled.files[0].read_text(encoding="utf-8") == content  # a second pull: no diff

    dataset, converted = convert(out, tmp_path / "dataset", seed=13)
    assert converted.skipped == 0 and converted.examples == len(expected)
    assert dataset["dev"].num_rows == dataset["test"].num_rows == 0  # one document: all in train
    rows = {row["start"]: row for row in dataset["train"]}
    by_start = {t.data["start"]: t.id for t in tasks}
    for start, row in rows.items():
        spans, relations = expected[by_start[start]]
        assert row["document"] == str(SEED)
        assert "".join(row["tokens"]) == text[row["start"] : row["end"]]
        got = set()
        for s, e, label in spans_of(row["ner_tags"]):
            assert text[start + s : start + e] == "".join(row["tokens"][s:e])
            got.add((start + s, start + e, label, text[start + s : start + e]))
        assert got == spans
        got_relations = {(start + r["head_start"], start + r["head_end"], start + r["tail_start"],
                           start + r["tail_end"], r["label"]) for r in row["relations"]}  # fmt: skip
        assert got_relations == relations


def test_malformed_annotations_are_reported_and_skipped(label_studio, tmp_path: Path):
    lines = ["共收到申请26件。", "主动公开信息4126条。", "办结申请26件。", "举报投诉0件。",
             "收费0元。", "培训人员300人次。", "召开会议5次。"]  # fmt: skip
    report_file = tmp_path / "tiny.txt"
    report_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    client = connect(Settings(label_studio.url, label_studio.token))
    pushed = push(client, "malformed exports", [str(report_file)], 12, predict=False)  # a line each
    tasks = sorted(client.tasks.list(project=pushed.project_id), key=lambda t: t.data["start"])
    assert [t.data["text"] for t in tasks] == lines

    def span(rid, start, end, text, labels=("NUMBER",)):
        value = {"start": start, "end": end, "text": text, "labels": list(labels)}
        return {
            "id": rid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": value,
        }

    bad = {
        tasks[1].id: [span("a", 6, 10, "4126", labels=())],  # no label
        tasks[2].id: [span("a", 4, 6, "26"), {"type": "relation", "from_id": "a", "to_id": "gone",
                                              "direction": "right", "labels": ["value"]}],
        tasks[3].id: [span("a", 4, 5, "0"), span("b", 0, 4, "举报投诉", ["METRIC"]),
                      {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right",
                       "labels": []}],  # a relation without a label
        tasks[4].id: [span("a", 0, 2, "收费", ["METRIC"]), span("b", 1, 3, "费0")],  # overlap
        tasks[5].id: [span("a", 6, 30, "300人次。")],  # beyond the text
    }  # fmt: skip
    for task_id, result in bad.items():
        client.annotations.create(task_id, result=result)
    client.annotations.create(tasks[0].id, result=[span("ok", 5, 7, "26")])

    out = tmp_path / "studio"
    pull(client, "malformed exports", out)
    stderr = io.StringIO()
    dataset, report = convert(out, tmp_path / "dataset", seed=13, stderr=stderr)
    messages = stderr.getvalue().splitlines()
    assert report.skipped == len(bad) == len(messages)
    for task_id in bad:
        assert sum(line.startswith(f"[E025] task {task_id} ({report_file}):") for line in messages) == 1
    assert report.examples == 1
    assert dataset["train"][0]["ner_tags"][5:7] == ["B-NUMBER", "I-NUMBER"]

    cli = run_cli("convert", str(out), "--out", str(tmp_path / "dataset2"))
    assert cli.returncode == 1  # written, but some tasks were left out
    assert "5 skipped as malformed" in cli.stdout and cli.stderr.count("skipped\n") == 5

    # A span whose text is not the task's text at its offsets: stored without the text it would
    # read as a change of the reader, so pull refuses it, naming the task, and writes nothing.
    client.annotations.create(tasks[6].id, result=[span("a", 4, 5, "6")])  # the text there is 5
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(
        InputError, match=f"cannot store task {tasks[6].id} .*'6' where its text is '5'"
    ):
        pull(client, "malformed exports", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# ------------------------------------------------------------------------------------------------
# The CLI against the server: one line on stderr, exit 2, never the key


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    return subprocess.run(
        [sys.executable, "-m", "ie.studio", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(
    result: subprocess.CompletedProcess, expected: str, secret: str | None = None
) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    if secret:
        assert secret not in result.stdout + result.stderr


def test_cli_wrong_key_is_one_line_without_the_key(label_studio, tmp_path: Path):
    secret = "wrong-key-7f3a9c2e5b"
    env = {"LABEL_STUDIO_URL": label_studio.url, "LABEL_STUDIO_API_KEY": secret}
    pulled = run_cli("pull", "--project", "any", "--out", str(tmp_path), env=env)
    assert_one_line_error(pulled, "refused the API key (HTTP 401)", secret)
    pushed = run_cli("push", str(SEED), "--project", "any", "--url", label_studio.url,
                     "--api-key", secret)  # fmt: skip
    assert_one_line_error(pushed, "refused the API key", secret)


def test_cli_server_down_is_one_line_without_the_key(tmp_path: Path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    secret = "down-key-1b2c3d4e5f"
    result = run_cli("pull", "--project", "x", "--out", str(tmp_path), "--url", url,
                     env={"LABEL_STUDIO_API_KEY": secret})  # fmt: skip
    assert_one_line_error(result, f"Label Studio at {url} is not reachable", secret)


def test_cli_without_a_key_says_how_to_give_one(tmp_path: Path):
    result = run_cli("pull", "--project", "x", "--out", str(tmp_path))
    assert_one_line_error(result, "no API key: pass --api-key or set LABEL_STUDIO_API_KEY")


def test_cli_push_and_pull(label_studio, tmp_path: Path):
    env = {"LABEL_STUDIO_URL": label_studio.url, "LABEL_STUDIO_API_KEY": label_studio.token}
    report_file = tmp_path / "cli.txt"
    report_file.write_text("共收到申请26件。\n主动公开信息4126条。\n", encoding="utf-8")
    pushed = run_cli("push", str(report_file), "--project", "cli push", "--max-chars", "12",
                     "--no-predictions", env=env)  # fmt: skip
    assert pushed.returncode == 0, pushed.stderr
    assert "(created): 1 documents, 2 tasks and 0 predictions imported" in pushed.stdout
    missing = run_cli("pull", "--project", "no such project", "--out", str(tmp_path), env=env)
    assert_one_line_error(
        missing, "no such Label Studio project: no such project", label_studio.token
    )
    pulled = run_cli(
        "pull", "--project", "cli push", "--all", "--out", str(tmp_path / "o"), env=env
    )
    assert pulled.returncode == 0, pulled.stderr
    assert "2 tasks with 0 annotations written to 1 files" in pulled.stdout
    assert label_studio.token not in pushed.stdout + pushed.stderr + pulled.stdout + pulled.stderr
