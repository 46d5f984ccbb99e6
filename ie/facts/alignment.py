"""The arithmetic guard: which columns a row's printed values stand in, when the cells do not say.

A row read with more or fewer cells than its template has columns (a blank cell skipped, an extra
empty cell from a header span) has several ways to line its values up with the columns. Each way is
checked against the identities among the row's own fields (blank cells count as 0); a cell is
established when every way that satisfies them puts the same value in its column. A row whose
natural reading breaks an identity on its own, with nothing left to realign, is a printed error:
it is kept as printed, and ``ie.check.identities`` reports it.
"""

from __future__ import annotations

import itertools

from ie.facts.flattened_digits import holds
from ie.schema import Identity

MAX_PLACEMENTS = 5_000


def row_identities(fields: tuple[str, ...], identities: tuple[Identity, ...]) -> list[Identity]:
    names = set(fields)
    return [i for i in identities if set(i.lhs + i.rhs) <= names]


def placements(
    values: list[float | int], fields: tuple[str, ...], identities: list[Identity]
) -> list[tuple[int, ...]]:
    """Every order-keeping placement of the values into the columns (the column index of each
    value) that satisfies the row's identities, blank columns counting as 0."""
    count = len(fields)
    if len(values) > count or not identities:
        return []
    found = []
    for number, columns in enumerate(itertools.combinations(range(count), len(values))):
        if number > MAX_PLACEMENTS:
            return []
        row = dict.fromkeys(fields, 0)
        row.update({fields[c]: v for c, v in zip(columns, values)})
        if all(holds(identity, row) for identity in identities):
            found.append(columns)
    return found


def settled_columns(
    values: list[float | int], ways: list[tuple[int, ...]], count: int
) -> dict[int, int]:
    """Column → index of the value every surviving placement puts there (a column that is blank
    in one placement and holds a value in another is not settled)."""
    settled: dict[int, int] = {}
    if not ways:
        return settled
    for column in range(count):
        seen = set()
        for way in ways:
            seen.add(values[way.index(column)] if column in way else None)
        (only,) = seen if len(seen) == 1 else (None,)
        if only is not None:
            # the value's index in the first placement: its evidence is that cell
            settled[column] = ways[0].index(column)
    return settled
