"""Which columns a short row prints, where its section's header says so.

2019 表二 prints a header per section of rows (信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量);
an agency that leaves a column out prints its header and its rows one cell shorter
(信息内容 | 上一年项目数量 | 处理决定数量, then 行政许可 | 8 | 18000). Reading the two cells in order
would put 18000 under 本年增/减: each cell goes to the column its header names instead. Only
表二's sections (rows of at most three columns) are read this way; a header that prints every
column, or does not name the row's columns, leaves the row to the usual reading.
"""

from __future__ import annotations

from ie.schema import Field, Vintage
from ie.tables import is_value
from ie.text.row_labels import label_score, normalize_label
from ie.types import Cell, Table

MAX_COLUMNS = 3  # 表二's sections; 表三 and 表四 print one header for the whole table
SAME = 0.9  # a header cell names a column when its label scores this high


class SectionHeaders:
    def __init__(self, table: Table, vintage: Vintage, structural: bool) -> None:
        self.vintage = vintage
        self.structural = structural
        # a grid's header rows: grid row → header text by grid column
        self.rows = self._header_rows(table) if structural else {}
        # a text table's cells in order: the column labels of the header printed last
        self.labels: list[str] = []

    def observe(self, labels: list[Cell]) -> set[str]:
        """A text table's label cells before a row: remember the column labels among them (two or
        more make a header) and return them, so that they are not read as row labels."""
        named = [c.text for c in labels if self.is_column_label(c.text)]
        if len(named) >= 2:
            self.labels = named
        return set(named)

    def place(
        self, columns: tuple[Field, ...], slots: list[Cell | None]
    ) -> list[tuple[Field, Cell]] | None:
        """Each cell with the column its header names; None when the header does not say."""
        if len(columns) > MAX_COLUMNS:
            return None
        cells = [s for s in slots if s is not None]
        labels = [self._label_of(f) for f in columns]
        if self.structural:
            above = [r for r in self.rows if r < min(c.row for c in cells)] if cells else []
            if not above:
                return None
            named = {col: _named(text, labels) for col, text in self.rows[max(above)].items()}
            if len({j for j in named.values() if j is not None}) >= len(columns):
                return None  # the header prints every column: cells stand where they are printed
            pairs = []
            for cell in cells:
                column = named.get(cell.col)
                if column is None:
                    return None
                pairs.append((columns[column], cell))
            return pairs if len({id(f) for f, _ in pairs}) == len(pairs) else None
        if len(slots) >= len(columns) or not self.labels or None in slots:
            return None
        named_columns = [_named(text, labels) for text in self.labels]
        if None in named_columns or len(named_columns) != len(slots):
            return None
        if sorted(set(named_columns)) != named_columns:
            return None
        return [(columns[j], cell) for j, cell in zip(named_columns, slots) if cell is not None]

    def is_column_label(self, text: str) -> bool:
        """Whether ``text`` is one of the vintage's grid column labels (上一年项目数量 …)."""
        if len(normalize_label(text)) < 4:
            return False
        return any(
            label_score(text, column.label.split("/")[-1]) >= SAME
            for grid in self.vintage.grids
            for column in grid.columns
            if len(normalize_label(column.label.split("/")[-1])) >= 4
        )

    def _header_rows(self, table: Table) -> dict[int, dict[int, str]]:
        rows: dict[int, list[Cell]] = {}
        for cell in table.cells:
            rows.setdefault(cell.row, []).append(cell)
        headers = {}
        for row, cells in rows.items():
            if any(is_value(c.text) for c in cells):
                continue
            labels = {col: c.text for c in cells if c.text.strip()
                      for col in range(c.col, c.col + c.colspan)}  # fmt: skip
            if sum(1 for text in set(labels.values()) if self.is_column_label(text)) >= 2:
                headers[row] = labels
        return headers

    def _label_of(self, field_: Field) -> str:
        if field_.grid < 0:
            return field_.label
        grid = self.vintage.grids[field_.grid]
        return next(c.label for c in grid.columns if c.key == field_.column).split("/")[-1]


def _named(text: str, labels: list[str]) -> int | None:
    """Which of the row's column labels a header cell prints, if any."""
    scores = [label_score(text, label) for label in labels]
    best = max(scores, default=0.0)
    return scores.index(best) if best >= SAME and scores.count(best) == 1 else None
