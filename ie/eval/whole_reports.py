"""The whole-report scoreboard (``python -m ie.evaluate --split full``): whole reports scored apart.

Whole reports are the full PDF, real reports under annotations/whole/ and the layouts that
``python -m benchmarks.layouts`` makes from the corpus (flattened web text, markdown, HTML with blank
cells), each with its gold beside it. Every report belongs to the split of the document it was made
from (annotations/splits.json; the full PDF is test), and is scored within it: per split, per layout
within the split and per report, gold table cells right, wrong (another value for the same cell),
missing, and table values gold does not have (extra); prose precision, recall and F1. A report the
reader refuses counts every gold fact as missing. Rules are judged on train and dev; the test split's
figures are the ones that say how the reader does on reports nobody tuned it on.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ie.errors import Errors, InputError
from ie.eval.gold import SPLITS, document_splits, fact_key, predicted_facts
from ie.eval.metrics import prf, ratio
from ie.output.files import write_text
from ie.paths import ROOT, SHARED
from ie.pipeline import analyze
from ie.read import read
from ie.tag import get_tagger
from ie.types import base_origin

WHOLE = ROOT / "annotations" / "whole"
FULL_PDF = ("corpus/full/01.pdf", ROOT / "annotations" / "facts" / "corpus__full__01.json")

@dataclass(frozen=True)
class WholeReport:
    path: Path
    name: str
    layout: str
    gold: tuple[dict, ...]
    blank_cells: dict[str, list[float]] = field(default_factory=dict)
    split: str = "test"


@dataclass
class Score:
    gold_cells: int = 0
    right: int = 0
    wrong: int = 0  # the cell read with another value
    missing: int = 0
    extra: int = 0  # a table value for a cell gold does not have
    prose_tp: int = 0
    prose_predicted: int = 0
    prose_gold: int = 0
    failed: int = 0  # reports the reader refused
    errors: list[str] = field(default_factory=list)  # each wrong and extra cell, for the reader

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float | int]:
        table_predicted = self.right + self.wrong + self.extra
        # nothing read is nothing wrong said: 1.0 (see ie.eval.metrics)
        prose = prf(self.prose_tp, self.prose_predicted, self.prose_gold, empty=1.0)
        return {
            "cells": round(ratio(self.right, self.gold_cells, empty=1.0), 4),
            "table_precision": round(ratio(self.right, table_predicted, empty=1.0), 4),
            "prose_precision": round(prose.precision, 4),
            "prose_recall": round(prose.recall, 4),
            "prose_f1": round(prose.f1, 4),
            **{name: getattr(self, name) for name in self.__dataclass_fields__ if name != "errors"},
        }


@dataclass
class SplitBoard:
    """One split's reports: all of them, and per layout."""

    overall: Score = field(default_factory=Score)
    layouts: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))

    def figures(self) -> dict:
        return {"overall": self.overall.figures(),
                "layouts": {n: s.figures() for n, s in sorted(self.layouts.items())}}  # fmt: skip


@dataclass
class Scoreboard:
    splits: dict[str, SplitBoard] = field(default_factory=lambda: defaultdict(SplitBoard))
    reports: list[dict] = field(default_factory=list)

    def add(self, split: str, layout: str, score: Score) -> None:
        self.splits[split].overall.add(score)
        self.splits[split].layouts[layout].add(score)

    def figures(self) -> dict:
        return {split: self.splits[split].figures() for split in _ordered(self.splits)}


def _ordered(splits) -> list[str]:
    return sorted(splits, key=lambda s: (SPLITS.index(s) if s in SPLITS else len(SPLITS), s))


