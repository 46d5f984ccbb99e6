"""python -m ie.predict: reports in, facts out (JSON, JSONL or CSV), every value with its evidence.

python -m ie.predict report.txt
python -m ie.predict ../shared/corpus --format jsonl --out facts.jsonl
python -m ie.predict report.pdf --dump-text
python -m ie.predict reports/ --format parquet --out tables/
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ie.cli import Parser, add_force, add_reading, add_tagger, apply_limits, positive_whole
from ie.errors import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, Errors, InputError, run_command
from ie.output.files import check_output
from ie.output.formats import emit, join_reports
from ie.read import find_reports, read
from ie.run.pool import Outcome, Rendering, analyze_paths, default_jobs


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m ie.predict",
        description="Extract the statistics of Chinese government information disclosure annual "
        "reports (政府信息公开工作年度报告): every value mapped onto the official schema's field ids, "
        "with the characters it came from, and the report's own arithmetic checked.",
        epilog="Offsets in the output index the file's decoded text (txt, markdown) or the extracted text "
        "(html, pdf, docx: see --dump-text). Exit codes: 0 all read, 1 some reports failed (the "
        "rest were written), 2 usage or input error.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="report files (txt in any encoding, markdown, html, pdf, docx) or directories",
    )
    parser.add_argument(
        "--format",
        choices=("json", "jsonl", "csv", "parquet"),
        default="json",
        help="json: one document (an array for several reports); jsonl: one line "
        "per report; csv: one row per fact; parquet: the facts and documents tables "
        "(needs --out DIR; column types in the README) (default: json)",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="write here (atomically) instead of stdout; with --format parquet a folder, "
        "which gets facts/part-0.parquet and documents/part-0.parquet",
    )
    parser.add_argument(
        "--jobs",
        type=positive_whole,
        default=default_jobs(),
        metavar="N",
        help="reports processed at once, one process each; the output is the same for every N "
        "(default: this machine's cores, %(default)s)",
    )
    add_tagger(parser)
    parser.add_argument(
        "--dump-text",
        action="store_true",
        help="print the text the offsets refer to instead of facts",
    )
    add_reading(parser)
    add_force(parser)
    return parser  # fmt: skip


def _with_progress(outcomes: Iterator[Outcome], total: int) -> Iterable[Outcome]:
    if total < 2:
        return outcomes
    from tqdm import tqdm  # 0.1 s to import: not for a single report

    return tqdm(outcomes, total=total, desc="reports", unit="report", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: _predict(args))


def _predict(args: argparse.Namespace) -> int:
    apply_limits(args)
    paths = find_reports(args.paths)
    if args.format == "parquet" and not args.dump_text:
        from ie.output.parquet import check_folder  # pyarrow only for parquet output

        if not args.out:
            raise InputError(Errors.E051)
        check_folder(args.out, args.paths, args.force)
    elif args.out:
        check_output(args.out, args.paths, args.force)  # before any work, never over the input
    if args.dump_text:
        for problem in paths.problems:  # a folder's unreadable entries fail the whole dump
            raise InputError(problem)
        text = "".join(read(p, max_mb=args.max_mb).source_text for p in paths)
        emit(text, args.out)
        return EXIT_OK
    several = len(paths) > 1 or any(Path(p).is_dir() for p in args.paths)
    failures = len(paths.problems)
    for problem in paths.problems:
        print(f"error: {problem}", file=sys.stderr)
    # Each report is rendered where it is analyzed (Parquet is written from the results at the end).
    rendering = None if args.format == "parquet" else Rendering(args.format, several)
    outcomes = analyze_paths(paths, args.tagger, args.model, args.max_mb, args.jobs, rendering)
    done: list[Outcome] = []
    for outcome in _with_progress(outcomes, len(paths)):
        if outcome.error is not None:
            failures += 1
            print(f"error: {outcome.error}", file=sys.stderr)
        else:
            done.append(outcome)
    if not done:
        return EXIT_USAGE
    if args.format == "parquet":
        from ie.output.parquet import write_tables

        write_tables(done, args.out)
        return EXIT_FAILURES if failures else EXIT_OK
    output = join_reports([outcome.rendered for outcome in done], args.format, several)  # type: ignore[misc]
    emit(output, args.out)
    return EXIT_FAILURES if failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
