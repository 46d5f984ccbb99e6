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

Limits (``Limits``, the flags of ``python -m ie.studio backend``): a request body over
``--max-body-mb`` is refused unread (413), a task text over ``--max-text`` characters too; a task
may name a ``data.document`` only under a ``--document-root`` (default: the folder the backend
started in), else the request is refused (403) with the same answer whether the file exists or
not; with ``--token`` (or IE_BACKEND_TOKEN) every request must carry it (``Authorization: Token
T``, ``Bearer T``, or Basic auth with T as the password, which is what Label Studio sends). A bad
request gets a JSON ``{"error"}`` and one log line, never a traceback.

Tagging runs in a worker process (``TaggingWorker``), one request at a time. A request that is not
done after ``--timeout`` seconds is answered 503 and its worker is killed, so the lock it held is
released at once and the next request gets a fresh worker: a thread cannot be stopped in the middle
of a tagger, and a deadline checked between chunks does not bound a single slow chunk.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ie.document import Document, identity_offsets
from ie.errors import Errors, InputError
from ie.studio.tasks import Chunk, model_version, prediction, read_document, tag_document
from ie.tag import DEFAULT_TAGGER, Tagger, get_tagger
from ie.types import Tagging

logger = logging.getLogger("ie.studio.backend")
MODEL_CLASS = "ie.tag.rules"
MB = 1024 * 1024
DEFAULT_MAX_BODY_MB = 10.0
DEFAULT_MAX_TEXT = 200_000  # characters of one task's text (a whole report is far less)
DEFAULT_TIMEOUT_S = 60.0
SOCKET_TIMEOUT_S = 30  # a client that stops sending its body does not hold a thread for ever
TOKEN_VARIABLE = "IE_BACKEND_TOKEN"


@dataclass(frozen=True)
class Limits:
    """What one request may ask. ``document_roots``: the folders a task's ``data.document`` may
    be in (resolved; none given: the current folder)."""

    max_body: int = int(DEFAULT_MAX_BODY_MB * MB)
    max_text: int = DEFAULT_MAX_TEXT
    timeout: float = DEFAULT_TIMEOUT_S
    document_roots: tuple[str, ...] = ()
    token: str | None = None

    def roots(self) -> tuple[Path, ...]:
        return tuple(Path(r).resolve() for r in self.document_roots or (os.getcwd(),))


class Refused(Exception):
    """A request the backend does not serve: its HTTP status and the one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _serve_jobs(connection: Connection, tagger: Tagger, backend_end: Connection) -> None:
    """The worker process: jobs in, ``("ok", result)`` or ``("error", reason)`` out, until the
    backend is gone. A forked worker holds a copy of the backend's end of the pipe too: closed
    here, or the pipe would never end when the backend dies (SIGTERM, a crash) and the worker
    would live on, holding its tagger."""
    backend_end.close()
    while True:
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError):  # the backend is gone
            return
        try:
            if kind == "text":
                document = Document("<task>", payload, payload, identity_offsets(payload), "txt")
                answer: tuple[str, Any] = ("ok", tag_document(tagger, document))
            else:
                try:
                    document = read_document(payload)
                except (InputError, OSError, UnicodeDecodeError, ValueError):
                    answer = ("ok", None)
                else:
                    answer = ("ok", (document.text, tag_document(tagger, document)))
        except Exception as error:  # noqa: BLE001 (one line back to the request, no traceback)
            answer = ("error", f"{type(error).__name__}: {error}")
        connection.send(answer)


class TaggingWorker:
    """One process that tags, started when first needed; killed when a job runs out of time (a
    thread in the middle of a tagger cannot be stopped), so nothing is left holding the lock.

    Where the platform forks, the worker inherits the loaded tagger; elsewhere (spawn) the
    tagger is pickled to it."""

    def __init__(self, tagger: Callable[[], Tagger]) -> None:
        self._tagger = tagger
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    def start(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self.stop()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve_jobs, args=(theirs, self._tagger(), ours), name="ie-tagger", daemon=True
        )
        self._process.start()
        theirs.close()
        self._connection = ours

    def run(self, kind: str, payload: str, timeout: float) -> Any:
        """The job's result; TimeoutError (the worker killed) when it takes over ``timeout``."""
        self.start()
        assert self._connection is not None
        try:
            self._connection.send((kind, payload))
            ready = self._connection.poll(max(timeout, 0))
        except OSError as error:
            self.stop()
            raise Refused(500, Errors.E086.format(reason=f"the tagging process: {error}")) from None
        if not ready:
            self.stop()
            raise TimeoutError
        try:
            status, value = self._connection.recv()
        except (EOFError, OSError):  # it died (out of memory, killed)
            self.stop()
            raise Refused(500, Errors.E086.format(reason="the tagging process ended")) from None
        if status != "ok":
            raise Refused(500, Errors.E086.format(reason=value))
        return value

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(10)
            self._process = None


