"""Facts against gold facts: field precision, recall and F1 of a tagger over documents, overall and
by vintage, layout and origin, with the misses, wrong values and extra facts listed.

``evaluate`` tags each document once and scores both its facts and its spans from that tagging.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field

from tqdm import tqdm

from ie.eval.gold import fact_key, gold_path, layouts, predicted_facts
from ie.eval.metrics import prf
from ie.eval.spans import SpanScorer, gold_tasks, span_file
from ie.paths import SHARED
from ie.pipeline import assemble
from ie.prepared import prepare, with_tables
from ie.read import read
from ie.tag import Tagger, get_tagger
from ie.types import base_origin


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
        # nothing predicted is nothing wrong said: precision 1.0 (see ie.eval.metrics)
        scores = prf(self.true_positives, self.predicted, self.gold, empty=1.0, found=self.found)
        p, r, f = scores.precision, scores.recall, scores.f1
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
        prepared = prepare(report)
        tagging = tagger(prepared)
        evaluation.spans.add(document, with_tables(prepared, tagging), gold_tasks(document, report=report))
        if gold_file.exists():
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            result = assemble(prepared, tagging).to_json()
            score_facts(evaluation.fields, document, gold, result, layout_of.get(document, "seed"))
    return evaluation


def evaluate_fields(documents: list[str], tagger_name: str, model: str | None) -> Report:
    return evaluate(documents, get_tagger(tagger_name, model)).fields


def score_facts(report: Report, document: str, gold: dict, result: dict, layout: str) -> None:
    """One document's predicted facts against its gold facts, into ``report``."""
    predicted = {fact_key(f): f for f in predicted_facts(result)}
    expected = {fact_key(f): f for f in gold["facts"]}
    hits = predicted.keys() & expected.keys()
    groups = {"vintage": gold.get("vintage") or result["vintage"], "layout": layout}
    report.overall.add(len(hits), len(predicted), len(expected))
    for group, name in groups.items():
        report.tally(group, str(name)).add(len(hits), len(predicted), len(expected))
    for key, fact in expected.items():
        report.tally("origin", fact.get("origin", "prose")).add(0, 0, 1, found=key in hits)
    for key, fact in predicted.items():
        report.tally("origin", base_origin(fact.get("origin", "prose"))).add(key in hits, 1, 0, found=0)
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
