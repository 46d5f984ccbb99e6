"""The small rules every stage shares about report text, each written once (two copies drift apart):
where a sentence or a clause ends, which words negate, which units a count is printed in, and when
the two sides of an identity agree.

Everything here is about ``Document.text``, after ``ie.read.textnorm`` folded it: there the
full-width ！？％ are ASCII ! ? %, while 。，；：（） stay full-width (``KEEP_FULL_WIDTH``). Earlier
copies of these sets listed ！？ (and ％), which never occur in folded text; they are left out, and a
set that did not list the folded ! ? still does not: the sets are what actually matched.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Protocol

# A Chinese character (the CJK Unified Ideographs block): what tells a label or a header from a
# number, a mark or a converter's Latin placeholder (Col3).
CHINESE_CHARACTER = re.compile(r"[\u4e00-\u9fff]")

# --- where sentences and clauses end ----------------------------------------------------------

# The printed marks that end a sentence. ! and ? (folded ！？) are not among them for the tagger
# and the normalizer: their copies listed the full-width forms only, which never matched.
SENTENCE_MARKS = "。；;"
EXCLAMATION_MARKS = "!?"  # folded ！？
COMMAS = "，,"
# The tagger's and the normalizer's sentence: to a full stop or ；, or the end of a line.
SENTENCE_ENDS = SENTENCE_MARKS + "\n"
# The tagger's clause: a number links to a metric of its own clause only.
CLAUSE_ENDS = SENTENCE_ENDS + COMMAS + "：:"
# The normalizer's clause (zero statements, an agency right before its number) runs on over a
# colon, as it always has.
COMMA_CLAUSE_ENDS = SENTENCE_ENDS + COMMAS
# Where the words naming a count stop, looking back from it (ie.tag.metric_spans): a clause end,
# a list's 、, a bracket, a quotation mark or a title mark.
WORDING_ENDS = CLAUSE_ENDS + "、（()）“”《》"
# A breakdown's stretch (ie.tag.breakdowns): a sentence runs on across ；, and ends at ! or ?.
PARAGRAPH_ENDS = "。" + EXCLAMATION_MARKS + "\n"
# Where the model's chunker may cut a text (ie.text.chunking), closing quotes and brackets after
# the mark staying with the sentence.
CHUNK_ENDS = SENTENCE_MARKS + EXCLAMATION_MARKS
# A parenthesis still open at the end of the text searched (``OPEN_PARENTHESIS.search(text, start,
# end)``): the last one opened, none closing after it. What stands in it is a part of the figure
# before it: "公开信息共471条(其中“两化”专题专栏公开信息135条)".
OPEN_PARENTHESIS = re.compile(r"[（(][^（()）]*$")
# A line of a PDF or markdown source that ends with one of these ends its sentence (the next line
# is no continuation of it). The readers look at the source before folding, so both forms of ！？
# are listed; a colon ends a heading's line.
UNFOLDED_LINE_ENDS = tuple("。：:；;！!？?")


def mark_class(marks: str, negated: bool = False) -> str:
    """A regex character class of ``marks`` (``[^…]`` when ``negated``)."""
    return "[" + ("^" if negated else "") + "".join(re.escape(mark) for mark in marks) + "]"


# --- negation ---------------------------------------------------------------------------------

NEGATIONS = ("未", "没有", "无")
# 无 starts words that deny nothing: 无法 (cannot), 无偿 (free of charge), 无正当(理由).
NOT_NEGATING_AFTER = ("法", "偿", "正当")
# The tagger keeps a METRIC that no number counts when its clause negates it (全年无行政复议发生).
NEGATED = re.compile(
    "|".join(word + (f"(?!{'|'.join(NOT_NEGATING_AFTER)})" if word == "无" else "") for word in NEGATIONS)
)
# A zero statement ("未收取任何费用") gives a field the value 0, so it asks more of its negation:
# 零 and 不存在 ("不存在上年结转的申请") negate too, and more words after any negation deny
# nothing. 无需/无须 ("no need to") still negate for the tagger (an annotator marks the METRIC of
# "无需…"), but state no zero count; 没有需要… ("none that needed…") does.
ZERO_NEGATIONS = NEGATIONS + ("零", "不存在")
# 尚未审结 (pending), 未经复议 (a kind of 行政诉讼) and 逾期未按收费通知 (a 表三 row) name a
# category, never that a count is zero; 未纳入/未计入 (not counted in), 未发现 (none found of
# something else) and 未答复 (not yet answered) say nothing of how many there were
ZERO_NOT_NEGATING_AFTER = NOT_NEGATING_AFTER + (
    "纸", "缝", "障碍", "论", "需(?!要)", "须", "关", "故", "意", "误", "效", "差别", "条件", "异议", "从",
    "审结", "经", "按", "纳入", "计入", "列入", "将", "发现", "答复",
)  # fmt: skip
ZERO_NOT_NEGATING = re.compile(f"^(?:{'|'.join(ZERO_NOT_NEGATING_AFTER)})")
# Words right before a negation that make it no zero statement: 信息不存在 is an answer (the
# information does not exist), not that no request came; 清单之外无收费 is a rule on what may be
# charged (nothing outside the list), not that no fee was.
_OUTSIDE = ("之外", "以外")
ZERO_NOT_NEGATING_BEFORE: dict[str, tuple[str, ...]] = {
    "不存在": ("信息",), "无": _OUTSIDE, "没有": _OUTSIDE, "未": _OUTSIDE,
}

# A sentence's words before a number that the sentence-level rules read (an earlier year named, a
# 其中 opened, a count already stated): this many characters at most. A real sentence is shorter;
# text with no full stop for longer (a crawler's run-together page) is read in windows, so one
# long run costs linear time, not quadratic.
MAX_SENTENCE_BEFORE = 400


# --- an agency's share --------------------------------------------------------------------------

# Between an agency and the number of its share only verbs of counting and approximation may
# stand: "其中区政府523件", "其中市政府部门受理约1500件".
AGENCY_GAP = re.compile(r"\s*(?:受理|新收|收到|收取|接到|办理|主动公开|公开|发布|共计|合计|共|为|约|计)*\s*")
MAX_AGENCY_GAP = 8  # characters


def agency_counts(text: str, agency_end: int, number_start: int) -> bool:
    """Whether the number at ``number_start`` is the share of the agency ending at ``agency_end``."""
    return (
        0 <= number_start - agency_end <= MAX_AGENCY_GAP
        and AGENCY_GAP.fullmatch(text, agency_end, number_start) is not None
    )


# --- count units ------------------------------------------------------------------------------

# Units a statistic is counted in, as folded text prints them (％ is %); longest first, so that in
# an alternation 人次 wins over 人.
COUNT_UNITS = (
    "人次", "条次", "场次", "件次", "万元", "元", "条", "件", "次", "篇", "个", "人", "项", "期", "场",
    "起", "家", "名", "份", "批", "例", "宗", "处", "%",
)  # fmt: skip
# Units a table prints in a cell of its own, or after a row's label (…件, 人次); fewer than a
# number in prose takes.
TABLE_UNITS = ("人次", "万元", "元", "条", "件", "次", "篇", "个", "人", "项", "期", "场")
LABEL_UNITS = ("人次", "万元", "元", "条", "件", "次", "篇", "个", "人", "项")


def unit_alternation(units: tuple[str, ...] = COUNT_UNITS) -> str:
    """``units`` as a regex alternation, in their order (longest first where one begins another)."""
    return "|".join(map(re.escape, units))


COUNT_UNIT = unit_alternation()
# Between two numbers of one list ("20件、19件和9件"): the first's approximation and unit, and a
# separator.
NUMBER_LIST_JOINER = re.compile(rf"\s*(?:余|多)?\s*(?:{COUNT_UNIT})?\s*(?:[、,，]|和|及|与|以及)\s*")
# "A、B和C分别为20件、19件和9件": the word that pairs a list with the numbers after it.
RESPECTIVELY = re.compile("分别")
_CLAUSE_OR_SENTENCE_END = re.compile(mark_class(COMMA_CLAUSE_ENDS))


class _Located(Protocol):
    start: int
    end: int


def listed_numbers(
    text: str, numbers: Sequence[_Located], starts: Sequence[int], position: int,
    most: int | None = None,
) -> list:  # fmt: skip
    """The numbers a list states after ``position`` (分别为…): the first number after it, where no
    clause or sentence ends between, then each next one joined to the one before by its unit and
    a separator only (``NUMBER_LIST_JOINER``); at most ``most``. ``numbers`` are in text order,
    ``starts`` their starts."""
    first = bisect_left(starts, position)
    if first == len(numbers) or _CLAUSE_OR_SENTENCE_END.search(text, position, numbers[first].start):
        return []
    run = [numbers[first]]
    for number in numbers[first + 1 :]:
        if (most is not None and len(run) == most) or not NUMBER_LIST_JOINER.fullmatch(
            text, run[-1].end, number.start
        ):
            break
        run.append(number)
    return run

MONEY_UNITS = {"元", "万元"}
# A count printed in another classifier still counts the same things ("37场" press conferences,
# "92篇" items); a count of times is never a count of items ("访问8000次" is not 8000条).
COMPATIBLE_UNITS = {
    "条": {"条", "篇", "件", "个", "份", "期", "条次"},
    "件": {"件", "个", "条", "起", "项", "份", "件次", "次", "宗"},
    "次": {"次", "场", "期", "场次", "个"},
    "篇": {"篇", "条", "件", "个", "期"},
    "个": {"个", "处", "家"},
    "人": {"人", "名"},
    "人次": {"人次", "人", "名"},
    "项": {"项", "件", "个"},
}


def unit_misfit(unit: str, field_unit: str) -> str:
    """Why a number printed in ``unit`` cannot be a value of a field counted in ``field_unit``
    ("" when it can): money is never a count nor a count money, and a count in a classifier that
    counts other things is not the field's ("" as ``unit``: none printed)."""
    if (field_unit == "万元") != (unit in MONEY_UNITS):
        return f"unit {unit} does not fit the field's {field_unit}"
    if unit and field_unit in COMPATIBLE_UNITS and unit not in COMPATIBLE_UNITS[field_unit]:
        return f"unit {unit} does not count what the field's {field_unit} counts"
    return ""


# --- identities -------------------------------------------------------------------------------

IDENTITY_TOLERANCE = 0.011  # money in 万元 is printed to two decimals


def identity_holds(lhs: float, rhs: float, op: str = "=") -> bool:
    """Whether the two sides of an identity agree: equal (or, for ``>=``, at least) within the
    tolerance of two printed decimals."""
    if op == ">=":
        return lhs >= rhs - IDENTITY_TOLERANCE
    return abs(lhs - rhs) <= IDENTITY_TOLERANCE
