"""Taggers: Prepared → Tagging (METRIC, NUMBER, UNIT, AGENCY entities of the prose and relations).

Every tagger has the same shape, so the CLI, Label Studio pre-annotation and evaluation swap them
by name: ``rules`` (spaCy phrase matching and number rules) and ``model`` (a trained NER + relation
model, ``ie/tag/model.py``). A tagger receives what earlier stages computed once, the
``ie.prepared.Prepared`` report (document, tables, description, table facts), and tags the prose.
``get_tagger`` builds each (name, model folder) once per process: a model loads once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ie.errors import Errors, InputError
from ie.paths import DEFAULT_MODEL_DIR
from ie.types import Tagging

if TYPE_CHECKING:
    from ie.prepared import Prepared

DEFAULT_TAGGER = "rules"


class Tagger(Protocol):
    """A prose tagger: the prepared report in, the METRIC/NUMBER/UNIT/AGENCY entities of its prose
    and their relations out. Table cells are the table mapper's (``Prepared.table_facts``)."""

    name: str

    def __call__(self, prepared: Prepared) -> Tagging: ...


def _rules(model_dir: Path | None) -> Tagger:
    from ie.tag.rules import RuleTagger

    return RuleTagger()


def _model(model_dir: Path | None) -> Tagger:
    folder = model_dir or DEFAULT_MODEL_DIR
    if not folder.is_dir():
        raise InputError(Errors.E011.format(path=folder))
    if not (folder / "config.json").is_file():
        raise InputError(Errors.E040.format(path=folder, reason="no config.json"))
    try:
        from ie.tag.model import load_tagger
    except ModuleNotFoundError as error:
        if error.name not in {"ie.tag.model", "transformers", "torch"}:
            raise
        raise InputError(Errors.E045.format(reason=f"module {error.name} is missing")) from None
    return load_tagger(folder)


TAGGERS: dict[str, Callable[[Path | None], Tagger]] = {"rules": _rules, "model": _model}


def get_tagger(name: str, model_dir: str | Path | None = None) -> Tagger:
    """The tagger ``name`` (``model_dir`` for the model); one instance per process and folder."""
    if name not in TAGGERS:
        raise InputError(Errors.E046.format(name=name, choices=", ".join(TAGGERS)))
    folder = Path(model_dir).resolve() if model_dir and name == "model" else None
    return _build(name, folder)


@lru_cache(maxsize=8)
def _build(name: str, model_dir: Path | None) -> Tagger:
    return TAGGERS[name](model_dir)
