"""Train the model tagger: character BIO entities and relations, in the shape of transformers'
run_ner.py.

    python -m training.train configs/train_tagger.json        # the shipped model
    python -m training.train configs/train_tagger.json --output_dir models/candidate   # flags override
    python -m training.train --output_dir out --num_train_epochs 3 [--model_name_or_path DIR]

Arguments are dataclasses (model, data, ``TrainingArguments``) from one JSON file or flags. Data:
the annotated chunks of ``annotations/studio`` converted as ``python -m ie.studio convert`` does
(or a saved DatasetDict with ``--dataset_dir``), split by document (``annotations/splits.json``).
With ``--pretrain_steps N`` the encoder is first pretrained on the unlabeled report text in
../shared (``training/pretrain.py``); dev selects the checkpoint; test is never read here.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import torch
from seqeval.metrics import classification_report
from transformers import (
    AutoConfig,
    AutoModel,
    AutoTokenizer,
    BertConfig,
    HfArgumentParser,
    Trainer,
    TrainingArguments,
    set_seed,
)

from ie.errors import Errors, InputError
from ie.eval.metrics import prf
from ie.tag.network import BIO_LABELS, RELATION_TYPES, IeTaggerConfig, IeTaggerModel
from training.data import (
    add_rule_features,
    chunk_of,
    collate,
    leave_disputed_metrics_unlabeled,
    window_features,
)

logger = logging.getLogger("train")
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ModelArguments:
    model_name_or_path: str | None = field(
        default=None,
        metadata={"help": "a local Hugging Face checkpoint directory to fine-tune (its encoder and "
                  "tokenizer); none: a small BERT encoder from scratch with a character vocabulary"},
    )  # fmt: skip
    init_from: str | None = field(
        default=None,
        metadata={"help": "an ie-tagger model folder to go on training (its encoder, heads and "
                  "tokenizer): e.g. a model trained on the written corpus, fine-tuned on the real "
                  "train split alone so its spans follow the real annotations' conventions"},
    )  # fmt: skip
    hidden_size: int = field(default=256, metadata={"help": "encoder size (from scratch)"})
    num_hidden_layers: int = field(default=4, metadata={"help": "encoder layers (from scratch)"})
    num_attention_heads: int = field(default=4, metadata={"help": "attention heads (from scratch)"})
    intermediate_size: int = field(
        default=512, metadata={"help": "feed-forward size (from scratch)"}
    )
    rule_features: bool = field(
        default=True, metadata={"help": "give the model the rule tagger's tags and links as input"}
    )
    pair_hidden: int = field(default=128, metadata={"help": "relation head size"})
    rule_override_threshold: float = field(
        default=0.9,
        metadata={"help": "with rule_features: the model's tag replaces the rule tag only when "
                  "its probability reaches this (chosen on dev; 0: always)"},
    )  # fmt: skip
    rule_links_first: bool = field(
        default=True,
        metadata={"help": "with rule_features: a head the rules link keeps that link at inference"},
    )
    link_threshold: float = field(
        default=0.5,
        metadata={
            "help": "at inference a candidate pair is linked only this surely (chosen on dev)"
        },
    )
    rule_distillation: float = field(
        default=0.0,
        metadata={"help": "with rule_features: weight of a second label loss toward the rule "
                  "tagger's own tags (where a chunk has them), so the network departs from the "
                  "rules only where the gold keeps pulling it away; 0: none"},
    )  # fmt: skip
    model_version: str = field(default="ie-tagger-small-1", metadata={"help": "recorded in meta"})


@dataclass
class DataArguments:
    studio_dir: str = field(default="annotations/studio", metadata={"help": "pulled annotations"})
    splits_file: str = field(
        default="annotations/splits.json", metadata={"help": "split by document"}
    )
    dataset_dir: str | None = field(
        default=None, metadata={"help": "a DatasetDict saved by `ie.studio convert` (instead of studio_dir)"}
    )  # fmt: skip
    max_train_samples: int | None = field(default=None, metadata={"help": "first N train chunks"})
    max_eval_samples: int | None = field(default=None, metadata={"help": "first N dev chunks"})
    window_chars: int = field(default=510, metadata={"help": "characters per model window"})
    window_stride: int = field(default=384, metadata={"help": "characters between windows"})
    negatives_per_positive: float = field(
        default=4.0, metadata={"help": "unlinked candidate pairs sampled per linked one (train)"}
    )
    synthetic_sentences: int = field(
        default=0,
        metadata={
            "help": "synthetic train chunks by mention replacement (training/synthetic.py); 0: none"
        },
    )
    pretrain_steps: int = field(
        default=0, metadata={"help": "masked-character pretraining steps on ../shared text first"}
    )
    pretrain_dir: str | None = field(
        default=None, metadata={"help": "reuse an encoder pretrained by training/pretrain.py"}
    )
    real_repeats: int = field(
        default=1,
        metadata={"help": "times each real annotated train chunk is seen per epoch: the written "
                  "corpus outnumbers the real chunks, whose span conventions dev and test share"},
    )  # fmt: skip
    written_dir: str | None = field(
        default=None,
        metadata={"help": "the written corpus (annotations/written, training/written_corpus.py): "
                  "its paragraphs join the train split, never dev or test"},
    )  # fmt: skip
    written_without: list[str] = field(
        default_factory=list,
        metadata={"help": "entity labels the written paragraphs are trained without (spans untagged, "
                  "their relations dropped), e.g. AGENCY: the writers tag every sentence's subject"},
    )  # fmt: skip
    written_disputed_metrics: str = field(
        default="train",
        metadata={"help": "'train': learn the written corpus's METRIC boundaries as written; "
                  "'unlabeled': where a written METRIC and the rule tagger's overlap with other "
                  "boundaries, those characters carry no label loss (the rules follow the real "
                  "gold's boundaries); needs rule_features",
                  "choices": ["train", "unlabeled"]},
    )  # fmt: skip


def parse(argv: list[str] | None = None) -> tuple[ModelArguments, DataArguments, TrainingArguments]:
    """Arguments from flags, or from a JSON config file followed by flags that override it
    (``train.py configs/train_tagger.json --output_dir models/candidate``)."""
    argv = sys.argv[1:] if argv is None else argv
    parser = HfArgumentParser((ModelArguments, DataArguments, TrainingArguments))
    if argv and argv[0].endswith(".json"):
        config_file = Path(argv[0])
        if not config_file.is_file():
            raise InputError(Errors.E041.format(reason=f"no config file {config_file}"))
        try:
            config = json.loads(config_file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(Errors.E041.format(reason=f"{config_file} is not JSON: {error}")) from None
        known = {action.dest for action in parser._actions}
        unknown = sorted(set(config) - known)
        if unknown:
            raise InputError(Errors.E041.format(reason=f"unknown keys in {config_file}: {', '.join(unknown)}"))
        # the file's values become the defaults; a flag after it wins, as on any command line
        for action in parser._actions:
            if action.dest in config:
                action.required = False
        parser.set_defaults(**config)
        argv = argv[1:]
    return parser.parse_args_into_dataclasses(args=argv)


def load_splits(data_args: DataArguments):
    if data_args.dataset_dir:
        from datasets import load_from_disk

        return load_from_disk(data_args.dataset_dir)
    from ie.studio.convert import convert

    dataset, report = convert(
        Path(data_args.studio_dir), None, split_file=Path(data_args.splits_file), stderr=sys.stderr
    )
    logger.info("annotated chunks: %s", report.per_split)
    return dataset


def encoder_and_tokenizer(model_args, data_args, train_texts, seed):
    """(encoder or None, encoder config dict, tokenizer)."""
    if model_args.model_name_or_path:
        path = model_args.model_name_or_path
        tokenizer = AutoTokenizer.from_pretrained(path)
        encoder = AutoModel.from_pretrained(path)
        return encoder, AutoConfig.from_pretrained(path).to_dict(), tokenizer
    from training.char_tokenizer import build_tokenizer
    from training.pretrain import pretrained_encoder, pretraining_texts, schema_texts

    if data_args.pretrain_dir:
        tokenizer = AutoTokenizer.from_pretrained(data_args.pretrain_dir)
        encoder = AutoModel.from_pretrained(data_args.pretrain_dir)
        return encoder, encoder.config.to_dict(), tokenizer
    unlabeled = pretraining_texts() if data_args.pretrain_steps else []
    tokenizer = build_tokenizer([*train_texts, *schema_texts(), *unlabeled])
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=model_args.hidden_size,
        num_hidden_layers=model_args.num_hidden_layers,
        num_attention_heads=model_args.num_attention_heads,
        intermediate_size=model_args.intermediate_size,
        max_position_embeddings=data_args.window_chars + 2,
        pad_token_id=tokenizer.pad_token_id,
    )
    encoder = None
    if data_args.pretrain_steps:
        encoder = pretrained_encoder(
            config, tokenizer, unlabeled, data_args.pretrain_steps, data_args.window_chars, seed
        )
    return encoder, config.to_dict(), tokenizer


class RuleDistillationTrainer(Trainer):
    """The Trainer with a second label loss toward the rule tagger's tags (``rule_distillation``
    × cross-entropy against ``rule_tags`` − 1; tokens without a rule tag are left out)."""

    def __init__(self, *args, rule_distillation: float = 0.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rule_distillation = rule_distillation

    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        loss, outputs = super().compute_loss(model, inputs, return_outputs=True, **kwargs)
        rule_tags = inputs.get("rule_tags")
        if self.rule_distillation and rule_tags is not None and model.training:
            targets = torch.where(rule_tags > 0, rule_tags - 1, torch.full_like(rule_tags, -100))
            logits = outputs.logits
            if (targets != -100).any():
                loss = loss + self.rule_distillation * torch.nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100
                )
        return (loss, outputs) if return_outputs else loss


def compute_metrics(prediction) -> dict[str, float]:
    """seqeval on the windows' token tags; relation P/R/F1 on candidate pairs of gold entities."""
    logits, relation_logits = prediction.predictions
    labels, pair_labels = prediction.label_ids
    guesses = logits.argmax(-1)
    gold_tags, guessed_tags = [], []
    for guess_row, label_row in zip(guesses, labels):
        keep = label_row != -100
        gold_tags.append([BIO_LABELS[i] for i in label_row[keep]])
        guessed_tags.append([BIO_LABELS[i] for i in guess_row[keep]])
    report = classification_report(gold_tags, guessed_tags, output_dict=True, zero_division=0)
    scores = {"f1": report["micro avg"]["f1-score"]}
    for label in ("METRIC", "NUMBER", "UNIT", "AGENCY"):
        if label in report:
            scores[f"f1_{label}"] = report[label]["f1-score"]
    mask = pair_labels != -100
    linked = relation_logits[mask] > 0
    gold = pair_labels[mask] == 1
    relation = prf(float(np.sum(linked & gold)), float(np.sum(linked)), float(np.sum(gold)), empty=0.0)
    scores["relation_f1"] = relation.f1
    scores["combined"] = (scores["f1"] + scores["relation_f1"]) / 2
    return scores


