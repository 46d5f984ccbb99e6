"""python -m ie.evaluate --split dev|test: how many of the statistics in real reports we get right.

Field level: each document's facts, as (field id, qualifier, value) sets, against the gold facts in
annotations/facts/ — precision, recall and F1 overall, by vintage, by origin and by layout, with
every miss and every wrong value. Span level: seqeval's classification report of the tagger's
entities and P/R/F1 per relation type against the gold spans pulled from Label Studio
(annotations/studio/), where they exist. One tagger instance tags each document once for both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ie.cli import add_tagger
from ie.errors import Errors, InputError, run_command
from ie.eval.fields import evaluate
from ie.eval.gate import GATE, gate
from ie.eval.gold import split_documents
from ie.tag import DEFAULT_TAGGER, get_tagger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ie.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--split",
        default="dev",
        help="train, dev, test or full (whole reports of every split, scored per split; default: dev)",
    )
    add_tagger(parser, help="rules or model (default: %(default)s)")
    parser.add_argument("--out", default=None, help="write the scores as JSON here")
    parser.add_argument(
        "--gate",
        action="store_true",
        help=f"fail (exit 1) below the figures in {GATE.name}: field F1 and precision of the "
        "default tagger; for --tagger model also entity and relation micro-F1, and no label "
        "below the rule tagger",
    )
    parser.add_argument("--quiet", action="store_true", help="print scores only, no error list")
    parser.add_argument(
        "--whole", default="runs/whole", help="--split full: the generated layouts' folder"
    )
    parser.add_argument(
        "--record-gate",
        action="store_true",
        help="--split full: record today's figures (per split and layout, rounded down) as the gate",
    )
    args = parser.parse_args(argv)
    if args.record_gate and args.gate:
        return run_command(lambda: _refuse(Errors.E090))
    if args.split == "full":
        return run_command(lambda: _full(args))
    return run_command(lambda: _evaluate(args))


def _refuse(message: str) -> int:
    raise InputError(message)


def _evaluate(args: argparse.Namespace) -> int:
    documents = split_documents(args.split)
    tagger = get_tagger(args.tagger, args.model)
    if args.out:
        check_writable(args.out)
    evaluation = evaluate(documents, tagger)
    scores = evaluation.scores(args.split, len(documents))
    # What the gate compares with: the rule tagger per label, the default tagger's fields.
    references: dict[str, dict] = {}
    if args.gate:
        for name in {DEFAULT_TAGGER, "rules"} - {args.tagger}:
            other = evaluate(documents, get_tagger(name, args.model))
            references[name] = other.scores(args.split, len(documents))
        references[args.tagger] = scores
    if not args.quiet:
        report = evaluation.fields
        for title, rows in (("MISSED", report.misses), ("WRONG VALUE", report.wrong),
                            ("NOT IN GOLD", report.spurious)):  # fmt: skip
            print(f"\n== {title} ({len(rows)})")
            for row in rows:
                print("  " + json.dumps(row, ensure_ascii=False))
    print_scores(scores, evaluation.spans.entity_report())
    if args.out:
        from ie.output.files import write_output

        output = dict(scores, references={k: v for k, v in references.items() if k != args.tagger})
        write_output(args.out, json.dumps(output, ensure_ascii=False, indent=2) + "\n")
    if args.gate:
        return gate(args.split, args.tagger, references)
    return 0


def check_writable(path: str) -> None:
    """Fail before the evaluation, not after it, when --out cannot be written."""
    if not Path(path).parent.is_dir():
        raise InputError(Errors.E009.format(path=path, reason="folder does not exist"))


def print_scores(scores: dict, entity_report: str) -> None:
    print(f"\n== field-level scores, split {scores['split']}, tagger {scores['tagger']}")
    print(_line("overall", scores["fields"]))
    for group, names in scores["by"].items():
        for name, tally in names.items():
            print(_line(f"{group}={name}", tally))
    if not entity_report:
        print("\n== span-level: no gold spans for this split under annotations/studio/")
        return
    print("\n== entities (seqeval, exact span and label)")
    print(entity_report.rstrip())
    print("\n== relations (exact head and tail spans)")
    print(f"  {'':<12} {'precision':>9} {'recall':>9} {'f1-score':>9} {'support':>9}")
    for label, tally in scores["relations"].items():
        print(f"  {label:<12} {tally['precision']:>9.3f} {tally['recall']:>9.3f} "
              f"{tally['f1-score']:>9.3f} {tally['support']:>9}")  # fmt: skip


def _full(args: argparse.Namespace) -> int:
    """Whole reports per split, per layout within it and per report (ie.eval.whole_reports), gated
    on the floors recorded for each split and layout."""
    from ie.eval import whole_reports as scoreboard

    board = scoreboard.score_reports(
        scoreboard.whole_reports(Path(args.whole)), args.tagger, args.model
    )
    scoreboard.print_board(board, verbose=not args.quiet)
    if args.out:
        from ie.output.files import write_output

        scores = {"split": "full", "tagger": args.tagger, "splits": board.figures(),
                  "reports": board.reports}  # fmt: skip
        write_output(args.out, json.dumps(scores, ensure_ascii=False, indent=2) + "\n")
    recorded = json.loads(GATE.read_text(encoding="utf-8"))
    if args.record_gate:
        recorded["full"] = scoreboard.measured_floors(board)
        scoreboard.write_gate(GATE, recorded)
        print(f"recorded today's whole-report figures (rounded down) in {GATE}")
    if args.gate:
        failures = scoreboard.gate(board, recorded.get("full", {}))
        for failure in failures:
            print(f"REGRESSION: {failure}", file=sys.stderr)
        if not failures:
            print("gate passed: whole-report figures at or above the recorded ones")
        return 1 if failures else 0
    return 0


def _line(name: str, tally: dict) -> str:
    return (f"  {name:<22} P {tally['precision']:.3f}  R {tally['recall']:.3f}  "
            f"F1 {tally['f1']:.3f}  (tp {tally['tp']}, predicted {tally['predicted']}, gold {tally['gold']})")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
