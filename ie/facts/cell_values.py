"""A table cell's characters → its number: the value in the field's unit, its unit, and the span of
the digits themselves (the evidence), and the METRIC inside a row label cell."""

from __future__ import annotations

import re

from ie.text.numbers import parse_number, tidy, to_wan_yuan
from ie.types import Cell, Span

_CELL = re.compile(
    r"^([约近]?)\s*(-?[\d,，]+(?:\.\d+)?)\s*(万元|元|万|%|％)?\s*([条件个项次人篇]?)\s*(余|多)?$"
)


def cell_unit(text: str) -> str:
    match = _CELL.match(text.strip())
    return (match.group(3) or match.group(4) or "") if match else ""


def cell_value(text: str, field_unit: str) -> tuple[float | int, bool] | None:
    """A value cell's number in the field's unit, and whether it is approximate."""
    match = _CELL.match(text.strip())
    if not match:
        return None
    before, digits, money, _count, after = match.groups()
    value = parse_number(digits.lstrip("-"))
    if value is None:
        return None
    if digits.startswith("-"):  # 本年增/减 prints a decrease as -11 (or －3, folded to -)
        value = -value
    approx = bool(before or after)
    if money in ("%", "％"):
        return None if field_unit and field_unit != "%" else (value, approx)
    if money == "万" and field_unit != "万元":
        value = tidy(value * 10_000)
    elif money == "元" and field_unit == "万元":
        value, _ = to_wan_yuan(value, "元")
    return value, approx


_LEADING_NUMBERING = re.compile(
    r"^(?:\s|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|其中[:：]?)+"
)


def label_span(cell: Cell) -> Span | None:
    """The METRIC inside a row label cell: numbering, 其中 and a trailing note in parentheses left out
    ("（一）主动公开政府信息数（不同渠道…）" → "主动公开政府信息数")."""
    text = cell.text
    lead = _LEADING_NUMBERING.match(text)
    start = lead.end() if lead else 0
    end = len(text.rstrip())
    note = re.search(r"[（(][^（()）]*[)）]\s*$", text[start:end])
    if note and note.start() > 0:
        end = start + note.start()
    if end <= start:
        return None
    return Span(cell.span.start + start, cell.span.start + end, text[start:end])


def value_span(cell: Cell) -> Span:
    """The number itself inside the cell (units and spaces left out)."""
    match = re.search(r"-?\d[\d,，]*(?:\.\d+)?", cell.text)
    if not match:
        return cell.span
    start = cell.span.start + match.start()
    return Span(start, start + len(match.group()), match.group())
