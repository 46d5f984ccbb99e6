"""Results → the bytes a command writes: one JSON document, JSON lines, or CSV with one row per
fact; and where they go (a file, written atomically, or stdout)."""

from __future__ import annotations

import csv
import io
import json
import sys

from ie.output.files import write_output

CSV_COLUMNS = ("document", "field_id", "value", "unit", "approx", "origin", "start", "end",
               "evidence", "confidence", "qualifier")  # fmt: skip


def render(results: list[dict[str, object]], fmt: str, several: bool) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for result in results:
            for fact in result["facts"]:  # type: ignore[attr-defined]
                evidence = fact["evidence"]
                writer.writerow([
                    result["document"], fact["field_id"], fact["value"], fact["unit"],
                    str(fact["approx"]).lower(), fact["origin"], evidence["start"], evidence["end"],
                    evidence["text"], fact["confidence"],
                    json.dumps(fact["qualifier"], ensure_ascii=False) if fact["qualifier"] else "",
                ])  # fmt: skip
        return buffer.getvalue()
    payload: object = results if several else results[0]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def emit(output: str, out: str | None) -> None:
    """A command's output: to ``out`` atomically when given, else to stdout."""
    if out:
        write_output(out, output)
    else:
        sys.stdout.write(output)
