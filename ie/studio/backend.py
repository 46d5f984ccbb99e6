"""Backend: a Label Studio ML backend that serves a tagger's predictions (``--tagger``).

The endpoints are the ones Label Studio 1.23 calls (see label_studio/ml/api_connector.py and
label-studio-ml-backend's label_studio_ml/api.py):

  GET  /, /health   {"status": "UP", "model_class": ..., "model_version": ...}
  POST /setup       {project, schema, hostname, access_token, extra_params} → {"model_version": ...}
  POST /predict     {tasks: [{id, data: {text, document, start, end}, ...}], project, label_config,
                     params} → {"results": [{"result": [...], "score": s, "model_version": v}, ...],
                     "model_version": v}, one prediction per task, in task order
  POST /webhook     any event → 200 {}
  GET  /versions    {"versions": [v]}
  POST /train       200 {}: the rule tagger learns nothing (train a model with training/train.py)

A task is tagged in its document's context when the document can be read here and the task's text
is still ``document.text[start:end]``; otherwise the chunk is tagged on its own.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ie.document import Document, identity_offsets
from ie.errors import Errors, InputError
from ie.studio.tasks import Chunk, model_version, prediction, read_document, tag_document
from ie.tag import DEFAULT_TAGGER, Tagger, get_tagger
from ie.types import Tagging

logger = logging.getLogger("ie.studio.backend")
MODEL_CLASS = "ie.tag.rules"


class Predictor:
    """Tasks → Label Studio predictions, with the tagger loaded once."""

    def __init__(self, tagger: Tagger | None = None, version: str | None = None) -> None:
        self._tagger = tagger
        self.version = version or model_version(tagger.name if tagger else DEFAULT_TAGGER)
        self._lock = threading.Lock()  # spaCy's matcher is not meant for concurrent calls
        self._documents = lru_cache(maxsize=16)(self._tag_document)

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            self._tagger = get_tagger(DEFAULT_TAGGER)
        return self._tagger

    def predict(self, tasks: list[dict]) -> list[dict[str, object]]:
        return [self.predict_task(task) for task in tasks]

    def predict_task(self, task: dict) -> dict[str, object]:
        data = task.get("data") if isinstance(task, dict) else None
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str):
            return {"result": [], "score": 0.0, "model_version": self.version}
        tagging, chunk = self._tagging(data, text)
        return prediction(tagging, chunk, self.version)

    def _tagging(self, data: dict, text: str) -> tuple[Tagging, Chunk]:
        document, start = data.get("document"), data.get("start")
        if isinstance(document, str) and isinstance(start, int) and os.path.isfile(document):
            stat = os.stat(document)
            tagged = self._documents(document, stat.st_mtime_ns, stat.st_size)
            if tagged is not None and tagged[0][start : start + len(text)] == text:
                return tagged[1], Chunk(start, start + len(text), text)
        with self._lock:
            document = Document("<task>", text, text, identity_offsets(text), "txt")
            tagging = tag_document(self.tagger, document)
        return tagging, Chunk(0, len(text), text)

    def _tag_document(self, path: str, mtime_ns: int, size: int) -> tuple[str, Tagging] | None:
        try:
            document = read_document(path)
        except (InputError, OSError, UnicodeDecodeError, ValueError):
            return None
        with self._lock:
            return document.text, tag_document(self.tagger, document)


def make_handler(predictor: Predictor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ie-studio-backend"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?", 1)[0].rstrip("/") or "/"
            if path in ("/", "/health"):
                self._send(200, {"status": "UP", "model_class": MODEL_CLASS,
                                 "model_version": predictor.version})  # fmt: skip
            elif path == "/versions":
                self._send(
                    200, {"versions": [predictor.version], "model_version": predictor.version}
                )
            elif path == "/metrics":
                self._send(200, {})
            else:
                self._send(404, {"error": f"no such endpoint: GET {path}"})

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0].rstrip("/")
            body = self._body()
            if body is None:
                return
            if path == "/predict":
                tasks = body.get("tasks")
                if not isinstance(tasks, list):
                    self._send(400, {"error": "predict needs a list of tasks"})
                    return
                results = predictor.predict(tasks)
                self._send(200, {"results": results, "model_version": predictor.version})
            elif path == "/setup":
                self._send(200, {"model_version": predictor.version})
            elif path in ("/webhook", "/train"):
                self._send(200, {})
            else:
                self._send(404, {"error": f"no such endpoint: POST {path}"})

        def _body(self) -> dict | None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw or b"{}")
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                self._send(400, {"error": f"the request body is not JSON: {error}"})
                return None
            if not isinstance(body, dict):
                self._send(400, {"error": "the request body must be a JSON object"})
                return None
            return body

        def _send(self, status: int, payload: object) -> None:
            raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            # request lines only: headers (where an Authorization would be) are never logged
            logger.info("%s %s", self.address_string(), format % args)

    return Handler


def make_server(
    host: str = "127.0.0.1", port: int = 9090, predictor: Predictor | None = None
) -> ThreadingHTTPServer:
    try:
        server = ThreadingHTTPServer((host, port), make_handler(predictor or Predictor()))
    except OSError as error:
        reason = error.strerror or error
        raise InputError(Errors.E029.format(host=host, port=port, reason=reason)) from None
    server.daemon_threads = True
    return server


def serve(
    host: str = "127.0.0.1",
    port: int = 9090,
    tagger: Tagger | None = None,
    version: str | None = None,
    ready: Callable[[ThreadingHTTPServer], None] | None = None,
) -> None:
    """Serve until interrupted; the tagger is loaded before the first request is accepted.

    ``ready`` runs once the server answers (in a thread: it may make Label Studio call us, as
    registering a backend does); if it fails, the server stops and its error is raised here."""
    predictor = Predictor(tagger, version)
    predictor.tagger  # noqa: B018 (load spaCy and the lexicon now, not in Label Studio's timeout)
    server = make_server(host, port, predictor)
    failures: list[BaseException] = []

    def announce() -> None:
        try:
            ready(server)
        except BaseException as error:  # handed to the main thread below
            failures.append(error)
            server.shutdown()

    if ready is not None:
        threading.Thread(target=announce, name="backend-ready", daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    if failures:
        raise failures[0]
