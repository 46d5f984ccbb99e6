"""Flattened rows of one table → facts, or unmapped rows with their candidate readings.

The table reader hands over each row whose cells came as one run of digits, with the fields its
cells belong to. A run whose digits allow exactly one reading under the row's identities is read at
once; the others wait for the table's end, when the identities spanning rows prune them together.
A row left with several readings is listed as ``ambiguous flattened row`` with every candidate, and
``ie.facts.normalize`` may still settle it where the prose restates one of its figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ie.facts.flattened_digits import PendingRow, Reading, prune_across_rows, split_row
from ie.schema import Identity, Vintage
from ie.text.numbers import to_wan_yuan
from ie.types import Cell, Fact, Span, Statistic

AMBIGUOUS = "ambiguous flattened row"
AMBIGUOUS_PLACEMENT = "several placements of the cells in the columns satisfy the identities"
CUMULATIVE = "cumulative:"  # prefix of the 历年累计 column's pseudo fields
FLAT_CONFIDENCE = 0.9
MERGED_APPLICANTS = 7  # 表三's columns: six applicant kinds and their 总计


@dataclass
class _Row:
    pending: PendingRow
    run: Cell
    label: str
    metric: Span | None
    confidence: float
    unit: str = ""  # a unit printed after the run ("…152790元"): money is converted to 万元
    # a row of separate cells: each cell's span by its (start, end); readings index the text
    cells_at: dict[tuple[int, int], Span] | None = None


class FlatRows:
    def __init__(self, vintage: Vintage, cumulative: int | None = None) -> None:
        self.vintage = vintage
        # where the 历年累计 column stands among a row's two value columns (None: no such column)
        self.cumulative = cumulative
        self.identities = vintage.identities + _cumulative_identities(vintage.identities)
        self.rows: list[_Row] = []
        self.facts: list[Fact] = []
        self.unmapped: list[Statistic] = []

    def add(
        self,
        fields: tuple[str, ...],
        run: Cell,
        label: str,
        metric: Span | None,
        score: float,
        unit: str = "",
        cut_off: bool = False,
    ) -> int:
        """Split one run into cells for ``fields``; returns how many cells the reading uses (the
        fields' count), or 0 when the run cannot be read as this row at all."""
        columns = fields
        identities = self.identities
        if self.cumulative is not None and len(fields) == 1:
            cumulative = CUMULATIVE + fields[0]
            columns = (cumulative, fields[0]) if self.cumulative == 0 else (fields[0], cumulative)
            identities += (Identity((cumulative,), ">=", (fields[0],)),)
        split = split_row(run.text, columns, identities)
        readings = list(split.readings)
        if split.splits == 0 and len(fields) == MERGED_APPLICANTS and len(run.text.split()) == 1:
            # fewer digits than applicant columns: one value under merged cells is the 总计
            total = split_row(run.text, columns[-1:], ())
            readings = [Reading(r.cells, (None,) * (len(columns) - 1) + r.values)
                        for r in total.readings]  # fmt: skip
            split = total
        if split.splits == 0 and cut_off and set(run.text) <= set("0 "):
            # the source stops mid-row: zeros print one per cell, so the cells that are there
            # are certain
            zeros = [m.span() for m in re.finditer(r"0", run.text)][: len(columns)]
            readings = [Reading(tuple(zeros), (0,) * len(zeros))]
            columns = columns[: len(zeros)]
        if not readings and split.splits == 1:
            # the digits allow one reading only: a printed arithmetic error, kept as printed
            readings = list(split_row(run.text, columns, ()).readings)
        if not readings:
            reason = (
                f"{len(run.text.split())} cell groups for {len(columns)} columns"
                if split.splits == 0
                else "no reading of the digits satisfies the row's identities"
            )
            self.unmapped.append(Statistic(None, "", False, "table", run.span, label, reason))
            return 0
        confidence = FLAT_CONFIDENCE * min(1.0, score) * (1.0 if split.complete else 0.9)
        self.rows.append(_Row(PendingRow(columns, readings), run, label, metric, confidence, unit))
        return len(fields)

    def add_placements(
        self,
        fields: tuple[str, ...],
        cells: list[Cell],
        values: list[float | int],
        ways: list[tuple[int, ...]],
        label: str,
        metric: Span | None,
        confidence: float,
    ) -> None:
        """A row of separate cells that several placements in its columns fit (ie.facts.alignment):
        each placement is a reading, its evidence the cells themselves."""
        readings = []
        for way in ways:
            by_column = dict(zip(way, range(len(values))))
            spans = tuple((cells[by_column[c]].span.start, cells[by_column[c]].span.end)
                          if c in by_column else (0, 0) for c in range(len(fields)))  # fmt: skip
            row_values = tuple(values[by_column[c]] if c in by_column else None
                               for c in range(len(fields)))  # fmt: skip
            readings.append(Reading(spans, row_values))
        evidence = {(c.span.start, c.span.end): c.span for c in cells}
        whole = Span(cells[0].span.start, cells[-1].span.end, "")
        run = Cell(" ".join(c.text for c in cells), whole, -1, -1)
        self.rows.append(_Row(PendingRow(fields, readings), run, label, metric, confidence,
                              cells_at=evidence))  # fmt: skip

    def finish(self, known: list[Fact], extra_rows: bool = False) -> None:
        """Prune the waiting rows by the identities across rows, then read or list each. A table
        with rows the template lacks (电子邮件申请数 beside 网络申请数) breaks the template's sums
        across rows, so only each row's own arithmetic is used there."""
        values = {f.field_id: f.value for f in known if f.qualifier is None}
        ambiguous = [row.pending for row in self.rows if len(row.pending.readings) > 1]
        if ambiguous and not extra_rows:
            fixed = [row.pending for row in self.rows if len(row.pending.readings) == 1]
            for pending in fixed:
                values.update(zip(pending.fields, pending.readings[0].values))
            prune_across_rows(ambiguous, values, self.identities)
        for row in self.rows:
            readings = row.pending.readings
            if len(readings) == 1:
                self._emit(row, readings[0])
            elif not readings:
                self.unmapped.append(Statistic(None, "", False, "table", row.run.span, row.label,
                                               "no reading satisfies the identities across rows"))  # fmt: skip
            else:
                candidates = tuple(self._facts(row, reading) for reading in readings)
                reason = AMBIGUOUS if row.cells_at is None else AMBIGUOUS_PLACEMENT
                self.unmapped.append(Statistic(None, "", False, "table", row.run.span, row.label,
                                               reason, candidates))  # fmt: skip
                # a cell every reading reads alike (same characters, same value) is established
                first, *others = candidates
                for fact in first:
                    if all(fact in reading for reading in others):
                        self._emit_fact(row, fact)

    def _facts(self, row: _Row, reading: Reading) -> tuple[Fact, ...]:
        facts = []
        cells = list(reading.cells)
        if len(cells) < len(reading.values):  # merged cells: the one cell printed is the last
            cells = [cells[0]] * (len(reading.values) - len(cells)) + cells
        for field_id, (start, end), value in zip(row.pending.fields, cells, reading.values):
            if value is None:
                continue
            if row.cells_at is not None:
                evidence = row.cells_at[(start, end)]
            else:
                offset = row.run.span.start
                evidence = Span(offset + start, offset + end, row.run.text[start:end])
            unit = self.vintage.fields[field_id.removeprefix(CUMULATIVE)].unit
            if unit == "万元" and row.unit == "元":
                value, _ = to_wan_yuan(value, "元")
            facts.append(Fact(field_id, value, unit, False, "table", evidence,
                              round(row.confidence, 3), None, row.label, row.metric))  # fmt: skip
        return tuple(facts)

    def _emit(self, row: _Row, reading: Reading) -> None:
        for fact in self._facts(row, reading):
            self._emit_fact(row, fact)

    def _emit_fact(self, row: _Row, fact: Fact) -> None:
        if fact.field_id.startswith(CUMULATIVE):
            self.unmapped.append(Statistic(fact.value, fact.unit, False, "table", fact.evidence,
                                           row.label, "cumulative over years (历年累计 column)"))  # fmt: skip
        else:
            self.facts.append(fact)


def _cumulative_identities(identities: tuple[Identity, ...]) -> tuple[Identity, ...]:
    """The same arithmetic holds in a 历年累计 column, except the >= relations between fields."""
    return tuple(
        Identity(tuple(CUMULATIVE + n for n in i.lhs), i.op, tuple(CUMULATIVE + n for n in i.rhs))
        for i in identities
        if i.op == "="
    )


def confirm_by_prose(
    unmapped: list[Statistic], prose: list[Fact], table: list[Fact] = ()
) -> tuple[list[Fact], list[Statistic]]:
    """Ambiguous rows that the prose settles: the one candidate reading whose cells agree with
    every figure the prose states for their fields, when the prose states at least one of them
    (cells the readings shared are facts already, from ``table``)."""
    read = {(f.field_id, f.evidence.start) for f in table}
    stated: dict[str, set[float | int]] = {}
    for fact in prose:
        if fact.qualifier is None and not fact.approx:
            stated.setdefault(fact.field_id, set()).add(fact.value)
    facts: list[Fact] = []
    remaining: list[Statistic] = []
    for statistic in unmapped:
        if statistic.reason not in (AMBIGUOUS, AMBIGUOUS_PLACEMENT):
            remaining.append(statistic)
            continue
        agreeing = [
            reading
            for reading in statistic.candidates
            if any(f.field_id in stated for f in reading)
            and all(f.value in stated[f.field_id] for f in reading if f.field_id in stated)
        ]
        if len(agreeing) == 1 and _differs_where_stated(statistic.candidates, stated):
            facts += [f for f in agreeing[0] if not f.field_id.startswith(CUMULATIVE)
                      and (f.field_id, f.evidence.start) not in read]  # fmt: skip
        else:
            remaining.append(statistic)
    return facts, remaining


def _differs_where_stated(
    candidates: tuple[tuple[Fact, ...], ...], stated: dict[str, set[float | int]]
) -> bool:
    """The prose decides only if the readings disagree on a field it states."""
    fields = {f.field_id for reading in candidates for f in reading if f.field_id in stated}
    return any(
        len({f.value for reading in candidates for f in reading if f.field_id == field_id}) > 1
        for field_id in fields
    )
