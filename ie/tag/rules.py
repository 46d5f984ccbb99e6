"""The rule tagger: METRIC phrases from the lexicon (ie.tag.phrases), NUMBER/UNIT by the number rules,
AGENCY by naming patterns, and links between them by position within a clause.

It is the ``--tagger rules`` pipeline and the pre-annotator Label Studio shows annotators.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from ie.document import Document
from ie.prepared import Prepared
from ie.prepared import table_entities as tables_as_entities
from ie.tables.describe import ReportInfo
from ie.tag.breakdowns import among_wholes, link_parts
from ie.tag.metric_spans import is_rate, lexicon_bounds, name_unlinked_numbers
from ie.tag.phrases import PhraseFinder
from ie.text.conventions import (
    AGENCY_GAP,
    CLAUSE_ENDS,
    COUNT_UNITS,
    MAX_AGENCY_GAP,
    MAX_SENTENCE_BEFORE,
    NEGATED,
    OPEN_PARENTHESIS,
    RESPECTIVELY,
    SENTENCE_ENDS,
    agency_counts,
    listed_numbers,
)
from ie.text.lexicon import YEAR_NAMED, load_lexicon
from ie.text.numbers import find_quantities
from ie.text.positions import ByEnd, Overlaps, segment_end, segment_start
from ie.types import Entity, Relation, Span, Tagging

MAX_GAP = 16  # characters between a METRIC and its NUMBER
_COUNT_ALONE = re.compile(r"\s*(?:计|共|合计|共计|总计)\s*")
_NOT_A_COUNT = re.compile(r"^\s*(?:年|月|日|号|时|点|版|期间|届|楼|层|路|号文|工作日|自然日|小时|天)")
_REPORT_PARTS = re.compile(r"\s*(?:部分|方面|内容|板块|章节)")
# "被纠正的一件，是…", "纠错的四件案件分别涉及…": a count already stated, referred back to by what
# happened to it ("…的" before the number) and explained after it; no statistic of its own.
_REFERRED_BACK = re.compile(
    r"\s*(?:(?:复议|诉讼)?案件(?:中|均|都|暴露|分别|涉及)|分别|是|系|[，,]\s*(?:是|系|一件|分别))"
)
# A number in a table label's note ("（不同渠道和方式公开相同信息计1条）") is a counting rule.
_IN_NOTE = re.compile(r"[（(][^（()）]*计$")
AGENCY = re.compile(
    r"(?:各镇[（(]街[)）]|各镇街|各乡镇|各街道|各部门|各单位|区属单位|市属单位|县属单位|各级各部门"
    r"|[区市县乡镇]?(?:人民)?政府(?:办公室|办)?(?=[\d一二三四五六七八九十]|主动|共|公开|收到))"
)


@lru_cache(maxsize=1)
def _phrase_finder() -> PhraseFinder:
    return PhraseFinder(sorted(load_lexicon().by_phrase))


class RuleTagger:
    """The ``rules`` tagger of the registry (``ie.tag.get_tagger("rules")``)."""

    name = "rules"

    def __call__(self, prepared: Prepared) -> Tagging:
        return tag(prepared)


def tag(prepared: Prepared) -> Tagging:
    """Tag the prose of the prepared report. Table cells are the table mapper's: a prose entity
    never overlaps one, and they are not part of the result (``ie.prepared.with_tables`` adds them)."""
    document, info = prepared.document, prepared.info
    text = document.text
    table_entities, table_relations = tables_as_entities(prepared)
    taken = Overlaps((e.start, e.end) for e in table_entities)
    numbers, units, unit_links = find_numbers(text)
    numbers, units = _free(numbers, taken), _free(units, taken)
    free_units, free_numbers = set(units), set(numbers)
    unit_links = [r for r in unit_links if r.head in free_units and r.tail in free_numbers]
    percent = {r.tail for r in unit_links if r.head.text == "%"}
    metrics = _free(find_metrics(text, numbers), taken)
    agencies = _free(find_agencies(text), taken)
    relations = unit_links + link_values(text, numbers, metrics, agencies)
    relations += link_agencies(text, metrics, agencies) + table_relations
    relations += link_shares(text, numbers, percent, relations)
    phrases, phrase_links = name_unlinked_numbers(
        text, numbers, percent, relations, metrics + agencies
    )
    relations += phrase_links
    relations += link_shares(text, numbers, percent, relations)  # shares of the counts just named
    prose_metrics = metrics + phrases
    wholes = among_wholes(text, prose_metrics)
    relations += link_parts(text, _counted(prose_metrics, relations, percent), wholes)
    entities = _statistics_only(
        text, prose_metrics + numbers + units + agencies + table_entities, relations
    )
    reporter = report_agency(document, info)
    if reporter is not None and not any(
        reporter.start < e.end and e.start < reporter.end for e in entities
    ):
        entities.add(reporter)
    entities -= set(table_entities)
    relations = [r for r in set(relations) if r.head in entities and r.tail in entities]
    return Tagging(tuple(sorted(entities)), tuple(sorted(relations)), {"tagger": "rules"})


def _counted(
    metrics: list[Entity], relations: list[Relation], percent: set[Entity]
) -> list[Entity]:
    """The metrics that count a number (a share's metric counts the number it is a share of;
    ``percent``: the shares, as ``tag`` found them)."""
    counted = {r.tail for r in relations if r.label == "value" and r.head not in percent}
    return [m for m in metrics if m in counted]


def _statistics_only(text: str, entities: list[Entity], relations: list[Relation]) -> set[Entity]:
    """What annotators mark: a METRIC that counts a number or is negated (全年无行政复议发生), an
    AGENCY that qualifies one; headings and phrases that only mention a metric are left out."""
    linked = {r.tail for r in relations if r.label in ("value", "reported_by", "part_of")}
    number_starts = sorted(e.start for e in entities if e.label == "NUMBER")
    kept = set()
    for entity in entities:
        if entity.label == "METRIC" and entity not in linked:
            clause = text[_clause_start(text, entity.start) : entity.start]
            if not NEGATED.search(clause):
                continue
        if entity.label == "AGENCY" and entity not in linked:
            after = bisect_left(number_starts, entity.end)  # its share's number right after it
            if after == len(number_starts) or not agency_counts(
                text, entity.end, number_starts[after]
            ):
                continue
        kept.add(entity)
    return kept


def _free(entities: list[Entity], taken: Overlaps) -> list[Entity]:
    """Entities that overlap no table entity: a table cell is read once, by the table reader."""
    return [e for e in entities if not taken(e.start, e.end)]


def lexicon_matches(text: str) -> list[tuple[int, int]]:
    """Where the lexicon's phrases occur, as printed (the longest, not overlapping)."""
    return _phrase_finder()(text)


