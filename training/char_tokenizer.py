"""A character vocabulary as a Hugging Face tokenizer: one token per character, with offsets, so
``AutoTokenizer.from_pretrained(model_dir)`` loads it and character BIO tags align exactly."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable

from tokenizers import Regex, Tokenizer, models, pre_tokenizers, processors
from transformers import PreTrainedTokenizerFast

SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
# Always in the vocabulary: digits, Latin letters and the punctuation reports print.
ALWAYS = (
    string.printable.strip()
    + "０１２３４５６７８９零〇一二三四五六七八九十百千万亿两余多约近，。、；：？！（）《》“”‘’—…％"
)


def build_tokenizer(texts: Iterable[str], min_count: int = 1) -> PreTrainedTokenizerFast:
    counts = Counter(ch for text in texts for ch in text if not ch.isspace())
    characters = sorted({ch for ch, n in counts.items() if n >= min_count} | set(ALWAYS))
    vocab = {token: index for index, token in enumerate(SPECIAL)}
    for ch in characters:
        vocab.setdefault(ch, len(vocab))
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    # every character its own token; spaces and line breaks are dropped (no offsets for them)
    core.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Split(Regex("."), behavior="isolated")]
    )
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]", model_max_length=512,
    )  # fmt: skip
