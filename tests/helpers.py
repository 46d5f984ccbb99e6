"""Shared test helpers: where the real data lives, and running the pipeline on it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ie.eval.gold import gold_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("IE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
FACTS = ROOT / "annotations" / "facts"


def shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI needs ../shared beside the checkout")
        pytest.skip(f"{path} not available")
    return path


def gold(document: str) -> dict:
    return json.loads(gold_path(document).read_text(encoding="utf-8"))


def keyed(facts: list[dict]) -> set[tuple[str, str, float]]:
    return {
        (f["field_id"], json.dumps(f.get("qualifier"), sort_keys=True, ensure_ascii=False),
         round(float(f["value"]), 4))
        for f in facts
    }  # fmt: skip
