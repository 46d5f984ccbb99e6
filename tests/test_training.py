"""Training smoke test: a tiny model trained for a few steps on real annotated chunks learns (the
loss falls), saves, reloads with from_pretrained alone, and tags a real report with valid offsets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ie.errors import InputError
from ie.prepared import prepare, with_tables
from ie.read import read
from ie.tag.model import load_tagger
from ie.types import ENTITY_LABELS, RELATION_LABELS
from tests.helpers import shared_file

pytestmark = pytest.mark.slow  # Label Studio, Ray, a browser or training: `pytest -m "not slow"` skips it

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny-model")
    config = {
        "output_dir": str(out), "do_train": True,
        "max_train_samples": 6, "max_eval_samples": 0,
        "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
        "intermediate_size": 64, "pair_hidden": 32, "rule_features": False,
        "max_steps": 12, "per_device_train_batch_size": 3, "learning_rate": 0.005,
        "logging_steps": 1, "eval_strategy": "no", "save_strategy": "no",
        "report_to": [], "seed": 3, "use_cpu": True,
    }  # fmt: skip
    config_file = out / "tiny.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "training" / "train.py"), str(config_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def test_the_loss_falls(tiny_model: Path) -> None:
    summary = json.loads((tiny_model / "training_summary.json").read_text(encoding="utf-8"))
    losses = [entry["loss"] for entry in summary["log_history"] if "loss" in entry]
    assert len(losses) >= 10
    assert sum(losses[-3:]) / 3 < 0.8 * sum(losses[:3]) / 3
    assert summary["train_chunks"] == 6


def test_the_saved_model_reloads_with_from_pretrained(tiny_model: Path) -> None:
    from transformers import AutoConfig, AutoTokenizer

    from ie.tag.network import IeTaggerModel

    assert (tiny_model / "model.safetensors").is_file()
    assert not list(tiny_model.glob("checkpoint-*"))
    config = AutoConfig.from_pretrained(tiny_model)
    assert config.model_type == "ie-tagger" and not config.rule_features
    model = IeTaggerModel.from_pretrained(tiny_model)
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    encoded = tokenizer("主动公开政府信息1234条", return_offsets_mapping=True)
    # one token per character, offsets exact, [CLS] and [SEP] around
    assert encoded["offset_mapping"][1:-1] == [(i, i + 1) for i in range(13)]
    labels = json.loads((tiny_model / "label_map.json").read_text(encoding="utf-8"))
    assert set(labels["relations"]) == set(RELATION_LABELS)
    assert model.config.id2label[0] == "O"


def test_the_reloaded_model_tags_a_real_report_with_valid_offsets(tiny_model: Path) -> None:
    document = read(shared_file("seeds/004_e0499503ab353c5a.txt"))
    prepared = prepare(document)
    tagging = with_tables(prepared, load_tagger(tiny_model)(prepared))  # prose and table rows
    assert tagging.meta["tagger"] == "model"
    assert tagging.entities
    for entity in tagging.entities:
        assert 0 <= entity.start < entity.end <= len(document.text)
        assert entity.text == document.text[entity.start : entity.end]
        assert entity.label in ENTITY_LABELS
    entities = set(tagging.entities)
    for relation in tagging.relations:
        assert relation.head in entities and relation.tail in entities
        assert relation.label in RELATION_LABELS


def test_a_missing_model_or_a_folder_that_is_not_one_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="needs a trained model"):
        load_tagger(tmp_path / "nowhere")
    with pytest.raises(InputError, match="is not an ie model: no config.json"):
        load_tagger(tmp_path)
    (tmp_path / "config.json").write_text('{"model_type": "bert"}', encoding="utf-8")
    with pytest.raises(InputError, match="not ie-tagger"):
        load_tagger(tmp_path)
    (tmp_path / "config.json").write_text('{"model_type": "ie-tagger"}', encoding="utf-8")
    with pytest.raises(InputError, match="is not an ie model"):
        load_tagger(tmp_path)


def test_rule_distillation_adds_a_loss_toward_the_rule_tags_only_in_training(tmp_path: Path) -> None:
    # a real train chunk with the rule tagger's tags: the second loss is the cross-entropy of the
    # label logits against the rule tags (special tokens left out), weighted as asked
    import random

    import torch
    from transformers import BertConfig, TrainingArguments

    from ie.studio.convert import convert
    from ie.tag.heads import SETTING_DEFAULTS
    from ie.tag.network import IeTaggerConfig, IeTaggerModel
    from training.char_tokenizer import build_tokenizer
    from training.data import add_rule_features, chunk_of, collate, window_features
    from training.train import RuleDistillationTrainer

    dataset, _ = convert(ROOT / "annotations" / "studio", None,
                         split_file=ROOT / "annotations" / "splits.json")  # fmt: skip
    chunk = add_rule_features(chunk_of(dataset["train"][0]))
    tokenizer = build_tokenizer([chunk.text])
    features = window_features(chunk, tokenizer, 510, 384, SETTING_DEFAULTS["max_pair_distance"],
                               1.0, random.Random(0), True)  # fmt: skip
    batch = collate(features[:1], tokenizer.pad_token_id or 0)
    encoder = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1,
                         num_attention_heads=2, intermediate_size=64).to_dict()  # fmt: skip
    torch.manual_seed(0)
    model = IeTaggerModel(IeTaggerConfig(encoder=encoder, rule_features=True, pair_hidden=16))
    args = TrainingArguments(output_dir=str(tmp_path), use_cpu=True, report_to=[])
    losses = {}
    for weight in (0.0, 2.0):
        trainer = RuleDistillationTrainer(model=model, args=args, rule_distillation=weight)
        model.eval()  # no dropout, so both losses see the same logits
        model.training = True  # but the distillation term is a training loss
        losses[weight], outputs = trainer.compute_loss(model, dict(batch), return_outputs=True)
    rule_tags = batch["rule_tags"]
    assert (rule_tags == 0).any() and (rule_tags > 1).any()  # special tokens and rule entities
    targets = torch.where(rule_tags > 0, rule_tags - 1, torch.full_like(rule_tags, -100))
    toward_rules = torch.nn.functional.cross_entropy(
        outputs.logits.reshape(-1, outputs.logits.shape[-1]), targets.reshape(-1), ignore_index=-100
    )
    assert torch.isclose(losses[2.0], losses[0.0] + 2.0 * toward_rules)
    model.training = False
    assert torch.isclose(trainer.compute_loss(model, dict(batch)), losses[0.0])


def test_pretraining_reads_the_train_documents_and_never_dev_or_test() -> None:
    # the encoder's masked-character pretraining may read unlabeled report text, but not the text
    # the model is chosen on (dev) or judged on (test, sealed)
    from ie.eval.gold import document_splits
    from tests.helpers import SHARED
    from training.pretrain import pretraining_documents

    read = {Path(p).resolve().relative_to(SHARED.resolve()).as_posix()
            for p in pretraining_documents(SHARED)}  # fmt: skip
    splits = document_splits()
    train = {d for d, split in splits.items() if split == "train" and (SHARED / d).exists()}
    assert train and train <= read
    assert not {d for d, split in splits.items() if split != "train"} & read
