"""Facts read from characters that OCR recognised: origin ``ocr-table`` / ``ocr-prose`` and a
lower confidence.

A fact whose evidence lies in text recognised from a page without a text layer
(``Document.recognised``) keeps what the table or prose rules made of it, with its confidence
scaled by the recogniser's score for those characters (its mean character probability) and by
``OCR_CONFIDENCE``: a recognised digit can be wrong even where the recogniser is sure of it
(1 and 7, 0 and 8 on a poor scan), and a table's rows and columns were rebuilt from where its
boxes stand, not from printed rules.
"""

from __future__ import annotations

from dataclasses import replace

from ie.document import Document
from ie.types import OCR_ORIGIN, Fact, Span, Statistic

OCR_CONFIDENCE = 0.9


def mark_facts(document: Document, facts: list[Fact]) -> list[Fact]:
    if not document.recognised:
        return facts
    return [_fact(document, fact) for fact in facts]


def mark_statistics(document: Document, statistics: list[Statistic]) -> list[Statistic]:
    if not document.recognised:
        return statistics
    marked = []
    for statistic in statistics:
        score = _score(document, statistic.evidence)
        if score is not None:
            candidates = tuple(
                tuple(_fact(document, fact) for fact in reading) for reading in statistic.candidates
            )
            statistic = replace(statistic, origin=OCR_ORIGIN + statistic.origin,
                                candidates=candidates)  # fmt: skip
        marked.append(statistic)
    return marked


def _fact(document: Document, fact: Fact) -> Fact:
    score = _score(document, fact.evidence)
    if score is None or fact.origin.startswith(OCR_ORIGIN):
        return fact
    confidence = round(fact.confidence * OCR_CONFIDENCE * score, 3)
    return replace(fact, origin=OCR_ORIGIN + fact.origin, confidence=confidence)


def _score(document: Document, evidence: Span) -> float | None:
    """The lowest recogniser score over the evidence's characters; None if OCR read none."""
    scores = [
        score
        for start, end, score in document.recognised
        if start < max(evidence.end, evidence.start + 1) and evidence.start < end
    ]
    return min(scores) if scores else None
