"""python -m ie.evaluate --split dev|test: how many of the statistics in real reports we get right.

Field level: each document's facts, as (field id, qualifier, value) sets, against the gold facts in
annotations/facts/ — precision, recall and F1 overall, by vintage, by origin and by layout, with
every miss and every wrong value. Span level: seqeval's classification report of the tagger's
entities and P/R/F1 per relation type against the gold spans pulled from Label Studio
(annotations/studio/), where they exist. One tagger instance tags each document once for both.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ie.cli import add_tagger
from ie.errors import Errors, InputError, run_command
from ie.eval.gate import GATE, gate
from ie.eval.spans import SpanScorer, gold_tasks, span_file
from ie.paths import ROOT, SHARED
from ie.pipeline import assemble
from ie.read import read
from ie.tag import DEFAULT_TAGGER, Tagger, get_tagger, report_tables

ANNOTATIONS = ROOT / "annotations"

Key = tuple[str, str, float]


@dataclass
class Tally:
    true_positives: int = 0  # predicted facts that are right
    predicted: int = 0
    gold: int = 0
    found: int = 0  # gold facts that were found (differs from tp only when grouped by origin)

    def add(self, tp: int, predicted: int, gold: int, found: int | None = None) -> None:
        self.true_positives += tp
        self.predicted += predicted
        self.gold += gold
        self.found += tp if found is None else found

    def scores(self) -> dict[str, float | int]:
        p = self.true_positives / self.predicted if self.predicted else 1.0
        r = self.found / self.gold if self.gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.true_positives, "predicted": self.predicted, "gold": self.gold}  # fmt: skip


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    groups: dict[str, dict[str, Tally]] = field(default_factory=lambda: defaultdict(dict))
    misses: list[dict[str, object]] = field(default_factory=list)
    wrong: list[dict[str, object]] = field(default_factory=list)
    spurious: list[dict[str, object]] = field(default_factory=list)

    def tally(self, group: str, name: str) -> Tally:
        return self.groups[group].setdefault(name, Tally())


def fact_key(fact: dict) -> Key:
    qualifier = json.dumps(fact.get("qualifier"), ensure_ascii=False, sort_keys=True)
    return (fact["field_id"], qualifier, round(float(fact["value"]), 4))


def gold_path(document: str) -> Path:
    return (
        ANNOTATIONS
        / "facts"
        / (Path(document).with_suffix("").as_posix().replace("/", "__") + ".json")
    )


def split_documents(split: str) -> list[str]:
    splits = json.loads((ANNOTATIONS / "splits.json").read_text(encoding="utf-8"))["documents"]
    if split not in {"train", "dev", "test"}:
        raise InputError(Errors.E030.format(split=split))
    return sorted(d for d, s in splits.items() if s == split)


def layouts() -> dict[str, str]:
    """The layout of each corpus document, read from the MANIFEST notes' first words."""
    found = {}
    for manifest in sorted((SHARED / "corpus").glob("*/MANIFEST.tsv")):
        for row in csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"):
            notes = (row.get("notes") or "").lower()
            kind = row.get("kind", "")
            layout = (
                "negative" if kind == "negative" or notes.startswith("negative")
                else "pdf" if row["file"].endswith(".pdf")
                else "mixed" if notes.startswith("mixed")
                else "lines" if "one cell per line" in notes[:40] or "cells separated" in notes[:40]
                else "pipe" if "pipe" in notes[:40]
                else "prose"
            )  # fmt: skip
            found[f"corpus/{manifest.parent.name}/{row['file']}"] = layout
    return found


@dataclass
class Evaluation:
    """One tagger over one split: field scores and span/relation scores from the same taggings."""

    tagger: str
    fields: Report
    spans: SpanScorer

    def scores(self, split: str, documents: int) -> dict[str, object]:
        return {
            "split": split,
            "tagger": self.tagger,
            "documents": documents,
            "fields": self.fields.overall.scores(),
            "by": {g: {n: t.scores() for n, t in sorted(ts.items())}
                   for g, ts in self.fields.groups.items()},
            "spans": self.spans.entity_scores(),
            "relations": self.spans.relation_scores(),
        }  # fmt: skip


