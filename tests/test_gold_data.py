"""The gold data is what the README says it is: every gold fact names a real schema field and
points at the characters it was read from; the gold spans convert into a dataset with no task
skipped; evaluation scores the rule pipeline against both."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ie.eval.fields import evaluate
from ie.eval.spans import is_gold
from ie.schema import load_schema
from ie.studio.draft import draft_tasks
from ie.tag import get_tagger
from ie.tag.rules import tag
from ie.types import Tagging
from tests.helpers import FACTS, ROOT, SHARED, shared_file

STUDIO = ROOT / "annotations" / "studio"
SPLITS = json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))["documents"]


def test_every_gold_fact_is_a_schema_field_with_its_evidence() -> None:
    files = sorted(FACTS.glob("*.json"))
    assert len(files) >= 130
    schema = load_schema()
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        vintage = schema[gold["vintage"]]
        if gold["document"].endswith(".pdf"):
            text = None
        else:
            text = shared_file(gold["document"]).read_text(encoding="utf-8")
        for fact in gold["facts"]:
            assert fact["field_id"] in vintage.fields, (path.name, fact["field_id"])
            evidence = fact["evidence"]
            if text is not None:
                assert text[evidence["start"] : evidence["end"]] == evidence["text"], path.name
        if gold.get("negative"):
            assert gold["facts"] == []


def test_splits_hold_every_vintage_and_traditional_pages_in_dev_and_test() -> None:
    for split in ("dev", "test"):
        documents = [d for d, s in SPLITS.items() if s == split]
        assert {d.split("/")[1] for d in documents if d.startswith("corpus/v")} == {
            "v2008", "v2019", "v2021"
        }  # fmt: skip
        traditional = [d for d in documents if _script(d) == "traditional"]
        assert len(traditional) >= 2, split


def _script(document: str) -> str:
    if not document.startswith("corpus/v"):
        return "simplified"
    manifest = SHARED / Path(document).parent / "MANIFEST.tsv"
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if cells[0] == Path(document).name:
            return cells[5] if len(cells) > 5 else "simplified"
    return "simplified"


def test_gold_spans_convert_with_no_task_skipped(tmp_path: Path) -> None:
    shared_file("corpus/v2019/MANIFEST.tsv")
    result = subprocess.run(
        [sys.executable, "-m", "ie.studio", "convert", str(STUDIO), "--out", str(tmp_path / "ds"),
         "--splits", str(ROOT / "annotations" / "splits.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0 skipped as malformed" in result.stdout
    import datasets

    dataset = datasets.load_from_disk(str(tmp_path / "ds"))
    assert set(dataset) == {"train", "dev", "test"}
    documents = {split: set(dataset[split]["document"]) for split in dataset}
    assert not documents["train"] & documents["dev"] and not documents["train"] & documents["test"]
    assert all(len(dataset[split]) >= 30 for split in ("dev", "test"))


def test_every_gold_span_file_is_reviewed() -> None:
    tasks = [
        t for path in STUDIO.glob("*.json") for t in json.loads(path.read_text(encoding="utf-8"))
    ]
    assert len(tasks) >= 200
    assert all(is_gold(task) for task in tasks)


def test_draft_keeps_tasks_that_state_a_statistic() -> None:
    path = str(shared_file("seeds/004_e0499503ab353c5a.txt"))
    tasks = draft_tasks(path, tag, 500, "ie-rules-test")
    assert tasks and all(t["annotations"][0]["meta"]["draft_of"] == "ie-rules-test" for t in tasks)
    texts = "".join(t["data"]["text"] for t in tasks)
    assert "共收到政府信息公开申请26件" in texts
    assert "主要措施" not in texts  # a heading states nothing
    assert not any(is_gold(t) for t in tasks)  # a draft is no gold until reviewed


class FindsNothing:
    name = "nothing"

    def __call__(self, prepared) -> Tagging:
        return Tagging()


def test_span_and_relation_scores_are_computed_against_reviewed_gold() -> None:
    documents = [d for d, s in SPLITS.items() if s == "dev"]
    evaluation = evaluate(documents, get_tagger("rules"))
    scores = evaluation.spans.entity_scores()
    assert scores["NUMBER"]["support"] >= 200
    assert scores["NUMBER"]["f1-score"] > 0.9
    assert 0 < scores["METRIC"]["f1-score"] < 1
    relations = evaluation.spans.relation_scores()
    assert relations["value"]["support"] >= 200 and relations["unit"]["support"] >= 150
    # a unit right after its number is the rules' easy case
    assert relations["unit"]["f1-score"] > 0.9
    assert 0 < relations["micro avg"]["f1-score"] < 1
    # one tagging serves both: the field scores come from the same run
    assert evaluation.fields.overall.gold >= 150 and evaluation.fields.overall.true_positives > 0
    # a tagger that finds nothing in the prose keeps only the table rows: the comparison is real
    nothing = evaluate(documents, FindsNothing())
    assert nothing.spans.entity_scores()["UNIT"]["f1-score"] == 0
    assert nothing.spans.relation_scores()["unit"]["f1-score"] == 0
    assert nothing.spans.entity_scores()["NUMBER"]["f1-score"] < scores["NUMBER"]["f1-score"] - 0.2
    assert (nothing.spans.relation_scores()["micro avg"]["f1-score"]
            < relations["micro avg"]["f1-score"] - 0.2)  # fmt: skip


@pytest.mark.parametrize("split", ["dev"])
def test_evaluate_cli_prints_field_scores_by_vintage(tmp_path: Path, split: str) -> None:
    out = tmp_path / "scores.json"
    result = subprocess.run(
        [sys.executable, "-m", "ie.evaluate", "--split", split, "--quiet", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for vintage in ("2008", "2019", "2021"):
        assert f"vintage={vintage}" in result.stdout
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["fields"]["gold"] >= 150
    assert 0.5 < scores["fields"]["f1"] <= 1
    # seqeval's report per label with its averages, and relations per type
    for row in ("METRIC", "NUMBER", "UNIT", "AGENCY", "micro avg", "macro avg", "part_of"):
        assert row in result.stdout
    assert set(scores["spans"]) >= {"METRIC", "NUMBER", "micro avg", "macro avg"}
    assert set(scores["relations"]) == {"value", "unit", "reported_by", "part_of", "micro avg"}
    assert {"vintage", "origin", "layout"} <= set(scores["by"])
