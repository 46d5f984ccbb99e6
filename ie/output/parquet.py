"""Analysis results → the analysis-ready tables as Parquet: facts, documents and errors.

The column types are fixed here, one pyarrow schema per table (README "Tables" documents them), so
every file of a run and of every later run reads the same in DuckDB, pandas or Spark. ``ie.predict
--format parquet`` and ``ie.batch`` both write through this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ie.errors import Errors, InputError
from ie.output.files import check_output, replacing
from ie.run.pool import Outcome

FACTS = pa.schema([
    ("document", pa.string()),  # the report's path as given (Document.path)
    ("content_hash", pa.string()),  # sha256 of the file's bytes, hex
    ("agency", pa.string()),  # null when the report does not name it
    ("year", pa.int32()),  # null when the report does not state it
    ("vintage", pa.string()),  # "2008" | "2019" | "2021"
    ("field_id", pa.string()),  # configs/schema.yaml
    ("value", pa.float64()),  # in the schema's unit (money in 万元)
    ("unit", pa.string()),
    ("approx", pa.bool_()),  # "2.5万余": the report gives a rounded figure
    ("origin", pa.string()),  # "table" | "prose" | "ocr-table" | "ocr-prose"
    ("evidence_start", pa.int32()),  # offsets into the text --dump-text prints
    ("evidence_end", pa.int32()),
    ("evidence_text", pa.string()),
    ("confidence", pa.float64()),
    ("qualifier", pa.string()),  # JSON object ({"agency": "区政府"}) or null: the report's own
    ("label", pa.string()),  # the row label or phrase the value was read under
    ("parent", pa.string()),  # a breakdown's part (公民 of 收到申请): its whole's field id, else null
])  # fmt: skip
# The cross-vintage metrics (configs/schema.yaml "harmonized"), one column each in the documents
# table: "requests.granted" → requests_granted, comparable across the 2008/2019/2021 templates.
HARMONIZED = (
    "active.total",
    "requests.received",
    "requests.granted",
    "requests.partial",
    "review.total",
    "review.corrected",
    "litigation.total",
    "litigation.corrected",
)
DOCUMENTS = pa.schema([
    ("document", pa.string()),
    ("content_hash", pa.string()),
    ("format", pa.string()),  # "txt" | "html" | "pdf" | "docx"
    ("agency", pa.string()),
    ("year", pa.int32()),
    ("vintage", pa.string()),
    ("kind", pa.string()),  # "annual_report" | "other"
    ("facts", pa.int32()),  # counts of the report's facts, unmapped statistics, checks, conflicts
    ("unmapped", pa.int32()),
    ("checks_passed", pa.int32()),
    ("checks_failed", pa.int32()),
    ("checks_not_assessable", pa.int32()),
    ("conflicts", pa.int32()),
    *((metric.replace(".", "_"), pa.float64()) for metric in HARMONIZED),  # null: not stated
])  # fmt: skip
ERRORS = pa.schema([
    ("document", pa.string()),
    ("content_hash", pa.string()),  # "" when the file could not be read
    ("error", pa.string()),  # the one-line message ie.predict prints
])  # fmt: skip
PART = "part-0.parquet"  # the one part ie.predict writes in each table's folder


def fact_rows(outcome: Outcome) -> list[dict[str, object]]:
    result = outcome.result or {}
    rows = []
    for fact in result.get("facts", []):  # type: ignore[union-attr]
        evidence = fact["evidence"]
        qualifier = fact["qualifier"]
        rows.append({
            "document": result["document"], "content_hash": outcome.content_hash,
            "agency": result["agency"], "year": result["year"], "vintage": result["vintage"],
            "field_id": fact["field_id"], "value": fact["value"], "unit": fact["unit"],
            "approx": fact["approx"], "origin": fact["origin"],
            "evidence_start": evidence["start"], "evidence_end": evidence["end"],
            "evidence_text": evidence["text"], "confidence": fact["confidence"],
            "qualifier": json.dumps(qualifier, ensure_ascii=False, sort_keys=True)
            if qualifier else None,
            "label": fact.get("label"),
            "parent": fact.get("parent"),
        })  # fmt: skip
    return rows


def document_row(outcome: Outcome) -> dict[str, object]:
    result: dict = outcome.result or {}
    statuses = [check["status"] for check in result["checks"]]
    return {
        "document": result["document"],
        "content_hash": outcome.content_hash,
        "format": result["source"]["format"],
        "agency": result["agency"],
        "year": result["year"],
        "vintage": result["vintage"],
        "kind": result["kind"],
        "facts": len(result["facts"]),
        "unmapped": len(result["unmapped"]),
        "checks_passed": statuses.count("pass"),
        "checks_failed": statuses.count("fail"),
        "checks_not_assessable": statuses.count("not_assessable"),
        "conflicts": len(result["conflicts"]),
        **{m.replace(".", "_"): result["harmonized"].get(m) for m in HARMONIZED},
    }


def facts_table(outcomes: Iterable[Outcome]) -> pa.Table:
    rows = [row for outcome in outcomes if outcome.result for row in fact_rows(outcome)]
    return pa.Table.from_pylist(rows, schema=FACTS)


def documents_table(outcomes: Iterable[Outcome]) -> pa.Table:
    rows = [document_row(outcome) for outcome in outcomes if outcome.result]
    return pa.Table.from_pylist(rows, schema=DOCUMENTS)


def errors_table(outcomes: Iterable[Outcome]) -> pa.Table:
    rows = [
        {"document": o.path, "content_hash": o.content_hash, "error": o.error}
        for o in outcomes
        if o.error is not None
    ]
    return pa.Table.from_pylist(rows, schema=ERRORS)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write beside the target, then rename: a reader never sees a half-written part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        pq.write_table(table, temporary, compression="zstd")


def check_folder(out: str, inputs: Iterable[str] = (), force: bool = False) -> None:
    """ie.predict's --out for Parquet: a folder it may create, holding no other run's tables,
    and the two part files it replaces safe to write (``check_output``)."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError(Errors.E052.format(path=out, reason="not a folder"))
    if not folder.parent.is_dir():
        raise InputError(Errors.E052.format(path=out, reason="its parent folder does not exist"))
    for table in ("facts", "documents"):
        others = [p for p in (folder / table).glob("*.parquet") if p.name != PART]
        if others:
            reason = f"{table}/ holds other tables (an ie.batch run?); use an empty folder"
            raise InputError(Errors.E052.format(path=out, reason=reason))
        part = folder / table / PART
        if part.exists() or part.is_symlink():
            check_output(str(part), inputs, force)


def write_tables(outcomes: list[Outcome], out: str) -> None:
    """ie.predict's tables: OUT/facts/part-0.parquet and OUT/documents/part-0.parquet."""
    check_folder(out)
    try:
        write_parquet(facts_table(outcomes), Path(out) / "facts" / PART)
        write_parquet(documents_table(outcomes), Path(out) / "documents" / PART)
    except OSError as error:
        raise InputError(Errors.E052.format(path=out, reason=error.strerror or error)) from None
