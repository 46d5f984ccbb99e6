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
    tags = ["B-NUMBER", "I-NUMBER", "I-NUMBER", "I-NUMBER", "B-UNIT"]
    assert spans_from_tags(" 12 件", tags) == [(1, 3, "NUMBER"), (4, 5, "UNIT")]


def test_lexicon_lookup_scores_only_phrases_that_may_reach_the_bar():
    """may_score never turns away a phrase label_score would put at CLOSE_ENOUGH or above, so the
    lexicon's closest entry is the one scoring every phrase the wording may name gives (the same
    polarity: 上/下, 不, 未, … never taken for a phrase of the opposite sense; the phrase's head
    noun; a channel for a channel's count)."""
    from ie.text.lexicon import CLOSE_ENOUGH, _position, load_lexicon, may_name
    from ie.text.row_labels import label_score, may_score, normalize_label

    lexicon = load_lexicon()
    phrases = list(lexicon.by_phrase)
    generator = random.Random(7)
    for phrase in generator.sample(phrases, 60):
        wording = list(phrase)
        at = generator.randrange(len(wording))
        wording[at : at + generator.randint(0, 2)] = generator.choice(["数", "政府", "", "件数"])
        wording = "".join(wording)
        for other in phrases:
            if not may_score(wording, other, CLOSE_ENOUGH):
                assert label_score(wording, other) < CLOSE_ENOUGH, (wording, other)
        scored = [((label_score(wording, p), len(p), -_position(wording, p)), e)
                  for p, e in lexicon.by_phrase.items()
                  if may_name(normalize_label(wording), p, e)]  # fmt: skip
        best = max(scored, key=lambda item: item[0], default=((0.0,), None))
        assert lexicon._closest_entry(wording) is (best[1] if best[0][0] >= CLOSE_ENOUGH else None)
