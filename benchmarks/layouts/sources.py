"""The real reports the layouts are made from: their text, gold facts and where their tables stand."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ie.read import read
from ie.tables import find_tables
from ie.types import Cell

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FACTS = ROOT / "annotations" / "facts"


@dataclass(frozen=True)
class SourceCell:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TableRegion:
    """A table of the source as characters of its text, its cells grouped into printed rows."""

    start: int
    end: int
    rows: tuple[tuple[SourceCell, ...], ...]

    def cells(self) -> list[tuple[int, SourceCell]]:
        """(row, cell) in the order the text prints them."""
        return sorted(
            ((r, c) for r, row in enumerate(self.rows) for c in row), key=lambda rc: rc[1].start
        )


@dataclass(frozen=True)
class Source:
    document: str  # path under ../shared, as gold names it
    gold_file: str  # path of the gold under the repository
    text: str  # the file's text as decoded: gold offsets index it
    vintage: str
    facts: tuple[dict, ...]
    regions: tuple[TableRegion, ...]  # the tables that hold gold table cells


def corpus_sources() -> list[Source]:
    """Every text report (corpus and seeds) whose gold has table cells, in a stable order."""
    sources = []
    for gold_path in sorted([*FACTS.glob("corpus__v*.json"), *FACTS.glob("seeds__*.json")]):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        table_facts = [f for f in gold["facts"] if f.get("origin") == "table"]
        if gold.get("negative") or not table_facts:
            continue
        path = SHARED / gold["document"]
        document = read(path)
        regions = []
        for table in find_tables(document):
            span = document.source_span(table.span.start, table.span.end)
            if any(span.start <= f["evidence"]["start"] < span.end for f in table_facts):
                regions.append(TableRegion(span.start, span.end, _rows(document, table.cells)))
        sources.append(
            Source(gold["document"], gold_path.relative_to(ROOT).as_posix(), document.source_text,
                   gold["vintage"], tuple(gold["facts"]), tuple(regions))
        )  # fmt: skip
    return sources


def _rows(document, cells: tuple[Cell, ...]) -> tuple[tuple[SourceCell, ...], ...]:
    rows: dict[int, list[SourceCell]] = {}
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        span = document.source_span(cell.span.start, cell.span.end)
        rows.setdefault(cell.row, []).append(SourceCell(span.start, span.end, span.text))
    return tuple(tuple(row) for _, row in sorted(rows.items()))
