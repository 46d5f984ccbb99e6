"""The shipped model loads for inference without transformers (``ie.tag.inference``), and its
plain-torch encoder computes exactly what transformers' BertModel computes from the same weights."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from ie.errors import InputError
from ie.paths import DEFAULT_MODEL_DIR
from ie.prepared import prepare
from ie.read import read
from ie.tag.inference import CharacterTokenizer, InferenceNetwork
from ie.tag.model import ModelTagger, load_tagger
from tests.helpers import ROOT, open_documents, shared_file


@pytest.fixture(scope="module")
def both() -> tuple[ModelTagger, ModelTagger]:
    from transformers import AutoTokenizer

    from ie.tag.network import IeTaggerModel

    plain = load_tagger()
    reference = ModelTagger(
        IeTaggerModel.from_pretrained(DEFAULT_MODEL_DIR),
        AutoTokenizer.from_pretrained(DEFAULT_MODEL_DIR),
    )
    return plain, reference


def test_the_shipped_model_loads_without_transformers() -> None:
    tagger = load_tagger()
    assert isinstance(tagger.model, InferenceNetwork)
    assert isinstance(tagger.tokenizer, CharacterTokenizer)
    # in a fresh process: a one-report run with the model never imports transformers
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.argv = ['ie.predict', 'samples/baodi-2016.txt', '--tagger', "
         "'model', '--format', 'json']; import ie.predict as p; code = p.main(sys.argv[1:]); "
         "print('transformers' in sys.modules, code, file=sys.stderr)"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.stderr.strip().splitlines()[-1] == "False 0", done.stderr[-2000:]
    assert json.loads(done.stdout)["facts"]


def test_the_tokenizer_reads_as_transformers_does(both) -> None:
    plain, reference = both
    text = read(shared_file("seeds/004_e0499503ab353c5a.txt")).text
    for start in (0, 137, 900):
        piece = text[start : start + 700]  # longer than a window: truncation too
        assert plain._encode(piece[:510], None) == reference._encode(piece[:510], None)
        assert plain.tokenizer(piece, True, 512, True) == {
            key: list(value) if key != "offset_mapping" else [tuple(o) for o in value]
            for key, value in reference.tokenizer(
                piece, truncation=True, max_length=512, return_offsets_mapping=True
            ).items()
            if key in {"input_ids", "attention_mask", "offset_mapping"}
        }


def test_hidden_states_are_bit_identical_with_and_without_padding(both) -> None:
    plain, reference = both
    text = read(shared_file("seeds/004_e0499503ab353c5a.txt")).text
    # windows of three lengths in one batch: padded rows and an attention mask; then one alone
    for pieces in ([text[0:510], text[300:500], text[50:90]], [text[0:510]]):
        ours = plain._run([plain._encode(p, None) for p in pieces])
        theirs = reference._run([reference._encode(p, None) for p in pieces])
        for mine, expected in zip(ours, theirs):
            assert all(torch.equal(a, b) for a, b in zip(mine, expected))


def test_both_paths_tag_real_reports_alike(both) -> None:
    plain, reference = both
    documents = open_documents()
    sample = documents[:: max(1, len(documents) // 8)]  # every vintage, PDF and web pages
    for document in sample:
        prepared = prepare(read(shared_file(document)))
        assert plain(prepared) == reference(prepared), document


def test_an_encoder_it_does_not_compute_loads_through_transformers(tmp_path: Path) -> None:
    from ie.tag.network import IeTaggerModel

    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    config["encoder"]["hidden_act"] = "gelu_new"  # not what ie.tag.inference computes
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert isinstance(load_tagger(model).model, IeTaggerModel)
    # transformers says where it looked for a missing tokenizer over several lines: the user gets
    # all of it on one line, not a message cut after "from one of: "
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (model / name).unlink()
    with pytest.raises(InputError) as refused:
        load_tagger(model)
    message = str(refused.value)
    assert "\n" not in message and "is not an ie model" in message
    assert not message.rstrip().endswith(":") and "(1)" in message and "(3)" in message
