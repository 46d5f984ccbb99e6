"""The tagger network's own layers, in plain torch: the label classifier with the rule tagger's
prior, and the relation head over pooled span vectors. Shared by the training model
(``ie.tag.network``, a transformers ``PreTrainedModel``) and the inference model
(``ie.tag.inference``, no transformers), so both compute the same thing from the same weights.
"""

from __future__ import annotations

from typing import Any, Protocol

import torch
from torch import nn

from ie.types import ENTITY_LABELS, RELATION_LABELS

# (head label, tail label) of each relation, in RELATION_LABELS order: the pair's types decide
# which relation it can be, so the relation head only says whether the pair is linked.
RELATION_TYPES: dict[str, tuple[str, str]] = {
    "value": ("NUMBER", "METRIC"),
    "unit": ("UNIT", "NUMBER"),
    "reported_by": ("METRIC", "AGENCY"),
    "part_of": ("METRIC", "METRIC"),
}
BIO_LABELS: tuple[str, ...] = ("O",) + tuple(
    f"{prefix}-{label}" for label in ENTITY_LABELS for prefix in ("B", "I")
)
MODEL_TYPE = "ie-tagger"  # config.json's model_type of a saved tagger
DISTANCE_BUCKETS = 16  # signed log buckets of the characters between head and tail

# The tagger's settings where a config.json leaves one out: IeTaggerConfig's defaults (training)
# and the inference path's (a config read as plain JSON), from this one table.
SETTING_DEFAULTS: dict[str, Any] = {
    "rule_features": False,
    # characters between the two spans beyond which a pair is not a candidate
    "max_pair_distance": {"value": 80, "unit": 12, "reported_by": 80, "part_of": 420},
    "pair_hidden": 128,
    "rule_prior": 4.0,
    # at inference the model overrules a rule tag only this surely (0: always; see model.py)
    "rule_override_threshold": 0.0,
    # at inference a rule link wins for its head, the model links the rest (see model.py)
    "rule_links_first": False,
    # at inference a pair is linked only this surely (chosen on dev; see model.py)
    "link_threshold": 0.5,
    "classifier_dropout": 0.1,
    "model_version": "",
    # the model reads a chunk in windows of this many characters, this far apart
    "window_chars": 510,
    "window_stride": 384,
}


class Encoder(Protocol):
    """What the heads need of an encoder: transformers' models and ``ie.tag.inference``'s alike."""

    def get_input_embeddings(self) -> nn.Module: ...

    def __call__(self, *, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor | None): ...


class TaggerHeads:
    """The heads as a mixin of an ``nn.Module`` that has an ``encoder``. The attribute names are
    the weights' names in ``model.safetensors``: renaming one breaks every saved model."""

    encoder: Encoder
    rule_embeddings: nn.Embedding | None
    rule_prior: nn.Embedding | None

    def add_heads(self, hidden: int, rule_features: bool, pair_hidden: int, dropout: float) -> None:
        # BIO tags of the rule tagger: 0 for special tokens, 1 + index in BIO_LABELS otherwise
        self.rule_embeddings = nn.Embedding(len(BIO_LABELS) + 1, hidden) if rule_features else None
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden, len(BIO_LABELS))
        # The rule tag's vote on the label logits: it starts as a strong prior (the model begins
        # as the rule tagger) and training learns where, and how much, to overrule it.
        self.rule_prior = (
            nn.Embedding(len(BIO_LABELS) + 1, len(BIO_LABELS)) if rule_features else None
        )
        self.pair_type = nn.Embedding(len(RELATION_LABELS), pair_hidden)
        self.pair_distance = nn.Embedding(2 * DISTANCE_BUCKETS + 1, pair_hidden)
        self.pair_rule = nn.Embedding(3, pair_hidden)  # no rule features / unlinked / linked
        self.pair_project = nn.Linear(4 * hidden, pair_hidden)
        self.pair_out = nn.Sequential(nn.GELU(), nn.Dropout(dropout), nn.Linear(pair_hidden, 1))

    def encode(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        rule_tags: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """The encoder's last hidden states, the rule tags added to the input embeddings."""
        embeds = self.encoder.get_input_embeddings()(input_ids)
        if self.rule_embeddings is not None and rule_tags is not None:
            embeds = embeds + self.rule_embeddings(rule_tags)
        return self.encoder(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state

    def label_logits(self, hidden: torch.Tensor, rule_tags: torch.Tensor | None) -> torch.Tensor:
        logits = self.classifier(hidden)
        if self.rule_prior is not None and rule_tags is not None:
            logits = logits + self.rule_prior(rule_tags)
        return logits

    def score_pairs(self, hidden: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        """One logit per candidate pair: linked or not. ``pairs`` (batch, P, 7): head token
        start/end, tail token start/end (end exclusive), relation index, signed distance bucket,
        rule flag; padded rows have relation index -1."""
        head = _mean_pool(hidden, pairs[..., 0], pairs[..., 1])
        tail = _mean_pool(hidden, pairs[..., 2], pairs[..., 3])
        features = self.pair_project(torch.cat([head, tail, head * tail, head - tail], dim=-1))
        relation = pairs[..., 4].clamp(min=0)
        features = features + self.pair_type(relation)
        features = features + self.pair_distance(pairs[..., 5] + DISTANCE_BUCKETS)
        features = features + self.pair_rule(pairs[..., 6])
        return self.pair_out(features).squeeze(-1)


def _mean_pool(hidden: torch.Tensor, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Mean of ``hidden[b, start:end]`` for each (b, pair), by prefix sums."""
    batch, _, size = hidden.shape
    sums = torch.cat([hidden.new_zeros(batch, 1, size), hidden.cumsum(dim=1)], dim=1)
    take = lambda index: sums.gather(1, index.unsqueeze(-1).expand(-1, -1, size))
    width = (end - start).clamp(min=1).unsqueeze(-1).to(hidden.dtype)
    return (take(end) - take(start)) / width


def distance_bucket(distance: int) -> int:
    """Signed log bucket of a character distance, within ±DISTANCE_BUCKETS."""
    magnitude = min(DISTANCE_BUCKETS, abs(distance).bit_length())
    return magnitude if distance >= 0 else -magnitude
