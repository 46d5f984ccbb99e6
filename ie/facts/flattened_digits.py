"""A flattened row's digits → its cells, under the template's arithmetic.

Crawled pages lose table separators: ``本机关不掌握相关政府信息5000005`` is one row label and a run
of seven cells. A run is split into the row's cell count in every way that prints each cell as a
number would be printed (no leading zero except ``0`` itself, a space is always a cell boundary, a
decimal point or a sign stays inside its cell); a reading survives only if it satisfies the
identities among the row's own fields (a row's 总计 is the sum of its applicant columns, each 表四
总计 the sum of its group). Readings of several rows are then pruned together by the identities
that span rows (in 表三, 一 + 二 = 三's 总计 + 四 per column). A row is a fact only when one reading is
left; otherwise it is listed with its candidate readings, never guessed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ie.schema import Identity
from ie.text.conventions import identity_holds
from ie.text.numbers import parse_number

_BLANK_MARKS = r"_—／/\\"
BLANK = re.compile(rf"^[{_BLANK_MARKS}]+$")  # a cell printed empty: no value, but a cell of its own
# A blank mark never prints inside a number, so a run of them is a group of its own even where no
# space sets it apart ("_33" is an empty cell, then digits); how many cells a run of marks
# prints ("——" one or two) is left to the row's cell count, like digits.
_GROUP = re.compile(rf"[{_BLANK_MARKS}]+|[^\s{_BLANK_MARKS}]+")
_CELL = re.compile(r"^[+\-]?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$")
_NO_CUT = set(".,+-")
MAX_READINGS = 64  # more candidate readings than this: no row-level choice can be made
MAX_STEPS = 200_000  # a bound on the search for one run; past it the run is left ambiguous


@dataclass(frozen=True)
class Reading:
    """One way to split a run: each cell's (start, end) inside the run text and its value."""

    cells: tuple[tuple[int, int], ...]
    values: tuple[float | int | None, ...]


@dataclass(frozen=True)
class RowSplit:
    """Every reading of a run that the row's own identities allow, and how many splits the run
    has at all (1 means the digits force the reading, whatever the arithmetic says)."""

    readings: tuple[Reading, ...]
    splits: int
    complete: bool = True  # False when the search stopped at MAX_STEPS or MAX_READINGS


def holds(identity: Identity, values: dict[str, float | int | None]) -> bool | None:
    """Whether an identity holds on these values; None when one of its fields has none."""
    names = identity.lhs + identity.rhs
    if any(values.get(name) is None for name in names):
        return None
    lhs = sum(values[name] for name in identity.lhs)
    rhs = sum(values[name] for name in identity.rhs)
    return identity_holds(lhs, rhs, identity.op)


def count_splits(text: str, count: int) -> int:
    """How many ways the run splits into ``count`` well-printed cells (identities ignored)."""
    groups = [m.span() for m in _GROUP.finditer(text)]
    ways = {0: 1}  # cells used so far → ways
    for start, end in groups:
        per_group = _group_splits(text, start, end)
        nxt: dict[int, int] = {}
        for used, n in ways.items():
            for cells, m in per_group.items():
                if used + cells <= count:
                    nxt[used + cells] = nxt.get(used + cells, 0) + n * m
        ways = nxt
    return ways.get(count, 0)


def _group_splits(text: str, start: int, end: int) -> dict[int, int]:
    """Cells count → number of ways one space-free group splits into that many cells."""
    ways = {start: {0: 1}}
    for position in range(start + 1, end + 1):
        here: dict[int, int] = {}
        for cut in range(start, position):
            if cut not in ways or not _is_cell(text, cut, position, start, end):
                continue
            for cells, n in ways[cut].items():
                here[cells + 1] = here.get(cells + 1, 0) + n
        if here:
            ways[position] = here
    return ways.get(end, {})


def _is_cell(text: str, start: int, end: int, group_start: int, group_end: int) -> bool:
    if BLANK.match(text[group_start:group_end]):  # any share of a run of marks is an empty cell
        return bool(BLANK.match(text[start:end]))
    if start > group_start and (text[start - 1] in _NO_CUT or text[start] in ".,"):
        return False
    if end < group_end and (text[end] in _NO_CUT - {"+", "-"} or text[end - 1] in _NO_CUT):
        return False
    return bool(_CELL.match(text[start:end]))


