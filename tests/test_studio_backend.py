"""The ML backend: its HTTP answers directly, and Label Studio asking it for predictions."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pytest

from ie.prepared import Prepared
from ie.studio.backend import MODEL_CLASS, Predictor, make_server
from ie.studio.client import Settings, connect
from ie.studio.tasks import model_version, push
from ie.types import Entity, Relation, Span, Tagging

pytestmark = pytest.mark.slow  # Label Studio, Ray, a browser or training: `pytest -m "not slow"` skips it

ROOT = Path(__file__).resolve().parents[1]
LINES = [
    "共收到政府信息公开申请26件，办结26件。",
    "全年主动公开政府信息4126条。",
    "本年度无行政复议。",
]


def number_tagger(prepared: Prepared) -> Tagging:
    entities, relations = [], []
    for match in re.finditer(r"(\d+)(件|条)", prepared.document.text):
        number = Entity(Span(match.start(1), match.end(1), match.group(1)), "NUMBER", 0.7)
        unit = Entity(Span(match.start(2), match.end(2), match.group(2)), "UNIT", 0.9)
        entities += [number, unit]
        relations.append(Relation(unit, number, "unit"))
    return Tagging(tuple(entities), tuple(relations))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url: str, body: object | None = None, raw: bytes | None = None) -> tuple[int, dict]:
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def backend_url():
    """Our backend in a thread, with a small regex tagger."""
    server = make_server("127.0.0.1", 0, Predictor(number_tagger, "test-backend-1"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# ------------------------------------------------------------------------------------------------
# Direct HTTP


def test_health(backend_url: str):
    for path in ("/health", "/"):
        status, body = call(backend_url + path)
        assert status == 200
        assert body["status"] == "UP" and body["model_class"] == MODEL_CLASS


def test_setup_and_webhook(backend_url: str):
    setup = {"project": "1.1700000000", "schema": "<View/>", "hostname": "http://x",
             "access_token": "secret", "extra_params": None}  # fmt: skip
    assert call(backend_url + "/setup", setup) == (200, {"model_version": "test-backend-1"})
    status, _ = call(backend_url + "/webhook", {"action": "ANNOTATION_CREATED", "project": {}})
    assert status == 200


def test_predict_shape(backend_url: str):
    tasks = [
        {"id": 1, "data": {"text": LINES[0], "document": "nowhere.txt", "start": 0, "end": 20}},
        {"id": 2, "data": {"text": LINES[2]}},
        {"id": 3, "data": {}},
    ]
    request = {"tasks": tasks, "project": "1.1700000000", "label_config": "<View/>",
               "params": {"login": None, "password": None, "context": None}}  # fmt: skip
    status, body = call(backend_url + "/predict", request)
    assert status == 200
    assert body["model_version"] == "test-backend-1"
    first, second, third = body["results"]
    assert first["model_version"] == "test-backend-1" and first["score"] == 0.7
    regions = [r for r in first["result"] if r["type"] == "labels"]
    links = [r for r in first["result"] if r["type"] == "relation"]
    assert [(r["value"]["text"], r["value"]["labels"]) for r in regions] == [
        ("26", ["NUMBER"]), ("件", ["UNIT"]), ("26", ["NUMBER"]), ("件", ["UNIT"]),
    ]  # fmt: skip
    for r in regions:
        assert r["from_name"] == "label" and r["to_name"] == "text" and r["id"]
        assert LINES[0][r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]
    ids = {r["id"] for r in regions}
    assert len(ids) == 4 and len(links) == 2
    for link in links:
        assert link["from_id"] in ids and link["to_id"] in ids
        assert link["direction"] == "right" and link["labels"] == ["unit"]
    assert second == {"model_version": "test-backend-1", "score": 1.0, "result": []}
    assert third["result"] == []


def test_predict_tags_in_the_document_context(backend_url: str, tmp_path: Path):
    report = tmp_path / "r.txt"
    text = "\n".join(LINES) + "\n"
    report.write_text(text, encoding="utf-8")
    start = text.index(LINES[1])
    task = {"id": 5, "data": {"text": LINES[1], "document": str(report), "start": start}}
    _, body = call(backend_url + "/predict", {"tasks": [task]})
    regions = [r for r in body["results"][0]["result"] if r["type"] == "labels"]
    at = LINES[1].index("4126")
    assert [(r["value"]["start"], r["value"]["text"]) for r in regions] == [
        (at, "4126"),
        (at + 4, "条"),
    ]
    # ids name document offsets: the document was tagged, then cut to the task
    assert {r["id"] for r in regions} == {f"number_{start + at}_{start + at + 4}",
                                          f"unit_{start + at + 4}_{start + at + 5}"}  # fmt: skip


def test_bad_requests(backend_url: str):
    assert call(backend_url + "/predict", raw=b"{not json")[0] == 400
    assert call(backend_url + "/predict", {"tasks": "x"})[0] == 400
    assert call(backend_url + "/nowhere", {})[0] == 404


# ------------------------------------------------------------------------------------------------
# Label Studio asks our backend (the CLI, with the real rule tagger)


@pytest.fixture(scope="module")
def studio_backend(label_studio, tmp_path_factory: pytest.TempPathFactory):
    """`python -m ie.studio backend --connect PROJECT` as a user starts it; its log kept."""
    folder = tmp_path_factory.mktemp("backend")
    report = folder / "report.txt"
    report.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    client = connect(Settings(label_studio.url, label_studio.token))
    pushed = push(client, "backend predictions", [str(report)], 5, predict=False)  # a task a line
    port = free_port()
    log = folder / "backend.log"
    env = {**os.environ, "LABEL_STUDIO_URL": label_studio.url,
           "LABEL_STUDIO_API_KEY": label_studio.token}  # fmt: skip
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ie.studio", "backend", "--port", str(port), "--verbose",
             "--connect", "backend predictions"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while "connected to project" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the backend did not start:\n{log.read_text()}")
            time.sleep(0.5)
        yield client, pushed.project_id, url, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_label_studio_gets_predictions_from_our_backend(studio_backend, label_studio):
    client, project_id, url, log = studio_backend
    backends = list(client.ml.list(project=project_id))
    assert [b.url for b in backends] == [url]
    assert backends[0].readable_state == "Connected"
    tasks = list(client.tasks.list(project=project_id))
    assert len(tasks) == 3 and all(not t.predictions for t in tasks)

    # the Data Manager's "Retrieve Predictions" action: the server calls /predict for the tasks
    client.actions.create(id="retrieve_tasks_predictions", project=project_id,
                          selected_items={"all": True, "excluded": []})  # fmt: skip
    predicted = 0
    for task in client.tasks.list(project=project_id):
        versions = [p.model_version for p in task.predictions]
        assert versions == [model_version("rules")]
        for item in task.predictions[0].result:
            if item["type"] == "labels":
                value = item["value"]
                assert task.data["text"][value["start"] : value["end"]] == value["text"]
                predicted += 1
    assert predicted >= 4  # 26 件 26 件 / 4126 条 at least
    assert '"POST /predict HTTP/1.1" 200' in log.read_text()


def test_interactive_predictions_through_the_server(studio_backend, label_studio, tmp_path: Path):
    client, _, url, _ = studio_backend
    report = tmp_path / "interactive.txt"
    report.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    project_id = push(client, "interactive backend", [str(report)], 5, predict=False).project_id
    interactive = client.ml.create(project=project_id, url=url, title="interactive",
                                   is_interactive=True)  # fmt: skip
    task = next(t for t in client.tasks.list(project=project_id) if "4126" in t.data["text"])
    response = httpx.post(
        f"{label_studio.url}/api/ml/{interactive.id}/interactive-annotating",
        json={"task": task.id},
        headers={"Authorization": f"Token {label_studio.token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["model_version"] == model_version("rules")
    texts = [r["value"]["text"] for r in data["result"] if r["type"] == "labels"]
    assert "4126" in texts


def test_the_backend_log_never_holds_the_key(studio_backend, label_studio):
    *_, log = studio_backend
    # Label Studio sends the project owner's token to /setup: we must not log it
    text = log.read_text()
    assert '"POST /setup HTTP/1.1" 200' in text
    assert label_studio.token not in text
