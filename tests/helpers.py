"""Shared test helpers: where the real data lives, and running the pipeline on it."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

from ie.eval.gold import gold_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("IE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
FACTS = ROOT / "annotations" / "facts"


def missing(message: str) -> NoReturn:
    """Something the environment should hold is not there: the test skips here, and fails under
    CI (the environment variable ``CI`` set), where everything must be installed."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI needs it: .ci/run installs it)")
    pytest.skip(message)


def needs(module: str) -> ModuleType:
    """An optional package (ray, duckdb, reportlab, pymupdf4llm, hypothesis, spacy …), imported;
    without it the test skips, and fails under CI."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        missing(f"{module} is not installed ({error})")


def shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        missing(f"{path} not available: ../shared beside the checkout holds the real reports")
    return path


def gold(document: str) -> dict:
    return json.loads(gold_path(document).read_text(encoding="utf-8"))


def keyed(facts: list[dict]) -> set[tuple[str, str, float]]:
    return {
        (f["field_id"], json.dumps(f.get("qualifier"), sort_keys=True, ensure_ascii=False),
         round(float(f["value"]), 4))
        for f in facts
    }  # fmt: skip


def open_documents() -> list[str]:
    """The train and dev documents of annotations/splits.json (paths under ../shared): what tests
    may read. The test split is sealed (DEVELOPERS.md, tests/test_sealed_split.py)."""
    splits = json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))
    return sorted(d for d, split in splits["documents"].items() if split in {"train", "dev"})


def copy_open_corpus(folder: Path) -> Path:
    """A folder holding the corpus's train and dev reports, laid out as ../shared/corpus is."""
    for document in open_documents():
        if document.startswith("corpus/"):
            target = folder / document.removeprefix("corpus/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(shared_file(document).read_bytes())
    return folder


def printed_pdf(path: Path) -> Path:
    """A PDF report (the train report of tests/renderings.py printed by reportlab, its table 三
    running onto the next page) written to ``path``."""
    from tests.renderings import rendered_source, write_pdf

    needs("reportlab")
    write_pdf(rendered_source(), path)
    return path


def broken_pdf(path: Path) -> Path:
    """The first 3000 bytes of a PDF report: a PDF cut off in a download."""
    printed = printed_pdf(path.with_name(path.stem + "-whole.pdf"))
    path.write_bytes(printed.read_bytes()[:3000])
    printed.unlink()
    return path