def find_metrics(text: str, numbers: list[Entity]) -> list[Entity]:
    """The lexicon's phrases, and those that name a year where the lexicon's say "the next year"
    (``YEAR_NAMED``), their boundaries set by the words around them (ie.tag.metric_spans)."""
    found = lexicon_matches(text)
    named = [match.span() for match in YEAR_NAMED.finditer(text)]
    if named:
        taken = Overlaps(named)
        found = sorted(named + [(s, e) for s, e in found if not taken(s, e)])
    spans = lexicon_bounds(text, found, numbers, load_lexicon())
    return [Entity(Span(start, end, text[start:end]), "METRIC", 0.9) for start, end in spans]


# A count said to be zero with no unit: "行政复议案件数为零", "现行有效的…文件为0".
_SAID_ZERO = re.compile(r"(?<=[为是])\s*(?:零|0)(?=\s*(?:[，,。；;）)]|$))")


def find_numbers(text: str) -> tuple[list[Entity], list[Entity], list[Relation]]:
    """Counts and amounts with a unit, and counts said to be zero; years, dates and clause numbers
    are not statistics."""
    numbers: list[Entity] = []
    units: list[Entity] = []
    links: list[Relation] = []
    for zero in _SAID_ZERO.finditer(text):
        start = zero.start() + len(zero.group()) - len(zero.group().lstrip())
        numbers.append(Entity(Span(start, zero.end(), text[start : zero.end()]), "NUMBER", 0.9))
    for quantity in find_quantities(text):
        if quantity.unit not in COUNT_UNITS or _NOT_A_COUNT.match(text[quantity.end_all :]):
            continue
        if _REPORT_PARTS.match(text, quantity.end_all):
            continue  # "由概述、…等六个部分组成": how the report is laid out, no statistic
        if _IN_NOTE.search(text[max(0, quantity.start - 30) : quantity.start]):
            continue
        if text[max(0, quantity.start - 1) : quantity.start] == "每":
            continue  # "对每一件不予公开决定均进行合法性审核": each one, no count
        if text[max(0, quantity.start - 3) : quantity.start].rstrip().endswith(
            "的"
        ) and _REFERRED_BACK.match(text, quantity.end_all):
            continue
        number = Entity(Span(quantity.start, quantity.end, text[quantity.start : quantity.end]),
                        "NUMBER", 0.95)  # fmt: skip
        unit = Entity(Span(quantity.unit_start, quantity.unit_end,
                           text[quantity.unit_start : quantity.unit_end]), "UNIT", 0.95)  # fmt: skip
        numbers.append(number)
        units.append(unit)
        links.append(Relation(unit, number, "unit"))
    numbers.sort(key=lambda number: number.start)  # in text order, as the linking expects
    return numbers, units, links


