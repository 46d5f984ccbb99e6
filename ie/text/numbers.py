"""Numbers as reports print them → values: "2.5万余" → (25000, approx), "一千二百" → 1200, money → 万元.

Chinese numerals go through cn2an; this module only finds where a number starts and ends and what
its multiplier, approximation marks and unit are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ie.text.conventions import COUNT_UNIT, COUNT_UNITS

CN_DIGITS = "零〇一二两三四五六七八九十百千"
APPROX_BEFORE = ("约", "近", "超过", "逾", "大约", "将近", "超")
APPROX_AFTER = ("余", "多", "左右", "以上", "许")

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = rf"[{CN_DIGITS}]+"
NUMBER = re.compile(
    rf"(?P<num>{_ARABIC}|{_CHINESE})\s?(?P<mult>万亿|亿|万|千)?\s?(?P<approx>余|多)?\s?(?P<unit>{COUNT_UNIT})?"
)
_MULTIPLIER = {"千": 1_000, "万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}


@dataclass(frozen=True)
class Quantity:
    """A number found in text: where it is, what it is worth, what it counts."""

    start: int  # the number itself, multiplier included ("2.5万")
    end: int
    value: float | int
    unit: str  # "" when no unit follows
    approx: bool
    unit_start: int = -1
    unit_end: int = -1
    end_all: int = -1  # end of number + approximation mark + unit


def parse_number(text: str) -> float | int | None:
    """'1,234' → 1234, '2.5万' → 25000, '二十六' → 26; None when it is no number."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    match = re.fullmatch(rf"({_ARABIC.replace(',', '')}|{_CHINESE})\s?(万亿|亿|万|千)?", text)
    if not match:
        return None
    digits, mult = match.groups()
    try:
        value: float = float(digits) if digits[0].isdigit() else _chinese_numeral(digits)
    except ValueError:
        return None
    value *= _MULTIPLIER.get(mult or "", 1)
    return tidy(value)


def _chinese_numeral(digits: str) -> float:
    import cn2an  # 0.15 s to import: only when a report writes a number in Chinese numerals

    return float(cn2an.cn2an(digits, "smart"))


def tidy(value: float) -> float | int:
    """Whole numbers as int, others rounded to 6 decimals, so JSON output reads as the report does."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def to_wan_yuan(value: float | int, unit: str) -> tuple[float | int, str]:
    """Money in 元 becomes 万元, the schema's unit for every amount."""
    if unit == "元":
        return tidy(value / 10_000), "万元"
    return value, unit


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every number in ``text`` with its multiplier, approximation and unit."""
    quantities = []
    for match in NUMBER.finditer(text):
        raw = match.group("num")
        if raw[0] in CN_DIGITS and not _plausible_chinese(text, match):
            continue
        value = parse_number(raw + (match.group("mult") or ""))
        if value is None:
            continue
        before = text[max(0, match.start() - 2) : match.start()]
        approx = bool(match.group("approx")) or any(before.endswith(mark) for mark in APPROX_BEFORE)
        after = text[match.end() : match.end() + 2]
        approx = approx or after.startswith(("左右", "以上", "余", "多"))
        unit = match.group("unit") or ""
        num_end = match.end("mult") if match.group("mult") else match.end("num")
        unit_start, unit_end = (match.start("unit"), match.end("unit")) if unit else (-1, -1)
        quantities.append(
            Quantity(
                offset + match.start("num"),
                offset + num_end,
                value,
                unit,
                approx,
                offset + unit_start if unit else -1,
                offset + unit_end if unit else -1,
                offset + match.end(),
            )
        )
    return quantities


_UNIT_AFTER = re.compile(rf"\s?(?:余|多)?\s?(?P<unit>{COUNT_UNIT})")
_APPROX_AFTER_TEXT = ("左右", "以上", "余", "多")


def read_quantity(text: str, start: int, end: int, unit: str | None = None) -> Quantity | None:
    """The number a tagger marked at ``text[start:end]``, read from its own characters ("约2.5万",
    "二十六", "1,234", "26件"): its value, the approximation marks in or right around it, and its
    unit (``unit`` when the tagger linked one, else the one printed right after it). None when
    the characters are no number; the caller says so instead of dropping them."""
    raw = text[start:end].strip()
    approx = False
    for mark in sorted(APPROX_BEFORE, key=len, reverse=True):
        if raw.startswith(mark):
            raw, approx = raw[len(mark) :].lstrip(), True
            break
    printed_unit = next((u for u in COUNT_UNITS if raw.endswith(u) and len(raw) > len(u)), None)
    if printed_unit and parse_number(raw[: -len(printed_unit)].rstrip("余多 ")) is not None:
        raw = raw[: -len(printed_unit)].rstrip()  # the tagger took the unit into the number
    for mark in _APPROX_AFTER_TEXT:
        if raw.endswith(mark) and len(raw) > len(mark):
            raw, approx = raw[: -len(mark)].rstrip(), True
            break
    value = parse_number(raw)
    if value is None:
        return None
    before = text[max(0, start - 2) : start]
    approx = approx or any(before.endswith(mark) for mark in APPROX_BEFORE)
    approx = approx or text[end : end + 2].startswith(_APPROX_AFTER_TEXT)
    following = _UNIT_AFTER.match(text, end)
    unit_start, unit_end = (
        (following.start("unit"), following.end("unit")) if following else (-1, -1)
    )
    if unit is None:
        unit = printed_unit or (following.group("unit") if following else "")
    unit = unit.strip().replace("％", "%")
    end_all = following.end() if following else end
    return Quantity(start, end, value, unit, approx, unit_start, unit_end, end_all)


def _plausible_chinese(text: str, match: re.Match[str]) -> bool:
    """A Chinese numeral counts only when a unit follows: 一是/一步/十九大 are words, 二十六件 is a count."""
    raw = match.group("num")
    if not match.group("unit"):
        return False
    if raw in {"一", "两"} and match.group("unit") in {
        "个",
        "例",
        "次",
        "项",
        "批",
        "期",
        "名",
        "家",
        "场",
        "份",
        "条",
    }:
        # "一个/一次/一例" are mostly articles ("一次性", "无一例"), not counts
        return False
    return not (match.start() > 0 and text[match.start() - 1] in "第星周")
