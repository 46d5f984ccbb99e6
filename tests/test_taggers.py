"""One tagger interface: taggers by name from one registry, each built once per process, taking the
prepared report (tables, description, table facts) the pipeline computed once; the model tagger without a model is
one line and exit 2 in every CLI, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ie.errors import InputError
from ie.pipeline import analyze
from ie.prepared import prepare, with_tables
from ie.read import read
from ie.tag import get_tagger
from tests.helpers import ROOT, shared_file

SEED_004 = "seeds/004_e0499503ab353c5a.txt"


def test_the_registry_builds_each_tagger_once() -> None:
    rules = get_tagger("rules")
    assert rules is get_tagger("rules")
    assert rules.name == "rules"
    with pytest.raises(InputError, match="unknown tagger"):
        get_tagger("crf")


def test_a_tagger_takes_the_prepared_report_and_tags_its_prose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = read(shared_file(SEED_004))
    prepared = prepare(document)
    assert prepared.tables and prepared.info.agency == "宝坻区" and prepared.info.vintage == "2008"

    def no_rebuilding(*args, **kwargs):
        raise AssertionError("tables, description or table facts computed again inside the tagger")

    for name in ("ie.tables.find_tables", "ie.tables.describe.describe",
                 "ie.facts.table_cells.table_facts", "ie.prepared.table_facts"):  # fmt: skip
        monkeypatch.setattr(name, no_rebuilding)
    tagging = get_tagger("rules")(prepared)
    # prose only: no entity of the tagger overlaps a table cell the table mapper read
    cells = [(f.evidence.start, f.evidence.end) for f in prepared.table_facts]
    assert cells and tagging.entities
    assert not any(e.start < end and start < e.end for e in tagging.entities for start, end in cells)
    # with the table rows added (what Label Studio shows), a table cell's count is a NUMBER of its METRIC
    whole = with_tables(prepared, tagging)
    received = [r for r in whole.relations if r.label == "value" and r.head.text == "26"]
    assert received and all(r.tail.label == "METRIC" for r in received)


@pytest.mark.parametrize("tagger_name", ["rules", "model"])
def test_the_pipeline_prepares_each_report_once(
    monkeypatch: pytest.MonkeyPatch, tagger_name: str
) -> None:
    """Tables, description and the table mapper run once per report, with either tagger."""
    import ie.facts.table_cells
    import ie.prepared

    calls = {"find_tables": 0, "describe": 0, "table_facts": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr("ie.prepared.find_tables", counted("find_tables", ie.prepared.find_tables))
    monkeypatch.setattr("ie.prepared.describe", counted("describe", ie.prepared.describe))
    monkeypatch.setattr("ie.prepared.table_facts", counted("table_facts", ie.prepared.table_facts))
    monkeypatch.setattr("ie.facts.table_cells.table_facts",
                        counted("table_facts", ie.facts.table_cells.table_facts))  # fmt: skip
    result = analyze(read(shared_file(SEED_004)), get_tagger(tagger_name))
    assert calls == {"find_tables": 1, "describe": 1, "table_facts": 1}
    assert any(f["field_id"] == "requests.received" and f["value"] == 26 for f in result["facts"])


def run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("ie.predict", [SEED_004]),
        ("ie.evaluate", ["--split", "dev", "--quiet"]),
        ("ie.studio", ["draft", SEED_004, "--out", "{tmp}/drafts"]),
    ],
)
def test_model_tagger_without_a_model_is_one_line_and_exit_2(
    tmp_path: Path, module: str, args: list[str]
) -> None:
    args = [str(shared_file(a)) if a == SEED_004 else a.format(tmp=tmp_path) for a in args]
    if module == "ie.studio":
        args = [args[0], "--tagger", "model", "--model", str(tmp_path / "none"), *args[1:]]
    else:
        args = [*args, "--tagger", "model", "--model", str(tmp_path / "none")]
    result = run(module, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "needs a trained model" in result.stderr and str(tmp_path / "none") in result.stderr
    assert result.stdout == "" or "model" not in result.stdout
    assert not (tmp_path / "drafts").exists()


def test_a_folder_that_is_not_a_model_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model", encoding="utf-8")
    out = tmp_path / "facts.json"
    result = run("ie.predict", str(shared_file(SEED_004)), "--tagger", "model",
                 "--model", str(tmp_path), "--out", str(out))  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "is not an ie model" in result.stderr
    assert not out.exists()


def test_the_model_gate_compares_with_the_thresholds_and_the_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ie.eval.fields import evaluate
    from ie.eval.gate import GATE, TOLERANCE, gate
    from ie.eval.gold import split_documents
    from tests.test_gold_data import FindsNothing

    documents = split_documents("dev")
    rules = evaluate(documents, get_tagger("rules")).scores("dev", len(documents))
    nothing = evaluate(documents, FindsNothing()).scores("dev", len(documents))
    # the default tagger's fields pass; as a "model", the rules are held to the model thresholds
    assert gate("dev", "rules", {"rules": rules}) == 0
    thresholds = json.loads(GATE.read_text(encoding="utf-8"))["model"]
    entity = rules["spans"]["micro avg"]["f1-score"] + TOLERANCE
    relation = rules["relations"]["micro avg"]["f1-score"] + TOLERANCE
    entity_below = entity < thresholds["entity_micro_f1"]
    relation_below = relation < thresholds["relation_micro_f1"]
    expected = 1 if entity_below or relation_below else 0
    assert gate("dev", "model", {"model": rules, "rules": rules}) == expected
    failed = capsys.readouterr().err
    # each threshold fails exactly when the rules' figure is below it
    assert ("entity micro-F1" in failed) == entity_below
    assert ("relation micro-F1" in failed) == relation_below
    assert "below" not in failed and "rule tagger's" not in failed  # equal to the rules per label
    # a model that finds nothing in the prose is below the rule tagger on every label (the table
    # rows, which the table mapper reads for every tagger, keep METRIC and NUMBER above 0)
    assert gate("dev", "model", {"model": nothing, "rules": rules}) == 1
    failed = capsys.readouterr().err
    for label in ("METRIC", "NUMBER"):
        assert f"model {label} F1 " in failed and f"model {label} F1 0.0000" not in failed
    for label in ("UNIT", "AGENCY"):
        assert f"model {label} F1 0.0000 < rule tagger's" in failed
