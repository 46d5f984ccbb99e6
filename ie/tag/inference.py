"""The shipped tagger network for inference without transformers: the same weights, the same
arithmetic, in plain torch, with the tokenizer read by ``tokenizers``.

Why: importing transformers' model classes takes 2.5 s of the 3 s a one-report ``ie.predict
--tagger model`` may take (its ``modeling_utils`` pulls in torch.distributed, torch._dynamo and
accelerate), while the shipped encoder is a two-layer BERT. ``BertEncoder`` below is transformers'
``BertModel`` forward for inference in the same operations in the same order (scaled dot-product
attention with the same mask), so the hidden states are bit-identical
(``tests/test_inference_network.py`` compares both on real reports). A model whose encoder is not
a plain absolute-position BERT is loaded with transformers as before (``ie.tag.model``).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch
from torch import nn

from ie.tag.heads import SETTING_DEFAULTS, TaggerHeads

# The encoder settings this module computes as transformers does; any other value (another
# activation, relative positions, a decoder) sends the model to the transformers path.
SUPPORTED = {
    "model_type": "bert",
    "hidden_act": "gelu",
    "position_embedding_type": "absolute",
    "is_decoder": False,
    "add_cross_attention": False,
}


def supports(encoder: dict[str, Any]) -> bool:
    return all(encoder.get(key, value) == value for key, value in SUPPORTED.items())


@dataclass
class EncoderOutput:
    last_hidden_state: torch.Tensor


class BertLayer(nn.Module):
    """One post-norm BERT layer; the attribute names are transformers' weight names."""

    def __init__(self, hidden: int, heads: int, intermediate: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.head_size = hidden // heads
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        self.attention.self.query = nn.Linear(hidden, hidden)
        self.attention.self.key = nn.Linear(hidden, hidden)
        self.attention.self.value = nn.Linear(hidden, hidden)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(hidden, hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, intermediate)
        self.output = nn.Module()
        self.output.dense = nn.Linear(intermediate, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, states: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        attention = self.attention
        shape = (*states.shape[:-1], -1, self.head_size)
        query = attention.self.query(states).view(*shape).transpose(1, 2)
        key = attention.self.key(states).view(*shape).transpose(1, 2)
        value = attention.self.value(states).view(*shape).transpose(1, 2)
        attended = nn.functional.scaled_dot_product_attention(
            query, key, value, attn_mask=mask, dropout_p=0.0, scale=self.head_size**-0.5,
            is_causal=False,
        )  # fmt: skip
        attended = attended.transpose(1, 2).contiguous()
        attended = attended.reshape(*states.shape[:-1], -1).contiguous()
        states = attention.output.LayerNorm(attention.output.dense(attended) + states)
        inner = nn.functional.gelu(self.intermediate.dense(states))
        return self.output.LayerNorm(self.output.dense(inner) + states)


class BertEncoder(nn.Module):
    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__()
        hidden, eps = settings["hidden_size"], settings.get("layer_norm_eps", 1e-12)
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(settings["vocab_size"], hidden)
        self.embeddings.position_embeddings = nn.Embedding(
            settings["max_position_embeddings"], hidden
        )
        self.embeddings.token_type_embeddings = nn.Embedding(settings["type_vocab_size"], hidden)
        self.embeddings.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(
            BertLayer(hidden, settings["num_attention_heads"], settings["intermediate_size"], eps)
            for _ in range(settings["num_hidden_layers"])
        )

    def get_input_embeddings(self) -> nn.Embedding:
        return self.embeddings.word_embeddings

    def forward(
        self, *, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor | None = None
    ) -> EncoderOutput:
        batch, length = inputs_embeds.shape[:2]
        embeddings = self.embeddings
        token_types = torch.zeros((batch, length), dtype=torch.long)
        positions = torch.arange(length)[None]
        states = inputs_embeds + embeddings.token_type_embeddings(token_types)
        states = embeddings.LayerNorm(states + embeddings.position_embeddings(positions))
        # transformers drops an all-ones mask (every window of the batch full) and otherwise
        # passes a boolean (batch, 1, query, key) mask of the keys to attend
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            mask = attention_mask.bool()[:, None, None, :].expand(batch, 1, length, length)
        for layer in self.encoder.layer:
            states = layer(states, mask)
        return EncoderOutput(states)


class InferenceNetwork(nn.Module, TaggerHeads):
    """The tagger network of ``ie.tag.network`` for inference: same weights, no transformers."""

    def __init__(self, config: SimpleNamespace) -> None:
        super().__init__()
        self.config = config
        self.encoder = BertEncoder(config.encoder)
        self.add_heads(
            config.encoder["hidden_size"],
            config.rule_features,
            config.pair_hidden,
            config.classifier_dropout,
        )


class CharacterTokenizer:
    """``tokenizer.json`` read by ``tokenizers``, called as transformers' fast tokenizer is."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self.core = Tokenizer.from_file(str(folder / "tokenizer.json"))
        settings_file = folder / "tokenizer_config.json"
        settings = (
            json.loads(settings_file.read_text(encoding="utf-8")) if settings_file.is_file() else {}
        )
        pad = settings.get("pad_token", "[PAD]")
        self.pad_token_id = self.core.token_to_id(pad if isinstance(pad, str) else pad["content"])

    def __call__(
        self, text: str, truncation: bool, max_length: int, return_offsets_mapping: bool
    ) -> dict[str, list]:
        self.core.no_padding()
        if truncation:
            self.core.enable_truncation(max_length)
        else:
            self.core.no_truncation()
        encoded = self.core.encode(text)
        return {
            "input_ids": encoded.ids,
            "attention_mask": encoded.attention_mask,
            "offset_mapping": encoded.offsets,
        }


def load(folder: Path, config: dict[str, Any]) -> tuple[InferenceNetwork, CharacterTokenizer]:
    """The network and tokenizer of a saved model whose encoder ``supports``; the caller turns
    errors into its one-line message."""
    from safetensors.torch import load_file

    for name in ("model.safetensors", "tokenizer.json"):
        if not (folder / name).is_file():  # a missing file is no model, not a damaged one
            raise FileNotFoundError(f"no {name}")
    settings = SimpleNamespace(**{**copy.deepcopy(SETTING_DEFAULTS), **config})
    network = InferenceNetwork(settings)
    weights = load_file(str(folder / "model.safetensors"))
    network.load_state_dict(weights, strict=True)
    return network.eval(), CharacterTokenizer(folder)
