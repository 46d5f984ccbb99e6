"""Precision, recall and F1: the one definition every score in the project uses.

What a ratio with nothing under it means is a choice, not an accident, so each caller says it:
``empty=1.0`` where nothing predicted means nothing wrong was said (field precision: a wrong number
is worse than a missing one, and a report with no facts states no falsehood), ``empty=0.0`` where
it means nothing was found (entity and relation scores, as seqeval counts them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def ratio(part: float, whole: float, empty: float) -> float:
    """``part / whole``, or ``empty`` when ``whole`` is 0."""
    return part / whole if whole else empty


def prf(
    true_positives: float, predicted: float, gold: float, *, empty: float, found: float | None = None
) -> PRF:
    """Precision over ``predicted``, recall over ``gold`` (of ``found`` gold items, when the
    items found differ from the predictions that are right), F1 their harmonic mean (0 when both
    are 0). ``empty`` is each ratio's value when its denominator is 0."""
    precision = ratio(true_positives, predicted, empty)
    recall = ratio(true_positives if found is None else found, gold, empty)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)
