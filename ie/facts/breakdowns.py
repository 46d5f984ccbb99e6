"""A breakdown's parts → the breakdown's fields: who applied, how a request came in
(``configs/metrics.yaml``, ``breakdowns``; the file says which breakdowns were turned away).

"收到申请21件，其中公民17件、企业4件": the tagger links 公民 and 企业 to 收到申请 by part_of; the
lexicon names no field for 公民, but the whole's field (requests.new_received.total) is a row of the
applicant grid, so the part takes that row's column: requests.new_received.natural_person. A part
that names no column of its whole's breakdown, or several at once (法人或其他组织), is no fact: the
normalizer lists it in ``unmapped`` with the reason given here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ie.text.lexicon import read_metrics_config


@dataclass(frozen=True)
class Breakdown:
    name: str
    vintages: tuple[str, ...]
    wholes: tuple[re.Pattern[str], ...]  # the whole's field; groups `row`, `prefix`
    field: str  # the part's field, with {row}, {prefix} and {column}
    columns: tuple[tuple[str, str], ...]  # (word, column), longest word first
    several: tuple[str, ...]  # words naming more than one column
    implied_words: tuple[str, ...] = ()
    implied_whole: str = ""

    def whole_match(self, whole_field: str) -> re.Match[str] | None:
        for pattern in self.wholes:
            match = pattern.fullmatch(whole_field)
            if match:
                return match
        return None


@dataclass(frozen=True)
class Placement:
    """Where a part goes: ``field`` (with its whole as ``parent``), or no field and the reason."""

    field: str | None
    parent: str
    reason: str = ""


def _pattern(whole: str) -> re.Pattern[str]:
    # "litigation.{row}.total" → the prefix is everything before ".total"
    body = re.escape(whole).replace(re.escape("{row}"), r"(?P<row>[a-z_.]+?)")
    return re.compile(rf"(?P<prefix>{body.removesuffix(re.escape('.total'))})(?:\.total)?"
                      if whole.endswith(".total") else rf"(?P<prefix>{body})")  # fmt: skip


@lru_cache(maxsize=1)
def load_breakdowns() -> tuple[Breakdown, ...]:
    config = read_metrics_config()
    found = []
    for entry in config.get("breakdowns", []):
        columns = [(word, column) for column, words in entry["columns"].items() for word in words]
        implied = entry.get("implied_whole") or {}
        found.append(Breakdown(
            name=entry["name"],
            vintages=tuple(entry["vintages"]),
            wholes=tuple(_pattern(w) for w in entry["wholes"]),
            field=entry["field"],
            columns=tuple(sorted(columns, key=lambda pair: -len(pair[0]))),
            several=tuple(sorted(entry.get("several", []), key=len, reverse=True)),
            implied_words=tuple(implied.get("words", [])),
            implied_whole=implied.get("field", ""),
        ))  # fmt: skip
    return tuple(found)


def place_part(part: str, whole_field: str | None, vintage: str, fields) -> Placement | None:
    """The field of a part named ``part`` whose whole's field is ``whole_field`` (None: no whole
    linked; a part may imply its whole in its own words). None where no breakdown applies; a
    Placement without a field, with the reason, where one applies but places nothing."""
    refused: list[tuple[Placement, str]] = []
    for breakdown in load_breakdowns():
        placement = _place(breakdown, part, whole_field, vintage, fields)
        if placement is not None and placement.field is not None:
            return placement
        if placement is not None:
            refused.append((placement, breakdown.name))
    if not refused:
        return None
    several = [p for p, _ in refused if "several columns" in p.reason]
    if several:
        return several[0]
    first = refused[0][0]
    names = ", ".join(dict.fromkeys(name for _, name in refused))
    return Placement(None, first.parent,
                     f"part of {first.parent}: {part!r} names no column of its breakdowns ({names})")


def _place(
    breakdown: Breakdown, part: str, whole_field: str | None, vintage: str, fields
) -> Placement | None:
    if vintage not in breakdown.vintages:
        return None
    whole = whole_field
    if whole is None and breakdown.implied_whole:
        if not any(word in part for word in breakdown.implied_words):
            return None
        if not _column(breakdown, part) and not _several(breakdown, part):
            return None  # "收到申请" names its whole, not a part of it
        whole = breakdown.implied_whole
    if whole is None:
        return None
    match = breakdown.whole_match(whole)
    if match is None:
        return None
    several = _several(breakdown, part)
    named = _column_word(breakdown, part)
    if several and not (named and several in named):  # 其他法人或组织 is one column, not 法人
        return Placement(None, whole, f"part of {whole}: {several!r} names several columns of "
                         f"the {breakdown.name} breakdown, no one field")  # fmt: skip
    column = _column(breakdown, part)
    if column is None:
        return Placement(None, whole, f"part of {whole}: {part!r} names no column of its "
                         f"{breakdown.name} breakdown")  # fmt: skip
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    field_id = breakdown.field.format(column=column, **groups)
    if field_id not in fields:
        return Placement(None, whole, f"part of {whole}: the {vintage} schema has no {field_id}")
    return Placement(field_id, whole)


def _column(breakdown: Breakdown, part: str) -> str | None:
    for word, column in breakdown.columns:
        if word in part:
            return column
    return None


def _column_word(breakdown: Breakdown, part: str) -> str:
    return next((word for word, _ in breakdown.columns if word in part), "")


def _several(breakdown: Breakdown, part: str) -> str:
    return next((word for word in breakdown.several if word in part), "")
