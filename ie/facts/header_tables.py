"""A small table outside the template whose header row names statistics and whose next row holds
their values → Facts, one per column the lexicon can name.

    政策解读情况
    新闻发布会 | 电视采访 | 数字图文 | 微信 |
    3次 | 2次 | 21条 | 400余条 |

The template's row labels stand left of their values; here each value stands under the METRIC
phrase that names it, so ``ie.facts.table_cells`` maps none of these cells. A header cell is looked
up as the prose normalizer looks up a METRIC (``ie.text.lexicon``: configs/metrics.yaml, the
report's vintage, the same unit checks), so a column names a field here exactly when the same
words would in a sentence. The rule is kept narrow: the whole table must be header rows each
followed by exactly one row of as many numbers (after title rows of one cell), so a table of
categories with several value rows, or a template table, gives nothing; a column whose header the
lexicon does not know, names a field of another vintage or of a context (被依法纠错: 复议 or 诉讼?),
or whose value is no number, is skipped, never guessed.
"""

from __future__ import annotations

import re

from ie.facts.cell_values import label_span
from ie.schema import Field, Vintage
from ie.text.conventions import CHINESE_CHARACTER, COUNT_UNITS, unit_alternation, unit_misfit
from ie.text.lexicon import load_lexicon
from ie.text.numbers import parse_number, to_wan_yuan
from ie.text.row_labels import normalize_label
from ie.types import Cell, Fact, Span, Statistic, Table

# The layouts whose rows the reader knows: a grid's, or a pipe table's lines. In one cell per line
# ("lines") or flattened text a header cell cannot be told from a title, so those are left alone.
_ROWED_LAYOUTS = ("html", "pdf", "docx", "markdown", "pipe")
# A value cell: a number, an approximation mark before (约, 近) or after (余, 多) it, a count unit
# ("400余条", "约2万次"); the unit is checked against the field's as prose units are.
_VALUE = re.compile(
    r"^(?P<before>[约近])?\s*(?P<number>\d[\d,，]*(?:\.\d+)?)\s*(?P<mult>万|千)?\s*(?P<after>余|多)?"
    rf"\s*(?P<unit>{unit_alternation(COUNT_UNITS)})?\s*(?P<after2>余|多)?$"
)
# A header of one cell over one number reads as a row label over its value, which is the
# template reader's to place: a header row here names two statistics at least
MIN_COLUMNS = 2


def header_table_facts(
    table: Table, vintage: Vintage, confidence: float
) -> tuple[list[Fact], list[Statistic]] | None:
    """The facts of ``table`` when it is header rows each followed by one row of their values,
    and the numbers under a header that names no field (listed under their own header, never
    dropped); None for any other table."""
    if table.layout not in _ROWED_LAYOUTS:
        return None
    pairs = _header_value_pairs(_rows(table))
    if not pairs:
        return None
    facts: list[Fact] = []
    unmapped: list[Statistic] = []
    for header, values in pairs:
        for name, value in zip(header, values):
            fact = _column_fact(name, value, vintage, confidence)
            if fact is not None:
                facts.append(fact)
            elif value.text.strip():
                unmapped.append(_unmapped(name, value))
    return facts, unmapped


def _rows(table: Table) -> list[list[Cell]]:
    """The table's rows, blank cells kept where a grid prints them (they hold their column): a
    grid's by its row numbers, a pipe table's by the lines its cells stand on (the text reader
    numbers rows by where labels follow values, which puts a header and its values in one)."""
    rows: list[list[Cell]] = []
    text, offset = table.span.text, table.span.start
    previous: Cell | None = None
    for cell in table.cells:
        if table.layout == "pipe":
            between = (
                text[previous.span.end - offset : cell.span.start - offset] if previous else ""
            )
            new_row = previous is None or "\n" in between
        else:
            new_row = previous is None or cell.row != previous.row
        if new_row:
            rows.append([])
        rows[-1].append(cell)
        previous = cell
    return rows


def _is_number(cell: Cell) -> bool:
    return bool(_VALUE.match(cell.text.strip()))


def _is_header(cell: Cell) -> bool:
    return bool(CHINESE_CHARACTER.search(cell.text)) and not _is_number(cell)


def _header_value_pairs(rows: list[list[Cell]]) -> list[tuple[list[Cell], list[Cell]]]:
    """(header row, value row) for each pair when the rows are title rows of one cell, then header
    rows each followed by exactly one value row as wide; [] when any row breaks that shape (a
    second value row under a header: categories, not statistics; a label beside values: the
    template's layout)."""
    rows = [row for row in rows if any(c.text.strip() for c in row)]
    while rows and len(rows[0]) == 1 and _is_header(rows[0][0]):
        rows = rows[1:]  # the table's title ("政策解读情况")
    if not rows or len(rows) % 2:
        return []
    pairs = []
    for header, values in zip(rows[::2], rows[1::2]):
        if len(header) < MIN_COLUMNS or len(header) != len(values):
            return []
        # a grid's blank cell holds its column: skipped below, but it breaks no shape
        if not all(_is_header(c) or not c.text.strip() for c in header):
            return []
        if not all(_is_number(c) or not c.text.strip() for c in values):
            return []
        pairs.append((header, values))
    return pairs


def _field(header: Cell, vintage: Vintage) -> Field | None:
    """The field the header names, as the prose normalizer would name it; None where the lexicon
    does not know the words, names no field of this vintage, or needs a context to decide."""
    phrase = normalize_label(header.text)
    entry = load_lexicon().entry(phrase) if phrase else None
    if entry is None or entry.context:  # no 行政复议/行政诉讼 above a header to decide by
        return None
    field_id = entry.field_for(vintage.name, None)
    return vintage.fields.get(field_id) if field_id else None


def _unmapped(header: Cell, value: Cell) -> Statistic:
    quantity = _quantity(value)
    assert quantity is not None  # a value row holds numbers and blanks only
    number, unit, approx, evidence = quantity
    return Statistic(number, unit, approx, "table", evidence, normalize_label(header.text),
                     "the header names no field of the report's vintage in this unit")  # fmt: skip


def _quantity(value: Cell) -> tuple[float | int | None, str, bool, Span] | None:
    """A value cell's number, unit, approximation and evidence: the digits themselves (no
    approximation mark, no unit), as a table value's evidence; None for no value."""
    match = _VALUE.match(value.text.strip())
    if match is None:
        return None
    number = parse_number(match["number"] + (match["mult"] or ""))
    approx = bool(match["before"] or match["after"] or match["after2"])
    start = value.span.start + len(value.text) - len(value.text.lstrip()) + match.start("number")
    evidence = Span(start, start + len(match["number"]), match["number"])
    return number, match["unit"] or "", approx, evidence


def _column_fact(header: Cell, value: Cell, vintage: Vintage, confidence: float) -> Fact | None:
    field_ = _field(header, vintage) if header.text.strip() else None
    quantity = _quantity(value)
    if field_ is None or quantity is None:
        return None
    number, unit, approx, evidence = quantity
    if number is None or unit_misfit(unit, field_.unit):
        return None
    if field_.unit == "万元":
        number, _ = to_wan_yuan(number, unit)
    return Fact(field_.id, number, field_.unit, approx, "table", evidence, confidence, None,
                normalize_label(header.text), label_span(header))  # fmt: skip
