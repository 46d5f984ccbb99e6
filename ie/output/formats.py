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


def render_report(result: dict[str, object], fmt: str, several: bool) -> str:
    """One report's share of the output, so that a pool's workers render while they analyze and
    the parent only joins (``join_reports``): the joined text is ``render``'s, byte for byte."""
    if fmt == "jsonl":
        return json.dumps(result, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for fact in result["facts"]:  # type: ignore[attr-defined]
            evidence = fact["evidence"]
            writer.writerow([
                result["document"], fact["field_id"], fact["value"], fact["unit"],
                str(fact["approx"]).lower(), fact["origin"], evidence["start"], evidence["end"],
                evidence["text"], fact["confidence"],
                json.dumps(fact["qualifier"], ensure_ascii=False) if fact["qualifier"] else "",
            ])  # fmt: skip
        return buffer.getvalue()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    # An element of the list json.dumps(results, indent=2) is one level deeper. A raw "\n" in the
    # dump is always json's own line break (a string's newline is escaped), so replacing it is
    # exact; textwrap.indent is not, as it also breaks lines at U+2028 and U+0085 inside strings.
    return "  " + text.replace("\n", "\n  ") if several else text


def join_reports(rendered: list[str], fmt: str, several: bool) -> str:
    if fmt == "jsonl":
        return "".join(rendered)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(CSV_COLUMNS)
        return buffer.getvalue() + "".join(rendered)
    if not several:
        return rendered[0] + "\n"
    return "[\n" + ",\n".join(rendered) + "\n]\n" if rendered else "[]\n"


def emit(output: str, out: str | None) -> None:
    """A command's output: to ``out`` atomically when given, else to stdout."""
    if out:
        write_output(out, output)
    else:
        sys.stdout.write(output)
