"""The tagger network: any Hugging Face encoder, a character BIO head, and a relation head over
pooled span vectors, in one ``PreTrainedModel`` that loads with ``from_pretrained`` alone.

The encoder is built from the config's ``encoder`` dict (a small BERT trained from scratch by
default, or the config of a local checkpoint it was initialised from). With ``rule_features`` the
rule tagger's BIO tags are added to the character embeddings (through ``inputs_embeds``, so any
encoder works) and its links to the pair features: the model learns where to correct the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel
from transformers.utils import ModelOutput

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
DISTANCE_BUCKETS = 16  # signed log buckets of the characters between head and tail


class IeTaggerConfig(PretrainedConfig):
    model_type = "ie-tagger"

    def __init__(
        self,
        encoder: dict | None = None,
        rule_features: bool = False,
        max_pair_distance: dict[str, int] | None = None,
        pair_hidden: int = 128,
        rule_prior: float = 4.0,
        rule_override_threshold: float = 0.0,
        rule_links_first: bool = False,
        link_threshold: float = 0.5,
        classifier_dropout: float = 0.1,
        model_version: str = "",
        window_chars: int = 510,
        window_stride: int = 384,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.encoder = encoder or {}
        self.rule_features = rule_features
        # characters between the two spans beyond which a pair is not a candidate
        self.max_pair_distance = max_pair_distance or {
            "value": 80, "unit": 12, "reported_by": 80, "part_of": 420,
        }  # fmt: skip
        self.pair_hidden = pair_hidden
        self.rule_prior = rule_prior
        # at inference the model overrules a rule tag only this surely (0: always; see model.py)
        self.rule_override_threshold = rule_override_threshold
        # at inference a rule link wins for its head, the model links the rest (see model.py)
        self.rule_links_first = rule_links_first
        # at inference a pair is linked only this surely (chosen on dev; see model.py)
        self.link_threshold = link_threshold
        self.classifier_dropout = classifier_dropout
        self.model_version = model_version
        # the model reads a chunk in windows of this many characters, this far apart
        self.window_chars = window_chars
        self.window_stride = window_stride
        self.id2label = dict(enumerate(BIO_LABELS))
        self.label2id = {label: index for index, label in enumerate(BIO_LABELS)}
        self.relation_labels = list(RELATION_LABELS)

    def encoder_config(self) -> PretrainedConfig:
        settings = dict(self.encoder)
        return AutoConfig.for_model(settings.pop("model_type"), **settings)


@dataclass
class IeTaggerOutput(ModelOutput):
    loss: torch.Tensor | None = None
    logits: torch.Tensor | None = None
    relation_logits: torch.Tensor | None = None


class IeTaggerModel(PreTrainedModel):
    config_class = IeTaggerConfig
    base_model_prefix = "ie_tagger"
    _no_split_modules: list[str] = []

    def __init__(self, config: IeTaggerConfig, encoder: PreTrainedModel | None = None) -> None:
        super().__init__(config)
        self.encoder = encoder or AutoModel.from_config(config.encoder_config())
        if getattr(self.encoder, "pooler", None) is not None:
            self.encoder.pooler = None  # unused: spans are pooled by the relation head
        hidden = self.encoder.config.hidden_size
        # BIO tags of the rule tagger: 0 for special tokens, 1 + index in BIO_LABELS otherwise
        self.rule_embeddings = (
            nn.Embedding(len(BIO_LABELS) + 1, hidden) if config.rule_features else None
        )
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.classifier = nn.Linear(hidden, len(BIO_LABELS))
        # The rule tag's vote on the label logits: it starts as a strong prior (the model begins
        # as the rule tagger) and training learns where, and how much, to overrule it.
        self.rule_prior = (
            nn.Embedding(len(BIO_LABELS) + 1, len(BIO_LABELS)) if config.rule_features else None
        )
        self.pair_type = nn.Embedding(len(RELATION_LABELS), config.pair_hidden)
        self.pair_distance = nn.Embedding(2 * DISTANCE_BUCKETS + 1, config.pair_hidden)
        self.pair_rule = nn.Embedding(3, config.pair_hidden)  # no rule features / unlinked / linked
        self.pair_project = nn.Linear(4 * hidden, config.pair_hidden)
        self.pair_out = nn.Sequential(
            nn.GELU(), nn.Dropout(config.classifier_dropout), nn.Linear(config.pair_hidden, 1)
        )
        self.post_init()
        if self.rule_prior is not None:
            with torch.no_grad():
                self.rule_prior.weight.zero_()
                for index in range(len(BIO_LABELS)):
                    self.rule_prior.weight[index + 1, index] = config.rule_prior

    def _init_weights(self, module: nn.Module) -> None:
        # the encoder initialises itself; only our heads are set here
        if module is self.rule_prior or any(module is m for m in self.encoder.modules()):
            return
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=0.02)
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        rule_tags: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        pairs: torch.Tensor | None = None,
        pair_labels: torch.Tensor | None = None,
        **_: object,
    ) -> IeTaggerOutput:
        """``pairs`` (batch, P, 7): head token start/end, tail token start/end (end exclusive),
        relation index, signed distance bucket, rule flag; padded rows have relation index -1.
        ``pair_labels`` (batch, P): 1 linked, 0 not, -100 padding."""
        hidden = self.encode(input_ids, attention_mask, rule_tags)
        logits = self.label_logits(self.dropout(hidden), rule_tags)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100
            )
        relation_logits = None
        if pairs is not None and pairs.shape[1] > 0:
            relation_logits = self.score_pairs(hidden, pairs)
            if pair_labels is not None:
                mask = pair_labels != -100
                if mask.any():
                    pair_loss = nn.functional.binary_cross_entropy_with_logits(
                        relation_logits[mask], pair_labels[mask].float()
                    )
                    loss = pair_loss if loss is None else loss + pair_loss
        return IeTaggerOutput(loss=loss, logits=logits, relation_logits=relation_logits)

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
        """One logit per candidate pair: linked or not."""
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


AutoConfig.register("ie-tagger", IeTaggerConfig)
