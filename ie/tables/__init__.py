"""Document → Tables: grids rebuilt from every form real pages print them in.

Structural grids (HTML, PDF, DOCX) come from the reader with exact rows and columns. Text tables
are read as a stream of cells: a line split on ``|`` and tabs, or one cell per line with blank lines
between. Cells keep their spans, so every value found later points at its characters.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ie.document import Document
from ie.tables.flattened_text import find_flat_tables
from ie.text.conventions import SENTENCE_MARKS, mark_class
from ie.types import Cell, Span, Table

# A prose line is long and reads as a sentence; table cells are short labels or numbers.
MAX_CELL_CHARS = 90
_SPLIT = re.compile(r"[|\t｜]")
_SENTENCE_END = re.compile(mark_class(SENTENCE_MARKS) + r"\s*$")
VALUE_CELL = re.compile(
    r"^[约近]?\s*-?\d[\d,，]*(?:\.\d+)?\s*(?:万元|元|万|%|％|条|件|个|项|次|人|篇)?\s*(?:余|多)?$"
)
PAGE_NUMBER = re.compile(r"^[-—–－]?\s*\d{1,3}\s*[-—–－]?$")
# a markdown pipe table's |---| line (ie.read.markdown finds tables by it too)
DELIMITER_LINE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?[ \t]*")
NO_VALUE_CELL = re.compile(r"^(?:/|／|-|—|－|——|--|无|_|＿|\\)$")


def find_tables(document: Document) -> list[Table]:
    """Every table of the document: structural grids first, then tables read from the text."""
    structural = [_structural(document, grid) for grid in document.grids if grid]
    # A table of blank cells only (a web page's empty values row in a <table> of its own) holds
    # nothing to read, and no width to join it by.
    tables = _joined(document, [table for table in structural if table.cells])
    covered = [(t.span.start, t.span.end) for t in tables]
    text_tables = [
        t for t in _text_tables(_without_grids(document, covered)) if not _inside(t.span, covered)
    ]
    covered += [(t.span.start, t.span.end) for t in text_tables if t.layout == "pipe"]
    flat = find_flat_tables(document, covered)
    # A row printed as its label and its digits on one line is a flattened row, not one cell.
    tables += [t for t in text_tables if t.layout == "pipe" or not _overlaps(t, flat)] + flat
    return sorted(tables, key=lambda t: t.span.start)


def _overlaps(table: Table, others: list[Table]) -> bool:
    return any(table.span.start < o.span.end and o.span.start < table.span.end for o in others)


def _joined(document: Document, tables: list[Table]) -> list[Table]:
    """Tables of the same width with nothing but blank lines (or a page number) between them are
    one table split in two (an editor's page break, a header row in a <table> of its own above
    the values): read as one, so the values below keep the header above."""
    joined: list[Table] = []
    for table in sorted(tables, key=lambda t: t.span.start):
        if joined and _continues(document, joined[-1], table):
            upper = joined[-1]
            shift = 1 + max(c.row + c.rowspan - 1 for c in upper.cells)
            lower = [replace(c, row=c.row + shift) for c in table.cells]
            span = document.span(upper.span.start, table.span.end)
            joined[-1] = Table(upper.cells + tuple(lower), upper.layout, span)
        else:
            joined.append(table)
    return joined


def _continues(document: Document, upper: Table, lower: Table) -> bool:
    gap = document.text[upper.span.end : lower.span.start]
    if any(line.strip(" |\t") and not PAGE_NUMBER.match(line.strip()) for line in gap.splitlines()):
        return False
    return _width(upper) == _width(lower)


def _width(table: Table) -> int:
    return max((c.col + c.colspan for c in table.cells), default=0)


def _without_grids(document: Document, covered: list[tuple[int, int]]) -> Document:
    """The document with each line of a structural table turned into a line of prose, so text
    tables neither read its cells a second time nor run on across it (same length, same offsets)."""
    if not covered:
        return document
    text = document.text
    chars = list(text)
    for start, end in covered:
        start = text.rfind("\n", 0, start) + 1  # whole lines: a table's own pipes go too
        end = len(text) if text.find("\n", end) < 0 else text.find("\n", end)
        # a pipe table of its header row only ends at its |---| line, below its last cell
        below = text.find("\n", end + 1)
        below = len(text) if below < 0 else below
        if end < len(text) and DELIMITER_LINE.fullmatch(text[end + 1 : below]):
            end = below
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = "。" if index == start or chars[index - 1] == "\n" else " "
    return replace(document, text="".join(chars))


def _structural(document: Document, grid: tuple[Cell, ...]) -> Table:
    start = min(c.span.start for c in grid)
    end = max(c.span.end for c in grid)
    return Table(tuple(_with_blanks(grid)), document.format, document.span(start, end))


def _with_blanks(grid: tuple[Cell, ...]) -> list[Cell]:
    """The grid's cells with a blank cell wherever a row leaves a value column empty, and no blank
    cell elsewhere, so that later stages can read values in order and a blank holds its column.

    Value columns run from the first column where the table prints a value in some row to its
    last column (a column of blanks or zeros left blank is still a column). A blank in a label
    column (a converter's empty cell under a merged label, a header cell wider than the data's)
    says nothing; a blank in a value column (``&nbsp;``, a 总计 left empty, a position a merged
    cell from above covers) is a cell without a value and must not let the next value move in.
    Blanks left of a row's first label are the label column's, whatever other rows print there,
    and a row without any value (a header) has no blank worth keeping.
    """
    value_cols = [cell.col for cell in grid if _is_value_cell(cell.text)]
    width = max(cell.col + cell.colspan for cell in grid)
    rows: dict[int, list[Cell]] = {}
    for cell in grid:
        rows.setdefault(cell.row, []).append(cell)
    # a column right of every data row's labels is a value column even where no row prints a
    # value in it (表二's 本年新制作数量 left blank in every row that has values)
    label_ends = [
        cell.col + cell.colspan
        for row_cells in rows.values()
        if any(_is_value_cell(c.text) for c in row_cells)
        for cell in row_cells
        if cell.text.strip() and not _is_value_cell(cell.text)
    ]
    first_value = min(value_cols, default=width)
    value_columns = set(range(min(first_value, max(label_ends, default=first_value)), width))
    cells: list[Cell] = []
    for row, row_cells in rows.items():
        labels = [c.col for c in row_cells if c.text.strip() and not _is_value_cell(c.text)]
        first_label = min(labels, default=-1)
        data_row = any(_is_value_cell(c.text) for c in row_cells)
        kept = [
            c
            for c in row_cells
            if c.text.strip() or (data_row and c.col in value_columns and c.col > first_label)
        ]
        if data_row:
            covered = {col for c in row_cells for col in range(c.col, c.col + c.colspan)}
            for col in sorted(value_columns - covered):
                if col > first_label:
                    kept.append(_blank(row_cells, row, col))
        cells += sorted(kept, key=lambda c: c.col)
    return cells


def _is_value_cell(text: str) -> bool:
    return is_value(text) or is_no_value(text)


def _blank(row_cells: list[Cell], row: int, col: int) -> Cell:
    """An empty cell at a position the row prints nothing at, placed after the cell before it."""
    before = [c for c in row_cells if c.col < col]
    anchor = max(before, key=lambda c: c.col).span.end if before else row_cells[0].span.start
    return Cell("", Span(anchor, anchor, ""), row, col)


def _inside(span: Span, covered: list[tuple[int, int]]) -> bool:
    return any(start <= span.start and span.end <= end for start, end in covered)


def is_value(text: str) -> bool:
    return bool(VALUE_CELL.match(text.strip()))


def is_no_value(text: str) -> bool:
    return bool(NO_VALUE_CELL.match(text.strip()))


def _line_cells(text: str, line_start: int) -> list[tuple[int, int]]:
    """(start, end) of each non-empty cell of one line, stripped of spaces."""
    cells = []
    position = 0
    for part in _SPLIT.split(text):
        stripped = part.strip()
        if stripped and not re.fullmatch(r"-{3,}", stripped):
            lead = len(part) - len(part.lstrip())
            cells.append(
                (line_start + position + lead, line_start + position + lead + len(stripped))
            )
        position += len(part) + 1
    return cells


def _text_tables(document: Document) -> list[Table]:
    """Runs of cell-like lines holding at least two value cells become tables.

    Rows are a best effort: a pipe line is a row; in one-cell-per-line text a row starts at a label
    cell that follows a value. Later stages read cells in order, so a guessed row costs nothing.
    """
    text = document.text
    tables: list[Table] = []
    run: list[tuple[int, int, bool]] = []  # (start, end, line has pipes)
    prose_gap = 0
    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        is_pipe = "|" in body or "｜" in body or "\t" in body
        cell_like = stripped and (
            is_pipe or (len(stripped) <= MAX_CELL_CHARS and not _SENTENCE_END.search(stripped))
        )
        if cell_like:
            for start, end in (
                _line_cells(body, position)
                if is_pipe
                else [(position + len(body) - len(body.lstrip()), position + len(body.rstrip()))]
            ):
                run.append((start, end, is_pipe))
            prose_gap = 0
        elif stripped:
            prose_gap += 1
            # A long line ends the table unless it is a single wrapped note inside it.
            if prose_gap >= 2 or not run:
                tables += _close(document, run)
                run = []
        position += len(line)
    tables += _close(document, run)
    return tables


def _close(document: Document, run: list[tuple[int, int, bool]]) -> list[Table]:
    values = sum(1 for start, end, _ in run if is_value(document.text[start:end]))
    if values < 2:
        return []
    cells: list[Cell] = []
    row, col = 0, 0
    previous_value = False
    for start, end, _ in run:
        text = document.text[start:end]
        value = is_value(text) or is_no_value(text)
        if not value and previous_value:
            row, col = row + 1, 0
        cells.append(Cell(text, document.span(start, end), row, col))
        col += 1
        previous_value = value
    layout = "pipe" if any(pipe for _, _, pipe in run) else "lines"
    return [Table(tuple(cells), layout, document.span(run[0][0], run[-1][1]))]
