"""Tables + tagged prose → Facts on the schema: field ids, values in the schema's units, evidence.

Table cells are mapped by ``ie.facts.table_cells``. Prose numbers become facts through the value links
the tagger made: the METRIC phrase names the field (via configs/metrics.yaml, for the report's
vintage and the 行政复议/行政诉讼 context), the NUMBER gives the value. Zero statements
("全年无行政复议发生") give value 0 with the statement as evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from ie.document import Document
from ie.facts.breakdowns import place_part
from ie.facts.flattened_rows import confirm_by_prose
from ie.facts.prose_rules import (
    ACCOUNT_UNITS,
    SEVERAL_CHANNELS,
    bare_channel,
    bare_wording,
    by_leaders,
    channel_list,
    channel_of_total,
    document_columns,
    document_row,
    outcome_by_reason,
    own_words,
    previous_year_figure,
    rejection,
    year_on_year,
)
from ie.prepared import Prepared
from ie.schema import Vintage
from ie.text.conventions import (
    COMMA_CLAUSE_ENDS,
    MAX_AGENCY_GAP,
    MAX_SENTENCE_BEFORE,
    RESPECTIVELY,
    SENTENCE_ENDS,
    ZERO_NEGATIONS,
    ZERO_NOT_NEGATING,
    ZERO_NOT_NEGATING_BEFORE,
    agency_counts,
    listed_numbers,
    mark_class,
    unit_misfit,
)
from ie.text.lexicon import Lexicon, MetricEntry, load_lexicon
from ie.text.numbers import Quantity, find_quantities, read_quantity, tidy, to_wan_yuan
from ie.text.positions import ByEnd, Overlaps, segment_start
from ie.types import Entity, Fact, Span, Statistic, Tagging

PROSE_CONFIDENCE = 0.85
MAX_ROW_BEFORE = 48  # characters from a 表二 row's METRIC to the clause of its change
ZERO_CONFIDENCE = 0.75
ZERO_BEFORE = 6  # characters before a negation where a zero rule's `before` words are looked for
# "Not one": 无一件, 没有一起, 一件也没有 — its 一 counts nothing.
_NOT_ONE = re.compile(r"(?:无|没有)一[件起个宗]|一[件起个宗]也(?:没有|未)")
# Words that say none happened, after what they are said of: "行政诉讼也没有发生", "…零发生"
_NONE_HAPPENED = re.compile(
    r"(?:没有|未曾?|无)(?:发生|出现|案件)|零发生|无一件|为零|空缺|一[件起宗]也(?:没有|未)"
    r"|(?:也|亦|同样|均|都)(?:没有|无)$"
)
# A clause that only says none happened, of what the clause before it named:
# "以市人民政府为被申请人的政府信息公开行政复议，本年度没有发生"
_NONE_HAPPENED_ALONE = re.compile(
    r"\s*(?:本年度|本年|全年|今年|当年)?\s*(?:也|亦|同样|均|都)?\s*"
    r"(?:没有发生|未发生|未曾发生|为零|没有|无)\s*$"
)
ZERO_SAID_AFTER = 24  # characters before those words where the keyword is looked for
# A negation said of the rest ("其余申请人均未被收费", "其他申请人的申请均未收费") is no zero of the
# whole: the sentences before name the ones that had some.
_THE_REST = re.compile(r"(?:其余|其他|另外)[^，,。；;]{0,12}?(?:均|都|全部)")
_CLAUSE = re.compile(mark_class(COMMA_CLAUSE_ENDS, negated=True) + "+")
_CUMULATIVE = re.compile(r"累计|历年|累积|总计已|截至目前共")
_OTHER_YEAR = re.compile(r"(?:比|较|同比|与(?:19|20)\d{2}年|曾经?|(?:19|20)\d{2}年(?:以来|至今))")
# 累计 in a sentence that names the report year ("2020年，我局累计主动公开…") is that year's total.
_THIS_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?!\d|\s*\d|底|末|以来)|全年|本年|今年")


@dataclass(frozen=True)
class Percentage:
    """A share the report states ("占申请总量的50%"): linked to the count it describes."""

    value: float | int
    field_id: str | None
    evidence: Span

    def to_json(self) -> dict[str, object]:
        return {"value": self.value, "unit": "%", "field_id": self.field_id,
                "evidence": self.evidence.to_json()}  # fmt: skip


@dataclass(frozen=True)
class Normalized:
    facts: list[Fact]
    unmapped: list[Statistic]
    percentages: list[Percentage]


def normalize(prepared: Prepared, tagging: Tagging) -> Normalized:
    """The table mapper's facts (read once, in ``prepared``) and the prose facts of ``tagging``."""
    facts, unmapped = list(prepared.table_facts), list(prepared.table_unmapped)
    # prose facts come from prose: a table region's words are the table mapper's
    in_table = [(t.span.start, t.span.end) for t in prepared.tables]
    prose = _ProseReader(prepared.document, tagging, prepared.vintage, prepared.info.year, in_table)
    prose.read()
    # a flattened row with several readings is settled where the prose restates one of its cells
    settled, unmapped = confirm_by_prose(unmapped, prose.facts, facts)
    return Normalized(facts + settled + prose.facts, unmapped + prose.unmapped, prose.percentages)


