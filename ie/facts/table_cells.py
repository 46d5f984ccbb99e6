"""Tables → Facts: each printed row label matched to the schema's rows, each value to its column.

Cells are read in order. A row is the label cells followed by value cells; its label is matched
against the vintage's official rows, preferring the next row in template order so that repeated
labels (被依法纠错数 under 行政复议 and again under 行政诉讼) land on the right one. Values go to the
row's columns in order; a row with fewer values than columns is mapped only where that is certain
(a row cut off where the page ends keeps its first cells; a lone value under merged applicant
cells is the 总计; a section header that names the row's columns, ie.facts.section_headers; 表四's
groups of five by their sums, ie.facts.appeal_groups), anything else is listed as unmapped with its
candidate placements, never shifted. Rows of values without any label go to ie.facts.fragments,
which places them on the template's rows by the labels printed apart and the identities.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ie.facts.alignment import placements, row_identities, settled_columns
from ie.facts.appeal_groups import APPEAL_FIELDS, OUTCOMES, place_groups
from ie.facts.cell_values import cell_unit, cell_value, label_span, value_span
from ie.facts.flattened_rows import FlatRows
from ie.facts.fragments import Orphan, place_orphans
from ie.facts.header_tables import header_table_facts
from ie.facts.section_headers import SectionHeaders
from ie.schema import Field, Vintage
from ie.tables import is_no_value, is_value
from ie.tables.flattened_text import RUN
from ie.text.conventions import CHINESE_CHARACTER, TABLE_UNITS, unit_alternation
from ie.text.row_labels import (
    MIN_SCORE,
    finishes,
    joined_rows,
    label_score,
    normalize_label,
    runs_past,
    shortened,
)
from ie.types import Cell, Fact, Span, Statistic, Table

UNIT_CELL = re.compile(f"^(?:{unit_alternation(TABLE_UNITS)})$")
APPEAL_OUTCOMES = OUTCOMES
TABLE_CONFIDENCE = 0.95
STRUCTURAL_LAYOUTS = ("html", "pdf", "docx", "markdown")
_YEAR_HEADER = re.compile(r"\d{4}\s*年|本年|年度|当年")

def cumulative_column(table: Table) -> int | None:
    """Where a 历年累计 column stands among two value columns (0 or 1), from the header cells
    before the first value; None when the table prints no such column."""
    header = []
    for cell in table.cells:
        if is_value(cell.text) or RUN.fullmatch(cell.text.strip()):
            break
        header.append(cell.text)
    text = "".join(header)
    cumulative = text.find("累计")
    if cumulative < 0:
        return None
    year = _YEAR_HEADER.search(text)
    return 0 if year and cumulative < year.start() else 1


@dataclass(frozen=True)
class RowTemplate:
    label: str
    fields: tuple[Field, ...]  # one per column; empty for a group header such as （三）不予公开
    starts_appeals: bool = False
    shortened: bool = False  # the official label as tables shorten it (row_labels.shortened)


@dataclass
class _Segment:
    labels: list[Cell] = field(default_factory=list)
    slots: list[Cell | None] = field(default_factory=list)
    unit: str = ""
    # blanks the grid added where the row printed no cell at all (its row was shorter)
    padded: set[int] = field(default_factory=set)


def row_templates(vintage: Vintage) -> list[RowTemplate]:
    """The official rows of the vintage's tables, in the order the template prints them."""
    if not vintage.grids:
        templates = [RowTemplate(f.label, (f,)) for f in vintage.fields.values() if not f.extension]
        # province variants' labels come after the official ones, so an exact official label wins
        return templates + [
            RowTemplate(alias, (vintage.fields[field_id],))
            for field_id, aliases in vintage.aliases.items()
            for alias in aliases
        ]
    templates: list[RowTemplate] = []
    seen_groups: set[str] = set()
    for index, grid in enumerate(vintage.grids):
        if grid.prefix in ("review", "litigation"):
            continue
        for row in grid.rows:
            *groups, label = row.label.split("/")
            for group in groups:
                if group not in seen_groups:
                    seen_groups.add(group)
                    templates.append(RowTemplate(group, ()))
            fields = tuple(vintage.fields[grid.field_id(row.key, c.key)] for c in grid.columns)
            templates.append(RowTemplate(label, fields))
            # right after the official wording, so the row keeps its place in the template's order
            templates.extend(
                RowTemplate(short, fields, shortened=True) for short in shortened(label)
            )
    templates.append(RowTemplate("行政复议", (), starts_appeals=True))
    templates.append(RowTemplate("四、政府信息公开行政复议、行政诉讼情况", (), starts_appeals=True))
    return templates


