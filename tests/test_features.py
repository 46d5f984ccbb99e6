"""ie.tag.features: the BIO entities inference reads without seqeval are seqeval's."""

import random

from seqeval.metrics.sequence_labeling import get_entities

from ie.tag.features import bio_entities, spans_from_tags

TAGS = ("O", "B-METRIC", "I-METRIC", "B-NUMBER", "I-NUMBER", "B-UNIT", "I-UNIT", "B-AGENCY")


def test_bio_entities_are_seqevals():
    generator = random.Random(17)
    for _ in range(3000):
        tags = [generator.choice(TAGS) for _ in range(generator.randint(0, 12))]
        assert bio_entities(tags) == get_entities(tags), tags


def test_other_schemes_go_to_seqeval():
    tags = ["S-UNIT", "B-METRIC", "E-METRIC", "O"]
    assert bio_entities(tags) == get_entities(tags)


def test_spans_are_trimmed_of_spaces():
    assert spans_from_tags(" 12 件", ["B-NUMBER", "I-NUMBER", "I-NUMBER", "I-NUMBER", "B-UNIT"]) == [
        (1, 3, "NUMBER"),
        (4, 5, "UNIT"),
    ]