def split_row(text: str, fields: tuple[str, ...], identities: tuple[Identity, ...]) -> RowSplit:
    """All readings of ``text`` as one cell per field that satisfy every identity whose fields
    all lie in the row."""
    count = len(fields)
    index = {name: i for i, name in enumerate(fields)}
    checks: dict[int, list[Identity]] = {}
    for identity in identities:
        names = identity.lhs + identity.rhs
        if all(name in index for name in names):
            checks.setdefault(max(index[name] for name in names), []).append(identity)
    groups = [m.span() for m in _GROUP.finditer(text)]
    splits = count_splits(text, count)
    if not groups or splits == 0:
        return RowSplit((), splits)
    readings: list[Reading] = []
    steps = 0
    complete = True
    cells: list[tuple[int, int]] = []
    values: dict[str, float | int | None] = {}

    def search(group: int, position: int) -> None:
        nonlocal steps, complete
        steps += 1
        if steps > MAX_STEPS or len(readings) > MAX_READINGS:
            complete = False
            return
        k = len(cells)
        if k == count:
            if group == len(groups):
                readings.append(Reading(tuple(cells), tuple(values[f] for f in fields)))
            return
        if group == len(groups) or len(groups) - group > count - k:
            return
        group_start, group_end = groups[group]
        ends: range | list[int] = range(position + 1, group_end + 1)
        required = _required(checks.get(k, []), fields[k], values)
        if required is not None:  # a total whose parts are read: only its own digits can follow
            ends = [position + len(required)] if text.startswith(required, position) else []
        for end in ends:
            if end > group_end:
                continue
            if not _is_cell(text, position, end, group_start, group_end):
                continue
            printed = text[position:end]
            value = None if BLANK.match(printed) else parse_number(printed.replace(",", ""))
            if value is None and not BLANK.match(printed):
                continue
            cells.append((position, end))
            values[fields[k]] = value
            if all(holds(identity, values) is not False for identity in checks.get(k, [])):
                if end == group_end:
                    nxt = groups[group + 1][0] if group + 1 < len(groups) else end
                    search(group + 1, nxt)
                else:
                    search(group, end)
            cells.pop()
            del values[fields[k]]

    search(0, groups[0][0])
    return RowSplit(tuple(readings[:MAX_READINGS]), splits, complete)


def _required(
    checks: list[Identity], field: str, values: dict[str, float | int | None]
) -> str | None:
    """The digits a total must print when an identity makes it the sum of cells already read."""
    for identity in checks:
        if identity.op == "=" and identity.lhs == (field,):
            parts = [values[name] for name in identity.rhs]
            if any(part is None for part in parts):
                return None
            total = sum(parts)
            if isinstance(total, int):
                return str(total)
    return None


@dataclass
class PendingRow:
    """A row whose run has been split: the fields its cells go to and its surviving readings."""

    fields: tuple[str, ...]
    readings: list[Reading]


def prune_across_rows(
    rows: list[PendingRow], known: dict[str, float | int], identities: tuple[Identity, ...]
) -> None:
    """Drop readings that no combination of the other rows' readings lets satisfy an identity
    spanning rows. An identity is used only when every field it names is known or read here."""
    owner = {name: i for i, row in enumerate(rows) for name in row.fields}
    changed = True
    while changed:
        changed = False
        for identity in identities:
            names = identity.lhs + identity.rhs
            if any(name not in owner and name not in known for name in names):
                continue
            involved = sorted({owner[name] for name in names if name in owner})
            if not any(len(rows[i].readings) > 1 for i in involved):
                continue
            combos = 1
            for i in involved:
                combos *= max(1, len(rows[i].readings))
            if combos > 20_000 or any(not rows[i].readings for i in involved):
                continue
            alive: list[set[int]] = [set() for _ in involved]
            for choice in itertools.product(*(range(len(rows[i].readings)) for i in involved)):
                values = dict(known)
                for i, pick in zip(involved, choice):
                    values.update(zip(rows[i].fields, rows[i].readings[pick].values))
                if holds(identity, values) is not False:  # a blank cell cannot break it
                    for slot, pick in enumerate(choice):
                        alive[slot].add(pick)
            if not any(alive):
                continue  # no reading satisfies it: a printed error, which prunes nothing
            for slot, i in enumerate(involved):
                if len(rows[i].readings) > 1 and len(alive[slot]) < len(rows[i].readings):
                    rows[i].readings = [
                        r for n, r in enumerate(rows[i].readings) if n in alive[slot]
                    ]
                    changed = True
