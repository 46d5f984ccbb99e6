"""python -m training.promote CANDIDATE --new-docs EXPORTS: make a retrained model the current one.

The candidate and the current model are evaluated on the same data: a gold split, dev by default (entity
and relation micro-F1 against annotations/studio/, field F1 against annotations/facts/) and the
new documents (entity and relation micro-F1 against their Label Studio exports, as
``python -m ie.studio pull`` wrote them). The candidate is promoted only if it is not worse on the
old split and better on the new documents (no score lower, one higher); otherwise the command
says why and exits 1. Promotion replaces the current model folder by a copy of the candidate,
swapped in by renames in one folder, so a reader sees the old model or the new one, never a mix.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from ie.errors import EXIT_FAILURES, EXIT_OK, Errors, InputError, run_command
from ie.eval.fields import evaluate
from ie.eval.gold import split_documents
from ie.eval.spans import SpanScorer, is_gold
from ie.prepared import prepare, with_tables
from ie.read import read
from ie.studio.convert import export_files
from ie.studio.stored import DocumentTexts, document_path, fill_text, read_export
from ie.tag import DEFAULT_MODEL_DIR, Tagger, get_tagger

OLD = ("entity_f1", "relation_f1", "field_f1")
NEW = ("entity_f1", "relation_f1")


@dataclass(frozen=True)
class Decision:
    promote: bool
    reasons: list[str]  # why not, or what it gained
    candidate: dict[str, dict[str, float]]
    current: dict[str, dict[str, float]]


def new_document_tasks(paths: list[Path]) -> dict[str, list[dict]]:
    """The gold tasks of Label Studio exports (files or folders), by document path, as stored:
    ``score_new_documents`` fills in their text from the report it reads."""
    by_document: dict[str, list[dict]] = defaultdict(list)
    for path in paths:
        for file in export_files(path):
            for task in read_export(file):
                document = (task.get("data") or {}).get("document")
                if isinstance(document, str) and is_gold(task):
                    by_document[document].append(task)
    if not by_document:
        raise InputError(Errors.E047.format(path=", ".join(map(str, paths))))
    return dict(by_document)


def score_new_documents(tagger: Tagger, tasks: dict[str, list[dict]]) -> dict[str, float]:
    scorer = SpanScorer()
    for document, document_tasks in tqdm(sorted(tasks.items()), desc=f"new documents, {tagger.name}",
                                         unit="report", file=sys.stderr):  # fmt: skip
        report = read(document_path(document))
        filled = fill_text(document_tasks, document, DocumentTexts([report]))
        prepared = prepare(report)
        scorer.add(document, with_tables(prepared, tagger(prepared)), filled)
    return _micro(scorer.entity_scores(), scorer.relation_scores())


def score_old_split(tagger: Tagger, split: str) -> dict[str, float]:
    evaluation = evaluate(split_documents(split), tagger)
    scores = _micro(evaluation.spans.entity_scores(), evaluation.spans.relation_scores())
    scores["field_f1"] = evaluation.fields.overall.scores()["f1"]
    return scores


def _micro(entities: dict, relations: dict) -> dict[str, float]:
    return {
        "entity_f1": entities.get("micro avg", {}).get("f1-score", 0.0),
        "relation_f1": relations.get("micro avg", {}).get("f1-score", 0.0),
    }


def decide(
    candidate: dict[str, dict[str, float]],
    current: dict[str, dict[str, float]],
    tolerance: float = 0.0,
) -> Decision:
    """``candidate`` and ``current`` map "old" and "new" to their scores."""
    reasons = [
        f"worse on the old split: {name} {candidate['old'][name]:.4f} < current "
        f"{current['old'][name]:.4f}"
        for name in OLD
        if candidate["old"][name] < current["old"][name] - tolerance
    ]
    reasons += [
        f"worse on the new documents: {name} {candidate['new'][name]:.4f} < current "
        f"{current['new'][name]:.4f}"
        for name in NEW
        if candidate["new"][name] < current["new"][name]
    ]
    gains = [
        f"{name} {current['new'][name]:.4f} → {candidate['new'][name]:.4f}"
        for name in NEW
        if candidate["new"][name] > current["new"][name]
    ]
    if not gains:
        reasons.append("not better on the new documents: no score is higher than the current's")
    if reasons:
        return Decision(False, reasons, candidate, current)
    return Decision(True, [f"better on the new documents: {', '.join(gains)}"], candidate, current)


def compare(
    candidate: Tagger,
    current: Tagger,
    new_tasks: dict[str, list[dict]],
    split: str = "dev",
    tolerance: float = 0.0,
) -> Decision:
    scores = {}
    for role, tagger in (("candidate", candidate), ("current", current)):
        scores[role] = {"old": score_old_split(tagger, split),
                        "new": score_new_documents(tagger, new_tasks)}  # fmt: skip
    return decide(scores["candidate"], scores["current"], tolerance)


def replace_model(candidate: Path, current: Path) -> None:
    """Copy ``candidate`` beside ``current``, then swap the two folders by renames."""
    current.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{current.name}.new-", dir=current.parent))
    retired = current.parent / f".{current.name}.old-{os.getpid()}"
    try:
        shutil.copytree(candidate, staging, dirs_exist_ok=True)
        if current.exists():
            os.rename(current, retired)
        try:
            os.rename(staging, current)
        except OSError:
            if retired.exists():
                os.rename(retired, current)  # put the current model back
            raise
    except OSError as error:
        raise InputError(Errors.E009.format(path=current, reason=error.strerror or error)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.promote",
                                     description=__doc__.split("\n")[0])  # fmt: skip
    parser.add_argument("candidate", metavar="CANDIDATE", help="the retrained model's folder")
    parser.add_argument("--current", metavar="DIR", default=str(DEFAULT_MODEL_DIR),
                        help="the model it would replace (default: models/ie-tagger-small)")  # fmt: skip
    parser.add_argument("--new-docs", metavar="EXPORTS", nargs="+", required=True,
                        help="Label Studio exports of the new documents (files or folders "
                        "written by python -m ie.studio pull)")  # fmt: skip
    parser.add_argument(
        "--split", default="dev",
        help="the old gold split (default: dev; the test split is sealed, read once when the work "
        "is done)",
    )
    parser.add_argument("--tolerance", type=float, default=0.0,
                        help="how far below the current model the candidate may score on the "
                        "old split (default: 0)")  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="compare only, replace nothing")
    args = parser.parse_args(argv)
    return run_command(lambda: _promote(args))


def _promote(args: argparse.Namespace) -> int:
    candidate_dir, current_dir = Path(args.candidate).resolve(), Path(args.current).resolve()
    if candidate_dir == current_dir:
        raise InputError(Errors.E048.format(path=current_dir))
    new_tasks = new_document_tasks([Path(p) for p in args.new_docs])
    candidate = get_tagger("model", candidate_dir)
    if not current_dir.exists():
        print(f"no current model in {current_dir}: the candidate becomes the first one")
        decision = Decision(True, ["no current model"], {}, {})
    else:
        current = get_tagger("model", current_dir)
        decision = compare(candidate, current, new_tasks, args.split, args.tolerance)
    for role in ("candidate", "current"):
        for part, scores in getattr(decision, role).items():
            line = ", ".join(f"{name} {value:.4f}" for name, value in scores.items())
            print(f"{role:<9} {part} ({args.split if part == 'old' else 'new documents'}): {line}")
    if not decision.promote:
        for reason in decision.reasons:
            print(f"refused: {reason}", file=sys.stderr)
        return EXIT_FAILURES
    if args.dry_run:
        print(f"would promote {candidate_dir} to {current_dir}: {'; '.join(decision.reasons)}")
        return EXIT_OK
    replace_model(candidate_dir, current_dir)
    print(f"promoted {candidate_dir} to {current_dir}: {'; '.join(decision.reasons)}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
