"""Scores for the model card: seqeval per label, relation P/R/F1 per type (exact head and tail
spans), and end-to-end field P/R/F1, of one tagger on one split.

    python training/score.py --split dev --tagger model [--model DIR] [--out FILE]

One tagger instance serves all three. ``python -m ie.evaluate --tagger model`` is the project's
scoreboard; this script is the card's until that prints relation scores.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from seqeval.metrics import classification_report

from ie.evaluate import SHARED, evaluate_fields, split_documents
from ie.evaluate_spans import gold_tasks, span_file
from ie.read import read
from ie.studio.convert import Malformed, bio_tags, task_example
from ie.tag import get_tagger, report_tables
from ie.vocabulary import RELATION_LABELS


def span_and_relation_scores(documents: list[str], tagger) -> dict[str, dict]:
    gold_tags, guessed_tags = [], []
    counts: dict[str, Counter] = {label: Counter() for label in RELATION_LABELS}
    for document in documents:
        if not span_file(document).exists():
            continue
        report = read(SHARED / document)
        tasks = gold_tasks(document, report=report)
        tagging = tagger(report, report_tables(report))
        for task in tasks:
            try:
                example = task_example(task)
            except Malformed:
                continue
            if example is None:
                continue
            low, high = example.start, example.start + len(example.tokens)
            inside = lambda e: low <= e.start and e.end <= high  # noqa: B023
            guessed = [(e.start - low, e.end - low, e.label) for e in tagging.entities if inside(e)]
            gold_tags.append(example.ner_tags)
            guessed_tags.append(bio_tags(len(example.tokens), guessed))
            gold_links = {(r["head_start"], r["head_end"], r["tail_start"], r["tail_end"],
                           r["label"]) for r in example.relations}  # fmt: skip
            found = {(r.head.start - low, r.head.end - low, r.tail.start - low, r.tail.end - low,
                      r.label) for r in tagging.relations if inside(r.head) and inside(r.tail)}  # fmt: skip
            for link in gold_links | found:
                counts[link[4]]["tp" if link in gold_links and link in found
                                else "fn" if link in gold_links else "fp"] += 1  # fmt: skip
    spans = classification_report(gold_tags, guessed_tags, output_dict=True, zero_division=0)
    relations = {label: _prf(c) for label, c in counts.items()}
    relations["micro avg"] = _prf(sum(counts.values(), Counter()))
    return {
        "spans": {k: {m: round(float(v), 4) for m, v in s.items()} for k, s in spans.items()},
        "relations": relations,
    }


def _prf(counts: Counter) -> dict[str, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--tagger", default="model")
    parser.add_argument("--model", default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    documents = split_documents(args.split)
    tagger = get_tagger(args.tagger, args.model)
    scores = span_and_relation_scores(documents, tagger)
    fields = evaluate_fields(documents, args.tagger, args.model)
    scores["fields"] = fields.overall.scores()
    scores["fields_by_origin"] = {n: t.scores() for n, t in fields.groups.get("origin", {}).items()}
    text = json.dumps({"split": args.split, "tagger": args.tagger, **scores}, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    for label, s in scores["spans"].items():
        print(f"span {label:<14} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1-score']:.3f}")
    for label, s in scores["relations"].items():
        print(f"rel  {label:<14} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}")
    f = scores["fields"]
    print(f"fields         P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
