"""Promotion compares a candidate tagger with the current one on the same gold data and refuses
unless the candidate is not worse on the old split and better on the new documents; it swaps the
model folder in whole. Real gold: the dev split and the Label Studio exports of dev documents."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ie.tag import get_tagger
from ie.types import Tagging
from tests.helpers import ROOT, shared_file
from training.promote import compare, new_document_tasks, replace_model

STUDIO = ROOT / "annotations" / "studio"
NEW = [STUDIO / "corpus__v2019__2020-02.json", STUDIO / "corpus__v2021__2022-04.json"]


class FindsNothing:
    name = "nothing"

    def __call__(self, prepared) -> Tagging:
        return Tagging()


def new_tasks() -> dict[str, list[dict]]:
    for path in NEW:
        assert path.exists(), path
    tasks = new_document_tasks(NEW)
    for document in tasks:
        shared_file(document.removeprefix("../shared/"))
    return tasks


def test_a_better_candidate_is_promoted_and_a_worse_one_refused() -> None:
    tasks = new_tasks()
    assert len(tasks) == 2 and all(tasks.values())
    rules, nothing = get_tagger("rules"), FindsNothing()
    better = compare(rules, nothing, tasks, split="dev")
    assert better.promote, better.reasons
    # the table rows are the table mapper's for both; the prose is all the candidate's
    assert better.candidate["new"]["entity_f1"] > 0.5
    assert better.current["new"]["entity_f1"] < better.candidate["new"]["entity_f1"] - 0.3
    assert better.candidate["old"]["field_f1"] > 0.8  # the rule pipeline's dev figure
    worse = compare(nothing, rules, tasks, split="dev")
    assert not worse.promote
    assert any(r.startswith("worse on the old split: entity_f1") for r in worse.reasons)
    assert any(r.startswith("worse on the new documents") for r in worse.reasons)
    # the same tagger is not better: promotion needs a gain on the new documents
    same = compare(rules, rules, tasks, split="dev")
    assert not same.promote
    assert same.reasons == [
        "not better on the new documents: no score is higher than the current's"
    ]


def test_the_model_folder_is_swapped_in_whole(tmp_path: Path) -> None:
    candidate, current = tmp_path / "candidate", tmp_path / "models" / "ie-tagger-small"
    candidate.mkdir()
    (candidate / "config.json").write_text('{"new": true}', encoding="utf-8")
    (candidate / "model.safetensors").write_bytes(b"new weights")
    current.mkdir(parents=True)
    (current / "config.json").write_text('{"old": true}', encoding="utf-8")
    (current / "stale.bin").write_bytes(b"old")
    replace_model(candidate, current)
    assert sorted(p.name for p in current.iterdir()) == ["config.json", "model.safetensors"]
    assert (current / "config.json").read_text(encoding="utf-8") == '{"new": true}'
    assert [p.name for p in current.parent.iterdir()] == ["ie-tagger-small"]  # nothing left over
    assert (candidate / "model.safetensors").exists()  # the candidate is copied, not moved


def test_a_candidate_that_is_not_a_model_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "training.promote", str(tmp_path), "--current",
         str(tmp_path / "current"), "--new-docs", str(NEW[0])],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is not an ie model" in result.stderr
    assert not (tmp_path / "current").exists()
