"""Flatten a real report's tables the way a crawler's text extraction does, at test time.

The tables the tool finds in a report (structural grids from a PDF, pipe or one-cell-per-line text)
are re-printed with their cell separators lost: cells joined with nothing, with single spaces, or a
mix of both, and rows run together on one line or kept one per line. Everything outside the tables
(prose, page chrome) stays as it was. The result is text only; nothing is written into the project.
"""

from __future__ import annotations

import random

from ie.document import Document
from ie.tables import find_tables
from ie.types import Table

JOINS = ("concat", "space", "mixed")


def flatten_document(
    document: Document, join: str = "concat", rows_run_together: bool = True, seed: int = 0
) -> str:
    """The document's text with every table re-printed flattened."""
    rng = random.Random(seed)
    text = document.text
    pieces, position = [], 0
    for table in find_tables(document):
        if table.span.start < position:
            continue
        pieces.append(text[position : table.span.start])
        pieces.append(flatten_table(table, join, rows_run_together, rng))
        position = table.span.end
    pieces.append(text[position:])
    return "".join(pieces)


def flatten_table(table: Table, join: str, rows_run_together: bool, rng: random.Random) -> str:
    rows: list[list[str]] = []
    previous = None
    for cell in table.cells:
        text = " ".join(cell.text.split())
        if not text:
            continue
        if previous is None or cell.row != previous:
            rows.append([])
        previous = cell.row
        rows[-1].append(text)
    printed = [_join(row, join, rng) for row in rows]
    return ("" if rows_run_together else "\n").join(printed)


def _join(cells: list[str], join: str, rng: random.Random) -> str:
    if join == "concat":
        return "".join(cells)
    if join == "space":
        return " ".join(cells)
    out = cells[0]
    for cell in cells[1:]:
        out += rng.choice(("", " ")) + cell
    return out
