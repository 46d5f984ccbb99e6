"""The text we extract from HTML, PDF and DOCX, built line by line, with tables kept as grids.

Every reader (``read_html``, ``read_pdf``, ``read_docx``) appends prose lines and tables to a
``Layout``; a table is printed one row per line with cells separated by `` | `` so that
``--dump-text`` shows the grid, and each cell remembers where its text stands in that output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CELL_SEPARATOR = " | "


@dataclass
class RawCell:
    """A cell as a reader found it: text already on one line, its grid position and extent."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    score: float | None = None  # the recogniser's, for a cell read by OCR


@dataclass(frozen=True)
class PlacedCell:
    """A cell and the characters of the extracted text that hold it."""

    cell: RawCell
    start: int
    end: int


@dataclass
class Layout:
    lines: list[str] = field(default_factory=list)
    grids: list[list[PlacedCell]] = field(default_factory=list)
    # (start, end, score): characters read by OCR and the recogniser's score for them
    recognised: list[tuple[int, int, float]] = field(default_factory=list)
    _size: int = 0  # length of "\n".join(lines) so far, kept so placing a cell is O(1)

    def line(self, text: str, recognised: list[tuple[int, int, float]] | None = None) -> None:
        """A line of prose; blank lines are dropped, so paragraphs are one line each.
        ``recognised``: pieces of ``text`` read by OCR, (start, end, score) within it."""
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if text:
            start = self._append(text)
            for a, b, score in recognised or ():
                a, b = max(0, a - lead), min(len(text), b - lead)
                if b > a:
                    self.recognised.append((start + a, start + b, score))

    def table(self, cells: list[RawCell]) -> None:
        """A table, printed one grid row per line.

        A position covered by a cell from a row above prints as an empty cell, so columns line up
        with the row where that cell stands; a position covered from the left prints nothing.
        """
        origin = {(cell.row, cell.col): cell for cell in cells}
        covered_from_above: dict[tuple[int, int], RawCell] = {}
        for cell in cells:
            for row in range(cell.row + 1, cell.row + cell.rowspan):
                covered_from_above[(row, cell.col)] = cell
        width = max((cell.col + cell.colspan for cell in cells), default=0)
        placed: list[PlacedCell] = []
        for row in sorted({cell.row for cell in cells}):
            line, row_cells = self._render_row(row, width, origin, covered_from_above)
            start = self._append(line)
            placed.extend(PlacedCell(cell, start + a, start + b) for cell, a, b in row_cells)
            self.recognised.extend((start + a, start + b, cell.score) for cell, a, b in row_cells
                                   if cell.score is not None and b > a)  # fmt: skip
        if placed:
            self.grids.append(placed)

    def text(self) -> str:
        return "\n".join(self.lines)

    def _render_row(
        self,
        row: int,
        width: int,
        origin: dict[tuple[int, int], RawCell],
        covered_from_above: dict[tuple[int, int], RawCell],
    ) -> tuple[str, list[tuple[RawCell, int, int]]]:
        parts: list[str] = []
        row_cells: list[tuple[RawCell, int, int]] = []
        position = 0
        col = 0
        while col < width:
            cell = origin.get((row, col))
            above = covered_from_above.get((row, col))
            if cell is not None:
                text, spanning = cell.text, cell
            elif above is not None:
                text, spanning = "", above
            else:
                col += 1
                continue
            if parts:
                position += len(CELL_SEPARATOR)
            if cell is not None:
                row_cells.append((cell, position, position + len(text)))
            parts.append(text)
            position += len(text)
            col += max(1, spanning.col + spanning.colspan - col)
        return CELL_SEPARATOR.join(parts), row_cells

    def _append(self, line: str) -> int:
        start = self._size + (1 if self.lines else 0)
        self.lines.append(line)
        self._size = start + len(line)
        return start