def table_facts(
    tables: list[Table], vintage: Vintage, text: str = ""
) -> tuple[list[Fact], list[Statistic]]:
    """``text``: the document's text the cells index, where a row's stray last cell may stand."""
    templates = row_templates(vintage)
    facts: list[Fact] = []
    unmapped: list[Statistic] = []
    # rows whose cells wait for the identities across rows (flattened runs, realigned rows), over
    # all tables: a page break or a crawler can cut one template table into several
    waiting = FlatRows(vintage)
    extra_rows = False
    orphans: list[Orphan] = []  # rows of values whose labels came apart from them
    for table in tables:
        reader = _TableReader(table, vintage, templates, waiting)
        reader.read()
        if not reader.facts and not reader.orphans and not reader.flat:
            # no template row in it: perhaps a header row over its values (政策解读情况)
            read = header_table_facts(table, vintage, TABLE_CONFIDENCE)
            if read is not None:
                # its numbers stand under their headers: what the reader listed under the last
                # header cell, as if a row label, is theirs to say
                reader.facts, reader.unmapped = read
        facts += reader.facts
        unmapped += reader.unmapped
        orphans += reader.orphans
        extra_rows = extra_rows or reader.extra_rows
    waiting.finish(facts, extra_rows=extra_rows)
    facts += waiting.facts
    placed, unplaced = place_orphans(orphans, facts, vintage, text)
    return facts + placed, unmapped + waiting.unmapped + unplaced


