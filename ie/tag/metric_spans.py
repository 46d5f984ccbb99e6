"""Where a METRIC begins and ends (annotations/GUIDELINES.md: the shortest phrase that names the
statistic, the official label's own words kept).

Two sources of METRICs need their boundaries set here:
- a lexicon phrase, which names the field but may carry a frame word ("新增主动公开政府信息") or
  stop short of the words that name the count ("门户网站公开|政府信息数907条");
- the words right before a count the lexicon cannot name ("法规文件类11条"), which carry the
  clause's framing (共, 全年, 通过, 涉及…, "市公安局共收到") and list numbering ("1.").
A lexicon phrase is only moved where the new words still name the same field (``Lexicon.entry``),
so the normalizer maps the same numbers either way.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ie.text.conventions import CLAUSE_ENDS, RESPECTIVELY, WORDING_ENDS, listed_numbers
from ie.text.lexicon import Lexicon, MetricEntry
from ie.text.positions import DisjointSpans, Overlaps
from ie.types import Entity, Relation, Span

# What frames a count but does not name it: left out of a METRIC found from context.
_LEADING_FRAME = re.compile(
    r"(?:其中|另外|此外|同时|全年|全区|全县|全市|全镇|全乡|今年|本年度?|年度|截至目前|目前|"
    r"我(?:单位|中心|部门|[局委办区县市镇乡院厅处馆站所街])|本[局委办区县市镇乡]|共|累计|新增|"
    r"分别|包括|主要|以及|及(?!时)|和|并|通过|涉及|属于|属|在(?!线)|占|\s)+"
)
# Of a lexicon phrase only these are framing: official labels keep their 属于, 涉及, 主要…
_LEXICON_FRAME = re.compile(
    r"新增|通过(?=其[他它]|政府网站|门户|网站|微博|微信|政务微)|召开|举办|组织|开展|接受|设置|设立"
)
_TRAILING_FRAME = re.compile(
    r"(?:共计|总计|合计|累计|共有|共|(?<![统设会估审])计|达到|达|为|约|近|超过|超|逾|了|有|均|都|等|的|实现|"
    r"提升到|提高到|增至|\s)+$"
)
# 数量 frames a count only before 为/是/达 ("数量为"); "新收政府信息公开申请数量0件" keeps it.
_QUANTITY_FRAME = re.compile(r"数量(?:[为是达]|达到)$")
# A subject before 共/累计 is the agency or channel, not the statistic: "市公安局共收到…",
# "县政府网站累计发布各类政务信息" (公共, 共享 and the like are words of their own).
_SUBJECT_CUT = re.compile(r"(?<![公总])(?:共计|共(?![享同建治性产])|累计|全年)")
# List numbering before an item: "1.组织机构", "（三）", "二、".
_NUMBERING = re.compile(
    r"\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)"
)
# "…等重点领域信息": after 等 the head noun; "…补助等类信息", "…等信息" keep the whole list.
_ETC = re.compile(r"等(?!类|情况|方面)(?=\S{3,}$)")
# A share of another count: "占总体的比例为9%", "所占比例", "占比".
SHARE = re.compile(r"占|比例|比重")
# A rate is named by its own phrase: "全文电子化率达100%", "办结率100%".
RATE = re.compile(r"率\s*(?:达到|达|为|均|都|是)?\s*$")
# What a lexicon phrase may run on over up to its number: the object that names what is counted
# ("门户网站公开|政府信息数", "主动公开|了涉公安政府信息", "收到依申请公开|件").
_OBJECT = re.compile(
    r"^(?:了?[^\d\s，,。；;、：:（()）]{0,4}?(?:信息|资讯|文件|稿件|新闻|文章|内容|事项)(?:数量?|发布)?"
    r"|数量?|件|书|发布|公布|公开|[“\"][^”\"]{1,10}[”\"](?:发布|公开)(?:信息)?)$"
)
MAX_RUN_ON = 12
# "发布|统计信息2条", "更新|办事指南31条": the act of publishing is no part of a category's name;
# with a generic object it is what names the count ("发布各类信息", "发布公开文章").
_PUBLISH = re.compile(r"(?:制定并|分别)?(?:发布|公布|更新|刊登|设置|组建)(?!了)")
_GENERIC = re.compile(r"(?:各类|各项)?(?:政务|政府|公开)?(?:信息|资讯|文章|稿件)")
# The act a count of requests or cases is of, printed before the lexicon's noun: "受理|行政复议4件",
# "办结|依申请公开件177件", "答复|政府信息公开申请226件".
_ACT = re.compile(r"(?:收到|接收|接到|受理|办结|答复)$")
# A name in quotes right before the words of a count belongs to them: "“两化”专题专栏公开信息".
_QUOTED = re.compile(r"[“\"][^”\"\d，,。；;]{1,10}[”\"]$")


def _context_start(text: str, end: int, stops: str, limit: int = 24) -> int:
    start = end
    while start > 0 and text[start - 1] not in stops and end - start < limit:
        start -= 1
    return start


def context_phrase(text: str, end: int) -> tuple[int, int] | None:
    """The words before ``end`` (a number) in its clause that name what is counted, framing left
    out; a list joined by 、 is one phrase ("安全生产、应急管理类信息 5条")."""
    start = _context_start(text, end, WORDING_ENDS)
    # items before a 、 belong to the phrase while none holds a number of its own
    while start > 0 and text[start - 1] == "、":
        item = _context_start(text, start - 1, CLAUSE_ENDS + "、")
        if re.search(r"\d", text[item : start - 1]) or end - item > 40:
            break
        start = item
    phrase = text[start:end]
    cut = list(_SUBJECT_CUT.finditer(phrase))
    if cut and cut[-1].start() > 0:
        start += cut[-1].end()
    quoted = _QUOTED.search(text, max(0, start - 12), start)
    if quoted and start == _context_start(text, end, WORDING_ENDS):
        # "“两化”专题专栏公开信息"; a phrase all in quotes is its words ("“一门率”实现100%")
        start = quoted.start() if _strip_trailing(text, start, end) > start else quoted.start() + 1
        end = end if start == quoted.start() else quoted.end() - 1
    start = _after_framing(text, start, end)
    etc = list(_ETC.finditer(text, start, end))
    if etc and "、" in text[start : etc[-1].start()]:
        start = etc[-1].end()
    stop = _strip_trailing(text, start, end)
    act = _PUBLISH.match(text, start, stop)
    if act and stop - act.end() > 2:
        first_item = text[act.end() : stop].split("、")[0]
        start = start if _GENERIC.fullmatch(first_item) else act.end()
    if stop - start < 2 or re.search(r"\d|[a-zA-Z]", text[start:stop]):
        return None
    return start, stop


def _after_framing(text: str, start: int, end: int) -> int:
    """Where the words of ``text[start:end]`` begin after framing and list numbering, in either
    order ("其中1.组织机构类信息")."""
    while True:
        lead = _NUMBERING.match(text, start, end) or _LEADING_FRAME.match(text, start, end)
        if lead is None or lead.end() == start:
            return start
        start = lead.end()


def _strip_trailing(text: str, start: int, stop: int) -> int:
    while stop > start:
        frame = _QUANTITY_FRAME.search(text, start, stop) or _TRAILING_FRAME.search(
            text, start, stop
        )
        if frame is None:
            break
        stop = frame.start()
    return stop


def is_share(text: str, number: Entity) -> bool:
    """ "占总体的比例为9%": a share of the count before it, not a statistic named of its own."""
    start = _context_start(text, number.start, WORDING_ENDS)
    return bool(SHARE.search(text[start : number.start]))


def is_rate(text: str, number: Entity) -> bool:
    start = _context_start(text, number.start, WORDING_ENDS)
    return bool(RATE.search(text[start : number.start]))


# Words that leave the counted noun to follow the number: "设立了1个专门的信息申请受理点",
# "一是将110个市直部门", "列入清理范围的
# 56家区级部门", "今日荐读等887条推送信息", "征集筛选出8个PPP项目".
_NOUN_FOLLOWS = re.compile(r"(?:的|了|将|对|至|出|把|向|等)\s*(?:共|约|近|超过)?\s*$")
_BELONGS = re.compile(r"\s*(?:属于|属)")
_BARE_VERB = re.compile(r"收到|受理|办理|举办|开展|召开|接到|处理|指导|接待|完成|审核|出具|编发")
_ORDINAL = re.compile(r"第\s*$")
_NOUN_STOP = re.compile(r"[的，,。；;、：:（()）“”《》\s\d]|可以|由|进行|开展|已|均|全部|中[，,]")
MAX_NOUN = 12


def noun_after(text: str, unit_end: int) -> tuple[int, int] | None:
    """The noun a number counts when it follows the unit ("110个|市直部门|的部门预算")."""
    start = unit_end
    stop = _NOUN_STOP.search(text, start, start + MAX_NOUN + 1)
    end = stop.start() if stop else start + MAX_NOUN
    if stop and end - start <= 2 and text.startswith("的", end):  # "1个专门的信息申请受理点"
        return noun_after(text, end + 1)
    if end - start < 2 or WORDING_ENDS.find(text[start]) >= 0:
        return None
    return start, end


# "自然人、商业企业和社会公益组织分别为20件、4件和1件": words the lexicon lacks, listed before 分别,
# each naming the number in its place. The items are joined by these; "…提出的分别为" ends the list.
_ITEM_JOINER = re.compile(r"\s*(?:、|以及|和|及|与|或)\s*")
_ITEM_TAIL = re.compile(r"(?:(?:提出|提交|递交|申请)的?|的)$")
_NOT_AN_ITEM = re.compile(r"[\da-zA-Z%％（()）“”\"《》]")
MAX_ITEM = 12


def respective_items(
    text: str, numbers: list[Entity], linked: set[Entity], overlaps_taken: Overlaps
) -> tuple[list[Entity], list[Relation], set[Entity]]:
    """The items of "A、B和C分别为x件、y件和z件" where the lexicon names none of them: each item a
    METRIC (low score) for the number in its place. Where the items and the numbers differ in
    count, which number is which item's is not said: those numbers are returned to be left
    unnamed (the words before the first would name it with the whole list otherwise)."""
    ordered = sorted(numbers, key=lambda n: n.start)
    starts = [n.start for n in ordered]
    phrases: list[Entity] = []
    links: list[Relation] = []
    unsaid: set[Entity] = set()
    for marker in RESPECTIVELY.finditer(text):
        counted = listed_numbers(text, ordered, starts, marker.end())
        if len(counted) < 2 or any(n in linked for n in counted):
            continue
        start = _context_start(text, marker.start(), CLAUSE_ENDS, limit=80)
        start = _after_framing(text, start, marker.start())
        stop = _strip_trailing(text, start, marker.start())
        tail = _ITEM_TAIL.search(text, start, stop)
        stop = tail.start() if tail else stop
        words = text[start:stop]
        if not _ITEM_JOINER.search(words):
            continue
        if _NOT_AN_ITEM.search(words) or overlaps_taken(start, stop):
            continue
        items, position = [], start
        for joiner in [*_ITEM_JOINER.finditer(text, start, stop), None]:
            end = joiner.start() if joiner else stop
            items.append((position, end))
            position = joiner.end() if joiner else stop
        if any(not 2 <= end - begin <= MAX_ITEM for begin, end in items):
            continue
        if len(items) != len(counted):
            unsaid.update(counted)
            continue
        for (begin, end), number in zip(items, counted, strict=True):
            metric = Entity(Span(begin, end, text[begin:end]), "METRIC", 0.5)
            phrases.append(metric)
            links.append(Relation(number, metric, "value"))
    return phrases, links, unsaid


def name_unlinked_numbers(
    text: str,
    numbers: list[Entity],
    percent: set[Entity],
    relations: list[Relation],
    taken: list[Entity],
) -> tuple[list[Entity], list[Relation]]:
    """A count whose phrase the lexicon lacks ("法规文件类11条", "推送信息705条") gets the words
    right before it in its clause as its METRIC, with a low score: the normalizer then finds no
    field for it and lists it as unmapped, named; the items of a list stated respectively name
    the numbers in their places (``respective_items``). A share ("占总体的比例为9%") gets none:
    it takes the METRIC of the count it is a share of."""
    linked = {r.head for r in relations if r.label == "value"}
    unit_end = {r.tail: r.head.end for r in relations if r.label == "unit"}
    overlaps_taken = Overlaps((e.start, e.end) for e in taken)
    phrases, links, unsaid = respective_items(text, numbers, linked, overlaps_taken)
    linked.update(r.head for r in links)
    named = DisjointSpans()  # the phrases found here: one overlapping another is never added
    for phrase in phrases:
        named.add(phrase.start, phrase.end)
    for number in numbers:
        if number in linked or number in unsaid or (number in percent and is_share(text, number)):
            continue
        before = text[_context_start(text, number.start, WORDING_ENDS) : number.start]
        after = unit_end.get(number, number.end)
        if _ORDINAL.search(before):
            continue  # "第6次" counts nothing
        found = None
        belongs = _BELONGS.match(text, after)
        if belongs:  # "2件（1件属自然人申请，…）": the kind the number is of follows 属
            found = noun_after(text, belongs.end())
        elif _NOUN_FOLLOWS.search(before):
            found = noun_after(text, after)
        if found is None:
            found = context_phrase(text, number.start)
            # "市公安局共收到1件依申请公开": a bare verb before, what it acts on after
            if found is not None and _BARE_VERB.fullmatch(text, *found):
                found = noun_after(text, after) or found
        if found is None:
            continue
        begin, end = found
        if overlaps_taken(begin, end) or named.overlaps(begin, end):
            continue
        metric = Entity(Span(begin, end, text[begin:end]), "METRIC", 0.5)
        phrases.append(metric)
        named.add(begin, end)
        links.append(Relation(number, metric, "value"))
    return phrases, links


def _same(entry: MetricEntry | None, other: MetricEntry | None) -> bool:
    """Two entries name the same fields (phrases of one field may sit in separate entries)."""
    if entry is None or other is None:
        return entry is other
    return (entry.fields, entry.context) == (other.fields, other.context)


def lexicon_bounds(
    text: str, spans: list[tuple[int, int]], numbers: list[Entity], lexicon: Lexicon
) -> list[tuple[int, int]]:
    """Lexicon matches with their boundaries set: a rate's stem is no match ("办结|率100%"), a
    frame word is left out ("新增|主动公开政府信息"), and a phrase runs on over the object that names
    the count up to its number ("门户网站公开|政府信息数907条") — each only where the words still
    name the same field."""
    bounded = []
    starts = sorted(n.start for n in numbers)
    for start, end in spans:
        if text.startswith("率", end):
            continue
        entry = lexicon.entry(text[start:end])
        lead = _LEXICON_FRAME.match(text, start, end)
        if lead and end - lead.end() >= 2 and _same(lexicon.entry(text[lead.end() : end]), entry):
            start = lead.end()
        act = _ACT.search(text, max(0, start - 2), start)
        if act and _same(lexicon.entry(text[act.start() : end]), entry):
            start = act.start()
        after = bisect_left(starts, end)  # the first number at or after the phrase's end
        number = starts[after] if after < len(starts) else None
        if number is not None and number - end <= MAX_RUN_ON:
            stop = _strip_trailing(text, end, number)
            if stop > end and _OBJECT.match(text[end:stop]):
                if _same(lexicon.entry(text[start:stop]), entry):
                    end = stop
        bounded.append((start, end))
    return bounded
