"""ie.predict on all cores and as tables: --jobs N writes the same bytes as --jobs 1 and reports a
failing file the same way; --format parquet holds what the JSON holds, in the fixed column types,
and the README's DuckDB query runs on it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from ie.errors import Errors
from ie.output.parquet import DOCUMENTS, FACTS, HARMONIZED
from ie.schema import load_schema
from tests.helpers import ROOT, broken_pdf, copy_open_corpus, needs, open_documents, shared_file

SEED_004 = "seeds/004_e0499503ab353c5a.txt"
SEED_003 = "seeds/003_5efb2117df0d3f03.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ie.predict", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)  # fmt: skip


def error_lines(stderr: str) -> list[str]:
    """The error messages, without the progress bar they may follow on its line."""
    return re.findall(r"error: [^\r\n]*", stderr)


def test_two_jobs_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    broken = broken_pdf(tmp_path / "broken.pdf")
    corpus = copy_open_corpus(tmp_path / "corpus")  # the train and dev reports
    written = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}.jsonl"
        result = run(
            str(corpus), str(broken), "--format", "jsonl", "--jobs", jobs, "--out", str(out)
        )
        assert result.returncode == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        errors = error_lines(result.stderr)
        assert len(errors) == 1 and f"cannot read PDF {broken}" in errors[0]
        written[jobs] = (out.read_bytes(), errors)
    assert written["1"] == written["2"]
    reports = [json.loads(line) for line in written["1"][0].decode("utf-8").splitlines()]
    expected = sorted(str(p) for p in corpus.rglob("*") if p.suffix in {".txt", ".pdf"})
    assert len(expected) == len([d for d in open_documents() if d.startswith("corpus/")])
    assert [r["document"] for r in reports] == expected


def test_reports_rendered_by_the_workers_join_into_one_exact_json_document(tmp_path: Path) -> None:
    """The workers render each report's JSON and the parent joins them: the joined text must be
    the one json.dumps gives for the whole list, also where a string holds a character that other
    line splitters break at (U+2028, U+0085: here in a file name, which the output repeats)."""
    odd = tmp_path / "宝坻\u2028二〇一六\x85.txt"
    odd.write_bytes(shared_file(SEED_004).read_bytes())
    paths = [str(shared_file(SEED_003)), str(odd), str(shared_file(SEED_004))]
    together = run(*paths, "--jobs", "2")
    assert together.returncode == 0, together.stderr[-2000:]
    reports = json.loads(together.stdout)
    assert [r["document"] for r in reports] == paths
    assert together.stdout == json.dumps(reports, ensure_ascii=False, indent=2) + "\n"
    lines = run(*paths, "--jobs", "2", "--format", "jsonl").stdout.split("\n")  # not splitlines()
    assert lines[-1] == "" and [json.loads(line) for line in lines[:-1]] == reports


def test_jobs_must_be_a_positive_number() -> None:
    result = run(str(shared_file(SEED_004)), "--jobs", "0")
    assert result.returncode == 2 and "--jobs" in result.stderr and "Traceback" not in result.stderr


def test_parquet_tables_hold_the_json_results(tmp_path: Path) -> None:
    reports = [str(shared_file(SEED_004)), str(shared_file(SEED_003)),
               str(shared_file("corpus/v2021/2023-10.txt"))]  # fmt: skip
    jsonl = run(*reports, "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    results = [json.loads(line) for line in jsonl.stdout.splitlines()]
    tables = tmp_path / "tables"
    parquet = run(*reports, "--format", "parquet", "--out", str(tables), "--jobs", "2")
    assert parquet.returncode == 0, parquet.stderr
    assert parquet.stdout == ""

    facts = pq.read_table(tables / "facts" / "part-0.parquet")
    assert facts.schema.equals(FACTS)
    expected = [
        (r["document"], r["year"], f["field_id"], float(f["value"]), f["evidence"]["start"],
         f["evidence"]["end"], f["evidence"]["text"],
         json.dumps(f["qualifier"], ensure_ascii=False, sort_keys=True) if f["qualifier"] else None)
        for r in results for f in r["facts"]
    ]  # fmt: skip
    columns = ("document", "year", "field_id", "value", "evidence_start", "evidence_end",
               "evidence_text", "qualifier")  # fmt: skip
    assert list(zip(*(facts.column(c).to_pylist() for c in columns))) == expected
    assert len({h for h in facts.column("content_hash").to_pylist()}) == 3

    documents = pq.read_table(tables / "documents" / "part-0.parquet")
    assert documents.schema.equals(DOCUMENTS)
    rows = documents.to_pylist()
    assert [row["document"] for row in rows] == [r["document"] for r in results]
    for row, result in zip(rows, results):
        assert row["facts"] == len(result["facts"])
        assert row["checks_failed"] == sum(c["status"] == "fail" for c in result["checks"])
        assert row["requests_received"] == result["harmonized"]["requests.received"]
    first = rows[0]
    assert (first["agency"], first["year"], first["requests_received"]) == ("宝坻区", 2016, 26)


def test_readme_duckdb_query_runs_on_the_tables(tmp_path: Path) -> None:
    duckdb = needs("duckdb")
    tables = tmp_path / "tables"
    corpus = copy_open_corpus(tmp_path / "corpus")
    result = run(str(shared_file(SEED_004)), str(corpus / "v2021"), "--format", "parquet",
                 "--out", str(tables))  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", readme, re.DOTALL)
    assert queries, "the README shows a DuckDB query"
    answers = [duckdb.sql(q.replace("'tables/", f"'{tables}/")).fetchall() for q in queries]
    assert all(answers)
    share_by_year = {year: share for year, _, share in answers[0]}
    assert share_by_year[2016] == round(4 / 26, 3)  # seed 004: 宝坻区 granted 4 of 26 requests


def test_parquet_needs_a_folder() -> None:
    result = run(str(shared_file(SEED_004)), "--format", "parquet")
    assert result.returncode == 2
    assert error_lines(result.stderr) == [f"error: {Errors.E051}"]


def test_harmonized_columns_are_the_schemas() -> None:
    for vintage in load_schema().vintages.values():
        assert set(vintage.harmonized) == set(HARMONIZED)
