"""Taggers: (Document, its Tables) → Tagging (METRIC, NUMBER, UNIT, AGENCY entities and relations).

Every tagger has the same shape, so the CLI, Label Studio pre-annotation and evaluation swap them
by name: ``rules`` (spaCy phrase matching and number rules) and ``model`` (a trained NER + relation
model, ``ie/tag/model.py``). A tagger receives what earlier stages computed: the document and its
tables, as ``ReportTables`` (the tables with the report's description, so nothing is re-derived).
``get_tagger`` builds each (name, model folder) once per process: a model loads once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ie.document import Document
from ie.errors import Errors, InputError
from ie.paths import DEFAULT_MODEL_DIR
from ie.types import Table, Tagging

if TYPE_CHECKING:
    from ie.tables.describe import ReportInfo

DEFAULT_TAGGER = "rules"


class Tagger(Protocol):
    name: str

    def __call__(self, document: Document, tables: Sequence[Table]) -> Tagging: ...


@dataclass(frozen=True)
class ReportTables(Sequence[Table]):
    """A report's tables as ``find_tables`` read them, with ``describe``'s reading of the report
    (agency, year, vintage), both computed once by ``report_tables`` and handed to every stage."""

    tables: tuple[Table, ...]
    info: ReportInfo

    def __getitem__(self, index):  # type: ignore[override]
        return self.tables[index]

    def __len__(self) -> int:
        return len(self.tables)

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables)


def report_tables(document: Document) -> ReportTables:
    """The tables and the description of a report: the input every tagger takes."""
    from ie.tables import find_tables
    from ie.tables.describe import describe

    tables = find_tables(document)
    return ReportTables(tuple(tables), describe(document, tables))


def description(document: Document, tables: Sequence[Table]) -> ReportInfo:
    """The report's description: the one the pipeline computed, else read now (plain tables)."""
    if isinstance(tables, ReportTables):
        return tables.info
    from ie.tables.describe import describe

    return describe(document, list(tables))


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
