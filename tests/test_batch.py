"""python -m ie.batch on a local Ray with two workers over real reports: its Parquet facts equal
ie.predict's, a broken file is a row of the errors table, and a rerun over a folder that grew
does only the new reports (what resuming an interrupted run needs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ie.output.batch_parts import MANIFEST, PartWriter, prepare
from ie.output.parquet import DOCUMENTS, ERRORS, FACTS
from ie.run.pool import analyze_path
from ie.tag import get_tagger
from tests.helpers import ROOT, broken_pdf, needs, shared_file

# Every vintage and both table layouts of the corpus, and a seed report with prose and tables.
pytestmark = pytest.mark.slow  # Label Studio, Ray, a browser or training: `pytest -m "not slow"` skips it

REPORTS = ["corpus/v2008/2011-01.txt", "corpus/v2008/2016-02.txt", "corpus/v2019/2019-02.txt",
           "corpus/v2019/2020-02.txt", "corpus/v2021/2022-01.txt", "corpus/v2021/2023-10.txt",
           "seeds/004_e0499503ab353c5a.txt"]  # fmt: skip
FACT_ORDER = [("document", "ascending"), ("evidence_start", "ascending"),
              ("field_id", "ascending")]  # fmt: skip


def batch(*args: str) -> subprocess.CompletedProcess[str]:
    # Two workers and a small object store: the machine is shared.
    command = [sys.executable, "-m", "ie.batch", *args, "--num-cpus", "2", "--object-store-mb",
               "150", "--part-size", "3"]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)


def predict(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ie.predict", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)  # fmt: skip


def copy_reports(names: list[str], folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(shared_file(name), folder / name.replace("/", "_"))


def read(folder: Path) -> pa.Table:
    return pq.read_table(sorted(folder.glob("*.parquet")))


def test_batch_on_ray_matches_predict_and_resumes(tmp_path: Path) -> None:
    needs("ray")
    reports, out = tmp_path / "reports", tmp_path / "tables"
    copy_reports(REPORTS[:3], reports)
    first = batch(str(reports), str(out))
    assert first.returncode == 0, first.stderr[-3000:]
    first_parts = {p: p.read_bytes() for p in out.glob("*/*.parquet")}
    assert len(read(out / "documents")) == 3

    # The folder grows (or the first run was interrupted): the rerun does only what is new.
    copy_reports(REPORTS[3:], reports)
    broken = broken_pdf(reports / "broken.pdf")
    second = batch(str(reports), str(out), "--jsonl")
    assert second.returncode == 1, second.stderr[-3000:]  # one report failed
    assert "3 done before" in second.stderr and "Traceback" not in second.stderr
    assert all(part.read_bytes() == content for part, content in first_parts.items())
    documents = read(out / "documents")
    assert documents.schema.equals(DOCUMENTS)
    hashes = documents.column("content_hash").to_pylist()
    assert len(hashes) == len(set(hashes)) == len(REPORTS)  # nothing done twice

    errors = read(out / "errors")
    assert errors.schema.equals(ERRORS)
    assert errors.column("document").to_pylist() == [str(broken)]
    assert errors.column("error").to_pylist()[0].startswith(f"[E007] cannot read PDF {broken}")

    tables = tmp_path / "predicted"
    predicted = predict(str(reports), "--format", "parquet", "--out", str(tables))
    assert predicted.returncode == 1  # the broken PDF
    facts = read(out / "facts")
    assert facts.schema.equals(FACTS)
    expected = pq.read_table(tables / "facts" / "part-0.parquet")
    assert len(facts) > 50
    assert facts.sort_by(FACT_ORDER).equals(expected.sort_by(FACT_ORDER))
    expected_documents = pq.read_table(tables / "documents" / "part-0.parquet")
    assert documents.sort_by("document").equals(expected_documents.sort_by("document"))

    # --jsonl: the second run's reports, each line what ie.predict --format jsonl prints for it
    lines = [json.loads(line) for p in out.glob("reports/*.jsonl") for line in p.open()]
    jsonl = predict(*(str(reports / n.replace("/", "_")) for n in REPORTS[3:]), "--format", "jsonl")
    assert sorted(lines, key=lambda r: r["document"]) == [
        json.loads(line) for line in jsonl.stdout.splitlines()
    ]

    third = batch(str(reports), str(out))
    assert third.returncode == 1  # the errors table still holds the broken file
    assert f"{len(REPORTS)} done before, 1 failed before" in third.stderr
    assert len(read(out / "documents")) == len(REPORTS)


def test_an_unfinished_part_is_deleted_and_its_reports_redone(tmp_path: Path) -> None:
    tagger = get_tagger("rules")
    outcomes = [analyze_path(str(shared_file(name)), tagger, 20) for name in REPORTS[:2]]
    out = tmp_path / "tables"
    PartWriter(out, jsonl=True).write(outcomes)
    done, failed = prepare(out)
    assert done == {o.content_hash for o in outcomes} and failed == set()
    # Interrupted after the facts, before the documents part that commits them, mid-write:
    (documents,) = (out / "documents").glob("*.parquet")
    os.remove(documents)
    manifest = json.loads((out / MANIFEST).read_text())
    (part,) = manifest["parts"].values()
    part["committed"] = False
    manifest["temporary"] = [f"documents/.{documents.name}.tmp"]
    (out / MANIFEST).write_text(json.dumps(manifest))
    (out / "documents" / f".{documents.name}.tmp").write_bytes(b"cut short")
    assert prepare(out) == (set(), set())
    assert [p.name for p in out.rglob("*") if p.is_file()] == [MANIFEST]


def test_bad_input_is_one_line_before_ray_starts(tmp_path: Path) -> None:
    missing = batch(str(tmp_path / "missing"), str(tmp_path / "tables"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: [E001] no such file or directory: {tmp_path / 'missing'}"
    nowhere = batch(str(shared_file(REPORTS[0])), str(tmp_path / "no" / "tables"))
    assert nowhere.returncode == 2 and nowhere.stderr.startswith("error: [E052] cannot write tables")
    assert not (tmp_path / "no").exists()
