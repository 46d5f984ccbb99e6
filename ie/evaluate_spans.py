"""Span-level evaluation: the tagger's entities against gold spans, with seqeval.

Gold spans are Label Studio exports in annotations/studio/ (one file per document, each task a
chunk with its document offsets; drafts that no annotator has reviewed are not gold). Both sides
become character-level BIO sequences per chunk; seqeval scores entities (exact span and label).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from seqeval.metrics import classification_report

from ie.read import read
from ie.studio.convert import Malformed, bio_tags, chosen_annotation, task_example
from ie.studio.export import document_file_name
from ie.tag import get_tagger

ROOT = Path(__file__).resolve().parent.parent
STUDIO = ROOT / "annotations" / "studio"
SHARED = ROOT.parent / "shared"


def is_gold(task: dict) -> bool:
    """An annotator's annotation, or a draft an annotator has reviewed."""
    annotation = chosen_annotation(task)
    if annotation is None:
        return False
    meta = annotation.get("meta") or {}
    return "draft_of" not in meta or bool(meta.get("reviewed"))


def gold_tasks(document: str, studio: Path = STUDIO) -> list[dict]:
    path = studio / document_file_name(document)
    if not path.exists():
        return []
    return [task for task in json.loads(path.read_text(encoding="utf-8")) if is_gold(task)]


def evaluate_spans(documents: list[str], tagger_name: str, model: str | None) -> dict[str, dict]:
    tagger = get_tagger(tagger_name, model)
    gold_sequences: list[list[str]] = []
    predicted_sequences: list[list[str]] = []
    for document in documents:
        tasks = gold_tasks(document)
        if not tasks:
            continue
        entities = tagger(read(SHARED / document)).entities
        for task in tasks:
            try:
                example = task_example(task)
            except Malformed as error:
                print(f"warning: {document} task {task.get('id')}: {error}", file=sys.stderr)
                continue
            if example is None:
                continue
            start, length = example.start, len(example.tokens)
            predicted = [(e.start - start, e.end - start, e.label) for e in entities
                         if start <= e.start and e.end <= start + length]  # fmt: skip
            gold_sequences.append(example.ner_tags)
            predicted_sequences.append(bio_tags(length, predicted))
    if not gold_sequences:
        return {}
    report = classification_report(
        gold_sequences, predicted_sequences, output_dict=True, zero_division=0
    )
    return {
        label: {k: round(float(v), 4) for k, v in scores.items()}
        for label, scores in report.items()
    }