# A generic agency word right after other Chinese characters is the tail of a proper name
# ("枫桥镇人民政府收到…": the report's own agency, the sentence's subject), not a share's agency;
# after 其中, 各, 及, 和, 、 or a year it is one ("其中区政府523件", "2009年省政府共举办…"), and
# so is a collective one (省政府各部门).
_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff]$")
_NOT_A_NAME = re.compile(r"(?:其中|[各及和与年、])$")
# "全县各级各部门": the whole, not a part
_WHOLE_AREA = re.compile(r"全[县区市省镇乡]$")
# "全年市政府及各部门发布政策解读稿件268篇": the government with its departments, the whole too
_WITH_GOVERNMENT = re.compile(r"政府(?:办公室|办公厅|办)?(?:及其?|和|与)$")


# What opens a breakdown by agency: 其中, or the words that say the counts go by agency ("从受理机关
# 看，省政府办公厅受理215件，…", "按受理机关统计，市国土资源局178件、…").
_BY_AGENCY = re.compile(r"其中|[从按](?:受理|办理)?(?:机关|部门|单位)(?:来看|看|统计|分)")


# Agencies a breakdown lists after 其中, each before its share: "其中市政府部门受理约1500件，各区受理
# 约2300件", "其中县政府办公室受理16件、县国土资源局受理14件", "其中市本级约1000件".
_LISTED_AGENCY = re.compile(
    r"(?:(?<=其中)|(?<=[，,、；;]))\s*(?!其中)"
    r"(?P<agency>各?(?:[\u4e00-\u9fff]|[（(][\u4e00-\u9fff、]{1,5}[)）]){0,10}?"
    r"(?:部门|机关|单位|本级|两级|县区|区县|乡镇|街道|办公室|局|委|厅|各区|各县|各市"
    r"|[^\d\s，,、；;。其中]{1,4}[区县市])(?:[（(][\u4e00-\u9fff、]{1,5}[)）])?)"
    rf"(?={AGENCY_GAP.pattern}\d)"
)


def find_agencies(text: str) -> list[Entity]:
    """Agencies that report a share; "全县各级各部门" and "市政府及各部门" are the whole, not a
    part, and are left out."""
    found = _listed_agencies(text)
    taken = Overlaps((agency.start, agency.end) for agency in found)
    for match in AGENCY.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        if _WHOLE_AREA.search(before) or (
            match.group().startswith("各")
            and _WITH_GOVERNMENT.search(text, max(0, match.start() - 8), match.start())
        ):
            continue
        named = _NAME_BEFORE.search(before) and not _NOT_A_NAME.search(before)
        if named and not match.group().startswith("各"):  # 省政府各部门: its departments
            continue
        if not taken(match.start(), match.end()):
            found.append(Entity(Span(match.start(), match.end(), match.group()), "AGENCY", 0.8))
    return sorted(found)


def _listed_agencies(text: str) -> list[Entity]:
    """The agencies of breakdowns by agency: only in a sentence where 其中, or words saying the
    counts go by agency (从受理机关看), come before them."""
    found = []
    for match in _LISTED_AGENCY.finditer(text):
        start, end = match.span("agency")
        sentence = max(_clause_start(text, start, SENTENCE_ENDS), start - MAX_SENTENCE_BEFORE)
        whole = _WHOLE_AREA.search(text, max(0, start - 2), start)
        if _BY_AGENCY.search(text, sentence, start) and whole is None:
            found.append(Entity(Span(start, end, text[start:end]), "AGENCY", 0.75))
    return found


def _clause_start(text: str, position: int, stops: str = CLAUSE_ENDS) -> int:
    return segment_start(text, position, stops)


def report_agency(document: Document, info: ReportInfo) -> Entity | None:
    """The reporting agency where the title or first lines name it."""
    agency = info.agency
    position = document.text.find(agency, 0, 2000) if agency else -1
    if position < 0:
        return None
    return Entity(Span(position, position + len(agency), agency), "AGENCY", 0.7)


