"""Value rows that came apart from their labels → the template's rows, confirmed by the identities.

A weak PDF-to-markdown converter prints a table's row labels as loose lines of text and its values
as many small pipe tables; a label can be lost, and the last cell of a row can stand on a line of
its own. The table reader hands over each row of values with no label (``Orphan``). They are placed
in text order onto the template rows of the vintage that no labelled row has taken, by their width:
7 cells are a 表三 row, 15 the 表四 row, 1-3 a 表二 row. A placement is kept only when the table's
identities confirm it (表三: every row's 总计 is its columns' sum, 一 + 二 = 三's 总计 + 四, 三's 总计 is
the sum of its parts, per column; 表四: each 总计 its group's sum) or, in 表二 (no identity), when
the labels printed as loose lines before the values name exactly those rows. A row that no single
placement confirms is listed in ``unmapped`` with its candidates, never guessed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ie.facts.flattened_digits import holds
from ie.schema import Field, Vintage
from ie.tables import is_no_value, is_value
from ie.text.row_labels import normalize_label
from ie.types import Cell, Fact, Span, Statistic

NO_PLACEMENT = "a row of values without its label: no placement on the template's rows is confirmed"
SEVERAL = "a row of values without its label: several placements on the template's rows fit"
MAX_PLACEMENTS = 20_000
CONFIDENCE = 0.85
APPEALS = 15
_LONE_VALUE = re.compile(r"[ \t]*(-?\d[\d,]*(?:\.\d+)?)[ \t]*")
_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")


@dataclass
class Orphan:
    cells: list[Cell | None]

    @property
    def start(self) -> int:
        return min(c.span.start for c in self.cells if c is not None)

    @property
    def end(self) -> int:
        return max(c.span.end for c in self.cells if c is not None)


def place_orphans(
    orphans: list[Orphan], facts: list[Fact], vintage: Vintage, text: str
) -> tuple[list[Fact], list[Statistic]]:
    """Facts for the orphan rows whose placement the identities (or loose labels) confirm, and the
    rest as unmapped statistics with their candidate placements."""
    if not orphans or not vintage.grids:
        return [], _unplaced(orphans, "no schema row matches the label")
    orphans = sorted(orphans, key=lambda o: o.start)
    _join_stray_cells(orphans, text)
    rows = _template_rows(vintage)
    taken = {f.field_id.rsplit(".", 1)[0] for f in facts if f.qualifier is None}
    known = {f.field_id: f.value for f in facts if f.qualifier is None}
    new_facts: list[Fact] = []
    unmapped: list[Statistic] = []
    for family in ("requests", "appeals"):  # 表二 has no identity to confirm a placement
        members = [
            o for o in orphans if any(_family(r) == family and _fits(o, r) for r in rows)
        ]
        free = [r for r in rows if _family(r) == family and r.key not in taken]
        if not members:
            continue
        orphans = [o for o in orphans if o not in members]
        placed, left = _place(members, free, family, known, text, vintage)
        new_facts += placed
        unmapped += left
    return new_facts, unmapped + _unplaced(orphans, "no schema row matches the label")


@dataclass(frozen=True)
class _Row:
    key: str  # the fields' common prefix, e.g. requests.granted, or "appeals"
    label: str
    fields: tuple[Field, ...]


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
        rows.append(_Row("appeals", "行政复议、行政诉讼", tuple(appeals)))
    return rows


def _family(row: _Row) -> str:
    return "appeals" if row.key == "appeals" else row.key.split(".")[0]


def _fits(orphan: Orphan, row: _Row) -> bool:
    width = len(orphan.cells)
    if _family(row) == "requests":
        return width == len(row.fields)
    if _family(row) == "appeals":
        return width == APPEALS
    return width == len(row.fields) and width < 7


def _join_stray_cells(orphans: list[Orphan], text: str) -> None:
    """A value alone on its line right after a row (only blank and ``|---|`` lines between) is the
    row's last cell, when the row is one cell short of a template width."""
    for orphan in orphans:
        if len(orphan.cells) + 1 not in (7, APPEALS, 3, 2):
            continue
        position = text.find("\n", orphan.end)
        while position >= 0:
            end = text.find("\n", position + 1)
            line = text[position + 1 : end if end >= 0 else len(text)]
            if not line.strip() or _RULE.match(line):
                position = end
                continue
            match = _LONE_VALUE.fullmatch(line)
            if match:
                start = position + 1 + match.start(1)
                value = match.group(1)
                orphan.cells.append(Cell(value, Span(start, start + len(value), value), -1, -1))
            break