class Predictor:
    """Tasks → Label Studio predictions, with the tagger loaded once (in the worker)."""

    def __init__(
        self, tagger: Tagger | None = None, version: str | None = None, limits: Limits | None = None
    ) -> None:
        self._tagger = tagger
        self.version = version or model_version(tagger.name if tagger else DEFAULT_TAGGER)
        self.limits = limits or Limits()
        self._roots = self.limits.roots()
        # one job at a time: spaCy's matcher is not meant for concurrent calls, nor is a model
        self._lock = threading.Lock()
        self.worker = TaggingWorker(lambda: self.tagger)
        self._documents: dict[tuple[str, int, int], tuple[str, Tagging] | None] = {}
        self._cache_lock = threading.Lock()

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            self._tagger = get_tagger(DEFAULT_TAGGER)
        return self._tagger

    def predict(self, tasks: list[dict], deadline: float | None = None) -> list[dict[str, object]]:
        """One prediction per task. Refused when a task asks too much (checked for every task
        before any is tagged); TimeoutError past ``deadline`` (time.monotonic)."""
        if deadline is None:
            deadline = time.monotonic() + self.limits.timeout
        for task in tasks:
            self._check(task)
        return [self.predict_task(task, deadline) for task in tasks]

    def _check(self, task: object) -> None:
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            return
        name = task.get("id") if isinstance(task, dict) else None
        text, document = data.get("text"), data.get("document")
        if isinstance(text, str) and len(text) > self.limits.max_text:
            raise Refused(413, Errors.E083.format(task=name, size=len(text),
                                                  limit=self.limits.max_text))  # fmt: skip
        if isinstance(document, str) and not self._allowed(document):
            raise Refused(403, Errors.E084.format(task=name))

    def _allowed(self, document: str) -> bool:
        """Whether ``document`` (relative to the current folder, links followed) is under a
        root; decided on the path alone, so the answer says nothing about the file."""
        try:
            path = Path(document).resolve()
        except (OSError, RuntimeError, ValueError):
            return False
        return any(path.is_relative_to(root) for root in self._roots)

    def predict_task(self, task: dict, deadline: float | None = None) -> dict[str, object]:
        if deadline is None:
            deadline = time.monotonic() + self.limits.timeout
        data = task.get("data") if isinstance(task, dict) else None
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str):
            return {"result": [], "score": 0.0, "model_version": self.version}
        self._check(task)
        tagging, chunk = self._tagging(data, text, deadline)
        return prediction(tagging, chunk, self.version)

    def _tagging(self, data: dict, text: str, deadline: float) -> tuple[Tagging, Chunk]:
        document, start = data.get("document"), data.get("start")
        if isinstance(document, str) and isinstance(start, int) and os.path.isfile(document):
            stat = os.stat(document)
            key = (document, stat.st_mtime_ns, stat.st_size)
            with self._cache_lock:
                tagged = self._documents.get(key, False)
            if tagged is False:
                tagged = self._job("document", document, deadline)
                with self._cache_lock:
                    if len(self._documents) >= 16:  # the oldest goes
                        self._documents.pop(next(iter(self._documents)))
                    self._documents[key] = tagged
            if tagged is not None and tagged[0][start : start + len(text)] == text:
                return tagged[1], Chunk(start, start + len(text), text)
        return self._job("text", text, deadline), Chunk(0, len(text), text)

    def _job(self, kind: str, payload: str, deadline: float) -> Any:
        """A job in the worker, under the lock, done by ``deadline`` or stopped."""
        if not self._lock.acquire(timeout=max(deadline - time.monotonic(), 0.001)):
            raise TimeoutError
        try:
            return self.worker.run(kind, payload, deadline - time.monotonic())
        finally:
            self._lock.release()

    def close(self) -> None:
        self.worker.stop()


