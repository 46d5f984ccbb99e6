"""Model inputs from text, shared by training and inference: tokens with their character offsets,
token labels from character BIO tags, the rule tagger's tags, and candidate relation pairs.

Spans are ``(start, end, label)`` in characters of the window's text. A token takes the tag of its
first character, so a tokenizer of one token per character (ours) is exact and a word-piece one
(a BERT checkpoint's) is aligned as run_ner aligns words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ie.tag.heads import BIO_LABELS, RELATION_TYPES, distance_bucket
from ie.types import RELATION_LABELS

SpanKey = tuple[int, int, str]
LinkKey = tuple[int, int, int, int, str]  # head start, head end, tail start, tail end, label
BIO_ID = {label: index for index, label in enumerate(BIO_LABELS)}
RELATION_ID = {label: index for index, label in enumerate(RELATION_LABELS)}
IGNORE = -100


def tokenize(tokenizer, text: str, max_length: int) -> dict[str, list]:
    """input_ids, attention_mask and offsets (special tokens have (0, 0))."""
    encoded = tokenizer(text, truncation=True, max_length=max_length, return_offsets_mapping=True)
    return {
        "input_ids": list(encoded["input_ids"]),
        "attention_mask": list(encoded["attention_mask"]),
        "offsets": [tuple(o) for o in encoded["offset_mapping"]],
    }


def char_tokens(offsets: Sequence[tuple[int, int]], length: int) -> list[int]:
    """The token holding each character, -1 for characters no token holds (spaces, truncation)."""
    owner = [-1] * length
    for index, (start, end) in enumerate(offsets):
        for position in range(start, min(end, length)):
            owner[position] = index
    return owner


def token_tags(offsets: Sequence[tuple[int, int]], char_tags: Sequence[str]) -> list[int]:
    """Each token's BIO id: its first character's tag; IGNORE for special tokens."""
    return [BIO_ID[char_tags[start]] if end > start else IGNORE for start, end in offsets]


def rule_tag_ids(offsets: Sequence[tuple[int, int]], char_tags: Sequence[str]) -> list[int]:
    """The rule tagger's tag of each token as the model's rule input: 0 special, 1 + BIO id."""
    return [1 + BIO_ID[char_tags[start]] if end > start else 0 for start, end in offsets]


def bio(length: int, spans: Iterable[SpanKey]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        if start < 0 or end > length:
            continue
        tags[start] = f"B-{label}"
        for position in range(start + 1, end):
            tags[position] = f"I-{label}"
    return tags


def char_labels(offsets: Sequence[tuple[int, int]], token_labels: Sequence[str], length: int):
    """Token labels back on characters: a token's first character takes its label, the others
    continue it (I-); characters no token holds are O."""
    tags = ["O"] * length
    for (start, end), label in zip(offsets, token_labels):
        if end <= start or start >= length:
            continue
        tags[start] = label
        inside = "O" if label == "O" else "I-" + label[2:]
        for position in range(start + 1, min(end, length)):
            tags[position] = inside
    return tags


def bio_entities(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(label, first, last) of each entity of a BIO sequence, as seqeval's ``get_entities`` finds
    them (an I- after O or after another label begins one). Importing seqeval imports
    scikit-learn (about 2 s), which inference does not need; other tag schemes (E-, S-) go to
    seqeval itself. ``tests/test_features.py`` compares both."""
    if not all(tag == "O" or tag[:2] in ("B-", "I-") for tag in tags):
        from seqeval.metrics.sequence_labeling import get_entities

        return get_entities(list(tags))
    found = []
    label, first = None, 0
    for index, tag in enumerate(tags):
        kind = None if tag == "O" else tag[2:]
        if label is not None and (tag[0] != "I" or kind != label):
            found.append((label, first, index - 1))
            label = None
        if kind is not None and label is None:
            label, first = kind, index
    if label is not None:
        found.append((label, first, len(tags) - 1))
    return found


def spans_from_tags(text: str, tags: Sequence[str]) -> list[SpanKey]:
    """seqeval's entities of a BIO sequence, trimmed of surrounding spaces."""
    found = []
    for label, first, last in bio_entities(tags):
        start, end = first, last + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            found.append((start, end, label))
    return found


def candidate_pairs(
    spans: Sequence[SpanKey], max_distance: dict[str, int]
) -> list[tuple[int, int, str]]:
    """(head index, tail index, relation) of every pair whose labels a relation joins and whose
    gap in characters is within that relation's limit."""
    pairs = []
    for relation, (head_label, tail_label) in RELATION_TYPES.items():
        limit = max_distance[relation]
        for h, head in enumerate(spans):
            if head[2] != head_label:
                continue
            for t, tail in enumerate(spans):
                if t == h or tail[2] != tail_label:
                    continue
                gap = max(tail[0] - head[1], head[0] - tail[1], 0)
                if gap <= limit:
                    pairs.append((h, t, relation))
    return pairs


def pair_row(
    head: SpanKey, tail: SpanKey, relation: str, owner: Sequence[int], rule_flag: int
) -> list[int] | None:
    """The model's pair input: token spans of head and tail, relation, distance bucket, rule
    flag; None when a span is not (wholly) inside the tokens."""
    try:
        head_start, head_end = owner[head[0]], owner[head[1] - 1] + 1
        tail_start, tail_end = owner[tail[0]], owner[tail[1] - 1] + 1
    except IndexError:
        return None
    if min(head_start, tail_start) < 0 or head_end <= 0 or tail_end <= 0:
        return None
    distance = tail[0] - head[0]
    return [head_start, head_end, tail_start, tail_end, RELATION_ID[relation],
            distance_bucket(distance), rule_flag]  # fmt: skip


def link_key(head: SpanKey, tail: SpanKey, relation: str) -> LinkKey:
    return head[0], head[1], tail[0], tail[1], relation