def _values(orphan: Orphan, fields: tuple[Field, ...]) -> list[tuple[Field, Cell, float]]:
    from ie.facts.table_cells import _cell_value

    out = []
    for field_, cell in zip(fields, orphan.cells):
        if cell is None or is_no_value(cell.text) or not is_value(cell.text):
            continue
        parsed = _cell_value(cell.text, field_.unit)
        if parsed is not None:
            out.append((field_, cell, parsed[0]))
    return out


def _place(
    members: list[Orphan],
    free: list[_Row],
    family: str,
    known: dict[str, float],
    text: str,
    vintage: Vintage,
) -> tuple[list[Fact], list[Statistic]]:
    candidates = [r for r in free if any(_fits(o, r) for o in members)]
    ways = []
    for number, chosen in enumerate(itertools.combinations(range(len(candidates)), len(members))):
        if number > MAX_PLACEMENTS:
            ways = []
            break
        rows = [candidates[i] for i in chosen]
        if all(_fits(o, r) for o, r in zip(members, rows)):
            ways.append(rows)
    confirmed = []
    for rows in ways:
        values = dict(known)
        for orphan, row in zip(members, rows):
            values.update({f.id: v for f, _, v in _values(orphan, row.fields)})
        if family == "disclosure":
            if _labels_agree(members, rows, text):
                confirmed.append(rows)
        elif _confirmed(values, [f.id for r in rows for f in r.fields], vintage):
            confirmed.append(rows)
    if len(confirmed) == 1:
        facts = []
        for orphan, row in zip(members, confirmed[0]):
            for field_, cell, value in _values(orphan, row.fields):
                facts.append(_fact(field_, cell, value, row.label))
        return facts, []
    unmapped = []
    for index, orphan in enumerate(members):
        options = confirmed or ways
        readings = tuple(
            tuple(_fact(f, c, v, rows[index].label) for f, c, v in _values(orphan, rows[index].fields))
            for rows in options[:12]
        )  # fmt: skip
        reason = SEVERAL if len(confirmed) > 1 else NO_PLACEMENT
        whole = Span(orphan.start, orphan.end, text[orphan.start : orphan.end])
        unmapped.append(Statistic(None, "", False, "table", whole, "", reason, readings))
    return [], unmapped


def _confirmed(values: dict[str, float], placed: list[str], vintage: Vintage) -> bool:
    """Every identity touching a placed field holds, and each placed row is in one that could be
    checked (all its fields known)."""
    placed_set = set(placed)
    checked: set[str] = set()
    for identity in vintage.identities:
        names = set(identity.lhs + identity.rhs)
        if not names & placed_set:
            continue
        verdict = holds(identity, values)
        if verdict is False:
            return False
        if verdict:
            checked |= names & placed_set
    rows = {name.rsplit(".", 1)[0] for name in placed_set}
    return all(any(name.startswith(row + ".") for name in checked) for row in rows)


def _labels_agree(members: list[Orphan], rows: list[_Row], text: str) -> bool:
    """表二: the loose lines before each run of rows print exactly these rows' labels, in order."""
    previous_end = 0
    position = 0
    while position < len(members):
        run = [members[position]]
        while position + len(run) < len(members) and _adjacent(run[-1], members[position + len(run)], text):
            run.append(members[position + len(run)])  # fmt: skip
        gap = "".join(text[previous_end : run[0].start].split())
        printed = [r for r in _labels_in(gap, rows)]
        if printed != rows[position : position + len(run)]:
            return False
        previous_end = run[-1].end
        position += len(run)
    return True


def _adjacent(upper: Orphan, lower: Orphan, text: str) -> bool:
    """Nothing but pipe lines and blank lines between two rows."""
    between = text[upper.end : lower.start]
    return all(not line.strip() or "|" in line for line in between.splitlines())


def _labels_in(gap: str, rows: list[_Row]) -> list[_Row]:
    """The rows whose labels the text ``gap`` prints, in printed order (each once)."""
    found = []
    for row in dict.fromkeys(rows):
        label = normalize_label(row.label)
        where = gap.rfind(label)
        if label and where >= 0:
            found.append((where, row))
    return [row for _, row in sorted(found, key=lambda pair: pair[0])]


def _fact(field_: Field, cell: Cell, value: float, label: str) -> Fact:
    from ie.facts.table_cells import _value_span

    return Fact(field_.id, value, field_.unit, False, "table", _value_span(cell), CONFIDENCE,
                None, label, None)  # fmt: skip


def _unplaced(orphans: list[Orphan], reason: str) -> list[Statistic]:
    from ie.facts.table_cells import _cell_value, _value_span

    out = []
    for orphan in orphans:
        for cell in orphan.cells:
            if cell is None or is_no_value(cell.text):
                continue
            parsed = _cell_value(cell.text, "")
            if parsed is not None:
                out.append(Statistic(parsed[0], "", parsed[1], "table", _value_span(cell), "", reason))
    return out