class _TableReader:
    def __init__(
        self, table: Table, vintage: Vintage, templates: list[RowTemplate], waiting: FlatRows
    ) -> None:
        self.table = table
        self.vintage = vintage
        self.templates = templates
        self.pointer = 0
        self.appeal_slot = -1  # index of the next appeal field, -1 outside table 四
        self.facts: list[Fact] = []
        self.unmapped: list[Statistic] = []
        self.label_cell: Cell | None = None
        self.merged_total_rows = 0
        # A structural grid has every cell of a row, blanks included: a row there is never cut off
        # by the end of the page, and fewer values than columns is not a prefix of the row.
        self.structural = table.layout in STRUCTURAL_LAYOUTS
        self.combined = ""  # the fields a label that combines rows names, e.g. 信函、传真申请数
        self.extra_rows = False  # a row the template lacks (电子邮件申请数): its sums do not hold
        self.cumulative = cumulative_column(table)
        self.flat = table.layout == "flat"
        self.waiting = waiting
        waiting.cumulative = self.cumulative
        # a section header that says which columns a short row prints (表二)
        self.headers = SectionHeaders(table, vintage, self.structural)
        self.orphans: list[Orphan] = []  # rows of values without labels (ie.facts.fragments)
        self.appeal_cells: list[tuple[Field, Cell | None, _Segment]] = []
        self.appeal_at = (0, 0)  # where 表四's facts and unmapped cells go in the lists

    def read(self) -> None:
        segments = self._segments()
        for number, segment in enumerate(segments):
            self._read_segment(segment, last=number == len(segments) - 1)
        if self.appeal_cells:  # 表四's facts in the place its cells hold in the table
            facts, unmapped = self.facts, self.unmapped
            at_fact, at_unmapped = self.appeal_at
            self.facts, self.unmapped = facts[:at_fact], unmapped[:at_unmapped]
            self._read_appeals()
            self.facts += facts[at_fact:]
            self.unmapped += unmapped[at_unmapped:]

    def _read_appeals(self) -> None:
        """表四's cells, in order; a text table printing fewer than its 15 in whole groups of five
        left a group out, and which groups it printed is for their sums to say
        (ie.facts.appeal_groups)."""
        cells = self.appeal_cells
        printed = [c for _, c, _ in cells if c is not None]
        segment = cells[0][2]
        if self.structural or len(cells) == len(APPEAL_FIELDS) or len(cells) % len(APPEAL_OUTCOMES):
            pairs = [(field_, cell) for field_, cell, _ in cells if cell is not None]
        else:
            text, offset = self.table.span.text, self.table.span.start
            pairs, listed = place_groups(printed, self.vintage, text, offset, TABLE_CONFIDENCE)
            if listed is not None:
                self.unmapped.append(listed)
        for field_, cell in pairs:
            self._fact(field_, cell, "行政复议、行政诉讼", score=1.0, segment=segment)

    def _segments(self) -> list[_Segment]:
        """Label cells followed by value cells; structural rows keep empty cells as placeholders."""
        structural = self.structural
        segments = [_Segment()]
        previous_row = None
        previous: Cell | None = None
        for cell in self.table.cells:
            text = cell.text.strip()
            new_row = structural and previous_row is not None and cell.row != previous_row
            previous_row = cell.row
            if new_row and (segments[-1].slots or segments[-1].labels):
                segments.append(_Segment())
            if is_value(text) or is_no_value(text) or (self.flat and RUN.fullmatch(text)):
                segments[-1].slots.append(cell)
            elif UNIT_CELL.match(text):
                segments[-1].unit = text
            elif not text:
                if structural:  # a blank in a value column (ie.tables keeps no other blank)
                    if (
                        previous is not None
                        and cell.span.start == previous.span.end == cell.span.end
                    ):
                        segments[-1].padded.add(len(segments[-1].slots))
                    segments[-1].slots.append(None)
            else:
                if segments[-1].slots:
                    segments.append(_Segment())
                segments[-1].labels.append(cell)
            previous = cell
        return segments

    def _match(self, cell: Cell) -> tuple[RowTemplate | None, float]:
        if not normalize_label(cell.text):
            return None, 0.0
        scored = [
            (label_score(cell.text, t.label), i)
            for i, t in enumerate(self.templates)
            # a flattened label that runs on past a row's label is a sub-row of it
            if not self.flat or not runs_past(cell.text, t.label)
        ]
        best = max((score for score, _ in scored), default=0.0)
        if best < MIN_SCORE:
            return None, best
        close = [i for score, i in scored if score >= best - 0.05]
        official = [t.label for t in self.templates if t.fields and not t.shortened]
        combined = joined_rows(cell.text, official) if best < 1.0 else []
        if combined:  # one row for two official rows: no field holds their sum
            self.combined = " + ".join(combined)
            return None, best
        ahead = [i for i in close if i >= self.pointer]
        chosen = ahead[0] if ahead else close[0]
        self.pointer = chosen + 1
        return self.templates[chosen], best

    def _read_segment(self, segment: _Segment, last: bool) -> None:
        template, score, label = None, 0.0, ""
        self.label_cell = None
        self.combined = ""
        named = self.headers.observe(segment.labels) if not self.structural else set()
        for cell in segment.labels:
            if cell.text in named:
                continue
            matched, matched_score = self._match(cell)
            if matched is None and self.flat and cell is segment.labels[-1]:
                template = None  # the words right before a flattened run are the row's label
            if matched is not None:
                template, score, label = matched, matched_score, cell.text
                self.label_cell = cell
                if matched.starts_appeals:
                    self.appeal_slot = 0
            elif "结果维持" in cell.text and self.appeal_slot < 0 and self.vintage.grids:
                self.appeal_slot = 0
        if template is not None and not self.flat and self.label_cell is not None:
            # the values belong to the label printed right before them: words there that do not
            # finish the matched label name another row (a sub-row, a row the template lacks, a
            # row whose wording no official label matches), never the one matched further up
            after = segment.labels[segment.labels.index(self.label_cell) + 1 :]
            # (a label names a row in Chinese: pymupdf4llm's Col3 placeholder for an empty
            # header cell, where a page break made a data row the header, names none)
            trailing = [
                c.text
                for c in after
                if c.text not in named and CHINESE_CHARACTER.search(normalize_label(c.text))
            ]
            if trailing and not finishes([label, *trailing], template.label):
                template, label, self.label_cell = None, trailing[-1], None
        if not segment.slots:
            return
        if 0 <= self.appeal_slot < len(APPEAL_FIELDS):
            # inside table 四 every value is the next of its 15 cells, whatever header precedes it
            self.label_cell = None  # no one label cell names these values
            if self.flat:
                self._read_appeal_runs(segment)
                return
            for cell in segment.slots:
                if self.appeal_slot >= len(APPEAL_FIELDS):
                    break
                field_ = self.vintage.fields.get(APPEAL_FIELDS[self.appeal_slot])
                self.appeal_slot += 1
                if field_ is not None:
                    if not self.appeal_cells:
                        self.appeal_at = (len(self.facts), len(self.unmapped))
                    self.appeal_cells.append((field_, cell, segment))
            return
        label = label or (segment.labels[-1].text if segment.labels else "")
        if template is None and not segment.labels and not self.flat and self.vintage.grids:
            self.orphans.append(Orphan(list(segment.slots)))
            return
        if template is None or not template.fields:
            reason = "no schema row matches the label"
            if (
                not self.vintage.grids
            ):  # provinces' 2008 variants add rows; the later templates do not
                self.extra_rows = self.extra_rows or bool(segment.labels)
            if self.combined:
                reason = f"the row combines {self.combined}: no field holds their sum"
            self._unmapped(segment, label, reason)
            return
        columns = template.fields
        slots = segment.slots
        if segment.padded and row_identities(tuple(f.id for f in columns), self.vintage.identities):
            # the row printed fewer cells than the grid has columns: where its values stand is
            # for the arithmetic to say, not the padding
            slots = [s for i, s in enumerate(slots) if i not in segment.padded]
        by_header = self.headers.place(columns, slots)
        if by_header is not None:
            for column, cell in by_header:
                self._fact(column, cell, normalize_label(label) or label, score, segment)
            return
        slots = _trim_blanks(slots, len(columns))
        if self.flat:
            metric = label_span(self.label_cell) if self.label_cell else None
            name = normalize_label(label) or label
            cut_off = last and self._cut_off(segment)
            for run in (s for s in slots if s is not None):
                fields = tuple(f.id for f in columns)
                self.waiting.add(fields, run, name, metric, score, segment.unit, cut_off)
            return
        if self.cumulative is not None and len(columns) == 1 and len(slots) == 2:
            # a 2008 provincial table prints 历年累计 beside the year: only the year is a fact
            cumulative = slots[self.cumulative]
            slots = [slots[1 - self.cumulative]]
            self._unmapped(_Segment(segment.labels, [cumulative]), label,
                           "cumulative over years (历年累计 column)")  # fmt: skip
        cut_off = last and not self.structural and self._cut_off(segment)
        guarded = None if cut_off else self._realigned(columns, slots, segment, label)
        if guarded is not None:
            pairs = guarded
        elif len(slots) == len(columns):
            pairs = list(zip(columns, slots))
        elif len(slots) > len(columns):
            pairs = list(zip(columns, slots[: len(columns)]))
            self._unmapped(
                _Segment(segment.labels, slots[len(columns) :]), label, "more cells than columns"
            )
        elif self._merged_total(columns, slots, last and self._cut_off(segment)):
            # one value under applicant columns merged into one cell: the report gives only 总计
            only = next(s for s in slots if s is not None)
            pairs = [(columns[-1], only)]
            score *= 0.8
            self.merged_total_rows += 1
        elif last and not self.structural and self._cut_off(segment):
            pairs = list(zip(columns, slots))  # the page ends mid-row: the first cells are certain
        else:
            self._ambiguous(columns, slots, label, f"{len(slots)} cells for {len(columns)} columns")
            return
        for column, cell in pairs:
            if cell is not None:
                self._fact(column, cell, normalize_label(label) or label, score, segment)

    def _realigned(
        self, columns: tuple[Field, ...], slots: list[Cell | None], segment: _Segment, label: str
    ) -> list[tuple[Field, Cell]] | None:
        """The arithmetic guard, for a row whose cells do not line up with its columns one to one
        (more or fewer cells than columns): the columns every
        placement that satisfies the row's identities agrees on; the other cells are unmapped.
        None when the row needs no guard (or has no identity to guard it with)."""
        ids = tuple(f.id for f in columns)
        checks = row_identities(ids, self.vintage.identities)
        cells = [s for s in slots if s is not None and not is_no_value(s.text)]
        values = [cell_value(c.text, f.unit) for c, f in zip(cells, columns)]
        if not checks or len(cells) > len(columns) or any(v is None for v in values):
            return None
        numbers = [v[0] for v in values if v is not None]
        if len(slots) == len(columns):
            return None  # one cell per column, blanks holding theirs: as printed, errors included
        if len(slots) < len(columns) and len(cells) == 1:
            return None  # a lone value: merged cells or a cut-off row, decided below
        ways = placements(numbers, ids, checks)
        if len(ways) > 1:  # the identities across rows may still tell the placements apart
            metric = label_span(self.label_cell) if self.label_cell else None
            self.waiting.add_placements(ids, cells, numbers, ways, normalize_label(label) or label,
                                        metric, TABLE_CONFIDENCE)  # fmt: skip
            return []
        settled = settled_columns(numbers, ways, len(columns))
        used = set(settled.values())
        left = [c for i, c in enumerate(cells) if i not in used]
        if left:
            reason = "no placement of the cells in the columns satisfies the row's identities"
            self._unmapped(_Segment(segment.labels, left), label, reason)
        return [(columns[column], cells[index]) for column, index in sorted(settled.items())]

    def _read_appeal_runs(self, segment: _Segment) -> None:
        """表四 flattened: a run holds the remaining cells of its 15, or one group of five."""
        for run in (s for s in segment.slots if s is not None):
            remaining = len(APPEAL_FIELDS) - self.appeal_slot
            for count in dict.fromkeys((remaining, len(APPEAL_OUTCOMES))):
                fields = APPEAL_FIELDS[self.appeal_slot : self.appeal_slot + count]
                if len(fields) == count and self.waiting.add(tuple(fields), run, "行政复议、行政诉讼",
                                                          None, 1.0):  # fmt: skip
                    self.appeal_slot += count
                    break
            if self.appeal_slot >= len(APPEAL_FIELDS):
                return

    def _merged_total(self, columns: tuple[Field, ...], slots: list, cut_off: bool) -> bool:
        """A lone value in a 7-column applicant row is the 总计 of merged cells; where the page
        ends mid-row it is so only if the table's complete rows were printed that way. In a grid,
        where blanks hold their columns, the value must also stand last, after the merged cells."""
        if len(columns) != 7 or len([s for s in slots if s is not None]) != 1:
            return False
        if self.structural and (slots[-1] is None or not self._ends_row(slots[-1])):
            return False
        return not cut_off or self.merged_total_rows > 0

    def _ends_row(self, cell: Cell) -> bool:
        """Nothing printed right of ``cell`` in its grid row (a label there cut the row short)."""
        return not any(
            other.row == cell.row and other.col > cell.col and other.text.strip()
            for other in self.table.cells
        )

    def _cut_off(self, segment: _Segment) -> bool:
        """True when nothing of the table follows the row: the source stops mid-row."""
        cells = [c for c in segment.slots if c is not None]
        return bool(cells) and cells[-1] is self.table.cells[-1]

    def _fact(self, field_: Field, cell: Cell, label: str, score: float, segment: _Segment) -> None:
        if is_no_value(cell.text):
            return
        parsed = cell_value(cell.text, field_.unit)
        if parsed is None:
            self._unmapped(_Segment(segment.labels, [cell]), label, "value in another unit")
            return
        value, approx = parsed
        evidence = value_span(cell)
        metric = label_span(self.label_cell) if self.label_cell else None
        self.facts.append(
            Fact(field_.id, value, field_.unit, approx, "table", evidence,
                 round(TABLE_CONFIDENCE * min(1.0, score), 3), None, label, metric)
        )  # fmt: skip

    def _ambiguous(
        self, columns: tuple[Field, ...], slots: list[Cell | None], label: str, reason: str
    ) -> None:
        """A row with fewer cells than columns that neither header nor identities place: listed
        once, with every order-keeping placement of its cells as a candidate reading."""
        cells = [s for s in slots if s is not None and not is_no_value(s.text)]
        parsed = [cell_value(c.text, "") for c in cells]
        if not cells or any(p is None for p in parsed):
            self._unmapped(_Segment([], list(slots)), label, reason)
            return
        name = normalize_label(label) or label
        metric = label_span(self.label_cell) if self.label_cell else None
        readings = []
        for chosen in itertools.combinations(range(len(columns)), len(cells)):
            reading = []
            for column, cell in zip(chosen, cells):
                value = cell_value(cell.text, columns[column].unit)
                if value is not None:
                    reading.append(Fact(columns[column].id, value[0], columns[column].unit,
                                        value[1], "table", value_span(cell), TABLE_CONFIDENCE,
                                        None, name, metric))  # fmt: skip
            readings.append(tuple(reading))
        start, end = cells[0].span.start, cells[-1].span.end
        offset = self.table.span.start
        span = Span(start, end, self.table.span.text[start - offset : end - offset])
        self.unmapped.append(Statistic(None, "", False, "table", span, label, reason,
                                       tuple(readings)))  # fmt: skip

    def _unmapped(self, segment: _Segment, label: str, reason: str) -> None:
        for cell in segment.slots:
            if cell is None or is_no_value(cell.text):
                continue
            parsed = cell_value(cell.text, "")
            if parsed is None and self.flat and RUN.fullmatch(cell.text):
                # a flattened run under no row: each group its spaces set apart, else the run
                for group in re.finditer(r"\S+", cell.text) if " " in cell.text else [None]:
                    value = cell_value(group.group(), "") if group else None
                    start = cell.span.start + (group.start() if group else 0)
                    span = (
                        Span(start, start + len(group.group()), group.group())
                        if group
                        else cell.span
                    )
                    self.unmapped.append(Statistic(value[0] if value else None, segment.unit,
                                                   False, "table", span, label, reason))  # fmt: skip
                continue
            if parsed is None:
                continue
            value, approx = parsed
            self.unmapped.append(
                Statistic(value, cell_unit(cell.text) or segment.unit, approx, "table",
                          value_span(cell), label, reason)
            )  # fmt: skip


def _trim_blanks(slots: list[Cell | None], width: int) -> list[Cell | None]:
    """A row's blank cells beyond its template's columns say nothing: those at the end first (a
    narrower row in a wider grid, as table 二 prints its sections), then those at the start."""
    slots = list(slots)
    while len(slots) > width and slots[-1] is None:
        slots.pop()
    while len(slots) > width and slots[0] is None:
        slots.pop(0)
    return slots
