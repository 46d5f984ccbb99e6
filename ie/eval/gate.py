"""The regression gate of ``python -m ie.evaluate --gate``: the figures recorded in
configs/evaluation_gate.json must still be reached.

- Fields: F1 and precision of the default tagger on the split, not below the recorded ones.
- The model (``--tagger model``): entity micro-F1 and relation micro-F1 not below the recorded
  thresholds, and no entity label below the rule tagger's F1 in the same run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ie.paths import CONFIGS
from ie.tag import DEFAULT_TAGGER
from ie.types import ENTITY_LABELS

GATE = CONFIGS / "evaluation_gate.json"
TOLERANCE = 1e-9


def gate(split: str, tagger: str, scores: dict[str, dict], path: Path = GATE) -> int:
    """``scores`` maps tagger names to ``Evaluation.scores``; it holds ``tagger``, the default
    tagger and, for the model, the rule tagger. Prints what failed; 1 if anything did, else 0."""
    recorded = json.loads(path.read_text(encoding="utf-8"))
    failures = field_failures(split, scores[DEFAULT_TAGGER]["fields"], recorded.get(split))
    if tagger == "model":
        failures += model_failures(scores["model"], scores["rules"], recorded.get("model", {}))
    for failure in failures:
        print(f"REGRESSION: {failure}", file=sys.stderr)
    if failures:
        return 1
    fields = scores[DEFAULT_TAGGER]["fields"]
    passed = (f"gate passed: field F1 {fields['f1']:.4f}, precision {fields['precision']:.4f} "
              f"({DEFAULT_TAGGER}, the default tagger)")  # fmt: skip
    if tagger == "model":
        model = scores["model"]
        passed += (f"; model entity micro-F1 {model['spans']['micro avg']['f1-score']:.4f}, "
                   f"relation micro-F1 {model['relations']['micro avg']['f1-score']:.4f}, "
                   "no label below the rule tagger")  # fmt: skip
    print(passed)
    return 0


def field_failures(split: str, fields: dict, floor: dict | None) -> list[str]:
    if not floor:
        return [f"no recorded field figures for split {split} in {GATE.name}"]
    return [
        f"field {name} {fields[name]:.4f} < recorded {floor[name]:.4f} ({DEFAULT_TAGGER} tagger)"
        for name in ("f1", "precision")
        if fields[name] + TOLERANCE < floor[name]
    ]


def model_failures(model: dict, rules: dict, thresholds: dict) -> list[str]:
    if not model["spans"]:
        return ["no gold spans for this split: the model cannot be gated"]
    failures = []
    entity = model["spans"]["micro avg"]["f1-score"]
    if entity + TOLERANCE < thresholds.get("entity_micro_f1", 0.0):
        failures.append(f"model entity micro-F1 {entity:.4f} < {thresholds['entity_micro_f1']}")
    relation = model["relations"]["micro avg"]["f1-score"]
    if relation + TOLERANCE < thresholds.get("relation_micro_f1", 0.0):
        failures.append(
            f"model relation micro-F1 {relation:.4f} < {thresholds['relation_micro_f1']}"
        )
    if thresholds.get("not_below_rules_per_label", True):
        for label in ENTITY_LABELS:
            ours = model["spans"].get(label, {}).get("f1-score", 0.0)
            theirs = rules["spans"].get(label, {}).get("f1-score", 0.0)
            if ours + TOLERANCE < theirs:
                failures.append(f"model {label} F1 {ours:.4f} < rule tagger's {theirs:.4f}")
    return failures
