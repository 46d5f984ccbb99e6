"""Synthetic train chunks (training/synthetic.py) made from the real annotated train split: every
gold span and link moves with the text, METRICs come from the phrase pool, counts keep their
number of digits, and only the chunks given are used."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from ie.studio.convert import convert
from ie.text.lexicon import load_lexicon
from training.data import chunk_of
from training.synthetic import phrase_pool, synthetic_chunks

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def train_chunks():
    dataset, _ = convert(
        ROOT / "annotations" / "studio", None,
        split_file=ROOT / "annotations" / "splits.json", stderr=io.StringIO(),
    )  # fmt: skip
    return [chunk_of(row) for row in dataset["train"]]


def test_spans_and_links_follow_the_replaced_text(train_chunks) -> None:
    pool = phrase_pool(train_chunks, sorted(load_lexicon().by_phrase))
    made = synthetic_chunks(train_chunks, 60, pool, random.Random(5))
    assert len(made) == 60
    originals = {c.text for c in train_chunks}
    assert sum(c.text not in originals for c in made) >= 50  # most chunks really changed
    pool_set = set(pool)
    for chunk in made:
        assert chunk.document == "" and chunk.start == 0  # rule features come from this text
        spans = set(chunk.spans)
        for start, end, label in chunk.spans:
            assert 0 <= start < end <= len(chunk.text)
            text = chunk.text[start:end]
            if label == "NUMBER":
                assert text.strip(), text
        for hs, he, ts, te, label in chunk.links:
            heads = [s for s in spans if (s[0], s[1]) == (hs, he)]
            tails = [s for s in spans if (s[0], s[1]) == (ts, te)]
            assert heads and tails, (label, chunk.text[hs:he], chunk.text[ts:te])
        # a METRIC is either one of the source's own or a pool phrase
        for start, end, label in chunk.spans:
            if label == "METRIC" and chunk.text[start:end] not in pool_set:
                assert any(chunk.text[start:end] in c.text for c in train_chunks)


def test_a_replaced_count_keeps_its_digits_and_its_unit(train_chunks) -> None:
    source = next(c for c in train_chunks if any(
        label == "NUMBER" and c.text[s:e].isdigit() and len(c.text[s:e]) >= 2
        for s, e, label in c.spans))  # fmt: skip
    rng = random.Random(11)
    lengths = sorted(len(source.text[s:e]) for s, e, label in source.spans if label == "NUMBER")
    for chunk in synthetic_chunks([source], 20, ["测试指标"], rng):
        numbers = sorted(len(chunk.text[s:e]) for s, e, label in chunk.spans if label == "NUMBER")
        assert numbers == lengths
        units = {(ts, te): chunk.text[hs:he] for hs, he, ts, te, label in chunk.links
                 if label == "unit"}  # fmt: skip
        original_units = sorted(source.text[hs:he] for hs, he, *_, label in source.links
                                if label == "unit")  # fmt: skip
        assert sorted(units.values()) == original_units


def test_no_metric_in_the_input_means_no_synthetic_chunk() -> None:
    from training.data import Chunk

    plain = Chunk("全年共收到申请26件。", [(7, 9, "NUMBER"), (9, 10, "UNIT")], set())
    assert synthetic_chunks([plain], 5, ["主动公开政府信息"], random.Random(1)) == []