def link_values(
    text: str, numbers: list[Entity], metrics: list[Entity], agencies: list[Entity]
) -> list[Relation]:
    """Each NUMBER to the METRIC it counts: the nearest one before it in its clause, else one
    right after it ("2名兼职人员")."""
    relations = []
    by_end, by_start = ByEnd(metrics, "end"), ByEnd(metrics, "start")
    agency_ends = ByEnd(agencies, "end")
    respective = respective_lists(text, numbers, metrics)
    for number in numbers:
        if number in respective:
            paired = respective[number]
            if paired is not None:
                relations.append(Relation(number, paired, "value"))
            continue
        clause = _clause_start(text, number.start)
        # ending in its clause, at most MAX_GAP characters before it: a window, not every metric
        window = by_end.indices(max(clause, number.start - MAX_GAP), number.start)
        before = [metrics[i] for i in window]
        # a number between the metric and this one takes that metric ("31件，其中维持27件")
        before = [m for m in before if not _number_between(text, m.end, number.start)]
        if before:
            relations.append(Relation(number, before[-1], "value"))
            continue
        # "系复议后起诉，计1件": a clause of the count alone counts the metric of the clause before
        if _COUNT_ALONE.fullmatch(text, clause, number.start):
            sentence = _clause_start(text, number.start, SENTENCE_ENDS)
            previous = by_end.indices(max(sentence, clause - MAX_GAP), clause)
            if previous:
                relations.append(Relation(number, metrics[previous[-1]], "value"))
                continue
        # "2名兼职人员": the unit and at most three characters, no punctuation, before the metric
        tail = re.match(r"^[^\d。；;，,、：:（(]{0,4}", text[number.end :])
        after_end = number.end + (tail.end() if tail else 0)
        after = by_start.indices(number.end + 1, after_end)
        if after:
            relations.append(Relation(number, metrics[after[0]], "value"))
            continue
        head = _breakdown_head(text, number, metrics, by_start, agencies, agency_ends)
        if head is None:
            head = _outcome_after(text, number, metrics, by_start)
        if head is not None:
            relations.append(Relation(number, head, "value"))
    return relations


# "另有1件因涉及多个社区协调核实，结转下年度继续办理", "对3件申请在去除个人信息后作了部分公开":
# a count, its outcome said after it
_ANOTHER = re.compile(r"(?:另(?:有|外)?|对)\s*$")
_COUNT_OF_REQUESTS = re.compile(r"\s*件")
# what every request gets or is, never the outcome that sets this one apart ("另1件…，镇政府在
# 答复中告知了申请人")
_NO_OUTCOME = re.compile(r"(?:依申请|信息公开|政府信息公开)?(?:答复|申请|受理|收到|办理|办结)")


def _outcome_after(
    text: str, number: Entity, metrics: list[Entity], metric_starts: ByEnd
) -> Entity | None:
    """The METRIC of "另有N件…", "对N件…": the first one after the count in its sentence, where
    it is an outcome."""
    if not _ANOTHER.search(text, max(0, number.start - 3), number.start):
        return None
    if not _COUNT_OF_REQUESTS.match(text, number.end):
        return None
    end = segment_end(text, number.end, SENTENCE_ENDS)
    after = metric_starts.indices(number.end, end)
    # the first METRIC after it says what became of it; where that is the answer every request
    # gets ("共对10件申请作出答复，其中同意公开4件"), the count is of all, and no outcome is its
    first = metrics[after[0]] if after else None
    return None if first is None or _NO_OUTCOME.fullmatch(first.text) else first


# "A、B和C分别为20件、19件和9件": the list's METRICs, then 分别 and one NUMBER each, in order.
_LIST_JOINER = re.compile(r"\s*(?:[、,，/]|和|及|与|以及|或)\s*")
# what may stand between the list and 分别: "…和其他组织提出的分别为", "…三类申请分别为"
_LIST_TAIL = re.compile(r"[^\d。；;，,：:（()）]{0,6}")


def respective_lists(
    text: str, numbers: list[Entity], metrics: list[Entity]
) -> dict[Entity, Entity | None]:
    """The NUMBERs of "…分别为…" lists, each to the METRIC in its place. Where a list has as many
    numbers as metrics they pair in order; where the counts differ the numbers are listed with
    None: which number counts which metric is not said, so none is linked (the nearest-metric
    rule would give them all to the last metric)."""
    found: dict[Entity, Entity | None] = {}
    by_end = sorted(metrics, key=lambda m: m.end)
    ends = [m.end for m in by_end]
    ordered = sorted(numbers, key=lambda n: n.start)
    starts = [n.start for n in ordered]
    for marker in RESPECTIVELY.finditer(text):
        clause = segment_start(text, marker.start(), CLAUSE_ENDS)
        # the metrics ending in the clause before 分别, found by bisection (dense text has many)
        low, high = bisect_left(ends, clause), bisect_right(ends, marker.start())
        before = [m for m in by_end[low:high] if clause <= m.start]
        if not before or not _LIST_TAIL.fullmatch(text, before[-1].end, marker.start()):
            continue
        listed = [before[-1]]
        for metric in reversed(before[:-1]):
            if not _LIST_JOINER.fullmatch(text, metric.end, listed[0].start):
                break
            listed.insert(0, metric)
        counted = listed_numbers(text, ordered, starts, marker.end())
        if not counted or (len(listed) < 2 and len(counted) < 2):
            continue
        # one metric for several numbers ("行政许可、行政处罚和行政强制本年处理决定数量分别为…",
        # where only the last names a lexicon phrase) pairs nothing: none is linked
        pairs = len(counted) == len(listed)
        for index, number in enumerate(counted[: len(listed)] if pairs else counted):
            found[number] = listed[index] if pairs else None
    return found


