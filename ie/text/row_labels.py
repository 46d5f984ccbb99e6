"""Row labels as provinces print them → the schema's labels, tolerant of the usual differences.

Numbering (一、（一）1.), whitespace, 其中, parenthesised notes and units printed in the label are
dropped before two labels are compared; what remains is compared by edit similarity, because
provinces shorten, lengthen and mistype the official wording ("举办各类新训班数").
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

from ie.text.conventions import LABEL_UNITS, unit_alternation

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．\s]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．)）]|[①-⑳])\s*"
)
_PARENTHESES = re.compile(r"[（(][^（()）]*[)）]")
_NOISE = re.compile(r"[\s:：、，,。“”\"'《》〈〉_·•]|其中|单位")

MIN_SCORE = 0.78

# Words a table leaves out of an official row label and still prints the same row: table 三's
# title already says whose applications it counts, so "二、上年结转申请数量" is the row
# "二、上年结转政府信息公开申请数量". The edit similarity alone scores such a label below
# ``MIN_SCORE`` (8 of 14 characters), so the shortened wording is a label of its own.
SHORTENINGS = (("政府信息公开申请", "申请"),)


def shortened(label: str) -> list[str]:
    """The official ``label`` as tables shorten it (``SHORTENINGS``), numbering kept; [] if no
    shortening applies."""
    return [label.replace(long, short) for long, short in SHORTENINGS if long in label]


@lru_cache(maxsize=8192)
def normalize_label(label: str) -> str:
    """'（一）主动公开政府信息数（不同渠道…计1条）' → '主动公开政府信息数'."""
    text = label.strip()
    for _ in range(3):  # "三、（一）1." stacks of numbering
        text = _NUMBERING.sub("", text).strip()
    text = text.replace("其中：", "").replace("其中:", "")
    text = _PARENTHESES.sub("", text)
    return _NOISE.sub("", text)


@lru_cache(maxsize=65536)  # the same label pairs come back in every report and every pass
def label_score(printed: str, official: str) -> float:
    """Similarity in [0, 1] of a printed label to an official one, after normalization."""
    a, b = normalize_label(printed), normalize_label(official)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if min(len(a), len(b)) <= 3:
        # Short labels (规章, 其他) must match exactly: edit similarity is meaningless at that length.
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    if len(a) >= 5 and (a in b or b in a):
        ratio = max(ratio, 0.8 + 0.2 * min(len(a), len(b)) / max(len(a), len(b)))
    return ratio


def may_score(printed: str, official: str, threshold: float) -> bool:
    """False only where ``label_score(printed, official) < threshold`` for sure, by a bound much
    cheaper than the edit similarity: the characters the two labels share (SequenceMatcher's
    quick ratio, which its ratio never exceeds). A lexicon lookup of new wording compares it with
    every phrase, and most are far off."""
    a, b = normalize_label(printed), normalize_label(official)
    return may_score_normalized(a, Counter(a), b, Counter(b), threshold)


def may_score_normalized(
    a: str, a_counts: Counter[str], b: str, b_counts: Counter[str], threshold: float
) -> bool:
    """``may_score`` of two labels already normalized, with their character counts: a lexicon
    lookup counts the new wording once and each phrase once per process, not once per pair."""
    if not a or not b or a == b or min(len(a), len(b)) <= 3:
        return True  # label_score answers these at once
    if len(a) >= 5 and (a in b or b in a):
        return True
    length = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / length < threshold:
        return False
    shared = sum(min(count, b_counts[char]) for char, count in a_counts.items())
    return 2.0 * shared / length >= threshold


_UNIT_TAIL = re.compile(f"(?:{unit_alternation(LABEL_UNITS)})$")


def runs_past(printed: str, official: str) -> bool:
    """True when the printed label holds the official one and runs on into words of its own
    ("其他对外管理服务事项行政检查": a sub-row under 其他对外管理服务事项, not that row); a unit
    printed after the label does not count."""
    a, b = normalize_label(printed), normalize_label(official)
    a = _UNIT_TAIL.sub("", a) if not b.endswith(a[-1:]) else a
    return bool(b) and b in a and not a.endswith(b)


def finishes(parts: list[str], official: str) -> bool:
    """True when label cells printed after a row's label only finish it (a label broken over two
    cells: 7.属于行政执 / 法案卷); False when they name a row of their own beneath it
    (其他对外管理服务事项 / 行政检查: a sub-row the report adds, whose values are not the row's)."""
    joined = "".join(parts)
    return label_score(joined, official) >= MIN_SCORE and not runs_past(joined, official)


_JOINED = re.compile(r"[、/／]|和|及")
JOINED_SCORE = 0.9
MAX_JOINED = 24  # a row label naming two rows is short ("信函、传真申请数"); longer text is prose


def joined_rows(printed: str, official: list[str] | tuple[str, ...]) -> list[str]:
    """The official rows a printed label joins ("信函、传真申请数" → 信函申请数, 传真申请数): each
    part, completed by the last part's ending, reads as a different row; [] for a single row."""
    parts = [part for part in _JOINED.split(printed) if normalize_label(part)]
    if len(parts) < 2 or len(normalize_label(printed)) > MAX_JOINED:
        return []
    last = parts[-1]
    names: set[str] = set()
    for part in parts:
        forms = [part] if part is last else [part + last[k:] for k in range(min(len(last), 6))]
        best, name = 0.0, ""
        for form in forms:
            for label in official:
                score = label_score(form, label)
                if score > best:
                    best, name = score, label
        if best >= JOINED_SCORE:
            names.add(name)
    return sorted(names) if len(names) > 1 else []
