"""Issue 15, the batch side: linear time on number-dense text, ie.batch owning only what it wrote
(manifest, lock, errors rows, quiet Ray), a corrupted model as one line."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ie.batch import Extractor
from ie.output.batch_parts import LOCK, MANIFEST, OutputLock, PartWriter, prepare
from ie.paths import DEFAULT_MODEL_DIR
from ie.run.pool import analyze_path
from ie.tag import get_tagger
from tests.helpers import ROOT, shared_file

REPORTS = ["corpus/v2008/2011-01.txt", "corpus/v2019/2019-02.txt", "corpus/v2021/2022-01.txt",
           "corpus/v2021/2023-10.txt"]  # fmt: skip
# Two workers and a small object store: the machine is shared.
RAY_FLAGS = ["--num-cpus", "2", "--object-store-mb", "150", "--part-size", "2"]


def batch(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ie.batch", *args, *RAY_FLAGS]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)

# A guard against quadratic time, not a benchmark: about 3 s (paragraphs) and 7 s (one sentence)
# on one core; 46 s and minutes before the tagger and the normalizer became n log n.
DENSE_LIMIT_S = 30


@pytest.mark.slow  # 280k characters twice: 10-20 s, a guard rather than a unit test
def test_dense_text_of_280k_characters_is_analyzed_in_linear_time() -> None:
    shared_file("seeds")
    from benchmarks.dense_text import dense_text, document, one_sentence
    from ie.pipeline import analyze

    text = dense_text(280_000)
    assert len(text) == 280_000
    tagger = get_tagger("rules")

    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError(f"280k characters of dense text took over {DENSE_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    try:
        # in paragraphs, then with no sentence end at all (every scan back runs to the start)
        for shaped in (text, one_sentence(text)):
            signal.alarm(DENSE_LIMIT_S)
            result = analyze(document(shaped), tagger)
            signal.alarm(0)
            assert len(result["facts"]) + len(result["unmapped"]) > 1000
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------------------------------------
# ie.batch owns only what it wrote


def test_cleanup_deletes_only_what_the_manifest_lists(tmp_path: Path) -> None:
    tagger = get_tagger("rules")
    outcomes = [analyze_path(str(shared_file(name)), tagger, 20) for name in REPORTS[:2]]
    out = tmp_path / "tables"
    out.mkdir()
    # files of the user's (or another tool's) in the folders ie.batch writes to
    theirs = {"facts/mine.parquet": b"theirs", "errors/notes.parquet": b"theirs",
              "reports/keep.jsonl": b"theirs", "facts/.draft.tmp": b"theirs",
              "documents/.other.parquet.tmp": b"theirs", "notes.txt": b"theirs"}  # fmt: skip
    for relative, content in theirs.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(content)
    committed = PartWriter(out, jsonl=True)
    committed.write(outcomes[:1])
    # a part interrupted after its facts: listed, uncommitted, its temporary file left behind
    cut = PartWriter(out, jsonl=False)
    cut.run += "-cut"
    cut.write(outcomes[1:])
    manifest = json.loads((out / MANIFEST).read_text())
    (name,) = [n for n in manifest["parts"] if n.endswith("-cut-00000")]
    manifest["parts"][name]["committed"] = False
    manifest["temporary"].append(f"documents/.{name}.parquet.tmp")
    (out / "documents" / f"{name}.parquet").rename(out / "documents" / f".{name}.parquet.tmp")
    (out / MANIFEST).write_text(json.dumps(manifest))

    done, failed = prepare(out)
    assert done == {outcomes[0].content_hash} and failed == set()
    left = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    ours = set(json.loads((out / MANIFEST).read_text())["parts"].popitem()[1]["files"])
    assert left == set(theirs) | ours | {MANIFEST}
    assert all((out / r).read_bytes() == c for r, c in theirs.items())
    assert json.loads((out / MANIFEST).read_text())["temporary"] == []


def test_a_second_run_into_the_same_output_is_refused_in_one_line(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(shared_file(REPORTS[0]), reports / "a.txt")
    out = tmp_path / "tables"
    out.mkdir()
    first = OutputLock(out)
    first.acquire()  # a run in progress (this process)
    try:
        second = batch(str(reports), str(out))
    finally:
        first.release()
    assert second.returncode == 2, second.stderr
    (line,) = second.stderr.strip().splitlines()
    assert line.startswith(f"error: [E088] {out} is in use by another ie.batch run (process {os.getpid()}")
    assert "started 20" in line
    assert sorted(p.name for p in out.iterdir()) == [LOCK]  # nothing written, no Ray started


@pytest.fixture(scope="module")
def damaged_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (DEFAULT_MODEL_DIR / "model.safetensors").is_file():
        pytest.skip("no shipped model")
    folder = tmp_path_factory.mktemp("damaged") / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:4096])  # a copy cut short
    return folder


@pytest.mark.slow  # starts Ray
def test_a_damaged_model_is_one_line_in_every_command(damaged_model: Path, tmp_path: Path) -> None:
    report = str(shared_file(REPORTS[0]))
    commands = {
        "ie.predict": ["-m", "ie.predict", report, "--tagger", "model", "--model", str(damaged_model)],
        "ie.review": ["-m", "ie.review", report, "--out", str(tmp_path / "r.html"),
                      "--tagger", "model", "--model", str(damaged_model)],
        "training.promote": ["-m", "training.promote", str(damaged_model), "--new-docs",
                             "annotations/studio/corpus__v2008__2008-01.json", "--dry-run"],
        "ie.batch": ["-m", "ie.batch", report, str(tmp_path / "tables"), "--tagger", "model",
                     "--model", str(damaged_model), "--num-cpus", "1"],
    }  # fmt: skip
    for name, command in commands.items():
        done = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
        assert done.returncode == 2, (name, done.stderr[-2000:])
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"error: [E087] cannot load the model in {damaged_model}: Safetensor"), (
            name, line)  # fmt: skip
    assert not (tmp_path / "tables").exists()  # ie.batch stopped before OUTPUT and Ray


def test_an_unreadable_or_vanished_file_is_an_error_row(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    extractor = Extractor("rules", None, 20.0, set())
    report = str(shared_file(REPORTS[0]))
    rows = extractor(pa.table({"path": [str(tmp_path / "gone.txt"), report, str(folder)]}))
    assert rows["path"] == [str(tmp_path / "gone.txt"), report, str(folder)]
    assert rows["content_hash"][0] == "" and rows["content_hash"][2] == ""
    assert rows["error"][0] == f"[E001] no such file or directory: {tmp_path / 'gone.txt'}"
    assert rows["error"][1] is None and json.loads(rows["result"][1])["facts"]
    assert rows["error"][2]  # a folder where a file was


def _ours(mark: str) -> list[psutil.Process]:
    """The processes started with our mark in their environment (Ray's inherit it)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("IE_TEST_MARK") == mark:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def _gone(mark: str, seconds: float) -> list[str]:
    """What is still running of ours after ``seconds`` (killed then, so nothing leaks)."""
    deadline = time.monotonic() + seconds
    while (left := _ours(mark)) and time.monotonic() < deadline:
        time.sleep(0.5)
    names = []
    for process in left:
        try:
            names.append(" ".join(process.cmdline())[:120])
            process.kill()
        except psutil.NoSuchProcess:
            pass
    return names


@pytest.mark.slow  # starts Ray
def test_batch_on_ray_keeps_others_files_is_quiet_and_leaves_no_ray_behind(tmp_path: Path) -> None:
    """One Ray run for several cases, then one killed with SIGKILL (each Ray start takes long)."""
    pytest.importorskip("ray")
    reports, out = tmp_path / "reports", tmp_path / "tables"
    reports.mkdir()
    for name in REPORTS[:2]:
        shutil.copy(shared_file(name), reports / name.replace("/", "_"))
    vanishing = reports / "vanishing.txt"
    shutil.copy(shared_file(REPORTS[2]), vanishing)
    theirs = {"facts/mine.parquet": b"theirs", "reports/keep.jsonl": b"theirs",
              "facts/.draft.tmp": b"theirs", "errors/old.parquet": b"theirs"}  # fmt: skip
    for relative, content in theirs.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(content)
    mark = secrets.token_hex(8)
    env = {**os.environ, "IE_TEST_MARK": mark}
    command = [sys.executable, "-m", "ie.batch", str(reports), str(out), "--jsonl", *RAY_FLAGS]
    run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    while not (out / LOCK).exists() and run.poll() is None:  # the reports are listed by now
        time.sleep(0.05)
    vanishing.unlink()  # gone before a worker reads it (Ray takes seconds to start)
    _, stderr = run.communicate(timeout=600)
    assert run.returncode == 1, stderr[-3000:]
    lines = [line for line in stderr.replace("\r", "\n").splitlines() if line.strip()]
    assert lines[-1].startswith("3 reports: 2 done now, 1 failed now"), stderr[-3000:]
    assert all(line.startswith("reports:") for line in lines[:-1]), stderr[-3000:]
    assert all((out / r).read_bytes() == c for r, c in theirs.items())
    errors = pq.read_table(sorted(p for p in out.glob("errors/2*.parquet")))
    assert errors.column("error").to_pylist() == [f"[E001] no such file or directory: {vanishing}"]
    # ray.shutdown stopped every Ray process (idle workers may take a while to notice on a loaded
    # 2-core machine: once in the full suite they outlived 30 s; they are gone well within 90)
    assert _gone(mark, 90) == []

    # SIGKILL of the driver while Ray works: Linux ends what it started (fate sharing)
    shutil.copy(shared_file(REPORTS[2]), vanishing)
    for name in REPORTS[3:]:
        shutil.copy(shared_file(name), reports / name.replace("/", "_"))
    killed = subprocess.Popen([*command[:4], str(tmp_path / "killed"), *RAY_FLAGS], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 300
    while not any("raylet" in " ".join(p.cmdline()) for p in _ours(mark) if p.pid != killed.pid):
        assert killed.poll() is None and time.monotonic() < deadline, "Ray did not start"
        time.sleep(0.2)
    time.sleep(3)  # its workers start too
    killed.kill()
    killed.wait(30)
    assert _gone(mark, 120) == []