def save_label_maps(output_dir: Path) -> None:
    """The entity tags and the relations (with the labels they join) beside the weights."""
    maps = {
        "entity_tags": list(BIO_LABELS),
        "relations": {name: list(ends) for name, ends in RELATION_TYPES.items()},
    }
    (output_dir / "label_map.json").write_text(
        json.dumps(maps, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def main() -> int:
    model_args, data_args, training_args = parse()
    if not model_args.rule_features:  # both work on the rule tagger's tags
        if model_args.rule_distillation:
            raise InputError(Errors.E041.format(reason="--rule_distillation needs rule_features"))
        if data_args.written_disputed_metrics == "unlabeled":
            raise InputError(Errors.E041.format(
                reason="--written_disputed_metrics unlabeled needs rule_features"))  # fmt: skip
    logging.basicConfig(format="%(asctime)s %(name)s: %(message)s", level=logging.INFO)
    set_seed(training_args.seed)
    raw = load_splits(data_args)
    train_rows = list(raw["train"])[: data_args.max_train_samples]
    dev_rows = list(raw["dev"])[: data_args.max_eval_samples]
    if not train_rows:
        raise InputError(Errors.E041.format(reason="no annotated chunks in the train split"))
    written: list[dict] = []
    if data_args.written_dir:
        from training.written_corpus import written_examples

        try:
            written = written_examples(Path(data_args.written_dir))
        except ValueError as error:  # a paragraph that does not check is never trained on
            raise InputError(Errors.E041.format(reason=str(error).splitlines()[0])) from None
        if data_args.written_without:
            from training.written_corpus import without_labels

            written = [without_labels(row, set(data_args.written_without)) for row in written]
        logger.info("written paragraphs: %d", len(written))
        train_rows += written
    real_chunks = [chunk_of(row) for row in train_rows[: len(train_rows) - len(written)]]
    written_chunks = [chunk_of(row) for row in written]
    dev_chunks = [chunk_of(row) for row in dev_rows]
    train_chunks = real_chunks * data_args.real_repeats + written_chunks
    if data_args.synthetic_sentences:
        from ie.text.lexicon import load_lexicon
        from training.synthetic import phrase_pool, synthetic_chunks

        # mention replacement in real chunks only: the written corpus is varied already
        pool = phrase_pool(real_chunks, sorted(load_lexicon().by_phrase))
        train_chunks += synthetic_chunks(
            real_chunks, data_args.synthetic_sentences, pool, random.Random(training_args.seed)
        )
        logger.info("train chunks with synthetic ones: %d", len(train_chunks))
    if model_args.rule_features:
        train_chunks = [add_rule_features(c) for c in train_chunks]
        dev_chunks = [add_rule_features(c) for c in dev_chunks]
        if data_args.written_disputed_metrics == "unlabeled":
            for chunk in written_chunks:  # the same objects, their rule spans added above
                leave_disputed_metrics_unlabeled(chunk)
    if model_args.init_from:
        tokenizer = AutoTokenizer.from_pretrained(model_args.init_from)
        encoder, encoder_config = None, IeTaggerConfig.from_pretrained(model_args.init_from).encoder
    else:
        encoder, encoder_config, tokenizer = encoder_and_tokenizer(
            model_args, data_args, [c.text for c in train_chunks], training_args.seed
        )
    config = IeTaggerConfig(
        encoder=encoder_config,
        rule_features=model_args.rule_features,
        pair_hidden=model_args.pair_hidden,
        rule_override_threshold=model_args.rule_override_threshold,
        rule_links_first=model_args.rule_links_first and model_args.rule_features,
        link_threshold=model_args.link_threshold,
        model_version=model_args.model_version,
        window_chars=data_args.window_chars,
        window_stride=data_args.window_stride,
    )
    set_seed(training_args.seed)
    if model_args.init_from:
        # the trained weights, with this run's inference settings (thresholds, version)
        model = IeTaggerModel.from_pretrained(model_args.init_from, config=config)
    else:
        model = IeTaggerModel(config, encoder=encoder)
    rng = random.Random(training_args.seed)
    featurize = lambda chunks, negatives: [
        f for chunk in chunks for f in window_features(
            chunk, tokenizer, data_args.window_chars, data_args.window_stride,
            config.max_pair_distance, negatives, rng, model_args.rule_features)
    ]  # fmt: skip
    train_features = featurize(train_chunks, data_args.negatives_per_positive)
    dev_features = featurize(dev_chunks, None)
    logger.info("windows: train %d, dev %d", len(train_features), len(dev_features))
    training_args.label_names = ["labels", "pair_labels"]
    training_args.remove_unused_columns = False
    trainer = RuleDistillationTrainer(
        rule_distillation=model_args.rule_distillation,
        model=model,
        args=training_args,
        train_dataset=train_features if training_args.do_train else None,
        eval_dataset=dev_features or None,
        data_collator=lambda batch: collate(batch, tokenizer.pad_token_id or 0),
        compute_metrics=compute_metrics,
    )
    if training_args.do_train:
        result = trainer.train()
        trainer.save_model()
        tokenizer.save_pretrained(training_args.output_dir)
        save_label_maps(Path(training_args.output_dir))
        for checkpoint in Path(training_args.output_dir).glob("checkpoint-*"):
            shutil.rmtree(checkpoint)  # the best one is what save_model wrote
        trainer.log_metrics("train", result.metrics)
    metrics = trainer.evaluate() if dev_features else {}
    if metrics:
        trainer.log_metrics("dev", metrics)
    summary = {
        "model_arguments": asdict(model_args),
        "data_arguments": asdict(data_args),
        "seed": training_args.seed,
        "train_chunks": len(train_rows) - len(written),
        "written_paragraphs": len(written),
        "train_chunks_with_synthetic": len(train_chunks),
        "train_windows": len(train_features),
        "dev_chunks": len(dev_rows),
        "dev_metrics": metrics,
        "labels": list(BIO_LABELS),
        "relations": config.relation_labels,
        "log_history": trainer.state.log_history,
    }
    Path(training_args.output_dir).mkdir(parents=True, exist_ok=True)
    (Path(training_args.output_dir) / "training_summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.code)