def _inside(position: int, ranges: Overlaps) -> bool:
    return ranges(position, position + 1)


class _ProseReader:
    def __init__(
        self,
        document: Document,
        tagging: Tagging,
        vintage: Vintage,
        year: int | None,
        in_table: list[tuple[int, int]],
    ) -> None:
        self.text = document.text
        self.tagging = tagging
        self.vintage = vintage
        self.year = year
        self.in_table = Overlaps(in_table)
        self.lexicon: Lexicon = load_lexicon()
        # the zero statement rules this vintage has fields for, with those fields: once a report,
        # not once a clause
        self.zero_rules = [
            (rule, fields)
            for rule in self.lexicon.zero_rules
            if (fields := [f for f in rule.fields.get(vintage.name, ()) if f in vintage.fields])
        ]
        self.facts: list[Fact] = []
        self.unmapped: list[Statistic] = []
        self.percentages: list[Percentage] = []

    def read(self) -> None:
        entities = [e for e in self.tagging.entities if not _inside(e.start, self.in_table)]
        metrics = [e for e in entities if e.label == "METRIC"]
        agencies = [e for e in entities if e.label == "AGENCY"]
        values: dict[Entity, Entity] = {}
        for relation in self.tagging.relations:
            if relation.label == "value" and not _inside(relation.head.start, self.in_table):
                values[relation.head] = relation.tail
        self._families = _Families(metrics, self._entry, self.lexicon.family_mentions(self.text))
        self._agency_ends = ByEnd(agencies, "end")
        self._metric_ends = ByEnd(metrics, "end")
        reported_by = {r.head: r.tail for r in self.tagging.relations if r.label == "reported_by"}
        part_of = {r.head: r.tail for r in self.tagging.relations if r.label == "part_of"}
        unit_of = {r.tail: r.head.text for r in self.tagging.relations if r.label == "unit"}
        last_field: str | None = None
        numbers = sorted(e for e in entities if e.label == "NUMBER")
        listed_channels = self._channel_lists(numbers)
        counted_as: dict[Entity | None, str] = {}  # a METRIC → the field its count was stated as
        for number in numbers:
            # The tagger's span is trusted: its own characters are the number.
            quantity = read_quantity(self.text, number.start, number.end, unit_of.get(number))
            if quantity is None:
                metric = values.get(number)
                self._unmapped(number, None, unit_of.get(number, ""), False,
                               metric.text if metric else "",
                               f"cannot read {number.text!r} as a number")  # fmt: skip
                continue
            if number in listed_channels:
                item, field_id = listed_channels[number]
                field_ = self.vintage.fields[field_id]
                if not unit_misfit(quantity.unit, field_.unit) and quantity.unit not in ACCOUNT_UNITS:
                    self.facts.append(Fact(field_id, quantity.value, field_.unit, quantity.approx,
                                           "prose", number.span, round(PROSE_CONFIDENCE * 0.8, 3),
                                           None, item))  # fmt: skip
                    last_field = field_id
                    continue
            metric = values.get(number)
            field_id = self._field(metric, metrics) if metric else None
            sentence = self._sentence(number.start)  # the rules below all read it: made once
            placement = None
            if metric is not None and field_id is None:
                # a part whose words name no field: its whole's breakdown may (公民 → applicant)
                whole = part_of.get(metric)
                whole_field = self._field(whole, metrics) if whole is not None else None
                placement = place_part(metric.text, whole_field, self.vintage.name,
                                       self.vintage.fields)  # fmt: skip
                if placement is not None:
                    field_id = placement.field
            bare = False
            if field_id is None and metric is not None and placement is None:
                # "在县政府网站专栏发布信息219条": words no lexicon phrase is, ending in wording too
                # bare to name the total, name the one channel named with them, else nothing
                bare = bare_wording(metric.text)
                if bare:
                    field_id = bare_channel(sentence)
                    field_id = field_id if field_id in self.vintage.fields else None
                    bare = field_id is None
            elif field_id == "active.total" and metric is not None:
                # "通过政府网站主动公开政府信息304条": the website's figure (FACTS.md)
                channel = channel_of_total(sentence)
                if channel:  # "" (a channel no field takes) is turned away by prose_rules
                    field_id = channel if channel in self.vintage.fields else None
            if quantity.unit == "%":
                self.percentages.append(
                    Percentage(quantity.value, field_id or last_field, number.span)
                )
                continue
            change = self._change(number, metric, metrics, quantity)
            if change is not None:
                self.facts.append(change)
                last_field = change.field_id
                continue
            if metric is None:
                self._unmapped(
                    number, quantity.value, quantity.unit, quantity.approx, "", "no metric"
                )
                continue
            if bare:
                self._unmapped(number, quantity.value, quantity.unit, quantity.approx, metric.text,
                               "信息 published through no one named channel, or a part of another "
                               "figure: wording this bare does not say it is the year's total")  # fmt: skip
                continue
            if placement is not None and placement.field is None:
                self._unmapped(number, quantity.value, quantity.unit, quantity.approx,
                               metric.text, placement.reason)  # fmt: skip
                continue
            if field_id is not None:  # "因街道不掌握相关信息无法提供3件": the not-held row
                field_id = outcome_by_reason(field_id, own_words(sentence), self.vintage.fields)
                led = by_leaders(field_id, sentence, self.vintage.fields)
                if led is None:
                    self._unmapped(number, quantity.value, quantity.unit, quantity.approx,
                                   metric.text, f"what the leaders took part in: no "
                                   f"{self.vintage.name} field counts it apart")  # fmt: skip
                    continue
                field_id = led
            reason = self._reject(number, metric, field_id, quantity.unit, sentence)
            if (
                reason == SEVERAL_CHANNELS
                and field_id != "active.channel.other"
                and "active.total" in self.vintage.fields
                and bare_wording(self.text[metric.start : number.start])
            ):
                # "通过镇政府网页、村级公开栏和镇政务微信公开信息305条": a channel's name among
                # others, in wording too bare to name a category: several channels are the total
                # (FACTS.md); other ways listed by example (报刊、广播电视等其他方式) stay other
                field_id = "active.total"
                reason = self._reject(number, metric, field_id, quantity.unit, sentence)
            if reason:
                self._unmapped(
                    number, quantity.value, quantity.unit, quantity.approx, metric.text, reason
                )
                continue
            assert field_id is not None
            qualifier = self._qualifier(number, metric, agencies, reported_by, part_of)
            if not qualifier and counted_as.get(part_of.get(metric)) == field_id:
                # "举办新闻发布会76场，其中疫情防控新闻发布会42场": a part of a count stated as this
                # field, not the field's own figure (a whole turned away, "历年累计52条，其中2010年
                # 新增…14条", leaves the field to its part)
                self._unmapped(number, quantity.value, quantity.unit, quantity.approx, metric.text,
                               f"a part of a count of {field_id} it breaks down")  # fmt: skip
                continue
            if qualifier and metric in reported_by and metric in part_of:
                # "其中，各部门主动公开…1799条": a breakdown of the head metric, not its own total
                field_id = self._field(part_of[metric], metrics) or field_id
            field_ = self.vintage.fields[field_id]
            value, unit = quantity.value, field_.unit
            if field_.unit == "万元":
                value, _ = to_wan_yuan(quantity.value, quantity.unit)
            confidence = PROSE_CONFIDENCE * metric.score * number.score
            self.facts.append(
                Fact(field_id, value, unit, quantity.approx, "prose", number.span,
                     round(confidence, 3), qualifier, metric.text,
                     parent=placement.parent if placement is not None else None)
            )  # fmt: skip
            counted_as[metric] = field_id
            last_field = field_id
        self._zero_statements()

    def _change(
        self, number: Entity, metric: Entity | None, metrics: list[Entity], quantity: Quantity
    ) -> Fact | None:
        """A row's change against the year before, or its figure of that year, where the vintage has
        a field for it: "行政许可事项13项，比2019年减少3项" → disclosure.license.change −3,
        "行政许可事项上一年为52项" → disclosure.license.prev_items 52. The row is the number's
        METRIC, else the last one before its clause in its sentence, with at most the row's own
        count between (a second count there may be what changed)."""
        clause_start = self._clause_start(number.start)
        before = self.text[clause_start : number.start]
        column, sign = "change", year_on_year(before, self.year)
        if previous_year_figure(before):
            column, sign = "prev_items", 1  # 行政许可事项上一年为52项: the table's 上一年项目数量
        if sign is None:
            return None
        row = metric
        if row is None or self._entry(row) is None:
            # no metric, or words no lexicon phrase is ("本年减少3项": 减少): the row before
            row = self._row_before(clause_start, metrics)
        entry = self._entry(row) if row is not None else None
        change = entry.changes.get(self.vintage.name) if entry is not None else None
        field_id = f"{change.rsplit('.', 1)[0]}.{column}" if change else None
        if row is None or field_id is None or field_id not in self.vintage.fields:
            return None
        field_ = self.vintage.fields[field_id]
        if unit_misfit(quantity.unit, field_.unit):
            return None
        confidence = PROSE_CONFIDENCE * row.score * number.score
        return Fact(field_id, tidy(sign * quantity.value), field_.unit, quantity.approx, "prose",
                    number.span, round(confidence, 3), None, row.text)  # fmt: skip

    def _row_before(self, clause_start: int, metrics: list[Entity]) -> Entity | None:
        sentence_start = segment_start(self.text, clause_start, SENTENCE_ENDS)
        # the row and its own count lie close before the clause: a window, not the sentence
        sentence_start = max(sentence_start, clause_start - MAX_ROW_BEFORE)
        ending = self._metric_ends.indices(sentence_start, clause_start)
        before = [metrics[i] for i in ending if sentence_start <= metrics[i].start]
        if not before:
            return None
        row = max(before, key=lambda m: m.end)
        counts = [q for q in find_quantities(self.text[row.end : clause_start]) if q.unit]
        return row if len(counts) <= 1 else None

    def _channel_lists(self, numbers: list[Entity]) -> dict[Entity, tuple[str, str]]:
        """The numbers of "门户网站、政府公报和政务微博…分别为2480条、56条和720条": each to the
        channel in its place (the item's words and its field), where every item names one channel
        the vintage has a field for and there are as many numbers as items."""
        found: dict[Entity, tuple[str, str]] = {}
        starts = [n.start for n in numbers]
        for marker in RESPECTIVELY.finditer(self.text):
            if _inside(marker.start(), self.in_table):
                continue
            clause = max(self._clause_start(marker.start()), marker.start() - MAX_SENTENCE_BEFORE)
            first = bisect_left(starts, marker.end())
            if first == len(numbers):
                continue
            verb = self.text[marker.end() : numbers[first].start]
            fields = channel_list(self.text[clause : marker.start()], verb)
            if fields is None or any(f not in self.vintage.fields for _, f in fields):
                continue
            run = listed_numbers(self.text, numbers, starts, marker.end(), most=len(fields))
            if len(run) != len(fields):
                continue
            for number, item in zip(run, fields, strict=True):
                found[number] = item
        return found

    def _entry(self, metric: Entity) -> MetricEntry | None:
        return self.lexicon.entry(metric.text)

    def _field(self, metric: Entity, metrics: list[Entity]) -> str | None:
        entry = self._entry(metric)
        if entry is None:
            return self._document_column(metric)
        family = None
        if entry.context:
            # 被依法纠错 belongs to the 行政复议 or 行政诉讼 mentioned last before it.
            family = self._families.before(metric.start)
        field_id = entry.field_for(self.vintage.name, family)
        return field_id if field_id in self.vintage.fields else None

    def _document_column(self, metric: Entity) -> str | None:
        """"制发行政规范性文件9件，废止3件，现行有效45件", "规章13件(含新制定5件,…废止4件)": a
        column word alone names the column of the document row its sentence named before it."""
        columns = document_columns(metric.text)
        if not columns:
            return None
        sentence = segment_start(self.text, metric.start, SENTENCE_ENDS)
        row = document_row(self.text[max(sentence, metric.start - MAX_SENTENCE_BEFORE) : metric.start])
        fields = [f"{row}.{column}" for column in columns if f"{row}.{column}" in self.vintage.fields]
        return fields[0] if row is not None and fields else None

    def _reject(
        self, number: Entity, metric: Entity, field_id: str | None, unit: str, sentence: str
    ) -> str:
        """Why ``number`` is not ``field_id``'s figure ("" when it is); ``sentence``: its sentence
        up to it, as ``_sentence`` gives it."""
        if field_id is None:
            entry = self._entry(metric)
            if entry is not None and entry.changes:
                # 行政许可事项13项: 2019's table counts last year's items and the change, not these
                return "a count of listed items (事项), which no field takes"
            return f"no {self.vintage.name} field for this metric"
        clause_start = self._clause_start(min(number.start, metric.start))
        # a share whose whole is stated in the sentence before ("…约5200件，比上年增长约一成。其中
        # 湖滨区约1300件") is judged by its own sentence: the whole's comparison is not its own
        own_sentence = segment_start(self.text, number.start, SENTENCE_ENDS)
        crosses = metric.end <= own_sentence
        context = self.text[own_sentence if crosses else clause_start : number.start]
        if _CUMULATIVE.search(context) and not _THIS_YEAR.search(sentence):
            return "cumulative over years"
        if _OTHER_YEAR.search(context):
            return "another year's figure or a change"
        misfit = unit_misfit(unit, self.vintage.fields[field_id].unit)
        if misfit:
            return misfit
        # the words after the lexicon's phrase, also where the METRIC runs on past it ("门户网站
        # 受理咨询投诉505件" is judged alike whether or not 受理咨询投诉 is in the METRIC)
        anchor = metric.start + self.lexicon.phrase_end(metric.text)
        between = self.text[anchor : number.start] if anchor <= number.start else ""
        if crosses:
            between = self.text[own_sentence : number.start]
        return rejection(field_id, unit, between, sentence)

    def _sentence(self, position: int) -> str:
        start = segment_start(self.text, position, SENTENCE_ENDS)
        return self.text[max(start, position - MAX_SENTENCE_BEFORE) : position]

    def _qualifier(
        self,
        number: Entity,
        metric: Entity,
        agencies: list[Entity],
        reported_by: dict[Entity, Entity],
        part_of: dict[Entity, Entity],
    ) -> dict[str, str] | None:
        if metric in reported_by:
            return {"agency": reported_by[metric].text}
        if metric.end <= number.start and metric.start < number.start:
            clause = self._clause_start(number.start)
            near = [i for i in self._agency_ends.indices(number.start - MAX_AGENCY_GAP, number.start)
                    if clause <= agencies[i].start and agencies[i].start > metric.end
                    and agency_counts(self.text, agencies[i].end, number.start)]  # fmt: skip
            if near:
                return {"agency": agencies[near[-1]].text}
        return None

    def _clause_start(self, position: int) -> int:
        return segment_start(self.text, position, COMMA_CLAUSE_ENDS)

    def _zero_statements(self) -> None:
        # where each sentence starts, by the fields its numbers state: a zero statement in a
        # sentence that states a count of the same field is about something else ("接到依申请公开
        # 事项3项，均已答复办结，未产生依申请公开政府信息案例": cases, not requests)
        stated = {
            (fact.field_id, segment_start(self.text, fact.evidence.start, SENTENCE_ENDS))
            for fact in self.facts
        }
        zeroed: set[str] = set()
        previous: re.Match[str] | None = None
        for clause in _CLAUSE.finditer(self.text):
            before, previous = previous, clause
            body = clause.group()
            # "无一件…行政复议", "一件也没有收到": the one of "not one" is no count
            counted = _NOT_ONE.sub(lambda m: "　" * len(m.group()), body)
            if _inside(clause.start(), self.in_table) or any(
                q.unit and q.unit != "%" for q in find_quantities(counted)
            ):
                continue
            if _THE_REST.search(body):
                continue  # "其余申请人均未被收费": the others had none, someone did
            sentence = segment_start(self.text, clause.start(), SENTENCE_ENDS)
            start, hits = clause.start(), self._zero_hits(body) or self._zero_said_after(body)
            if not hits and before is not None and before.start() >= sentence:
                # "…行政复议，本年度没有发生": the clause before names what none happened of
                if _NONE_HAPPENED_ALONE.fullmatch(body) and not find_quantities(before.group()):
                    start = before.start()
                    hits = self._zero_said_after(self.text[start : clause.end()])
            for (position, end), fields in hits:
                evidence = self._span_at(start + position, start + end)
                for field_id in fields:
                    if (field_id, sentence) in stated or field_id in zeroed:
                        continue
                    # a zero stated twice ("未收到…申请", later "群众没有提出申请") is one figure,
                    # recorded at its first statement (FACTS.md)
                    zeroed.add(field_id)
                    unit = self.vintage.fields[field_id].unit
                    self.facts.append(Fact(field_id, 0, unit, False, "prose", evidence,
                                           ZERO_CONFIDENCE, None, body.strip()))  # fmt: skip

    def _zero_hits(self, body: str) -> list[tuple[tuple[int, int], list[str]]]:
        """After the first negation: each zero statement rule whose keyword follows it."""
        lexicon = self.lexicon
        positions = sorted(
            match.start()
            for negation in ZERO_NEGATIONS
            for match in re.finditer(re.escape(negation), body)
            if not ZERO_NOT_NEGATING.match(body[match.end() :])
            and not body.endswith(ZERO_NOT_NEGATING_BEFORE.get(negation, ()), 0, match.start())
        )
        for position in positions:
            window = body[position : position + lexicon.zero_window]
            hits = []
            for rule, fields in self.zero_rules:
                keyword = next((k for k in rule.keywords if k in window), None)
                if keyword is None or (rule.only_alone and hits):
                    continue
                if any(word in window for word in rule.unless):
                    continue
                said_before = body[max(0, position - ZERO_BEFORE) : position]
                if rule.before and not any(word in said_before for word in rule.before):
                    continue
                hits.append(((position, position + window.index(keyword) + len(keyword)), fields))
            if hits:
                return hits
        return []

    def _zero_said_after(self, body: str) -> list[tuple[tuple[int, int], list[str]]]:
        """"行政诉讼也没有发生", "信息公开行政复议零发生": a rule marked said_after whose keyword
        is named last before the words that say none happened, within ZERO_SAID_AFTER."""
        for none in _NONE_HAPPENED.finditer(body):
            start = max(0, none.start() - ZERO_SAID_AFTER)
            named = []
            for rule, fields in self.zero_rules:
                if not rule.said_after:
                    continue
                found = [body.rfind(k, start, none.start()) for k in rule.keywords]
                if max(found) >= 0:
                    named.append((max(found), fields))
            if named:
                position, fields = max(named)
                return [((position, none.end()), fields)]
        return []

    def _span_at(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def _unmapped(self, number: Entity, value: float | int | None, unit: str, approx: bool,
                  metric: str, reason: str) -> None:  # fmt: skip
        self.unmapped.append(Statistic(value, unit, approx, "prose", number.span, metric, reason))


class _Families:
    """The family (行政复议, 行政诉讼, 直接起诉, 复议后起诉) named last before a position, in log
    time: by the metrics that name one and by the family phrases printed in the text, also where
    they count no number themselves ("直接起诉的案件中，结果维持6件")."""

    def __init__(
        self,
        metrics: list[Entity],
        entry: Callable[[Entity], MetricEntry | None],
        mentions: list[tuple[int, str]],
    ) -> None:
        named = dict(mentions)
        for metric in metrics:
            found = entry(metric)
            if found is not None and found.family:
                named[metric.start] = found.family
        self.starts = sorted(named)
        self.families = [named[start] for start in self.starts]

    def before(self, position: int) -> str | None:
        below = bisect_left(self.starts, position)
        return self.families[below - 1] if below else None
