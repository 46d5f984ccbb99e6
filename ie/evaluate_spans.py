"""Span-level evaluation: the tagger's entities against gold spans, with seqeval.

Gold spans are Label Studio exports pulled into annotations/studio/ (one file per document, each
task a chunk with its document offsets). Both sides become character-level BIO sequences per
chunk; seqeval scores entities (exact span and label).
"""

from __future__ import annotations

import json
from pathlib import Path

from seqeval.metrics import classification_report

from ie.read import read
from ie.tag import get_tagger

ROOT = Path(__file__).resolve().parent.parent
STUDIO = ROOT / "annotations" / "studio"
SHARED = ROOT.parent / "shared"


def bio(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in sorted(spans):
        if start < 0 or end > length or start >= end or any(t != "O" for t in tags[start:end]):
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def _gold_tasks(document: str) -> list[dict]:
    name = Path(document).with_suffix("").as_posix().replace("/", "__") + ".json"
    path = STUDIO / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def evaluate_spans(documents: list[str], tagger_name: str, model: str | None) -> dict[str, dict]:
    tagger = get_tagger(tagger_name, model)
    gold_sequences: list[list[str]] = []
    predicted_sequences: list[list[str]] = []
    for document in documents:
        tasks = _gold_tasks(document)
        if not tasks:
            continue
        entities = tagger(read(SHARED / document)).entities
        for task in tasks:
            data = task["data"]
            start, text = int(data["start"]), data["text"]
            results = [r for a in task.get("annotations", []) for r in a.get("result", [])
                       if r.get("type") == "labels"]  # fmt: skip
            gold = [
                (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in results
            ]
            predicted = [(e.start - start, e.end - start, e.label) for e in entities
                         if start <= e.start and e.end <= start + len(text)]  # fmt: skip
            gold_sequences.append(bio(len(text), gold))
            predicted_sequences.append(bio(len(text), predicted))
    if not gold_sequences:
        return {}
    report = classification_report(
        gold_sequences, predicted_sequences, output_dict=True, zero_division=0
    )
    return {
        label: {k: round(float(v), 4) for k, v in scores.items()}
        for label, scores in report.items()
    }
