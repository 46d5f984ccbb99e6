"""python -m ie.predict: reports in, facts out (JSON, JSONL or CSV), every value with its evidence.

python -m ie.predict report.txt
python -m ie.predict ../shared/corpus --format jsonl --out facts.jsonl
python -m ie.predict report.pdf --dump-text
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from ie.errors import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, Errors, InputError, run_command
from ie.pipeline import analyze
from ie.read import find_reports, read
from ie.tag import TAGGERS, Tagger, get_tagger

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ie-tagger-small"
CSV_COLUMNS = ("document", "field_id", "value", "unit", "approx", "origin", "start", "end",
               "evidence", "confidence", "qualifier")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ie.predict",
        description="Extract the statistics of Chinese government information disclosure annual "
        "reports (政府信息公开工作年度报告): every value mapped onto the official schema's field ids, "
        "with the characters it came from, and the report's own arithmetic checked.",
        epilog="Offsets in the output index the file's decoded text (txt) or the extracted text "
        "(html, pdf, docx: see --dump-text). Exit codes: 0 all read, 1 some reports failed (the "
        "rest were written), 2 usage or input error.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="report files (txt in any encoding, html, pdf, docx) or directories",
    )
    parser.add_argument(
        "--format",
        choices=("json", "jsonl", "csv"),
        default="json",
        help="json: one document (an array for several reports); jsonl: one line "
        "per report; csv: one row per fact (default: json)",
    )
    parser.add_argument("--out", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.add_argument(
        "--tagger",
        choices=TAGGERS,
        default="rules",
        help="prose tagger: rules (default) or a trained model (--model)",
    )
    parser.add_argument(
        "--model",
        metavar="DIR",
        default=str(DEFAULT_MODEL),
        help="model directory for --tagger model (default: %(default)s)",
    )
    parser.add_argument(
        "--dump-text",
        action="store_true",
        help="print the text the offsets refer to instead of facts",
    )
    parser.add_argument(
        "--max-mb",
        type=float,
        default=20.0,
        help="refuse files larger than this many MB (default: %(default)s)",
    )
    return parser  # fmt: skip


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


def write_atomically(path: str, content: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    target = Path(path)
    if not target.parent.exists():
        raise InputError(Errors.E009.format(path=path, reason="folder does not exist"))
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except OSError as error:
        raise InputError(Errors.E009.format(path=path, reason=error.strerror or error)) from None


def _results(paths: list[str], tagger: Tagger, max_mb: float) -> Iterator[tuple[str, dict | str]]:
    for path in tqdm(paths, desc="reports", unit="report", disable=len(paths) < 2, file=sys.stderr):
        try:
            yield path, analyze(read(path, max_mb=max_mb), tagger)
        except InputError as error:
            yield path, str(error)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: _predict(args))


def _predict(args: argparse.Namespace) -> int:
    paths = find_reports(args.paths)
    if args.dump_text:
        text = "".join(read(p, max_mb=args.max_mb).source_text for p in paths)
        if args.out:
            write_atomically(args.out, text)
        else:
            sys.stdout.write(text)
        return EXIT_OK
    tagger = get_tagger(args.tagger, args.model)
    several = len(paths) > 1 or any(Path(p).is_dir() for p in args.paths)
    results, failures = [], 0
    for path, result in _results(paths, tagger, args.max_mb):
        if isinstance(result, str):
            failures += 1
            print(f"error: {result}", file=sys.stderr)
        else:
            results.append(result)
    if not results:
        return EXIT_USAGE
    output = render(results, args.format, several)
    if args.out:
        write_atomically(args.out, output)
    else:
        sys.stdout.write(output)
    return EXIT_FAILURES if failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
