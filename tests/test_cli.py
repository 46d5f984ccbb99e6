"""python -m ie.predict as a user runs it: real reports in, valid JSON out; bad input gets one line
on stderr and exit code 2, never a traceback and never a half-written output file."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import CORPUS, ROOT, copy_open_corpus, open_documents, shared_file

SCHEMA = json.loads((ROOT / "configs" / "output.schema.json").read_text(encoding="utf-8"))
SEED_004 = "seeds/004_e0499503ab353c5a.txt"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ie.predict", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


def test_one_report_prints_valid_json() -> None:
    result = run(str(shared_file(SEED_004)))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert (document["agency"], document["year"], document["vintage"]) == ("宝坻区", 2016, "2008")
    assert any(f["field_id"] == "requests.received" and f["value"] == 26 for f in document["facts"])


def test_output_is_byte_identical_between_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run(str(shared_file(SEED_004)), "--out", str(first)).returncode == 0
    assert run(str(shared_file(SEED_004)), "--out", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_csv_and_jsonl_formats(tmp_path: Path) -> None:
    result = run(str(shared_file(SEED_004)), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0].keys() >= {"document", "field_id", "value", "unit", "approx", "origin", "start",
                              "end", "evidence"}  # fmt: skip
    assert any(r["field_id"] == "litigation.total" and r["value"] == "12" for r in rows)
    lines = run(str(shared_file(SEED_004)), str(shared_file("seeds/003_5efb2117df0d3f03.txt")),
                "--format", "jsonl").stdout.splitlines()  # fmt: skip
    assert len(lines) == 2
    for line in lines:
        jsonschema.validate(json.loads(line), SCHEMA)


def test_whole_corpus_runs_and_negatives_stay_nearly_empty(tmp_path: Path) -> None:
    """The corpus folder's train and dev reports, as a folder (the test split stays sealed)."""
    shared_file("corpus/v2019/MANIFEST.tsv")
    corpus = copy_open_corpus(tmp_path / "corpus")
    out = tmp_path / "corpus.jsonl"
    result = run(str(corpus), "--format", "jsonl", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "error" not in result.stderr.lower()
    documents = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    texts = sorted(corpus.glob("v*/*.txt"))
    assert len(documents) == len(texts) == len([d for d in open_documents() if "/v20" in d])
    negatives = set()
    for manifest in CORPUS.glob("v*/MANIFEST.tsv"):
        for row in csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"):
            if row["kind"] == "negative":
                negatives.add(str(corpus / manifest.parent.name / row["file"]))
    assert len(negatives) >= 5
    for document in documents:
        jsonschema.validate(document, SCHEMA)
        if document["document"] in negatives:
            assert len(document["facts"]) <= 2, document["document"]


def test_dump_text_prints_the_text_offsets_refer_to() -> None:
    result = run(str(shared_file(SEED_004)), "--dump-text")
    assert result.stdout == shared_file(SEED_004).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: str(d / "missing.txt"), "no such file"),
        (lambda d: str((d / "empty-dir").mkdir() or d / "empty-dir"), "no reports found"),
        (lambda d: str(_write(d / "empty.txt", b"")), "empty file"),
        (lambda d: str(_write(d / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))), "binary"),
        (lambda d: str(_write(d / "big.txt", "政府信息公开".encode() * 1_200_000)), "too large"),
        (lambda d: str(_write(d / "report.xlsx", b"PK\x03\x04")), "unsupported file type"),
    ],
)  # fmt: skip
def test_bad_input_gets_one_line_and_exit_2(tmp_path: Path, setup, message: str) -> None:
    result = run(setup(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert result.stdout == ""


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_out_into_missing_folder_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.json"
    result = run(str(shared_file(SEED_004)), "--out", str(target))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "cannot write" in result.stderr
    assert not target.parent.exists()


def test_one_failing_file_is_reported_and_the_rest_written(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(
        shared_file(SEED_004).read_text(encoding="utf-8"), encoding="utf-8"
    )
    _write(folder / "b.txt", b"")
    out = tmp_path / "out.jsonl"
    result = run(str(folder), "--format", "jsonl", "--out", str(out))
    assert result.returncode == 1
    assert "empty file" in result.stderr and "Traceback" not in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert not list(tmp_path.glob("**/*.tmp"))


def test_truncated_table_is_read_without_shifting(tmp_path: Path) -> None:
    text = shared_file(SEED_004).read_text(encoding="utf-8")
    cut = text.index("信函申请数")
    path = _write(tmp_path / "cut.txt", text[: cut + 12].encode("utf-8"))
    result = run(str(path))
    assert result.returncode == 0
    facts = {
        f["field_id"]: f["value"]
        for f in json.loads(result.stdout)["facts"]
        if f["origin"] == "table"
    }
    assert facts["requests.received.online"] == 13
    assert "requests.closed" not in facts


def test_every_error_code_is_defined_once() -> None:
    # Two branches picking the same free number silently replace one message with another.
    import ast

    import ie.errors

    tree = ast.parse(Path(ie.errors.__file__).read_text(encoding="utf-8"))
    catalogue = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Errors")
    codes = [t.id for n in catalogue.body if isinstance(n, ast.Assign) for t in n.targets]
    assert codes and len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_out_file_has_ordinary_permissions_and_no_temporary_is_left(tmp_path: Path) -> None:
    import os
    import stat

    out = tmp_path / "facts.json"
    result = subprocess.run([sys.executable, "-m", "ie.predict", "samples/baodi-2016.txt", "--out",
                             str(out)], capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["facts.json"]
    json.loads(out.read_text(encoding="utf-8"))


def test_a_printed_error_carries_its_code(tmp_path: Path) -> None:
    # a user can quote the code, and every message of the catalogue has one
    from ie.errors import Errors

    result = subprocess.run([sys.executable, "-m", "ie.predict", str(tmp_path / "nowhere.txt")],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("error: [E001] no such file or directory: ")
    codes = [name for name in vars(Errors) if name.startswith("E") and name[1:].isdigit()]
    assert codes and all(getattr(Errors, code).startswith(f"[{code}] ") for code in codes)


def test_recording_and_gating_in_one_run_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """Recording today's whole-report figures and gating against them would always pass: one line,
    exit 2, and the gate file untouched."""
    from ie.errors import Errors
    from ie.eval.gate import GATE
    from ie.evaluate import main as evaluate_main

    before = GATE.read_bytes()
    assert evaluate_main(["--split", "full", "--record-gate", "--gate"]) == 2
    assert capsys.readouterr().err == f"error: {Errors.E090}\n"
    assert GATE.read_bytes() == before
    run = subprocess.run([sys.executable, "-m", "ie.evaluate", "--split", "full", "--gate",
                          "--record-gate", "--whole", "no/such/folder"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"error: {Errors.E090}\n")
