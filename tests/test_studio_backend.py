"""The ML backend: its HTTP answers directly, and Label Studio asking it for predictions."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
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
from ie.studio.backend import MODEL_CLASS, Limits, Predictor, make_server
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


def call(
    url: str, body: object | None = None, raw: bytes | None = None, auth: str | None = None
) -> tuple[int, dict]:
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **({"Authorization": auth} if auth else {})}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextlib.contextmanager
def running(predictor: Predictor):
    """A backend in a thread; its URL."""
    server = make_server("127.0.0.1", 0, predictor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        predictor.close()


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory: pytest.TempPathFactory):
    """Our backend in a thread, with a small regex tagger; tasks may name reports in pytest's
    tmp folders."""
    roots = (str(ROOT), str(tmp_path_factory.getbasetemp()))
    with running(Predictor(number_tagger, "test-backend-1", Limits(document_roots=roots))) as url:
        yield url


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


def raw_request(url: str, request: bytes) -> tuple[int, dict]:
    """Bytes as a client sends them (a bad Content-Length urllib would not send); the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_limits_refuse_big_and_malformed_requests_in_one_line(caplog, capfd):
    limits = Limits(max_body=2000, max_text=40)
    with caplog.at_level(logging.WARNING, "ie.studio.backend"), \
            running(Predictor(number_tagger, "limits-1", limits)) as url:  # fmt: skip
        status, body = call(url + "/predict", raw=b"{" + b" " * 3000 + b"}")
        assert status == 413 and "the limit is 2000" in body["error"]
        long_task = {"id": 7, "data": {"text": "全年主动公开政府信息4126条。" * 4}}
        status, body = call(url + "/predict", {"tasks": [long_task]})
        assert status == 413 and body["error"].startswith("[E083] task 7: its text is 64 characters")
        for length in (b"abc", b"-5"):
            request = b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: " + length
            status, body = raw_request(url, request + b"\r\n\r\n{}")
            assert status == 400 and body["error"].startswith("[E081] bad Content-Length")
        assert call(url + "/predict", raw=b"{not json")[0] == 400
        # a short task still goes through
        status, body = call(url + "/predict", {"tasks": [{"data": {"text": LINES[1]}}]})
        assert status == 200 and body["results"][0]["result"]
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 5 and all("\n" not in line for line in refusals)
    assert "Traceback" not in capfd.readouterr().err


def test_documents_only_under_the_roots_and_the_answer_tells_nothing(tmp_path: Path):
    allowed, elsewhere = tmp_path / "allowed", tmp_path / "elsewhere"
    allowed.mkdir()
    elsewhere.mkdir()
    text = "\n".join(LINES) + "\n"
    (allowed / "r.txt").write_text(text, encoding="utf-8")
    (elsewhere / "secret.txt").write_text(text, encoding="utf-8")
    (allowed / "link.txt").symlink_to(elsewhere / "secret.txt")
    start = text.index(LINES[1])

    def task(document: Path | str) -> dict:
        return {"id": 1, "data": {"text": LINES[1], "document": str(document), "start": start}}

    limits = Limits(document_roots=(str(allowed),))
    with running(Predictor(number_tagger, "roots-1", limits)) as url:
        status, body = call(url + "/predict", {"tasks": [task(allowed / "r.txt")]})
        assert status == 200
        ids = {r["id"] for r in body["results"][0]["result"] if r["type"] == "labels"}
        assert f"number_{start + LINES[1].index('4126')}_{start + LINES[1].index('条')}" in ids
        answers = [call(url + "/predict", {"tasks": [task(path)]}) for path in (
            elsewhere / "secret.txt", elsewhere / "missing.txt", allowed / "link.txt",
            allowed / ".." / "elsewhere" / "secret.txt", "/etc/passwd", "/no/such/file")]  # fmt: skip
        assert {json.dumps(answer) for answer in answers} == {json.dumps((403, {
            "error": "[E084] task 1: data.document is not under the backend's document roots "
            "(--document-root)"}))}  # fmt: skip


def test_a_token_is_asked_on_every_request():
    limits = Limits(token="s3cret-token")
    with running(Predictor(number_tagger, "token-1", limits)) as url:
        request = {"tasks": [{"data": {"text": LINES[1]}}]}
        for auth in (None, "Token wrong", "Bearer s3cret-tokenX", "s3cret-token",
                     "Basic " + base64.b64encode(b"ie:wrong").decode(), "Basic !!"):  # fmt: skip
            assert call(url + "/predict", request, auth=auth)[0] == 401
            assert call(url + "/health", auth=auth)[0] == 401
        basic = "Basic " + base64.b64encode(b"ie:s3cret-token").decode()
        for auth in ("Token s3cret-token", "Bearer s3cret-token", basic):
            assert call(url + "/health", auth=auth)[0] == 200
            status, body = call(url + "/predict", request, auth=auth)
            assert status == 200 and body["results"][0]["result"]


def slow_tagger(prepared: Prepared) -> Tagging:
    if "慢" in prepared.document.text:
        time.sleep(120)
    return number_tagger(prepared)


def test_a_request_past_its_time_fails_and_frees_the_tagger():
    with running(Predictor(slow_tagger, "slow-1", Limits(timeout=2))) as url:
        started = time.monotonic()
        results: list[tuple[int, dict]] = []
        slow = threading.Thread(target=lambda: results.append(
            call(url + "/predict", {"tasks": [{"data": {"text": "慢" + LINES[1]}}]})))  # fmt: skip
        slow.start()
        time.sleep(0.5)  # the slow one holds the tagger: this one waits, then runs out of time too
        waiting = call(url + "/predict", {"tasks": [{"data": {"text": LINES[0]}}]})
        slow.join(30)
        assert results[0][0] == 503 and "took over 2 s" in results[0][1]["error"]
        assert waiting[0] in (200, 503)
        assert time.monotonic() - started < 15
        # the lock is free and a fresh worker tags the next request at once
        started = time.monotonic()
        status, body = call(url + "/predict", {"tasks": [{"data": {"text": LINES[1]}}]})
        assert status == 200 and body["results"][0]["result"]
        assert time.monotonic() - started < 10


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
             "--connect", "backend predictions",
             "--document-root", str(tmp_path_factory.getbasetemp())],
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


def test_the_tagging_worker_ends_when_the_backend_dies(tmp_path: Path) -> None:
    """A backend killed without its cleanup (SIGTERM, a crash) leaves no worker behind holding
    its tagger: the forked worker once kept a copy of the backend's end of the pipe open."""
    script = tmp_path / "backend_dies.py"
    script.write_text(
        "import os\n"
        "from ie.studio.backend import TaggingWorker\n"
        "from ie.tag import get_tagger\n"
        "worker = TaggingWorker(lambda: get_tagger('rules'))\n"
        "worker.run('text', '收到申请26件', 60)\n"  # the worker runs a job, so it is started
        "print(worker._process.pid, flush=True)\n"
        "os._exit(0)\n",  # the backend dies without cleaning up
        encoding="utf-8",
    )
    backend = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True, start_new_session=True)  # fmt: skip
    worker = int(backend.stdout.readline())
    backend.wait(timeout=60)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker, os.WNOHANG)
        time.sleep(0.2)
    os.killpg(backend.pid, 9)
    pytest.fail(f"the tagging worker (pid {worker}) outlived its backend")
