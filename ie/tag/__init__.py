"""Taggers: Document → Tagging (METRIC, NUMBER, UNIT, AGENCY entities and their relations).

Every tagger has the same signature, so the CLI, Label Studio pre-annotation and evaluation can
swap them: ``rules`` (spaCy phrase matching and number rules) and ``model`` (a trained NER model).
"""

from __future__ import annotations

from collections.abc import Callable

from ie.document import Document
from ie.vocabulary import Tagging

Tagger = Callable[[Document], Tagging]
TAGGERS = ("rules", "model")


def get_tagger(name: str, model_dir: str | None = None) -> Tagger:
    if name == "rules":
        from ie.tag.rules import tag

        return tag
    if name == "model":
        from ie.tag.model import load_tagger

        return load_tagger(model_dir)
    raise ValueError(f"unknown tagger {name!r}: choose one of {', '.join(TAGGERS)}")
