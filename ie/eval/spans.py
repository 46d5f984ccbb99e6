"""Span and relation evaluation: a tagger's entities and links against the gold annotations.

Gold spans are Label Studio exports in annotations/studio/ (one file per document, each task a
chunk with its document offsets, its text filled in from the document when loaded; drafts that no annotator has reviewed are not gold). Entities:
both sides become character-level BIO sequences per chunk and seqeval scores them (exact span and
label). Relations: (head span, tail span, label) inside a gold chunk, exact on both spans.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from seqeval.metrics import classification_report

from ie.document import Document
from ie.eval.gold import document_file_name
from ie.eval.metrics import prf
from ie.paths import ROOT
from ie.studio.convert import Malformed, bio_tags, chosen_annotation, task_example
from ie.studio.stored import DocumentTexts, load_tasks
from ie.types import RELATION_LABELS, Tagging

STUDIO = ROOT / "annotations" / "studio"

RelationKey = tuple[int, int, int, int, str]  # head start, head end, tail start, tail end, label


def is_gold(task: dict) -> bool:
    """An annotator's annotation, or a draft an annotator has reviewed."""
    annotation = chosen_annotation(task)
    if annotation is None:
        return False
    meta = annotation.get("meta") or {}
    return "draft_of" not in meta or bool(meta.get("reviewed"))


def span_file(document: str, studio: Path = STUDIO) -> Path:
    """The file of a document's gold spans (it may not exist)."""
    return studio / document_file_name(document)


def gold_tasks(document: str, studio: Path = STUDIO, report: Document | None = None) -> list[dict]:
    """The document's gold tasks with their text filled in (from ``report`` when the caller has
    read the document already)."""
    path = span_file(document, studio)
    if not path.exists():
        return []
    texts = DocumentTexts([report] if report is not None else [])
    return [task for task in load_tasks(path, texts) if is_gold(task)]


@dataclass
class SpanScorer:
    """Collects, document by document, the gold and predicted entities and relations of each
    gold chunk; ``entity_scores`` and ``relation_scores`` score everything added."""

    studio: Path = STUDIO
    gold_sequences: list[list[str]] = field(default_factory=list)
    predicted_sequences: list[list[str]] = field(default_factory=list)
    # per relation label: true positives, predicted, gold
    relations: dict[str, Counter] = field(default_factory=dict)

    def add(self, document: str, tagging: Tagging, tasks: list[dict] | None = None) -> None:
        """Score ``tagging`` of ``document`` on its gold tasks (``tasks``, else its file under
        ``studio``)."""
        for task in gold_tasks(document, self.studio) if tasks is None else tasks:
            try:
                example = task_example(task)
            except Malformed as error:
                print(f"warning: {document} task {task.get('id')}: {error}", file=sys.stderr)
                continue
            if example is None:
                continue
            start, end = example.start, example.start + len(example.tokens)
            predicted = [(e.start - start, e.end - start, e.label) for e in tagging.entities
                         if start <= e.start and e.end <= end]  # fmt: skip
            self.gold_sequences.append(example.ner_tags)
            self.predicted_sequences.append(bio_tags(len(example.tokens), predicted))
            gold = {
                (r["head_start"], r["head_end"], r["tail_start"], r["tail_end"], r["label"])
                for r in example.relations
            }
            found = {
                (r.head.start - start, r.head.end - start, r.tail.start - start,
                 r.tail.end - start, r.label)
                for r in tagging.relations
                if start <= min(r.head.start, r.tail.start)
                and max(r.head.end, r.tail.end) <= end
            }  # fmt: skip
            self._count_relations(gold, found)

    def _count_relations(self, gold: set[RelationKey], found: set[RelationKey]) -> None:
        for label in RELATION_LABELS:
            gold_of = {g for g in gold if g[4] == label}
            found_of = {f for f in found if f[4] == label}
            counts = self.relations.setdefault(label, Counter())
            counts.update(tp=len(gold_of & found_of), predicted=len(found_of), gold=len(gold_of))

    def entity_scores(self) -> dict[str, dict[str, float]]:
        """seqeval's classification report: per label, micro, macro and weighted averages."""
        if not self.gold_sequences:
            return {}
        report = classification_report(
            self.gold_sequences, self.predicted_sequences, output_dict=True, zero_division=0
        )
        return {
            label: {k: round(float(v), 4) for k, v in scores.items()}
            for label, scores in report.items()
        }

    def entity_report(self) -> str:
        """The same report as seqeval prints it."""
        if not self.gold_sequences:
            return ""
        return classification_report(
            self.gold_sequences, self.predicted_sequences, digits=3, zero_division=0
        )

    def relation_scores(self) -> dict[str, dict[str, float]]:
        """Precision, recall and F1 per relation label and micro-averaged over all of them."""
        if not self.gold_sequences:
            return {}
        scores = {label: _scores(counts) for label, counts in self.relations.items()}
        total = sum(self.relations.values(), Counter())
        scores["micro avg"] = _scores(total)
        return scores


def _scores(counts: Counter) -> dict[str, float]:
    tp, predicted, gold = counts["tp"], counts["predicted"], counts["gold"]
    # nothing predicted found nothing: 0.0, as seqeval counts it (see ie.eval.metrics)
    scores = prf(tp, predicted, gold, empty=0.0)
    precision, recall, f1 = scores.precision, scores.recall, scores.f1
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1-score": round(f1, 4),
            "support": gold, "predicted": predicted, "tp": tp}  # fmt: skip
