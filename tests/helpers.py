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