def _breakdown_head(
    text: str,
    number: Entity,
    metrics: list[Entity],
    metric_starts: ByEnd,
    agencies: list[Entity],
    agency_ends: ByEnd,
) -> Entity | None:
    """ "其中区政府523件，区属单位1435件": an agency's number counts the metric before 其中."""
    clause = _clause_start(text, number.start)
    near = agency_ends.indices(number.start - MAX_AGENCY_GAP, number.start)
    if not any(
        clause <= agencies[i].start and agency_counts(text, agencies[i].end, number.start)
        for i in near
    ):
        return None
    sentence = max(_clause_start(text, number.start, SENTENCE_ENDS),
                   number.start - MAX_SENTENCE_BEFORE)  # fmt: skip
    markers = list(_BY_AGENCY.finditer(text, sentence, number.start))
    if not markers:
        return None
    marker = markers[-1].start()
    parenthesis = OPEN_PARENTHESIS.search(text, marker, number.start)
    if parenthesis is not None:
        opened = parenthesis.start()
        # "其中规范性文件24条（县政府9条、县政府办公室15条）": the shares of the count the
        # parenthesis follows, not of the whole before 其中; where that count's METRIC is not
        # among these (the last one before has another count after it), the whole is unknown
        heads = [i for i in metric_starts.indices(sentence, opened) if metrics[i].end <= opened]
        if not heads or len(re.findall(r"\d+", text[metrics[heads[-1]].end : opened])) > 1:
            return None
        return metrics[heads[-1]]
    heads = [i for i in metric_starts.indices(sentence, marker) if metrics[i].end <= marker]
    if heads:
        return metrics[heads[-1]]
    if sentence > 0 and not text[sentence:marker].strip():
        # 其中 (or 从受理机关看) opens the sentence ("…共收到申请31,562件，较上年增加2,908件。其中省级部门13,007件"):
        # it breaks down the sentence before, whose first count is its headline; a comparison or
        # a carried-over count after it is no whole
        previous = _clause_start(text, sentence - 1, SENTENCE_ENDS)
        heads = [i for i in metric_starts.indices(previous, sentence) if metrics[i].end < sentence]
        return metrics[heads[0]] if heads else None
    return None


def _number_between(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"\d", text[start:end]))


def link_shares(
    text: str, numbers: list[Entity], percent: set[Entity], relations: list[Relation]
) -> list[Relation]:
    """ "网上申请13件，占申请总量的50%": a share describes the count just before it in its
    sentence, so it takes that count's METRIC; a rate names itself ("全文电子化率达100%")."""
    metric_of = {r.head: r.tail for r in relations if r.label == "value"}
    counts = [n for n in numbers if n not in percent]
    by_start = ByEnd(counts, "start")
    links = []
    for number in numbers:
        if number not in percent or number in metric_of or is_rate(text, number):
            continue
        sentence = _clause_start(text, number.start, SENTENCE_ENDS)
        # the count right before it; one not yet named waits for its METRIC
        earlier = by_start.indices(sentence, number.start - 1)
        if earlier and counts[earlier[-1]] in metric_of:
            links.append(Relation(number, metric_of[counts[earlier[-1]]], "value"))
    return links


def link_agencies(text: str, metrics: list[Entity], agencies: list[Entity]) -> list[Relation]:
    """A metric right after an agency in its clause is reported by it ("各部门主动公开…")."""
    relations = []
    by_end = ByEnd(agencies, "end")
    for metric in metrics:
        clause = _clause_start(text, metric.start)
        near = [i for i in by_end.indices(metric.start - 4, metric.start)
                if clause <= agencies[i].start]  # fmt: skip
        if near:
            relations.append(Relation(metric, agencies[near[-1]], "reported_by"))
    return relations
