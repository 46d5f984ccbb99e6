"""The output folder of ``ie.batch``: the tables in parts, each part committed when complete, so
an interrupted run resumes where it stopped.

OUTPUT/facts/P.parquet, OUTPUT/errors/P.parquet (and OUTPUT/reports/P.jsonl with --jsonl) are
written first, OUTPUT/documents/P.parquet last: a part whose documents file exists is complete.
A rerun deletes incomplete parts and skips every document whose content hash is in a complete
part's documents or errors table (the same bytes give the same result, or the same error).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyarrow.parquet as pq

from ie.output.files import write_text
from ie.output.parquet import documents_table, errors_table, facts_table, write_parquet
from ie.run.pool import Outcome

TABLES = ("facts", "errors", "documents")  # documents last: it commits the part
REPORTS = (
    "reports"  # --jsonl: every report's full result, the lines ie.predict --format jsonl prints
)


def prepare(out: Path) -> tuple[set[str], set[str]]:
    """Delete incomplete parts; the content hashes of the documents done, and of those failed."""
    for leftover in out.glob("*/.*.tmp"):  # a write the interruption cut short
        leftover.unlink()
    committed = {path.stem for path in (out / "documents").glob("*.parquet")}
    for folder, suffix in (("facts", ".parquet"), ("errors", ".parquet"), (REPORTS, ".jsonl")):
        for path in (out / folder).glob(f"*{suffix}"):
            if path.stem not in committed:
                path.unlink()
    done, failed = _hashes(out / "documents"), _hashes(out / "errors")
    failed.discard("")  # a file that could not be read has no hash: it is tried again
    return done, failed


def _hashes(folder: Path) -> set[str]:
    hashes: set[str] = set()
    for path in folder.glob("*.parquet"):
        hashes.update(pq.read_table(path, columns=["content_hash"]).column(0).to_pylist())
    return hashes


class PartWriter:
    """Numbered parts of one run: ``<start time>-<process id>-<n>``, so parts of earlier runs
    keep their names."""

    def __init__(self, out: Path, jsonl: bool) -> None:
        self.out = out
        self.jsonl = jsonl
        self.run = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        self.count = 0

    def write(self, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        name = f"{self.run}-{self.count:05d}"
        self.count += 1
        write_parquet(facts_table(outcomes), self.out / "facts" / f"{name}.parquet")
        write_parquet(errors_table(outcomes), self.out / "errors" / f"{name}.parquet")
        if self.jsonl:
            lines = "".join(
                json.dumps(o.result, ensure_ascii=False) + "\n" for o in outcomes if o.result
            )
            _write_text(self.out / REPORTS / f"{name}.jsonl", lines)
        write_parquet(documents_table(outcomes), self.out / "documents" / f"{name}.parquet")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)
