"""Shared fixtures. Each fixture is self-contained; add new ones below the existing ones."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import missing, needs

# ------------------------------------------------------------------------------------------------
# Under CI (the environment variable CI set) a skipped test is a failed one: a missing optional
# package (ray, duckdb, reportlab, pymupdf4llm, hypothesis, spacy, label-studio), a missing system
# program (chromium) or a missing ../shared file means the suite did not test what it says.
# tests/helpers.py's `needs(module)` and `missing(message)` fail such tests themselves; this hook
# catches any other skip of a test (a skip at module level, while collecting, is not a test's: call
# `needs` inside the test or its fixture). The skips below are the legitimate ones, allowed under CI
# too: they depend on the privileges of the user running the tests, not on what is installed.
LEGITIMATE_SKIPS = (
    "making a device node needs root",  # tests/test_reliability.py: os.mknod without CAP_MKNOD
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if not (os.environ.get("CI") and report.skipped) or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    if reason.startswith(LEGITIMATE_SKIPS):
        return
    report.outcome = "failed"
    report.longrepr = f"skipped under CI, where nothing may be missing: {reason}"


# ------------------------------------------------------------------------------------------------
# label_studio: a real Label Studio server for the ie.studio tests (tests/test_studio_*.py)

LABEL_STUDIO_START_TIMEOUT = 300  # seconds; a fresh data dir runs every migration (about 60 s idle, over 180 s on a loaded 2-core machine)


@dataclass(frozen=True)
class LabelStudioServer:
    url: str
    token: str
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _label_studio_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "label-studio"
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("label-studio")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory):
    """A Label Studio server of our own: fresh data dir, admin user, legacy API token; stopped at
    the end of the session. Missing `label-studio` fails the tests under CI and skips them
    elsewhere."""
    executable = _label_studio_executable()
    if executable is None:
        message = (
            "the label-studio executable is missing: install the test extra "
            "(pip install -e '.[test]', which pins label-studio==1.23.2)"
        )
        missing(message)

    data_dir = tmp_path_factory.mktemp("label-studio")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    token = "ie-test-token-0123456789"
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": "admin@example.com",
        "LABEL_STUDIO_PASSWORD": "ie-test-password",
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        # the ML backend under test listens on 127.0.0.1: allow the server to call it (1.23 blocks
        # local addresses for ML backends and for the webhook it creates with each backend)
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
    }
    log = data_dir / "server.log"
    server = LabelStudioServer(url, token, log)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [executable, "start", "--no-browser", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole below
        )
    try:
        deadline = time.monotonic() + LABEL_STUDIO_START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"label-studio exited with {process.returncode}:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"label-studio did not answer {url}/health within "
                    f"{LABEL_STUDIO_START_TIMEOUT} s:\n{server.log_tail()}"
                )
            time.sleep(1)
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


# ------------------------------------------------------------------------------------------------
# ray_head: a running Ray cluster of our own (`ray start --head`) for ie.batch --address
# (tests/test_batch_cluster.py)

RAY_START_TIMEOUT = 180  # seconds; about 7 s idle
# Set by a user or CI, these would point the test's commands elsewhere or hand them a token.
RAY_CONNECTION_VARIABLES = ("RAY_ADDRESS", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH")


@dataclass(frozen=True)
class RayHead:
    address: str  # host:port, as the head wrote it
    driver_env: dict[str, str]  # the cluster's token in RAY_AUTH_TOKEN_PATH, RAY_AUTH_MODE unset
    log: Path  # what `ray start` printed


@pytest.fixture(scope="module")
def ray_head(tmp_path_factory: pytest.TempPathFactory):
    """A one-node cluster (2 CPUs, no dashboard, token authentication with a token of its own)
    in its own temp dir, on free ports: it shares nothing with another Ray on the machine, and it
    is stopped by stopping the processes it started (`ray stop` would stop every Ray here).
    Missing Ray skips the test, like the local-Ray test (and fails it under CI)."""
    needs("ray")
    executable = Path(sys.executable).parent / "ray"
    if not executable.is_file():
        missing(f"no ray executable beside {sys.executable}")
    # Short: Ray's socket paths under it must stay within the 107 characters a socket allows.
    temp_dir = tmp_path_factory.mktemp("ray")
    token = temp_dir / "auth_token"
    token.write_text(secrets.token_hex(32))
    base = {k: v for k, v in os.environ.items() if k not in RAY_CONNECTION_VARIABLES}
    driver_env = {**base, "RAY_AUTH_TOKEN_PATH": str(token)}
    root = str(Path(__file__).resolve().parents[1])
    # The workers import this checkout's ie, whatever the environment's editable install is.
    head_env = {**driver_env, "RAY_AUTH_MODE": "token", "PYTHONPATH": root}
    command = [
        str(executable), "start", "--head", "--block", "--num-cpus", "2",
        "--include-dashboard", "false", "--disable-usage-stats", "--temp-dir", str(temp_dir),
        "--object-store-memory", str(150 * 1024 * 1024), "--port", str(free_port()),
        "--ray-client-server-port", str(free_port()), "--dashboard-port", str(free_port()),
        "--dashboard-agent-listen-port", str(free_port()),
    ]  # fmt: skip
    log = temp_dir / "ray-start.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=head_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C of pytest is for pytest: the finally stops it
        )
    address_file = temp_dir / "ray_current_cluster"  # written once the head runs
    try:
        deadline = time.monotonic() + RAY_START_TIMEOUT
        while not (address_file.is_file() and address_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
                pytest.fail(f"ray start --head did not start (exit {process.poll()}):\n{tail}")
            time.sleep(0.5)
        yield RayHead(address_file.read_text().strip(), driver_env, log)
    finally:
        _stop_tree(process.pid)


def _stop_tree(leader: int, grace: float = 5) -> None:
    """The head and every process it started, found by descent: its workers run in process
    groups of their own. SIGTERM, then SIGKILL for those still there after ``grace`` seconds (a
    graceful Ray shutdown takes 25-30 s, and nothing of this cluster needs to be kept)."""
    import psutil  # a dependency of Ray

    try:
        head = psutil.Process(leader)
        processes = [head, *head.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for signalled in (psutil.Process.terminate, psutil.Process.kill):
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                signalled(process)
        _, processes = psutil.wait_procs(processes, timeout=grace)
        if not processes:
            return
