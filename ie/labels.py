"""Row labels as provinces print them → the schema's labels, tolerant of the usual differences.

Numbering (一、（一）1.), whitespace, 其中, parenthesised notes and units printed in the label are
dropped before two labels are compared; what remains is compared by edit similarity, because
provinces shorten, lengthen and mistype the official wording ("举办各类新训班数").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．\s]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．)）]|[①-⑳])\s*"
)
_PARENTHESES = re.compile(r"[（(][^（()）]*[)）]")
_NOISE = re.compile(r"[\s:：、，,。“”\"'《》〈〉_·•]|其中|单位")

MIN_SCORE = 0.78


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
