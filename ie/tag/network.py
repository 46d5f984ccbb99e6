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

from ie.tag.heads import (
    BIO_LABELS,
    MODEL_TYPE,
    RELATION_TYPES,
    SETTING_DEFAULTS,
    TaggerHeads,
    distance_bucket,
)
from ie.types import RELATION_LABELS

__all__ = ["BIO_LABELS", "RELATION_TYPES", "IeTaggerConfig", "IeTaggerModel", "distance_bucket"]


class IeTaggerConfig(PretrainedConfig):
    model_type = MODEL_TYPE

    def __init__(
        self,
        encoder: dict | None = None,
        # each setting's default and meaning: heads.SETTING_DEFAULTS (the inference path's too)
        rule_features: bool = SETTING_DEFAULTS["rule_features"],
        max_pair_distance: dict[str, int] | None = None,
        pair_hidden: int = SETTING_DEFAULTS["pair_hidden"],
        rule_prior: float = SETTING_DEFAULTS["rule_prior"],
        rule_override_threshold: float = SETTING_DEFAULTS["rule_override_threshold"],
        rule_links_first: bool = SETTING_DEFAULTS["rule_links_first"],
        link_threshold: float = SETTING_DEFAULTS["link_threshold"],
        classifier_dropout: float = SETTING_DEFAULTS["classifier_dropout"],
        model_version: str = SETTING_DEFAULTS["model_version"],
        window_chars: int = SETTING_DEFAULTS["window_chars"],
        window_stride: int = SETTING_DEFAULTS["window_stride"],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.encoder = encoder or {}
        self.rule_features = rule_features
        self.max_pair_distance = max_pair_distance or dict(SETTING_DEFAULTS["max_pair_distance"])
        self.pair_hidden = pair_hidden
        self.rule_prior = rule_prior
        self.rule_override_threshold = rule_override_threshold
        self.rule_links_first = rule_links_first
        self.link_threshold = link_threshold
        self.classifier_dropout = classifier_dropout
        self.model_version = model_version
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


class IeTaggerModel(PreTrainedModel, TaggerHeads):
    config_class = IeTaggerConfig
    base_model_prefix = "ie_tagger"
    _no_split_modules: list[str] = []

    def __init__(self, config: IeTaggerConfig, encoder: PreTrainedModel | None = None) -> None:
        super().__init__(config)
        self.encoder = encoder or AutoModel.from_config(config.encoder_config())
        if getattr(self.encoder, "pooler", None) is not None:
            self.encoder.pooler = None  # unused: spans are pooled by the relation head
        self.add_heads(
            self.encoder.config.hidden_size,
            config.rule_features,
            config.pair_hidden,
            config.classifier_dropout,
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


AutoConfig.register(MODEL_TYPE, IeTaggerConfig)
