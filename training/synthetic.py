"""Synthetic training chunks by mention replacement: a train chunk with its METRIC phrases swapped
for other METRIC phrases and its plain counts for other counts of as many digits.

The contexts (frames such as 全年共…, 其中，…, 通过…) are real train text and the phrases are real
too: the annotated METRICs of the train split and the schema lexicon's official row labels. What
the model gains is many more (frame, phrase) pairings, so it learns where a METRIC starts and ends
from the frame rather than from the one phrase it saw there. Only train chunks are used, never dev
or test; gold spans and links move with the text, so the labels stay exact.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from training.data import Chunk

REPLACE_METRIC = 0.7  # chance that each METRIC of the chosen chunk is swapped
REPLACE_NUMBER = 0.5  # chance that each plain count is swapped
_PLAIN_COUNT = re.compile(r"[1-9]\d{0,6}")


def phrase_pool(chunks: Sequence[Chunk], lexicon_phrases: Sequence[str]) -> list[str]:
    """The train split's METRIC phrases and the lexicon's, each once, in a fixed order."""
    found = {chunk.text[s:e] for chunk in chunks for s, e, label in chunk.spans
             if label == "METRIC"}  # fmt: skip
    found |= set(lexicon_phrases)
    # a phrase with a digit or a break would carry a NUMBER or a new line into the METRIC
    return sorted(p for p in found if 2 <= len(p) <= 24 and not re.search(r"[\d\n]", p))


def synthetic_chunks(
    chunks: Sequence[Chunk], count: int, pool: Sequence[str], rng: random.Random
) -> list[Chunk]:
    """``count`` new chunks, each made from a random train chunk that has a METRIC."""
    sources = [c for c in chunks if any(label == "METRIC" for _, _, label in c.spans)]
    if not sources or not pool:
        return []
    return [_replaced(rng.choice(sources), pool, rng) for _ in range(count)]


def _replaced(chunk: Chunk, pool: Sequence[str], rng: random.Random) -> Chunk:
    edits: dict[tuple[int, int], str] = {}
    for start, end, label in chunk.spans:
        original = chunk.text[start:end]
        if label == "METRIC" and rng.random() < REPLACE_METRIC:
            edits[(start, end)] = rng.choice(pool)
        elif (
            label == "NUMBER" and _PLAIN_COUNT.fullmatch(original) and rng.random() < REPLACE_NUMBER
        ):
            digits = len(original)
            edits[(start, end)] = str(rng.randint(10 ** (digits - 1), 10**digits - 1))
    moved: dict[int, int] = {}  # old offset → new offset, at every span boundary
    pieces, shift, cursor = [], 0, 0
    for start, end, _ in sorted(chunk.spans):
        pieces.append(chunk.text[cursor:start])
        new = edits.get((start, end), chunk.text[start:end])
        moved[start] = start + shift
        shift += len(new) - (end - start)
        moved[end] = end + shift
        pieces.append(new)
        cursor = end
    pieces.append(chunk.text[cursor:])
    spans = [(moved[s], moved[e], label) for s, e, label in chunk.spans]
    links = {(moved[hs], moved[he], moved[ts], moved[te], label)
             for hs, he, ts, te, label in chunk.links}  # fmt: skip
    # no document: the rule features are computed on this text alone
    return Chunk("".join(pieces), spans, links, document="", start=0)