def authorized(header: str | None, token: str) -> bool:
    """``Authorization: Token T``, ``Bearer T`` or ``Basic base64(user:T)`` (Label Studio's basic
    auth of an ML backend), compared in constant time."""
    scheme, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "basic":
        try:
            value = base64.b64decode(value, validate=True).decode("utf-8").partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return False
    elif scheme.lower() not in ("token", "bearer"):
        return False
    return hmac.compare_digest(value.encode("utf-8"), token.encode("utf-8"))


def make_handler(predictor: Predictor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ie-studio-backend"
        timeout = SOCKET_TIMEOUT_S

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if not self._authorized():
                return
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
            if not self._authorized():
                return
            deadline = time.monotonic() + predictor.limits.timeout
            path = self.path.split("?", 1)[0].rstrip("/")
            body = self._body()
            if body is None:
                return
            if path == "/predict":
                tasks = body.get("tasks")
                if not isinstance(tasks, list):
                    self._refuse(400, "predict needs a list of tasks")
                    return
                try:
                    results = predictor.predict(tasks, deadline)
                except Refused as refused:
                    self._refuse(refused.status, str(refused))
                    return
                except TimeoutError:
                    self._refuse(503, Errors.E085.format(seconds=predictor.limits.timeout))
                    return
                self._send(200, {"results": results, "model_version": predictor.version})
            elif path == "/setup":
                self._send(200, {"model_version": predictor.version})
            elif path in ("/webhook", "/train"):
                self._send(200, {})
            else:
                self._send(404, {"error": f"no such endpoint: POST {path}"})

        def _authorized(self) -> bool:
            token = predictor.limits.token
            if not token or authorized(self.headers.get("Authorization"), token):
                return True
            self._refuse(401, Errors.E080, {"WWW-Authenticate": 'Basic realm="ie"'})
            return False

        def _body(self) -> dict | None:
            value = self.headers.get("Content-Length")
            try:
                length = int(value) if value is not None else 0
            except ValueError:
                length = -1
            if length < 0:
                self._refuse(400, Errors.E081.format(value=value))
                return None
            if length > predictor.limits.max_body:  # refused unread: the connection closes
                limit = predictor.limits.max_body
                self._refuse(413, Errors.E082.format(size=length, limit=limit))
                return None
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw or b"{}")
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                self._refuse(400, f"the request body is not JSON: {error}")
                return None
            if not isinstance(body, dict):
                self._refuse(400, "the request body must be a JSON object")
                return None
            return body

        def _refuse(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
            """An error answer and one log line (the request line and why), no traceback."""
            logger.warning("%s %r refused (%d): %s", self.address_string(),
                           self.requestline, status, message)  # fmt: skip
            if status in (400, 401, 413):
                self.close_connection = True  # what is left of the body is not read
            self._send(status, {"error": message}, headers)

        def _send(
            self, status: int, payload: object, headers: dict[str, str] | None = None
        ) -> None:
            raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(raw)

        def send_error(self, code: int, message: str | None = None,
                       explain: str | None = None) -> None:  # fmt: skip
            """http.server's own refusals (a malformed request line, headers too long): JSON."""
            self.close_connection = True
            self._refuse(code, message or "bad request")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            # request lines only: headers (where an Authorization would be) are never logged
            logger.info("%s %s", self.address_string(), format % args)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that broke (the client went away, stopped sending): one line, no
        traceback (socketserver prints one by default)."""
        import sys

        error = sys.exc_info()[1]
        logger.warning("%s: connection dropped: %s: %s", client_address[0],
                       type(error).__name__, error)  # fmt: skip


def make_server(
    host: str = "127.0.0.1", port: int = 9090, predictor: Predictor | None = None
) -> ThreadingHTTPServer:
    try:
        server = _Server((host, port), make_handler(predictor or Predictor()))
    except OSError as error:
        reason = error.strerror or error
        raise InputError(Errors.E029.format(host=host, port=port, reason=reason)) from None
    return server


def serve(
    host: str = "127.0.0.1",
    port: int = 9090,
    tagger: Tagger | None = None,
    version: str | None = None,
    ready: Callable[[ThreadingHTTPServer], None] | None = None,
    limits: Limits | None = None,
) -> None:
    """Serve until interrupted; the tagger is loaded before the first request is accepted.

    ``ready`` runs once the server answers (in a thread: it may make Label Studio call us, as
    registering a backend does); if it fails, the server stops and its error is raised here."""
    predictor = Predictor(tagger, version, limits)
    # load the tagger and fork its worker now, not in Label Studio's timeout (nor from a thread)
    predictor.worker.start()
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
        predictor.close()
    if failures:
        raise failures[0]
