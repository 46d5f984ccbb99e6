"""Value rows that came apart from their labels → the template's rows, confirmed by the identities.

A weak PDF-to-markdown converter prints a table's row labels as loose lines of text and its values
as many small pipe tables; a label can be lost, and the last cell of a row can stand on a line of
its own. The table reader hands over each row of values with no label (``Orphan``). They are placed
in text order onto the template rows of the vintage that no labelled row has taken, by their width:
7 cells are a 表三 row, 15 the 表四 row, 1-3 a 表二 row. A placement is kept only when the table's
identities confirm it (表三: every row's 总计 is its columns' sum, 一 + 二 = 三's 总计 + 四, 三's 总计 is
the sum of its parts, per column; 表四: each 总计 its group's sum) or, in 表二 (no identity), when
the labels printed as loose lines before the values name exactly those rows. A row whose label
the converter lost is also placed where the labelled rows around it enclose it: the rows between
two labelled ones (or one and the table's edge) are exactly as many as the template's rows between
theirs, so each stands on its own, and no loose line among them prints a label the template lacks
(ie.facts.loose_labels: a report's own row standing where it left a template row out). A row that
no single placement confirms is listed in ``unmapped`` with its candidates, never guessed. A row's
stray last cell: ie.facts.stray_cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ie.facts.cell_values import cell_value, value_span
from ie.facts.flattened_digits import holds
from ie.facts.loose_labels import MAX_LABEL_LINE, foreign_words, label_tail, labels_in
from ie.facts.stray_cells import APPEALS, LONE_VALUE, join_stray_cells, lines_around
from ie.read.textnorm import to_simplified
from ie.schema import Field, Vintage
from ie.tables import is_no_value, is_value
from ie.text.row_labels import normalize_label
from ie.types import Cell, Fact, Span, Statistic

NO_PLACEMENT = "a row of values without its label: no placement on the template's rows is confirmed"
SEVERAL = "a row of values without its label: several placements on the template's rows fit"
MAX_PLACEMENTS = 20_000  # search steps; past them no placement is trusted
MAX_LABEL_LINES = 40
CONFIDENCE = 0.85


@dataclass
class Orphan:
    cells: list[Cell | None]
    start: int = -1  # where the row's line begins and ends in the text (a blank row has no cell)
    end: int = -1

    def __post_init__(self) -> None:
        printed = [c for c in self.cells if c is not None]
        if self.start < 0 and printed:
            self.start = min(c.span.start for c in printed)
            self.end = max(c.span.end for c in printed)

    @property
    def blank(self) -> bool:
        return all(c is None for c in self.cells)


def place_orphans(
    orphans: list[Orphan], facts: list[Fact], vintage: Vintage, text: str
) -> tuple[list[Fact], list[Statistic]]:
    """Facts for the orphan rows whose placement the printed labels and identities confirm, and
    the rest as unmapped statistics with their candidate placements."""
    orphans = [o for o in orphans if o.start >= 0]
    if not orphans or not vintage.grids:
        return [], _unplaced(orphans, "no schema row matches the label")
    orphans = [_as_printed(o, text) for o in orphans]
    orphans = _with_blank_rows(sorted(orphans, key=lambda o: o.start), text)
    join_stray_cells(orphans, text)
    rows = _template_rows(vintage)
    taken = {f.field_id.rsplit(".", 1)[0] for f in facts if f.qualifier is None}
    if any(f.field_id.startswith(("review.", "litigation.")) for f in facts):
        taken.add("appeals")
    known = {f.field_id: f.value for f in facts if f.qualifier is None}
    blocks = _blocks(orphans, text, vintage)
    new_facts: list[Fact] = []
    unmapped: list[Statistic] = []
    placed_ids: set[int] = set()
    for family in ("requests", "appeals", "disclosure"):
        free = [r for r in rows if _family(r) == family and r.key not in taken]
        members = [o for o in orphans if any(_fits(o, r) for r in free)]
        if not members or not any(not o.blank for o in members):
            continue
        placed_ids |= {id(o) for o in members}
        placement = _Placement(members, free, blocks, text, vintage, known)
        found, left = placement.solve()
        new_facts += found
        unmapped += left
    rest = [o for o in orphans if id(o) not in placed_ids]
    return new_facts, unmapped + _unplaced(rest, "no schema row matches the label")


@dataclass(frozen=True)
class _Row:
    key: str  # the fields' common prefix, e.g. requests.granted, or "appeals"
    label: str
    fields: tuple[Field, ...]

    @property
    def word(self) -> str:
        """What of the label a loose line prints for certain: numbering and notes left out."""
        return normalize_label(self.label)


def _template_rows(vintage: Vintage) -> list[_Row]:
    rows: list[_Row] = []
    appeals: list[Field] = []
    for grid in vintage.grids:
        for row in grid.rows:
            fields = tuple(vintage.fields[grid.field_id(row.key, c.key)] for c in grid.columns)
            if grid.prefix in ("review", "litigation"):
                appeals += fields
                continue
            key = grid.field_id(row.key, "")
            rows.append(_Row(key.rstrip("."), row.label.split("/")[-1], fields))
    if appeals:
        rows.append(_Row("appeals", "行政复议", tuple(appeals)))
    return rows


def _family(row: _Row) -> str:
    return "appeals" if row.key == "appeals" else row.key.split(".")[0]


def _fits(orphan: Orphan, row: _Row) -> bool:
    """The row has as many columns as the orphan has cells, or fewer where the orphan's last
    cells are blanks a converter padded a narrower row with (a 2-column row in a 3-column table)."""
    columns = APPEALS if _family(row) == "appeals" else len(row.fields)
    printed = max((i + 1 for i, c in enumerate(orphan.cells) if c is not None), default=0)
    if orphan.blank:
        return columns == len(orphan.cells)
    return printed <= columns <= len(orphan.cells)


_PIPES_ONLY = re.compile(r"^\s*\|(?:\s*\|)+\s*$")


def _as_printed(orphan: Orphan, text: str) -> Orphan:
    """The row as its pipe line prints it, every position a cell (a table's reader keeps no blank
    left of its first value column, and pads a short row to the table's width)."""
    start = text.rfind("\n", 0, orphan.start) + 1
    end = text.find("\n", orphan.end)
    end = len(text) if end < 0 else end
    line = text[start:end]
    if not line.strip().startswith("|") or not line.strip().endswith("|"):
        return orphan
    cells: list[Cell | None] = []
    position = start + line.index("|") + 1
    for part in line.strip()[1:-1].split("|"):
        stripped = part.strip()
        if stripped:
            begin = position + part.index(stripped)
            cells.append(Cell(stripped, Span(begin, begin + len(stripped), stripped), -1, -1))
        else:
            cells.append(None)
        position += len(part) + 1
    printed = [c.text for c in orphan.cells if c is not None]
    if [c.text for c in cells if c is not None] != printed:
        return orphan  # not the line the reader read: keep the reader's cells
    return Orphan(cells, orphan.start, orphan.end)


def _with_blank_rows(orphans: list[Orphan], text: str) -> list[Orphan]:
    """Rows printed as pipes only (``||||||||``): rows the report left blank, which hold their
    places in the template's order (a table's reader keeps no row without a value)."""
    found = {o.start: o for o in orphans}
    position = 0
    for line in text.split("\n"):
        if _PIPES_ONLY.match(line) and position not in found:
            found[position] = Orphan([None] * (line.count("|") - 1), position, position + len(line))
        position += len(line) + 1
    return sorted(found.values(), key=lambda o: o.start)


def _blocks(orphans: list[Orphan], text: str, vintage: Vintage) -> dict[int, tuple[int, str]]:
    """For each orphan (by id): its block number and the loose lines printed before its block (the
    labels of the block's rows), in simplified script."""
    out: dict[int, tuple[int, str]] = {}
    block = -1
    previous: Orphan | None = None
    for orphan in orphans:
        if previous is None or not _adjacent(previous, orphan, text):
            block += 1
            lines = []
            for _, _, line in lines_around(text, orphan.start, -1):
                if "|" in line:
                    break
                if len(line.strip()) > MAX_LABEL_LINE:
                    lines.append(label_tail(line, vintage))
                    break
                lines.append(line)
                if len(lines) >= MAX_LABEL_LINES:
                    break
            # a label in traditional script names the same row (a page converted in part)
            gap = to_simplified("\n".join(reversed(lines)))
        out[id(orphan)] = (block, gap)
        previous = orphan
    return out


def _adjacent(upper: Orphan, lower: Orphan, text: str) -> bool:
    """Nothing but pipe lines, rules, blank lines and a stray value between two rows."""
    between = text[upper.end : lower.start]
    return all(
        not line.strip() or "|" in line or LONE_VALUE.fullmatch(line)
        for line in between.splitlines()
    )


def _values(orphan: Orphan, fields: tuple[Field, ...]) -> list[tuple[Field, Cell, float]]:
    out = []
    for field_, cell in zip(fields, orphan.cells):
        if cell is None or is_no_value(cell.text) or not is_value(cell.text):
            continue
        parsed = cell_value(cell.text, field_.unit)
        if parsed is not None:
            out.append((field_, cell, parsed[0]))
    return out


class _Placement:
    """Every order-keeping placement of one family's orphan rows on its free template rows that
    the loose labels allow: a label printed before a block is one of the block's rows, and a row
    of the block without its label printed there is a row whose label is printed nowhere."""

    def __init__(
        self,
        members: list[Orphan],
        rows: list[_Row],
        blocks: dict[int, tuple[int, str]],
        text: str,
        vintage: Vintage,
        known: dict[str, float],
    ) -> None:
        self.members = members
        self.rows = rows
        self.text = text
        self.vintage = vintage
        self.known = known
        self.block = [blocks[id(o)][0] for o in members]
        gaps = {blocks[id(o)][0]: blocks[id(o)][1] for o in members}
        words = [row.word for row in rows]
        self.labels = {b: {rows[i].key for i in labels_in(gap, words)} for b, gap in gaps.items()}
        # blocks whose loose lines print a row the template lacks (ie.facts.loose_labels)
        self.foreign = {b for b, gap in gaps.items() if foreign_words(gap, vintage)}
        printed = set().union(*self.labels.values())
        self.lost = {r.key for r in rows} - printed
        self.ways: list[tuple[int, ...]] = []
        self.steps = 0

    def solve(self) -> tuple[list[Fact], list[Statistic]]:
        self._search(0, -1, ())
        if self.steps > MAX_PLACEMENTS:
            self.ways = []
        holding = [way for way in self.ways if self._holds(way)]
        facts: list[Fact] = []
        unmapped: list[Statistic] = []
        for index, orphan in enumerate(self.members):
            if orphan.blank:
                continue
            options = sorted({way[index] for way in holding})
            if len(options) == 1:
                row = self.rows[options[0]]
                if (
                    self._anchored(holding, index)
                    or self._confirmed(holding[0], index)
                    or self._enclosed(holding, index)
                ):
                    facts += self._facts(orphan, row)
                    continue
            everyone = sorted({way[index] for way in (holding or self.ways)})
            readings = tuple(tuple(self._facts(orphan, self.rows[r])) for r in everyone[:12])
            reason = SEVERAL if len(options) > 1 else NO_PLACEMENT
            span = Span(orphan.start, orphan.end, self.text[orphan.start : orphan.end])
            unmapped.append(Statistic(None, "", False, "table", span, "", reason, readings))
        return facts, unmapped

    def _anchored(self, holding: list[tuple[int, ...]], index: int) -> bool:
        """Every placement that holds puts the member on one row, whose label is printed before
        its block."""
        options = {way[index] for way in holding}
        return len(options) == 1 and self.rows[min(options)].key in self.labels[self.block[index]]

    def _enclosed(self, holding: list[tuple[int, ...]], index: int) -> bool:
        """The member lies between two members anchored by their labels (or one anchor and the
        family's first or last row), and the members between the two are exactly as many as the
        free rows between theirs: each of those rows is printed, in order, so every member there
        stands on its row whatever label the converter lost. One member fewer (a row the report
        left out) or more (a row the template lacks) and nothing is placed this way."""
        before = next((i for i in range(index - 1, -1, -1) if self._anchored(holding, i)), -1)
        after = next(
            (i for i in range(index + 1, len(self.members)) if self._anchored(holding, i)),
            len(self.members),
        )
        if before < 0 and after == len(self.members):
            return False  # no label at all: nothing says these rows are this table's
        if any(self.block[i] in self.foreign for i in range(before + 1, after)):
            return False  # a row of the report's own may stand where it left a row out
        low = holding[0][before] if before >= 0 else -1
        high = holding[0][after] if after < len(self.members) else len(self.rows)
        return after - before == high - low

    def _search(self, index: int, last: int, way: tuple[int, ...]) -> None:
        self.steps += 1
        if self.steps > MAX_PLACEMENTS:
            return
        if index == len(self.members):
            if self._blocks_complete(way):
                self.ways.append(way)
            return
        orphan, block = self.members[index], self.block[index]
        if index and self.block[index - 1] != block and not self._block_complete(way, index - 1):
            return
        allowed = self.labels[block] | self.lost
        # the members after this one need rows after its own
        for position in range(last + 1, len(self.rows) - (len(self.members) - index) + 1):
            row = self.rows[position]
            if row.key in allowed and _fits(orphan, row):
                self._search(index + 1, position, (*way, position))

    def _block_complete(self, way: tuple[int, ...], index: int) -> bool:
        """Every label printed before the block of member ``index`` is placed in that block."""
        block = self.block[index]
        used = {self.rows[r].key for r, b in zip(way, self.block) if b == block}
        return self.labels[block] <= used

    def _blocks_complete(self, way: tuple[int, ...]) -> bool:
        return all(self._block_complete(way, i) for i in range(len(self.members)))

    def _values(self, way: tuple[int, ...]) -> dict[str, float]:
        values = dict(self.known)
        for orphan, position in zip(self.members, way):
            values.update({f.id: v for f, _, v in _values(orphan, self.rows[position].fields)})
        return values

    def _holds(self, way: tuple[int, ...]) -> bool:
        values = self._values(way)
        return all(holds(identity, values) is not False for identity in self.vintage.identities)

    def _confirmed(self, way: tuple[int, ...], index: int) -> bool:
        """The row's values are in an identity that can be checked and holds (its 总计 as the sum
        of its columns says nothing about which row it is: an identity across rows must)."""
        values = self._values(way)
        own = {f.id for f in self.rows[way[index]].fields}
        for identity in self.vintage.identities:
            names = set(identity.lhs + identity.rhs)
            if names & own and not names <= own and holds(identity, values):
                return True
        return False

    def _facts(self, orphan: Orphan, row: _Row) -> list[Fact]:
        return [_fact(f, c, v, row.label) for f, c, v in _values(orphan, row.fields)]


def _fact(field_: Field, cell: Cell, value: float, label: str) -> Fact:
    return Fact(field_.id, value, field_.unit, False, "table", value_span(cell), CONFIDENCE,
                None, label, None)  # fmt: skip


def _unplaced(orphans: list[Orphan], reason: str) -> list[Statistic]:
    out = []
    for orphan in orphans:
        for cell in orphan.cells:
            if cell is None or is_no_value(cell.text):
                continue
            parsed = cell_value(cell.text, "")
            if parsed is not None:
                out.append(
                    Statistic(parsed[0], "", parsed[1], "table", value_span(cell), "", reason)
                )
    return out
