"""Gold data: where a document's gold facts live, the key two facts are the same by, the split of
each document, and the layout of each corpus page.

``annotations/facts/<document path with / as __>.json`` holds a document's facts (``FACTS.md``),
``annotations/splits.json`` its split. Every scorer keys facts with ``fact_key``: a field, its
qualifier and its value (to 4 decimals) are one statistic; evidence offsets do not take part.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path, PurePosixPath

from ie.errors import Errors, InputError
from ie.paths import ANNOTATIONS, SHARED

Key = tuple[str, str, float]


def fact_key(fact: dict) -> Key:
    qualifier = json.dumps(fact.get("qualifier"), ensure_ascii=False, sort_keys=True)
    return (fact["field_id"], qualifier, round(float(fact["value"]), 4))


def document_file_name(document: str) -> str:
    """``../shared/seeds/004_e04.txt`` → ``seeds__004_e04.json`` (the annotations/facts naming): the
    path after its last ``shared`` folder, or without leading ``..``/``.``/``/``, joined by ``__``."""
    parts = [
        p for p in PurePosixPath(document.replace("\\", "/")).parts if p not in ("/", ".", "..")
    ]
    if "shared" in parts[:-1]:
        parts = parts[len(parts) - 1 - parts[-2::-1].index("shared") :]
    if parts:
        parts[-1] = PurePosixPath(parts[-1]).stem or parts[-1]
    name = "__".join(re.sub(r"[^\w.\-]+", "_", part) for part in parts) or "document"
    return f"{name}.json"


def gold_path(document: str) -> Path:
    """The gold facts file of a document given by its path under ../shared."""
    return ANNOTATIONS / "facts" / document_file_name(document)


def predicted_facts(result: dict) -> list[dict]:
    """The facts a result states, scored against gold: its facts, and each prose figure that lost
    a conflict to a table cell (the table value is the fact, but the prose figure was still read)."""
    return list(result["facts"]) + [
        {"field_id": c["field_id"], "value": c["prose_value"], "qualifier": None,
         "origin": "prose", "evidence": c["prose_evidence"]}
        for c in result["conflicts"]
    ]  # fmt: skip


SPLITS = ("train", "dev", "test")


def document_splits() -> dict[str, str]:
    """Each gold document (its path under ../shared) and its split: train, dev or test."""
    return json.loads((ANNOTATIONS / "splits.json").read_text(encoding="utf-8"))["documents"]


def split_documents(split: str) -> list[str]:
    if split not in SPLITS:
        raise InputError(Errors.E030.format(split=split))
    return sorted(d for d, s in document_splits().items() if s == split)


def layouts() -> dict[str, str]:
    """The layout of each corpus document, read from the MANIFEST notes' first words."""
    found = {}
    for manifest in sorted((SHARED / "corpus").glob("*/MANIFEST.tsv")):
        for row in csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"):
            notes = (row.get("notes") or "").lower()
            kind = row.get("kind", "")
            layout = (
                "negative" if kind == "negative" or notes.startswith("negative")
                else "pdf" if row["file"].endswith(".pdf")
                else "mixed" if notes.startswith("mixed")
                else "lines" if "one cell per line" in notes[:40] or "cells separated" in notes[:40]
                else "pipe" if "pipe" in notes[:40]
                else "prose"
            )  # fmt: skip
            found[f"corpus/{manifest.parent.name}/{row['file']}"] = layout
    return found