def whole_reports(generated: Path) -> list[WholeReport]:
    """The full PDF, annotations/whole/ and the generated layouts listed in ``generated``."""
    manifest = generated / "manifest.json"
    if not manifest.exists():
        raise InputError(Errors.E055.format(path=generated))
    splits = document_splits()
    document, gold_file = FULL_PDF
    reports = [WholeReport(SHARED / document, document, "pdf", _facts(gold_file),
                           split=splits.get(document, "test"))]  # fmt: skip
    for gold_file in sorted(WHOLE.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        reports.append(WholeReport(WHOLE / gold["file"], gold["file"], gold["layout"],
                                   tuple(gold["facts"]), split=_split(gold, splits)))  # fmt: skip
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["documents"]:
        gold = json.loads((generated / entry["gold_file"]).read_text(encoding="utf-8"))
        reports.append(WholeReport(generated / entry["file"], entry["file"], entry["layout"],
                                   tuple(gold["facts"]), gold.get("blank_cells", {}),
                                   _split(entry, splits)))  # fmt: skip
    return reports


def _split(entry: dict, splits: dict[str, str]) -> str:
    """A report's own ``split``, else its source document's; a report of a document no split
    lists was never seen by anyone tuning the reader: test."""
    return entry.get("split") or splits.get(entry.get("source", ""), "test")


def _facts(gold_file: Path) -> tuple[dict, ...]:
    return tuple(json.loads(gold_file.read_text(encoding="utf-8"))["facts"])


def score_reports(reports: list[WholeReport], tagger_name: str, model: str | None) -> Scoreboard:
    tagger = get_tagger(tagger_name, model)
    board = Scoreboard()
    for report in tqdm(reports, desc="whole reports", unit="report", file=sys.stderr):
        error = ""
        try:
            result = analyze(read(report.path), tagger)
        except InputError as refused:
            result, error = {"facts": [], "conflicts": []}, str(refused)
        score = score_report(report.gold, result, report.blank_cells)
        score.failed = int(bool(error))
        board.add(report.split, report.layout, score)
        board.reports.append({"report": report.name, "split": report.split, "layout": report.layout,
                              **score.figures(), "wrong_cells": score.errors,
                              **({"error": error} if error else {})})  # fmt: skip
    return board


def score_report(
    gold: tuple[dict, ...], result: dict, blank_cells: dict[str, list[float]] | None = None
) -> Score:
    """Table cells by (field, qualifier); prose as sets of (field, qualifier, value). A value for
    a cell printed blank is extra unless ``blank_cells`` allows it (0, or the cell's own value)."""
    allowed = {
        (f, "null"): {round(float(v), 4) for v in vs} for f, vs in (blank_cells or {}).items()
    }
    predicted = predicted_facts(result)
    score = Score()
    gold_keys = {fact_key(f) for f in gold}
    gold_cells = {fact_key(f)[:2]: fact_key(f)[2] for f in gold if f.get("origin") == "table"}
    read_cells = defaultdict(set)
    for fact in predicted:
        if base_origin(fact.get("origin", "prose")) == "table":
            read_cells[fact_key(fact)[:2]].add(fact_key(fact)[2])
    score.gold_cells = len(gold_cells)
    for cell, value in gold_cells.items():
        values = read_cells.get(cell, set())
        score.right += value in values
        score.wrong += bool(values - {value})
        score.missing += not values
        if values - {value}:
            score.errors.append(f"{cell[0]}: gold {value:g}, read {sorted(values - {value})}")
    for cell, values in read_cells.items():
        if cell not in gold_cells:
            extra = [v for v in values - allowed.get(cell, set()) if (*cell, v) not in gold_keys]
            score.extra += len(extra)
            score.errors += [f"{cell[0]}: not in gold, read {v:g}" for v in extra]
    gold_prose = {fact_key(f) for f in gold if f.get("origin") != "table"}
    read_prose = {fact_key(f) for f in predicted if base_origin(f.get("origin", "prose")) != "table"}
    score.prose_tp = len(gold_prose & read_prose)
    score.prose_predicted = len(read_prose)
    score.prose_gold = len(gold_prose)
    return score


def print_board(board: Scoreboard, verbose: bool) -> None:
    if verbose:
        print("\n== per report")
        for row in board.reports:
            print(f"  {row['split']:<5} {row['layout']:<13} {row['report']:<48} " + _line(row)
                  + (f"  [{row['error']}]" if row.get("error") else ""))  # fmt: skip
            for error in row["wrong_cells"]:
                print(f"      WRONG {error}")
    print("\n== whole reports by split and layout (cells: share of gold table cells read right; "
          "table P: share of table values read that are right)")  # fmt: skip
    for split in _ordered(board.splits):
        print(f"-- {split}")
        for layout, score in sorted(board.splits[split].layouts.items()):
            print(f"  {layout:<13} " + _line(score.figures()))
        print(f"  {'all':<13} " + _line(board.splits[split].overall.figures()))


def _line(row: dict) -> str:
    return (f"cells {row['cells']:.3f} ({row['right']}/{row['gold_cells']} right, {row['wrong']} wrong, "
            f"{row['missing']} missing, {row['extra']} extra)  table P {row['table_precision']:.3f}  "
            f"prose P {row['prose_precision']:.3f} R {row['prose_recall']:.3f} F1 {row['prose_f1']:.3f}")  # fmt: skip


GATED = ("cells", "table_precision", "prose_f1", "prose_precision")


def write_gate(path: Path, recorded: dict) -> None:
    """One line per split (the whole reports: one line per split of them), so raising one split's
    figures is a one-line diff."""
    lines = []
    for split, figures in recorded.items():
        if split == "full" and figures and set(figures) <= set(SPLITS):
            inner = [
                f"  {json.dumps(s)}: {json.dumps(f, ensure_ascii=False)}"
                for s, f in figures.items()
            ]
            lines.append(f"{json.dumps(split)}: {{\n" + ",\n".join(inner) + "\n}")
        else:
            lines.append(f"{json.dumps(split)}: {json.dumps(figures, ensure_ascii=False)}")
    # the project's gate file: never left half-written by an interrupted --record-gate
    write_text(path, "{\n" + ",\n".join(lines) + "\n}\n")


def gate(board: Scoreboard, recorded: dict) -> list[str]:
    """Regressions against the recorded figures: per split, overall and per layout. A split or
    layout recorded but not measured (its reports not generated) is a failure too."""
    if recorded and not set(recorded) <= set(SPLITS):
        return [f"the recorded whole-report figures are not by split ({', '.join(SPLITS)}): "
                "record them again with --record-gate"]  # fmt: skip
    failures = []
    for split, split_floors in recorded.items():
        measured = board.splits.get(split)
        scopes = {"overall": measured.overall, **measured.layouts} if measured else {}
        for scope, floors in {
            "overall": split_floors.get("overall", {}),
            **split_floors.get("layouts", {}),
        }.items():
            figures = scopes[scope].figures() if scope in scopes else None
            for name, floor in floors.items():
                if figures is None or figures[name] + 1e-9 < floor:
                    value = "absent" if figures is None else f"{figures[name]:.4f}"
                    failures.append(f"{split} {scope} {name} {value} < recorded {floor:.4f}")
    return failures


def measured_floors(board: Scoreboard) -> dict:
    """Today's figures rounded down to 3 decimals: what ``--record-gate`` writes."""

    def floors(score: Score) -> dict[str, float]:
        figures = score.figures()
        # a precision of nothing read is no figure to hold a later reader to
        vacuous = {"table_precision"} if not score.right + score.wrong + score.extra else set()
        vacuous |= {"prose_precision", "prose_f1"} if not score.prose_predicted else set()
        return {name: math.floor(float(figures[name]) * 1000) / 1000
                for name in GATED if name not in vacuous}  # fmt: skip

    return {split: {"overall": floors(board.splits[split].overall),
                    "layouts": {name: floors(s) for name, s in sorted(board.splits[split].layouts.items())}}
            for split in _ordered(board.splits)}  # fmt: skip