def evaluate(documents: list[str], tagger: Tagger) -> Evaluation:
    """Read, tag (once) and analyze each document; score its facts and its spans."""
    layout_of = layouts()
    evaluation = Evaluation(tagger.name, Report(), SpanScorer())
    for document in tqdm(documents, desc=f"evaluating {tagger.name}", unit="report",
                         file=sys.stderr):  # fmt: skip
        gold_file = gold_path(document)
        if not gold_file.exists() and not span_file(document).exists():
            continue
        report = read(SHARED / document)
        tables = report_tables(report)
        tagging = tagger(report, tables)
        evaluation.spans.add(document, tagging, gold_tasks(document, report=report))
        if gold_file.exists():
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            result = assemble(report, tables, tagging).to_json()
            score_facts(evaluation.fields, document, gold, result, layout_of.get(document, "seed"))
    return evaluation


def evaluate_fields(documents: list[str], tagger_name: str, model: str | None) -> Report:
    return evaluate(documents, get_tagger(tagger_name, model)).fields


def score_facts(report: Report, document: str, gold: dict, result: dict, layout: str) -> None:
    """One document's predicted facts against its gold facts, into ``report``."""
    predicted_facts = list(result["facts"])
    # A prose figure that lost to a table cell is still a statistic we read.
    predicted_facts += [
        {"field_id": c["field_id"], "value": c["prose_value"], "qualifier": None,
         "origin": "prose", "evidence": c["prose_evidence"]}
        for c in result["conflicts"]
    ]  # fmt: skip
    predicted = {fact_key(f): f for f in predicted_facts}
    expected = {fact_key(f): f for f in gold["facts"]}
    hits = predicted.keys() & expected.keys()
    groups = {"vintage": gold.get("vintage") or result["vintage"], "layout": layout}
    report.overall.add(len(hits), len(predicted), len(expected))
    for group, name in groups.items():
        report.tally(group, str(name)).add(len(hits), len(predicted), len(expected))
    for key, fact in expected.items():
        report.tally("origin", fact.get("origin", "prose")).add(0, 0, 1, found=key in hits)
    for key, fact in predicted.items():
        report.tally("origin", fact.get("origin", "prose")).add(key in hits, 1, 0, found=0)
    predicted_by_field = defaultdict(list)
    for key in predicted.keys() - hits:
        predicted_by_field[(key[0], key[1])].append(key)
    for key in sorted(expected.keys() - hits):
        fact = expected[key]
        wrong = predicted_by_field.pop((key[0], key[1]), None)
        entry = {"document": document, "field_id": key[0], "gold": fact["value"],
                 "qualifier": fact.get("qualifier"),
                 "evidence": (fact.get("evidence") or {}).get("text")}  # fmt: skip
        if wrong:
            entry["predicted"] = [predicted[w]["value"] for w in wrong]
            report.wrong.append(entry)
        else:
            report.misses.append(entry)
    for keys in predicted_by_field.values():
        for key in keys:
            fact = predicted[key]
            report.spurious.append({"document": document, "field_id": key[0],
                                    "predicted": fact["value"], "qualifier": fact.get("qualifier"),
                                    "evidence": fact["evidence"]["text"]})  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ie.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--split", default="dev", help="train, dev, test or full (whole reports; default: dev)"
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
        help="--split full: record today's figures as the gate",
    )
    args = parser.parse_args(argv)
    if args.split == "full":
        return run_command(lambda: _full(args))
    return run_command(lambda: _evaluate(args))


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
    """Whole reports, per report and per layout (ie.eval.whole_reports), gated like dev."""
    from ie.eval import whole_reports as scoreboard

    board = scoreboard.score_reports(
        scoreboard.whole_reports(Path(args.whole)), args.tagger, args.model
    )
    scoreboard.print_board(board, verbose=not args.quiet)
    if args.out:
        from ie.output.files import write_output

        scores = {"split": "full", "tagger": args.tagger, "overall": board.overall.figures(),
                  "layouts": {n: s.figures() for n, s in sorted(board.layouts.items())},
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
