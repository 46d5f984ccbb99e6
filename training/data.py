"""Annotated chunks → model features: windows (``ie.text.chunking.windows``, as at inference), token
labels, the rule tagger's tags, and relation pairs with sampled negatives."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import torch

from ie.document import Document, identity_offsets
from ie.prepared import prepare
from ie.tag.features import (
    IGNORE,
    LinkKey,
    SpanKey,
    bio,
    candidate_pairs,
    char_tokens,
    link_key,
    pair_row,
    rule_tag_ids,
    spans_from_tags,
    token_tags,
    tokenize,
)
from ie.tag.model import rule_tagging
from ie.text.chunking import windows

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Chunk:
    """One annotated chunk: its text, gold spans and links (chunk offsets), where it stands."""

    text: str
    spans: list[SpanKey]
    links: set[LinkKey]
    document: str = ""
    start: int = 0
    rule_spans: list[SpanKey] | None = None  # chunk offsets
    rule_links: set[LinkKey] = field(default_factory=set)
    unlabeled: list[tuple[int, int]] = field(default_factory=list)  # no label loss here (chunk offsets)


def chunk_of(example: dict) -> Chunk:
    """A converted example (``ie.studio convert``'s columns) as a Chunk."""
    text = "".join(example["tokens"])
    spans = spans_from_tags(text, example["ner_tags"])
    links = {
        (r["head_start"], r["head_end"], r["tail_start"], r["tail_end"], r["label"])
        for r in example["relations"]
    }
    return Chunk(text, spans, links, example["document"], example["start"])


def resolve(document: str) -> Path:
    path = Path(document)
    return path if path.is_absolute() or path.exists() else ROOT / document


@cache
def _document_rules(document: str) -> tuple[str, list[SpanKey], frozenset[LinkKey]]:
    from ie.read import read

    doc = read(resolve(document))
    spans, links = rule_tagging(prepare(doc))
    return doc.text, spans, frozenset(links)


def add_rule_features(chunk: Chunk) -> Chunk:
    """The rule tagger's tagging of the chunk's document, cut to the chunk; a chunk whose document
    cannot be read or no longer holds its text is tagged on its own."""
    try:
        text, spans, links = _document_rules(chunk.document) if chunk.document else ("", [], ())
    except Exception:  # noqa: BLE001 - any unreadable source: tag the chunk alone
        text, spans, links = "", [], frozenset()
    start, end = chunk.start, chunk.start + len(chunk.text)
    if text[start:end] != chunk.text:
        alone = Document("chunk", chunk.text, chunk.text, identity_offsets(chunk.text), "txt")
        chunk.rule_spans, rule_links = rule_tagging(prepare(alone))
        chunk.rule_links = set(rule_links)
        return chunk
    chunk.rule_spans = [(s - start, e - start, label) for s, e, label in spans
                        if start <= s and e <= end]  # fmt: skip
    chunk.rule_links = {(hs - start, he - start, ts - start, te - start, label)
                        for hs, he, ts, te, label in links
                        if min(hs, ts) >= start and max(he, te) <= end}  # fmt: skip
    return chunk


def leave_disputed_metrics_unlabeled(chunk: Chunk) -> Chunk:
    """Marks, as trained without a label, the characters where a gold METRIC and a METRIC of the
    rule tagger (``add_rule_features`` first) overlap with other boundaries: the written corpus's
    writers drew some METRIC boundaries otherwise than the real gold does (发布政策解读 against
    政策解读), and the rules were drawn to the real gold's. Where only one of them has a METRIC,
    the gold label stays, so the network still learns the METRICs the rules miss and the ones
    they wrongly add."""
    gold = {(s, e) for s, e, label in chunk.spans if label == "METRIC"}
    rules = {(s, e) for s, e, label in chunk.rule_spans or [] if label == "METRIC"}
    for start, end in gold - rules:
        overlapping = [(s, e) for s, e in rules - gold if s < end and start < e]
        if overlapping:
            chunk.unlabeled.append((min(start, *(s for s, _ in overlapping)),
                                    max(end, *(e for _, e in overlapping))))  # fmt: skip
    return chunk


def window_features(
    chunk: Chunk,
    tokenizer,
    window: int,
    stride: int,
    max_distance: dict[str, int],
    negatives: float | None,
    rng: random.Random,
    rule_features: bool,
) -> list[dict[str, list]]:
    """One feature dict per window of the chunk; ``negatives`` unlinked pairs per linked one
    (None: every candidate, as for evaluation)."""
    found = []
    gold_tags = bio(len(chunk.text), chunk.spans)
    rule_tags = bio(len(chunk.text), chunk.rule_spans or [])
    for low, high in windows(len(chunk.text), window, stride):
        encoded = tokenize(tokenizer, chunk.text[low:high], window + 2)
        offsets = encoded.pop("offsets")
        encoded["labels"] = token_tags(offsets, gold_tags[low:high])
        for index, (start, end) in enumerate(offsets):
            if end > start and any(s <= low + start < e for s, e in chunk.unlabeled):
                encoded["labels"][index] = IGNORE
        if rule_features:
            encoded["rule_tags"] = rule_tag_ids(offsets, rule_tags[low:high])
        owner = char_tokens(offsets, high - low)
        inside = [(s - low, e - low, label) for s, e, label in chunk.spans
                  if low <= s and e <= high]  # fmt: skip
        positives, others = [], []
        for h, t, relation in candidate_pairs(inside, max_distance):
            head, tail = inside[h], inside[t]
            key = link_key((head[0] + low, head[1] + low, ""), (tail[0] + low, tail[1] + low, ""),
                           relation)  # fmt: skip
            flag = 1 + (key in chunk.rule_links) if rule_features else 0
            row = pair_row(head, tail, relation, owner, flag)
            if row is None:
                continue
            (positives if key in chunk.links else others).append(row)
        if negatives is not None and len(others) > negatives * max(len(positives), 1):
            others = rng.sample(others, int(negatives * max(len(positives), 1)))
        encoded["pairs"] = positives + others
        encoded["pair_labels"] = [1] * len(positives) + [0] * len(others)
        found.append(encoded)
    return found


def collate(features: list[dict[str, list]], pad_id: int = 0) -> dict[str, torch.Tensor]:
    """Pad a batch: tokens to the longest window, pairs to the most pairs (at least one row, so
    every batch has relation logits)."""
    width = max(len(f["input_ids"]) for f in features)
    pairs = max(1, max(len(f["pairs"]) for f in features))
    batch = {
        "input_ids": [f["input_ids"] + [pad_id] * (width - len(f["input_ids"])) for f in features],
        "attention_mask": [f["attention_mask"] + [0] * (width - len(f["attention_mask"]))
                           for f in features],
        "labels": [f["labels"] + [IGNORE] * (width - len(f["labels"])) for f in features],
        "pairs": [f["pairs"] + [[0, 1, 0, 1, 0, 0, 0]] * (pairs - len(f["pairs"]))
                  for f in features],
        "pair_labels": [f["pair_labels"] + [IGNORE] * (pairs - len(f["pair_labels"]))
                        for f in features],
    }  # fmt: skip
    if "rule_tags" in features[0]:
        batch["rule_tags"] = [
            f["rule_tags"] + [0] * (width - len(f["rule_tags"])) for f in features
        ]
    return {name: torch.tensor(value, dtype=torch.long) for name, value in batch.items()}
