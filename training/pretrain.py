"""Masked-character pretraining of the encoder on the unlabeled report text in ../shared (never
the dev or test documents').

The text is read at run time (``ie.read``: seeds, corpus pages, the full PDF) and never written
into the repository; it is cut as everywhere else (``ie.text.chunking``). Called by ``train.py`` with
``--pretrain_steps N``; the encoder it returns starts the tagger's fine-tuning.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from transformers import (
    BertConfig,
    BertForMaskedLM,
    DataCollatorForLanguageModeling,
    Trainer,
    TrainingArguments,
    set_seed,
)

from ie.paths import shared_dir
from ie.text.chunking import DEFAULT_MAX_CHARS, chunks, windows

logger = logging.getLogger("pretrain")


def pretraining_documents(shared: Path | None = None) -> list[str]:
    """The reports under ../shared (seeds, corpus, the full PDF) that pretraining may read: all but
    the dev and test splits' documents. The model is chosen on dev and judged on test (sealed), so
    neither's text, labelled or not, may shape its encoder."""
    from ie.eval.gold import document_splits
    from ie.read import find_reports

    shared = shared or shared_dir()
    held_out = {document for document, split in document_splits().items() if split != "train"}
    folders = [str(p) for p in (shared / "seeds", shared / "corpus") if p.is_dir()]
    return [
        path for path in (find_reports(folders) if folders else [])
        if Path(path).resolve().relative_to(shared.resolve()).as_posix() not in held_out
    ]  # fmt: skip


def pretraining_texts(shared: Path | None = None) -> list[str]:
    """The text of each report ``pretraining_documents`` allows."""
    from ie.errors import InputError
    from ie.read import read

    texts = []
    for path in pretraining_documents(shared):
        try:
            texts.append(read(path).text)
        except InputError as error:  # an unreadable page only lacks from pretraining
            logger.warning("skipped %s: %s", path, error)
    return texts


def schema_texts() -> list[str]:
    """The schema's row labels and the lexicon's phrases: their characters join the vocabulary."""
    from ie.schema import load_schema
    from ie.text.lexicon import load_lexicon

    phrases = list(load_lexicon().by_phrase)
    for vintage in load_schema().vintages.values():
        phrases += [field.label for field in vintage.fields.values()]
    return phrases


def pretrained_encoder(
    config: BertConfig, tokenizer, texts: list[str], steps: int, window: int, seed: int
):
    """A BERT encoder of ``config`` after ``steps`` of masked-character training on ``texts``."""
    set_seed(seed)
    pieces = []
    for text in texts:
        for chunk in chunks(text, DEFAULT_MAX_CHARS):
            for start, end in windows(len(chunk.text), window, window // 2):
                pieces.append(chunk.text[start:end])
    features = [
        {"input_ids": tokenizer(piece, truncation=True, max_length=window + 2)["input_ids"]}
        for piece in pieces
    ]
    logger.info("pretraining on %d windows, %d steps", len(features), steps)
    model = BertForMaskedLM(config)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15, seed=seed)
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch, max_steps=steps, per_device_train_batch_size=16,
            learning_rate=5e-4, warmup_steps=max(1, steps // 10), weight_decay=0.01,
            logging_steps=max(1, steps // 10), save_strategy="no", report_to=[], seed=seed,
            use_cpu=True,
        )  # fmt: skip
        Trainer(model=model, args=args, train_dataset=features, data_collator=collator).train()
    return model.bert
