"""The written training corpus (``annotations/written/*.txt``): parse, check, convert, count.

Paragraphs of report prose written by us, with spans, relations and gold facts inline
(``annotations/written/NOTATION.md``)::

    === w2-0007 | vintage=2019 | level=county | section=依申请 | forms=分别为,、 | script=simplified
    本年度共[收到政府信息公开申请]{M m1 sum}[21]{N m1 requests.new_received.total}[件]{U}，…

A paragraph becomes plain text (the markup removed), spans with exact offsets, relations (value
NUMBER→METRIC, unit UNIT→NUMBER, part_of METRIC→METRIC, reported_by METRIC→AGENCY) and gold facts.
The text is what the reader would make of it (``ie.read.textnorm``: full-width forms folded,
traditional characters converted to simplified, never a change of length), so a written paragraph
is a chunk like any chunk of a real report.

    python -m training.written_corpus check annotations/written
    python -m training.written_corpus convert annotations/written --out build/written
    python -m training.written_corpus stats annotations/written

Training reads the corpus with ``written_examples(directory)``: the example dicts
``python -m ie.studio convert`` makes (tokens, ner_tags, relations, document, start, end, id),
made by the same converter (``ie.studio.convert.task_example``) from the Label Studio tasks that
``convert`` writes. Written paragraphs are train data only: never put them in dev or test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

# Every import from the ie package is here, in one place (the package is being restructured:
# when one of these moves, this block is the only thing to update).
from ie.paths import shared_dir
from ie.read import read
from ie.read.textnorm import fold_char, is_traditional, normalize, to_simplified
from ie.schema import VINTAGES, load_schema
from ie.studio.convert import Malformed, task_example
from ie.text.conventions import COUNT_UNITS
from ie.text.lexicon import load_lexicon
from ie.text.numbers import parse_number, read_quantity, to_wan_yuan

ROOT = Path(__file__).resolve().parent.parent
WRITTEN = ROOT / "annotations" / "written"
SCHEMA_FILE = ROOT / "configs" / "schema.yaml"

LEVELS = ("province", "city", "county", "township", "street", "department")
SECTIONS = (
    "总体情况", "主动公开", "依申请", "复议诉讼", "收费", "平台建设", "机构人员", "培训", "会议",
    "监督", "其他",
)  # fmt: skip
FORMS = (
    "其中", "包括", "分别为", "括号", "、", "一是", "余", "约", "近", "多", "零", "繁体",
    "日期", "文号", "电话", "地址", "排名", "百分比", "往年", "累计", "非统计",
)  # fmt: skip
SCRIPTS = ("simplified", "traditional")
HEADER_KEYS = ("vintage", "level", "section", "forms", "script")
# forms that are words of the text: a paragraph listing one shows it
LITERAL_FORMS = {"其中": ("其中",), "包括": ("包括",), "分别为": ("分别",), "、": ("、",),
                 "一是": ("一是",), "括号": ("（", "("), "余": ("余",), "约": ("约",),
                 "近": ("近",), "多": ("多",)}  # fmt: skip

TAGS = {"M": "METRIC", "N": "NUMBER", "U": "UNIT", "A": "AGENCY", "Z": "ZERO"}
METRIC_ID = re.compile(r"m\d+")
AGENCY_ID = re.compile(r"a\d+")
PARAGRAPH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

# Units: money is counted in 元/万元 (facts in 万元), people in 人/名/人次/位, everything else in
# the other count units of ie.text.numbers; a percentage is never a fact.
MONEY_UNITS = frozenset({"元", "万元"})
PEOPLE_UNITS = frozenset({"人", "名", "人次", "位"})
PERCENT_UNITS = frozenset({"%", "％"})
# measure words prose uses beside the count units of ie.text.numbers (两所学校, 三位)
EXTRA_COUNT_UNITS = frozenset({"位", "所"})
KNOWN_UNITS = frozenset(COUNT_UNITS) | PERCENT_UNITS | PEOPLE_UNITS | EXTRA_COUNT_UNITS
# between a NUMBER and its UNIT only an approximation mark ("2.5万余份") or a space
BETWEEN_NUMBER_AND_UNIT = frozenset("余多 ")
APPROX_AFTER_UNIT = ("左右", "余", "多")  # "20件左右"
COPY_RUN = 20  # characters a paragraph may never share with a text of ../shared
LABEL_BLANK_MIN = 8  # schema labels at least this long are blanked in ../shared before comparing
SENTINEL = "\x00"


# ----------------------------------------------------------------------------------------------
# Data


@dataclass
class Problem:
    file: str
    line: int
    paragraph: str  # "" for problems outside a paragraph
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}: {self.paragraph}: {self.message}"
            if self.paragraph
            else (f"{where}: {self.message}")
        )


@dataclass
class Span:
    tag: str  # M N U A Z
    start: int  # offsets into the paragraph's plain text
    end: int
    surface: str  # the plain text as written (before normalization)
    column: int  # 1-based column of its '[' in the markup line
    id: str = ""  # m1/a1 as written; n1/u1/z1 given here
    args: list[str] = field(default_factory=list)
    children: list[Span] = field(default_factory=list)
    # METRIC
    wholes: list[str] = field(default_factory=list)  # <pid
    agencies: list[str] = field(default_factory=list)  # @aid
    sum: bool = False
    # NUMBER
    metric: str | None = None  # None for "_"
    field_id: str | None = None  # None for "-"
    # ZERO
    zero_fields: list[str] = field(default_factory=list)  # every field it states as 0
    qualifier: str | None = None  # q=aid
    # UNIT
    number: str | None = None  # the NUMBER's id

    @property
    def label(self) -> str:
        return TAGS[self.tag]

    def where(self) -> str:
        return f"{self.label} {self.surface!r} (col {self.column})"


@dataclass
class Paragraph:
    id: str
    file: str  # path as given (for messages)
    name: str  # the file's name
    line: int  # the header's line number
    header: dict[str, str]
    markup: str
    plain: str = ""  # the text as written, markup removed
    text: str = ""  # the text as the reader normalizes it (same length as plain)
    spans: list[Span] = field(default_factory=list)  # every span, Z included, by start
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (head, tail, label)
    facts: list[dict] = field(default_factory=list)
    parsed: bool = False  # markup and header read without a problem

    @property
    def vintage(self) -> str:
        return self.header.get("vintage", "")

    @property
    def forms(self) -> list[str]:
        raw = self.header.get("forms", "")
        # a traditional paragraph's writer may spell its forms so (餘, 分別為): the same forms
        return [to_simplified(form.strip()) for form in raw.split(",") if form.strip()]

    @property
    def document(self) -> str:
        return f"annotations/written/{self.name}#{self.id}"

    def by_id(self) -> dict[str, Span]:
        return {span.id: span for span in self.spans}


@dataclass
class Corpus:
    files: list[Path]
    paragraphs: list[Paragraph]
    problems: list[Problem]


# ----------------------------------------------------------------------------------------------
# Parsing


def corpus_files(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    return sorted(p for p in directory.glob("*.txt") if not p.name.startswith("."))


def parse_corpus(directory: Path) -> Corpus:
    """Every block of every ``*.txt`` under ``directory``: headers and markup read, spans, relations
    and facts built; what cannot be read is a problem, the rest of the file is still read."""
    files = corpus_files(directory)
    paragraphs: list[Paragraph] = []
    problems: list[Problem] = []
    for path in files:
        found, trouble = parse_file(path)
        paragraphs += found
        problems += trouble
    return Corpus(files, paragraphs, problems)


def parse_file(path: Path, shown: str | None = None) -> tuple[list[Paragraph], list[Problem]]:
    shown = shown or _shown(path)
    try:
        content = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return [], [Problem(shown, 1, "", f"not UTF-8 ({error})")]
    except OSError as error:
        return [], [Problem(shown, 1, "", f"cannot read: {error}")]
    return parse_text(content.lstrip("\ufeff"), shown, path.name)


def parse_text(content: str, shown: str, name: str) -> tuple[list[Paragraph], list[Problem]]:
    """The blocks of one file's content (``shown`` names it in messages, ``name`` in documents)."""
    lines = content.replace("\r\n", "\n").split("\n")
    paragraphs: list[Paragraph] = []
    problems: list[Problem] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        number = index + 1
        if not line.startswith("==="):
            problems.append(
                Problem(
                    shown,
                    number,
                    "",
                    "expected a header line '=== ID | key=value "
                    "| ...' (a block is a header line and one paragraph line)",
                )
            )
            index += 1
            while index < len(lines) and lines[index].strip():  # skip to the next block
                index += 1
            continue
        paragraph_line = lines[index + 1] if index + 1 < len(lines) else ""
        if not paragraph_line.strip() or paragraph_line.startswith("==="):
            pid = _header_id(line)
            problems.append(Problem(shown, number, pid, "header without a paragraph line after it"))
            index += 1
            continue
        paragraph = Paragraph("", shown, name, number, {}, paragraph_line)
        problems += parse_block(paragraph, line, paragraph_line)
        paragraphs.append(paragraph)
        index += 2
        extra = index
        while extra < len(lines) and lines[extra].strip():
            problems.append(Problem(shown, extra + 1, paragraph.id,
                                    "a block holds one paragraph line; separate blocks by a blank "
                                    "line"))  # fmt: skip
            extra += 1
        index = extra
    return paragraphs, problems


def _header_id(line: str) -> str:
    return line[3:].split("|", 1)[0].strip()


def parse_block(paragraph: Paragraph, header: str, markup: str) -> list[Problem]:
    problems = parse_header(paragraph, header)
    markup_problems = parse_markup(paragraph, markup)
    problems += markup_problems
    if markup_problems:
        return problems
    problems += normalize_text(paragraph)
    link_problems = build_links(paragraph)
    problems += link_problems
    paragraph.parsed = not problems
    if not link_problems:
        problems += build_facts(paragraph)
    return problems


def parse_header(paragraph: Paragraph, line: str) -> list[Problem]:
    problems = []

    def problem(message: str) -> None:
        problems.append(Problem(paragraph.file, paragraph.line, paragraph.id, message))

    parts = [part.strip() for part in line[3:].split("|")]
    paragraph.id = parts[0]
    if not line.startswith("=== "):
        problem("a header starts with '=== ' (three '=' and a space)")
    if not PARAGRAPH_ID.fullmatch(paragraph.id):
        problem(f"paragraph id {paragraph.id!r} is not an id like w2-0007")
    for part in parts[1:]:
        key, equals, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key:
            problem(f"header item {part!r} is not key=value")
            continue
        if key not in HEADER_KEYS:
            problem(f"unknown header key {key!r} (keys: {', '.join(HEADER_KEYS)})")
            continue
        if key in paragraph.header:
            problem(f"header key {key!r} given twice")
            continue
        paragraph.header[key] = value
    header = paragraph.header
    if "vintage" not in header:
        problem(f"header has no vintage (required: {', '.join(VINTAGES)})")
    elif header["vintage"] not in VINTAGES:
        problem(f"vintage {header['vintage']!r} is not one of {', '.join(VINTAGES)}")
    for key, allowed in (("level", LEVELS), ("section", SECTIONS), ("script", SCRIPTS)):
        if key in header and header[key] not in allowed:
            problem(f"{key} {header[key]!r} is not one of {', '.join(allowed)}")
    if "forms" in header:
        for form in paragraph.forms:
            if form not in FORMS:
                problem(f"form {form!r} is not one of {', '.join(FORMS)} (comma-separated)")
    return problems


def parse_markup(paragraph: Paragraph, line: str) -> list[Problem]:
    """``[surface]{TAG args}`` → plain text and spans; only Z spans hold other spans."""
    problems = []

    def problem(message: str) -> None:
        problems.append(Problem(paragraph.file, paragraph.line + 1, paragraph.id, message))

    plain: list[str] = []
    stack: list[tuple[int, int, list[Span]]] = []  # (plain start, column, children)
    top: list[Span] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == "[":
            stack.append((len(plain), index + 1, []))
            index += 1
        elif char == "]":
            if not stack:
                problem(f"']' at col {index + 1} closes no '['")
                return problems
            if line[index + 1 : index + 2] != "{":
                problem(f"']' at col {index + 1} is not followed by '{{TAG ...}}'")
                return problems
            close = line.find("}", index + 2)
            if close < 0:
                problem(f"'{{' at col {index + 2} is never closed by '}}'")
                return problems
            tag_text = line[index + 2 : close]
            if any(c in tag_text for c in "[]{"):
                problem(f"tag at col {index + 2} holds a bracket: {tag_text!r}")
                return problems
            start, column, children = stack.pop()
            span = Span("", start, len(plain), "".join(plain[start:]), column, children=children)
            problems_before = len(problems)
            _read_tag(span, tag_text, problem)
            if len(problems) == problems_before:
                (stack[-1][2] if stack else top).append(span)
            index = close + 1
        elif char in "{}":
            problem(f"{char!r} at col {index + 1} outside a tag (a tag follows ']')")
            return problems
        else:
            plain.append(char)
            index += 1
    if stack:
        problem(f"'[' at col {stack[-1][1]} is never closed")
        return problems
    paragraph.plain = "".join(plain)
    spans: list[Span] = []

    def collect(items: list[Span], inside: Span | None) -> None:
        for span in items:
            if inside is not None and span.tag in "ZNU":
                problem(f"{span.where()} inside a zero statement: a Z holds its METRIC (and "
                        "AGENCY) only, and Z spans do not nest")  # fmt: skip
            if span.children and span.tag != "Z":
                problem(f"{span.where()} holds other spans: only a Z statement may")
            spans.append(span)
            collect(span.children, span)

    collect(top, None)
    numbers = Counter()
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.tag in "NUZ":
            numbers[span.tag] += 1
            span.id = f"{span.tag.lower()}{numbers[span.tag]}"
    paragraph.spans = sorted(spans, key=lambda s: (s.start, -s.end))
    for span in paragraph.spans:
        if not span.surface:
            problem(f"{span.label} at col {span.column} is empty")
        elif span.surface != span.surface.strip():
            problem(f"{span.where()} has spaces at its ends")
    seen: dict[str, Span] = {}
    for span in paragraph.spans:
        if span.tag in "MA" and span.id:
            if span.id in seen:
                problem(f"span id {span.id!r} used twice in the paragraph ({seen[span.id].where()}, "
                        f"{span.where()})")  # fmt: skip
            seen.setdefault(span.id, span)
    if not paragraph.plain.strip():
        problem("the paragraph is empty")
    return problems


def _read_tag(span: Span, tag_text: str, problem) -> None:
    words = tag_text.split()
    if not words or words[0] not in TAGS:
        problem(f"tag {{{tag_text}}} at {span.surface!r} (col {span.column}) is not one of "
                "M, N, U, A, Z")  # fmt: skip
        return
    span.tag, args = words[0], words[1:]
    span.args = args
    where = span.where()
    if span.tag == "M":
        if not args or not METRIC_ID.fullmatch(args[0]):
            problem(f"{where}: a METRIC needs an id m1, m2, … first ({{{tag_text}}})")
            return
        span.id = args[0]
        for arg in args[1:]:
            if arg == "sum":
                span.sum = True
            elif arg.startswith("<") and len(arg) > 1:
                span.wholes.append(arg[1:])
            elif arg.startswith("@") and len(arg) > 1:
                span.agencies.append(arg[1:])
            else:
                problem(f"{where}: unknown METRIC argument {arg!r} (<pid, @aid or sum)")
    elif span.tag == "A":
        if len(args) != 1 or not AGENCY_ID.fullmatch(args[0]):
            problem(f"{where}: an AGENCY is {{A a1}} (an id a1, a2, … and nothing else)")
            return
        span.id = args[0]
    elif span.tag == "N":
        if len(args) < 2:
            problem(f"{where}: a NUMBER is {{N mid field}} (mid or _, field id or -), "
                    f"got {{{tag_text}}}")  # fmt: skip
            return
        mid, field_id, rest = args[0], args[1], args[2:]
        if mid != "_" and not METRIC_ID.fullmatch(mid):
            problem(f"{where}: {mid!r} is not a METRIC id (m1, …) or _")
        span.metric = None if mid == "_" else mid
        span.field_id = None if field_id == "-" else field_id
        for arg in rest:
            if arg.startswith("q=") and len(arg) > 2 and span.qualifier is None:
                span.qualifier = arg[2:]
            else:
                problem(f"{where}: unknown NUMBER argument {arg!r} (only one q=aid)")
    elif span.tag == "U":
        if args:
            problem(f"{where}: a UNIT is {{U}}, without arguments")
    elif span.tag == "Z":
        # One statement may deny several things at once ("未发生行政复议、行政诉讼和申诉案件"):
        # then it names each of their fields (申诉 has none), in the order of its METRICs.
        if not args or "-" in args or len(set(args)) != len(args):
            problem(f"{where}: a zero statement is {{Z field}} (or {{Z field field …}}: the "
                    "fields of the METRICs it holds, in their order), each field once")  # fmt: skip
            return
        span.zero_fields = list(args)


def normalize_text(paragraph: Paragraph) -> list[Problem]:
    """The reader's normalization (``ie.read.textnorm.normalize``; a traditional paragraph is
    converted to simplified as a traditional report would be); its length must not change."""
    problems = []
    line = paragraph.line + 1

    def problem(message: str) -> None:
        problems.append(Problem(paragraph.file, line, paragraph.id, message))

    plain = paragraph.plain
    text, _, traditional = normalize(plain)
    if len(text) != len(plain):
        where = next((i for i, (a, b) in enumerate(zip(plain, text, strict=False))
                      if fold_char(a) != b), min(len(plain), len(text)))  # fmt: skip
        problem(f"the reader's normalization changes the text's length ({len(plain)} → "
                f"{len(text)} characters, near character {where}: {plain[where:where + 5]!r}); "
                "remove invisible characters and line breaks")  # fmt: skip
        paragraph.text = plain
        return problems
    script = paragraph.header.get("script", "simplified")
    if script == "traditional":
        if not traditional:
            text = to_simplified(text)
        folded = "".join(fold_char(c) for c in plain)
        if text == folded:
            problem("script=traditional but no character is traditional (the traditional → "
                    "simplified conversion changes nothing)")  # fmt: skip
        if "繁体" not in paragraph.forms and "forms" in paragraph.header:
            problem("script=traditional: list the form 繁体 too")
    else:
        if traditional or is_traditional(plain):
            problem("the text reads as traditional (ie.read.textnorm.is_traditional): set "
                    "script=traditional")  # fmt: skip
        if "繁体" in paragraph.forms:
            problem("form 繁体 listed but script is not traditional")
    if len(text) != len(plain):
        problem("traditional → simplified conversion changed the text's length")
        text = plain
    paragraph.text = text
    return problems


def build_links(paragraph: Paragraph) -> list[Problem]:
    """Relations from the ids: value, unit, part_of, reported_by; each link checked."""
    problems = []
    line = paragraph.line + 1

    def problem(message: str) -> None:
        problems.append(Problem(paragraph.file, line, paragraph.id, message))

    ids = paragraph.by_id()
    relations: list[tuple[str, str, str]] = []

    def target(span: Span, ref: str, kind: str, what: str) -> bool:
        found = ids.get(ref)
        if found is None:
            problem(f"{span.where()}: {what} {ref!r} is no span of the paragraph")
            return False
        if found.tag != kind:
            problem(f"{span.where()}: {what} {ref!r} is a {found.label}, not a {TAGS[kind]}")
            return False
        return True

    for span in paragraph.spans:
        if span.tag == "M":
            for whole in span.wholes:
                if whole == span.id:
                    problem(f"{span.where()}: a METRIC is not a part of itself (<{whole})")
                elif target(span, whole, "M", "part_of (<)"):
                    relations.append((span.id, whole, "part_of"))
            for agency in span.agencies:
                if target(span, agency, "A", "reported_by (@)"):
                    relations.append((span.id, agency, "reported_by"))
        elif span.tag == "N":
            if span.metric is not None and target(span, span.metric, "M", "value link"):
                relations.append((span.id, span.metric, "value"))
            if span.qualifier is not None:
                target(span, span.qualifier, "A", "q=")
    # part_of must not loop
    wholes = {s.id: s.wholes for s in paragraph.spans if s.tag == "M"}
    for start in wholes:
        seen, todo = set(), list(wholes[start])
        while todo:
            current = todo.pop()
            if current == start:
                problem(f"part_of links loop through {start}")
                break
            if current not in seen:
                seen.add(current)
                todo += wholes.get(current, [])
    # a UNIT follows its NUMBER: the span right before it, only 余/多/space between
    inner = [s for s in paragraph.spans if s.tag != "Z"]
    units_of: dict[str, Span] = {}
    for index, span in enumerate(inner):
        if span.tag != "U":
            continue
        before = inner[index - 1] if index else None
        if before is None or before.tag != "N":
            problem(f"{span.where()} does not follow a NUMBER")
            continue
        between = paragraph.text[before.end : span.start]
        if any(char not in BETWEEN_NUMBER_AND_UNIT for char in between):
            problem(f"{span.where()} is not right after its NUMBER {before.surface!r} "
                    f"({between!r} between them)")  # fmt: skip
            continue
        if before.id in units_of:
            problem(f"{span.where()}: NUMBER {before.surface!r} already has the UNIT "
                    f"{units_of[before.id].surface!r}")  # fmt: skip
            continue
        units_of[before.id] = span
        span.number = before.id
        relations.append((span.id, before.id, "unit"))
    paragraph.relations = relations
    return problems


def unit_of(paragraph: Paragraph, number: Span) -> Span | None:
    return next((s for s in paragraph.spans if s.tag == "U" and s.number == number.id), None)


def build_facts(paragraph: Paragraph) -> list[Problem]:
    """Gold facts: each NUMBER with a field (value read by ``ie.text.numbers.read_quantity``,
    money in 万元) and each zero statement; values, units and fields checked."""
    problems = []
    line = paragraph.line + 1

    def problem(message: str) -> None:
        problems.append(Problem(paragraph.file, line, paragraph.id, message))

    vintage = load_schema(SCHEMA_FILE).vintages.get(paragraph.vintage)
    text = paragraph.text
    ids = paragraph.by_id()
    facts = []
    for span in paragraph.spans:
        if span.tag == "Z":
            facts += _zero_facts(paragraph, span, vintage, problem)
            continue
        if span.tag != "N":
            continue
        fact = _number_fact(paragraph, span, vintage, problem)
        if fact is None:
            continue
        if span.qualifier is not None and span.qualifier in ids:
            agency = ids[span.qualifier]
            fact["qualifier"] = {"agency": text[agency.start : agency.end]}
        facts.append(fact)
    seen: dict[tuple, dict] = {}
    for fact in facts:
        key = (fact["field_id"], json.dumps(fact["qualifier"], ensure_ascii=False))
        earlier = seen.get(key)
        if earlier is not None and earlier["value"] == fact["value"]:
            problem(f"fact {fact['field_id']} = {fact['value']} stated twice "
                    f"({earlier['evidence']['text']!r} and {fact['evidence']['text']!r}): a figure "
                    "stated twice is recorded once; mark the second '-'")  # fmt: skip
        seen.setdefault(key, fact)
    paragraph.facts = facts
    return problems


def _number_fact(paragraph: Paragraph, span: Span, vintage, problem) -> dict | None:
    text = paragraph.text
    unit_span = unit_of(paragraph, span)
    unit = text[unit_span.start : unit_span.end] if unit_span else None
    surface = text[span.start : span.end]
    quantity = read_quantity(text, span.start, span.end, unit)
    if quantity is None:
        problem(f"{span.where()}: ie.text.numbers cannot read this number")
        return None
    if parse_number(surface) is None:
        problem(f"{span.where()}: the NUMBER holds more than the number (an approximation mark "
                "or a unit belongs outside it)")  # fmt: skip
        return None
    if unit_span is None and quantity.unit_start >= 0:
        printed = text[quantity.unit_start : quantity.unit_end]
        problem(f"{span.where()}: the unit {printed!r} after it is not marked [{printed}]{{U}}")
    if span.start > 0 and text[span.start - 1] == "第":
        problem(f"{span.where()}: an ordinal (第…) is never a NUMBER")
    if text[span.end : span.end + 1] in ("年", "月", "日") and not unit_span:
        problem(f"{span.where()}: a date is never a NUMBER")
    if span.field_id is None:
        return None
    if vintage is None:
        return None
    schema_field = vintage.fields.get(span.field_id)
    if schema_field is None:
        problem(f"{span.where()}: field {span.field_id!r} is not a field of vintage "
                f"{vintage.name}")  # fmt: skip
        return None
    value, printed_unit = quantity.value, quantity.unit
    approx = quantity.approx
    if unit_span is not None:
        approx = approx or text[unit_span.end : unit_span.end + 2].startswith(APPROX_AFTER_UNIT)
    if printed_unit in PERCENT_UNITS:
        problem(f"{span.where()}: a percentage is no fact (field {span.field_id}); mark it '-'")
        return None
    if schema_field.unit == "万元":
        if printed_unit not in MONEY_UNITS:
            problem(f"{span.where()}: {span.field_id} is money: its UNIT must be 元 or 万元 "
                    f"(got {printed_unit or 'none'})")  # fmt: skip
            return None
        value, unit = to_wan_yuan(value, printed_unit)
    else:
        unit = printed_unit or schema_field.unit
        problem_unit = _unit_mismatch(printed_unit, schema_field.unit)
        if problem_unit:
            problem(f"{span.where()}: unit {printed_unit!r} does not fit {span.field_id} "
                    f"(counted in {schema_field.unit}): {problem_unit}")  # fmt: skip
    return {
        "field_id": span.field_id, "value": value, "unit": unit, "approx": bool(approx),
        "qualifier": None, "origin": "prose",
        "evidence": {"start": span.start, "end": span.end, "text": surface},
    }  # fmt: skip


def _unit_mismatch(printed: str, expected: str) -> str:
    """Why a printed unit does not fit a count field's unit ("" when it fits or none is printed)."""
    if not printed or printed == expected:
        return ""
    if printed in MONEY_UNITS:
        return "money is no count"
    if printed not in KNOWN_UNITS:
        return "not a known count unit"
    if (printed in PEOPLE_UNITS) != (expected in PEOPLE_UNITS):
        return "people and things are counted apart"
    return ""


def _zero_facts(paragraph: Paragraph, span: Span, vintage, problem) -> list[dict]:
    """A zero statement's facts: value 0 for each field it names, the statement as evidence."""
    if vintage is None:
        return []
    metrics = [child for child in span.children if child.tag == "M"]
    # a METRIC may name what no field takes (申诉 beside 行政复议 and 行政诉讼), never the reverse
    if len(metrics) < len(span.zero_fields):
        problem(f"{span.where()} names {len(span.zero_fields)} fields but holds "
                f"{len(metrics)} METRICs: at least one METRIC per field")  # fmt: skip
        return []
    facts = []
    for field_id in span.zero_fields:
        schema_field = vintage.fields.get(field_id)
        if schema_field is None:
            problem(f"{span.where()}: field {field_id!r} is not a field of vintage "
                    f"{vintage.name}")  # fmt: skip
            continue
        facts.append({
            "field_id": field_id, "value": 0, "unit": schema_field.unit, "approx": False,
            "qualifier": None, "origin": "prose",
            "evidence": {"start": span.start, "end": span.end,
                         "text": paragraph.text[span.start : span.end]},
        })  # fmt: skip
    return facts


# ----------------------------------------------------------------------------------------------
# Checks over the parsed corpus


def check_arithmetic(paragraph: Paragraph) -> list[Problem]:
    """A METRIC marked ``sum``: its parts' values add up to its own; no part exceeds its whole."""
    problems = []

    def problem(message: str) -> None:
        problems.append(Problem(paragraph.file, paragraph.line + 1, paragraph.id, message))

    metrics = [s for s in paragraph.spans if s.tag == "M"]
    parts: dict[str, list[Span]] = defaultdict(list)
    for metric in metrics:
        for whole in metric.wholes:
            parts[whole].append(metric)
    for metric in metrics:
        own = metric_values(paragraph, metric)
        if metric.sum and not parts[metric.id]:
            problem(f"{metric.where()} is marked sum but no METRIC is a part of it (<{metric.id})")
            continue
        if not parts[metric.id]:
            continue
        if len(own) != 1:
            if metric.sum:
                problem(f"{metric.where()} is marked sum but has "
                        f"{'no value' if not own else 'several values'} of its own "
                        f"({', '.join(str(v) for v, _ in own) or 'no NUMBER, no Z'})")  # fmt: skip
            continue
        whole_value, whole_approx = own[0]
        values = []
        for part in parts[metric.id]:
            part_values = metric_values(paragraph, part)
            if len(part_values) != 1:
                if metric.sum:
                    problem(f"{metric.where()} is marked sum but its part {part.where()} has "
                            f"{'no value' if not part_values else 'several values'}")  # fmt: skip
                values = None
                continue
            value, _ = part_values[0]
            if values is not None:
                values.append(value)
            if not whole_approx and value > whole_value + 1e-9:
                problem(f"part {part.where()} = {value} exceeds its whole {metric.where()} = "
                        f"{whole_value}")  # fmt: skip
        if metric.sum and values is not None and abs(sum(values) - whole_value) > 1e-6:
            problem(f"{metric.where()} is marked sum: its parts add up to "
                    f"{' + '.join(str(v) for v in values)} = {round(sum(values), 6)}, "
                    f"not {whole_value}")  # fmt: skip
    return problems


def metric_values(paragraph: Paragraph, metric: Span) -> list[tuple[float, bool]]:
    """A METRIC's own values (money in 万元), distinct, with whether each is approximate: 0 when a
    zero statement holds it, else its value-linked NUMBERs, percentages left out, the first kind
    that has any of: facts without a qualifier ("64件"), numbers without one (no fact: another
    year's, a difference), qualified facts (a part that is an agency's share: "局机关…1,027条")."""
    text = paragraph.text
    if any(s.tag == "Z" and s.start <= metric.start and metric.end <= s.end
           for s in paragraph.spans):  # fmt: skip
        return [(0.0, False)]
    tiers: list[dict[float, bool]] = [{}, {}, {}]
    for span in paragraph.spans:
        if span.tag != "N" or span.metric != metric.id:
            continue
        unit_span = unit_of(paragraph, span)
        unit = text[unit_span.start : unit_span.end] if unit_span else None
        quantity = read_quantity(text, span.start, span.end, unit)
        if quantity is None or quantity.unit in PERCENT_UNITS:
            continue
        value = float(to_wan_yuan(quantity.value, quantity.unit)[0])
        tier = tiers[2 if span.qualifier else 0 if span.field_id else 1]
        tier[value] = tier.get(value, False) or quantity.approx
    return next((list(tier.items()) for tier in tiers if tier), [])


def check_converts(paragraph: Paragraph) -> list[Problem]:
    """The Label Studio task converts exactly with ``ie.studio.convert.task_example``."""
    try:
        task_example(paragraph_task(paragraph))
    except Malformed as error:
        return [Problem(paragraph.file, paragraph.line + 1, paragraph.id,
                        f"does not convert: {error}")]  # fmt: skip
    return []


def check_forms(paragraph: Paragraph) -> list[Problem]:
    problems = []
    for form in paragraph.forms:
        words = LITERAL_FORMS.get(form)
        if words and not any(word in paragraph.text for word in words):
            problems.append(
                Problem(
                    paragraph.file,
                    paragraph.line,
                    paragraph.id,
                    f"forms lists {form!r} but the paragraph has no {form}",
                )
            )
    return problems


def check_corpus(corpus: Corpus, shared: Path | None, copy_check: bool = True) -> list[Problem]:
    """Every problem: parsing, ids, links, units, values, fields, arithmetic, script, copies."""
    problems = list(corpus.problems)
    first: dict[str, Paragraph] = {}
    for paragraph in corpus.paragraphs:
        if paragraph.id in first:
            earlier = first[paragraph.id]
            problems.append(
                Problem(
                    paragraph.file,
                    paragraph.line,
                    paragraph.id,
                    f"paragraph id used before ({earlier.file}:{earlier.line})",
                )
            )
        first.setdefault(paragraph.id, paragraph)
    for paragraph in corpus.paragraphs:
        if not paragraph.text:
            continue
        problems += check_forms(paragraph)
        if paragraph.parsed:
            problems += check_arithmetic(paragraph)
            problems += check_converts(paragraph)
    if copy_check:
        if shared is None or not shared.is_dir():
            problems.append(
                Problem(
                    str(shared),
                    0,
                    "",
                    "../shared not found: the copy check "
                    "cannot run (set IE_SHARED, or --no-copy-check)",
                )
            )
        else:
            index = shared_index(shared.resolve())
            for paragraph in corpus.paragraphs:
                if paragraph.text:
                    problems += copy_problems(paragraph, index)
    return sorted(problems, key=lambda p: (p.file, p.line))


# ----------------------------------------------------------------------------------------------
# Copy check: no run of 20 characters shared with ../shared


_PUNCTUATION = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "“": '"',
                              "”": '"', "‘": "'", "’": "'"})  # fmt: skip


def copy_key(text: str) -> tuple[str, list[int]]:
    """Text as compared: full-width forms folded, one form of each punctuation mark, no
    whitespace; with each key character's index in ``text``."""
    chars, positions = [], []
    for index, char in enumerate(text):
        if char.isspace():
            continue
        chars.append(fold_char(char).translate(_PUNCTUATION))
        positions.append(index)
    return "".join(chars), positions


@dataclass(frozen=True)
class SharedIndex:
    grams: dict[str, str]  # 20-character run → the shared file it was first seen in
    label_grams: frozenset[str]  # 20-character runs inside a schema label: allowed
    files: int
    seconds: float


def template_labels() -> list[str]:
    """The official template's own words (configs/schema.yaml): titles, tables, sections, row and
    column labels, field labels, provinces' row label variants; each part of a 'a/b' label too."""
    schema = load_schema(SCHEMA_FILE)
    labels: set[str] = set()
    for vintage in schema.vintages.values():
        labels.add(vintage.title)
        for schema_field in vintage.fields.values():
            labels.add(schema_field.label)
            labels.add(schema_field.table)
        for grid in vintage.grids:
            labels.add(grid.table)
            labels.update(row.label for row in grid.rows)
            labels.update(row.section for row in grid.rows)
            labels.update(column.label for column in grid.columns)
        for aliases in vintage.aliases.values():
            labels.update(aliases)
    parts = {part for label in labels for part in label.split("/")}
    return sorted(label for label in labels | parts if label)


def shared_texts(shared: Path) -> Iterable[tuple[str, str]]:
    """(name, text) of every text file under ``shared`` (the reader's text: decoded, normalized,
    PDF and DOCX extracted), hooks left out."""
    for path in sorted(shared.rglob("*")):
        if not path.is_file() or "hooks" in path.relative_to(shared).parts:
            continue
        name = path.relative_to(shared).as_posix()
        if path.suffix.lower() in {".txt", ".pdf", ".docx", ".html", ".htm", ".md"}:
            try:
                yield name, read(path).text
                continue
            except Exception:  # noqa: BLE001 - any file the reader refuses: compare its bytes
                pass
        if path.suffix.lower() in {".pdf", ".docx"}:
            continue
        try:
            yield name, normalize(path.read_bytes().decode("utf-8", errors="replace"))[0]
        except OSError:
            continue


@lru_cache(maxsize=2)
def shared_index(shared: Path) -> SharedIndex:
    """Every 20-character run of ../shared, the template's labels blanked out first."""
    began = time.perf_counter()
    labels = [copy_key(label)[0] for label in template_labels()]
    blank = sorted({label for label in labels if len(label) >= LABEL_BLANK_MIN}, key=len,
                   reverse=True)  # fmt: skip
    label_grams = frozenset(
        label[i : i + COPY_RUN] for label in labels for i in range(len(label) - COPY_RUN + 1)
    )
    grams: dict[str, str] = {}
    files = 0
    for name, text in shared_texts(shared):
        files += 1
        key = copy_key(text)[0]
        for label in blank:
            if label in key:
                key = key.replace(label, SENTINEL * len(label))
        for i in range(len(key) - COPY_RUN + 1):
            gram = key[i : i + COPY_RUN]
            if SENTINEL not in gram:
                grams.setdefault(gram, name)
    return SharedIndex(grams, label_grams, files, time.perf_counter() - began)


def copy_runs(text: str, index: SharedIndex) -> list[tuple[int, int, str]]:
    """(start, end, shared file) of each run of ``text`` (offsets into it) of 20 or more characters
    that a shared text holds too, runs inside the template's labels left out."""
    key, positions = copy_key(text)
    runs: list[tuple[int, int, str]] = []
    current: list | None = None
    for i in range(len(key) - COPY_RUN + 1):
        gram = key[i : i + COPY_RUN]
        source = index.grams.get(gram) if gram not in index.label_grams else None
        if source is None:
            current = None
            continue
        if current is not None and current[1] == i + COPY_RUN - 1:
            current[1] = i + COPY_RUN
        else:
            current = [i, i + COPY_RUN, source]
            runs.append(current)  # type: ignore[arg-type]
    return [(positions[a], positions[b - 1] + 1, source) for a, b, source in runs]


def copy_problems(paragraph: Paragraph, index: SharedIndex) -> list[Problem]:
    problems = []
    for start, end, source in copy_runs(paragraph.text, index):
        problems.append(Problem(
            paragraph.file, paragraph.line + 1, paragraph.id,
            f"characters {start}-{end} ({end - start} characters) are also in ../shared/{source}: "
            f"{paragraph.plain[start:end]!r}; write it in your own words",
        ))  # fmt: skip
    return problems


# ----------------------------------------------------------------------------------------------
# Conversion: Label Studio tasks, gold facts, training examples


def paragraph_task(paragraph: Paragraph) -> dict:
    """The paragraph as a Label Studio task shaped like ``annotations/studio/*.json``, its text
    inline (it is ours), offsets exact."""
    result: list[dict] = []
    for span in paragraph.spans:
        if span.tag == "Z":
            continue
        result.append({
            "from_name": "label", "id": span.id, "to_name": "text", "type": "labels",
            "value": {"start": span.start, "end": span.end, "labels": [span.label],
                      "text": paragraph.text[span.start : span.end]},
        })  # fmt: skip
    for head, tail, label in paragraph.relations:
        result.append({"direction": "right", "from_id": head, "labels": [label], "to_id": tail,
                       "type": "relation"})  # fmt: skip
    meta = {"reviewed": True, "source": "written", "paragraph": paragraph.id,
            **{key: paragraph.header[key] for key in ("vintage", "level", "section", "script")
               if key in paragraph.header},
            "forms": paragraph.forms}  # fmt: skip
    return {
        "annotations": [{
            "completed_by": {"email": "written@ie"}, "ground_truth": True, "id": 1, "meta": meta,
            "result": result, "was_cancelled": False,
        }],
        "data": {"document": paragraph.document, "start": 0, "end": len(paragraph.text),
                 "text": paragraph.text},
    }  # fmt: skip


def paragraph_facts(paragraph: Paragraph) -> dict:
    """The paragraph's gold facts shaped like ``annotations/facts/*.json``: the paragraph is the
    document, evidence offsets index its text."""
    return {
        "document": paragraph.document,
        "year": None,
        "agency": "",
        "vintage": paragraph.vintage,
        "negative": not paragraph.facts,
        "facts": paragraph.facts,
        "notes": "written paragraph (annotations/written); evidence offsets index its text",
        "source": "written",
    }


def facts_file_name(paragraph: Paragraph) -> str:
    return f"annotations__written__{Path(paragraph.name).stem}__{paragraph.id}.json"


def load_checked(directory: Path, shared: Path | None = None,
                 copy_check: bool = True) -> tuple[Corpus, list[Problem]]:  # fmt: skip
    corpus = parse_corpus(directory)
    return corpus, check_corpus(corpus, shared or shared_dir(), copy_check)


def written_examples(
    directory: Path | str = WRITTEN, shared: Path | None = None, copy_check: bool = True
) -> list[dict]:
    """The written corpus as training examples: the dicts ``ie.studio convert`` makes (``id``,
    ``document``, ``start``, ``end``, ``tokens``, ``ner_tags``, ``relations``), through the same
    converter (``ie.studio.convert.task_example``). Raises ``ValueError`` listing the problems
    when ``check`` would fail: nothing is trained on a paragraph that does not check."""
    corpus, problems = load_checked(Path(directory), shared, copy_check)
    if problems:
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ValueError(f"the written corpus {directory} does not check "
                         f"({len(problems)} problems):\n{shown}{more}")  # fmt: skip
    examples = []
    for paragraph in corpus.paragraphs:
        example = task_example(paragraph_task(paragraph))
        if example is not None:
            examples.append(asdict(example))
    return sorted(examples, key=lambda e: (e["document"], e["start"]))


def without_labels(example: dict, labels: set[str]) -> dict:
    """``example`` (as ``written_examples`` gives it) with the spans of ``labels`` untagged and the
    relations that join them dropped: to train on the written corpus without a convention that
    differs from the real gold's (its writers tag every sentence's subject as an AGENCY; the real
    gold tags a share's agency)."""
    # here, not at the top: ie.tag.features imports torch, which check, convert and stats need not
    from ie.tag.features import bio_entities

    tags = list(example["ner_tags"])
    dropped: set[tuple[int, int]] = set()
    for label, first, last in bio_entities(tags):  # seqeval's entities, as chunk_of reads them
        if label in labels:
            dropped.add((example["start"] + first, example["start"] + last + 1))
            tags[first : last + 1] = ["O"] * (last + 1 - first)
    relations = [
        r for r in example["relations"]
        if (r["head_start"], r["head_end"]) not in dropped
        and (r["tail_start"], r["tail_end"]) not in dropped
    ]  # fmt: skip
    return {**example, "ner_tags": tags, "relations": relations}


def write_conversion(corpus: Corpus, out: Path, skip: set[str]) -> tuple[int, int]:
    """OUT/studio/<file>.json (tasks, one file per corpus file) and OUT/facts/<paragraph>.json."""
    studio, facts = out / "studio", out / "facts"
    studio.mkdir(parents=True, exist_ok=True)
    facts.mkdir(parents=True, exist_ok=True)
    by_file: dict[str, list[Paragraph]] = defaultdict(list)
    for paragraph in corpus.paragraphs:
        if paragraph.id not in skip and paragraph.parsed:
            by_file[paragraph.name].append(paragraph)
    tasks = 0
    for name, paragraphs in sorted(by_file.items()):
        items = [paragraph_task(p) for p in paragraphs]
        tasks += len(items)
        (studio / f"{Path(name).stem}.json").write_text(
            json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        for paragraph in paragraphs:
            (facts / facts_file_name(paragraph)).write_text(
                json.dumps(paragraph_facts(paragraph), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
    return len(by_file), tasks


# ----------------------------------------------------------------------------------------------
# Statistics


def prose_reachable(vintage: str) -> set[str]:
    """Fields prose can state: the lexicon's fields for the vintage (context fields included) and
    the vintage's extensions, those the vintage has."""
    schema = load_schema(SCHEMA_FILE)[vintage]
    lexicon = load_lexicon()
    fields = set()
    for entry in lexicon.metrics:
        if vintage in entry.fields:
            fields.add(entry.fields[vintage])
        fields.update(entry.context.values())
    fields.update(f.id for f in schema.fields.values() if f.extension)
    return {f for f in fields if f in schema.fields}


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def stats_markdown(corpus: Corpus) -> str:
    paragraphs = [p for p in corpus.paragraphs if p.text]
    labels = Counter(s.label for p in paragraphs for s in p.spans)
    relations = Counter(r[2] for p in paragraphs for r in p.relations)
    out = ["## Written corpus", ""]
    out.append(_table(("", "count"), [
        ("files", len(corpus.files)), ("paragraphs", len(paragraphs)),
        ("characters (plain text)", f"{sum(len(p.text) for p in paragraphs):,}"),
        ("facts", sum(len(p.facts) for p in paragraphs)),
        ("zero-statement facts", sum(1 for p in paragraphs for f in p.facts if f["value"] == 0
                                     and f["evidence"]["end"] - f["evidence"]["start"] > 0
                                     and any(s.tag == "Z" and s.start == f["evidence"]["start"]
                                             for s in p.spans))),
        ("qualified facts (q=)", sum(1 for p in paragraphs for f in p.facts if f["qualifier"])),
    ]))  # fmt: skip
    out += ["", "### Spans and relations", ""]
    out.append(_table(("span", "count", "relation", "count"), [
        (label, labels.get(label, 0), relation, relations.get(relation, "") if relation else "")
        for label, relation in zip(("METRIC", "NUMBER", "UNIT", "AGENCY", "ZERO"),
                                   ("value", "unit", "part_of", "reported_by", ""), strict=True)
    ]))  # fmt: skip
    out += ["", "### Facts per field", ""]
    per_field: dict[str, Counter] = defaultdict(Counter)
    for paragraph in paragraphs:
        for fact in paragraph.facts:
            per_field[fact["field_id"]][paragraph.vintage] += 1
    out.append(_table(("field", *VINTAGES, "total"), [
        (f"`{name}`", *(counts.get(v, 0) for v in VINTAGES), sum(counts.values()))
        for name, counts in sorted(per_field.items())
    ]))  # fmt: skip
    out += ["", "### Coverage of prose-reachable fields", "",
            "Prose-reachable: the fields `configs/metrics.yaml` names for the vintage plus the "
            "vintage's extensions.", ""]  # fmt: skip
    rows, missing = [], {}
    for vintage in VINTAGES:
        reachable = prose_reachable(vintage)
        reached = {f["field_id"] for p in paragraphs if p.vintage == vintage for f in p.facts}
        share = f"{len(reached & reachable) / len(reachable):.0%}" if reachable else "-"
        rows.append((vintage, sum(p.vintage == vintage for p in paragraphs),
                     len(reached & reachable), len(reachable), share,
                     len(reached - reachable)))  # fmt: skip
        missing[vintage] = sorted(reachable - reached)
    out.append(_table(("vintage", "paragraphs", "fields reached", "prose-reachable", "coverage",
                       "other fields reached"), rows))  # fmt: skip
    out += [""]
    for vintage in VINTAGES:
        if missing[vintage]:
            out.append(f"- not reached in {vintage}: "
                       + ", ".join(f"`{f}`" for f in missing[vintage]))  # fmt: skip
    for title, key, values in (("Levels", "level", LEVELS), ("Sections", "section", SECTIONS),
                               ("Scripts", "script", SCRIPTS)):  # fmt: skip
        counts = Counter(p.header.get(key, "(none)") for p in paragraphs)
        out += ["", f"### {title}", ""]
        out.append(_table((key, *VINTAGES, "total"), [
            (value, *(sum(1 for p in paragraphs if p.header.get(key, "(none)") == value
                          and p.vintage == v) for v in VINTAGES), counts[value])
            for value in [*values, "(none)"] if counts[value]
        ]))  # fmt: skip
    forms = Counter(form for p in paragraphs for form in p.forms)
    out += ["", "### Forms", ""]
    out.append(_table(("form", "paragraphs"), [(form, forms[form]) for form in FORMS
                                               if forms[form]]))  # fmt: skip
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------------
# Command line


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _print_problems(problems: list[Problem], corpus: Corpus) -> None:
    for problem in problems:
        print(problem)
    per_file = Counter(p.file for p in problems)
    if problems:
        summary = ", ".join(f"{name} {count}" for name, count in sorted(per_file.items()))
        print(f"{len(problems)} problems ({summary})", file=sys.stderr)


def _directory(value: str) -> Path:
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{value} does not exist")
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.written_corpus",
        description="The written training corpus (annotations/written/*.txt, notation in "
        "annotations/written/NOTATION.md): check it, convert it to Label Studio tasks and gold "
        "facts, count it.",
        epilog="Training reads the corpus with training.written_corpus.written_examples(DIR).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("directory", type=_directory, metavar="DIR",
                         help="folder of *.txt corpus files (or one file)")  # fmt: skip

    check = commands.add_parser(
        "check", help="check every block of every file; exit 1 on any problem",
        description="Parse and check every block: markup, header keys, ids (paragraph ids across "
        "the corpus, span ids in a paragraph), links and their types, UNIT after a NUMBER, field "
        "ids of the header's vintage, NUMBER values (ie.text.numbers), units against the field's, "
        "sum/part arithmetic, the reader's normalization (traditional script), and the copy "
        "check: no run of 20 characters shared with a text file under ../shared. One line per "
        "problem: FILE:LINE: PARAGRAPH: message. Exit 0 when clean, 1 otherwise.",
    )  # fmt: skip
    for sub in (check,):
        common(sub)
    convert = commands.add_parser(
        "convert", help="write Label Studio tasks and gold facts",
        description="Check, then write OUT/studio/<file>.json (Label Studio tasks shaped like "
        "annotations/studio/*.json, text inline, data.document annotations/written/<file>#<id>) "
        "and OUT/facts/annotations__written__<file>__<id>.json (one gold-facts file per paragraph, "
        "shaped like annotations/facts/*.json). Nothing is written while a problem remains, unless "
        "--skip-invalid (then the paragraphs with problems are left out). Exit 1 on problems.",
    )  # fmt: skip
    common(convert)
    convert.add_argument("--out", type=Path, required=True, metavar="OUTDIR",
                         help="output folder (studio/ and facts/ are made in it)")  # fmt: skip
    convert.add_argument("--skip-invalid", action="store_true",
                         help="write the paragraphs that check, leave out the others")  # fmt: skip
    stats = commands.add_parser(
        "stats", help="print counts and coverage as markdown tables",
        description="Counts of paragraphs, characters, spans per label, relations per type, facts "
        "per field, the coverage of prose-reachable fields per vintage (the fields "
        "configs/metrics.yaml names for the vintage plus its extensions), levels, sections, "
        "scripts and forms, as markdown tables. Paragraphs whose markup does not parse are left "
        "out (run check).",
    )  # fmt: skip
    common(stats)
    for sub in (check, convert):
        sub.add_argument("--shared", type=Path, default=None, metavar="DIR",
                         help="the shared folder for the copy check (default: $IE_SHARED, else "
                         "../shared beside the project)")  # fmt: skip
        sub.add_argument(
            "--no-copy-check",
            action="store_true",
            help="leave out the copy check (never for data that is trained on)",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    directory: Path = args.directory
    if args.command == "stats":
        corpus = parse_corpus(directory)
        print(stats_markdown(corpus), end="")
        unread = sum(1 for p in corpus.paragraphs if not p.text)
        if corpus.problems or unread:
            print(f"note: {len(corpus.problems)} parse problems, {unread} paragraphs left out; "
                  "run check", file=sys.stderr)  # fmt: skip
        return 0
    corpus, problems = load_checked(directory, args.shared, not args.no_copy_check)
    if not corpus.files:
        print(f"{directory}: no *.txt files", file=sys.stderr)
        return 1
    _print_problems(problems, corpus)
    if args.command == "check":
        if not problems:
            print(f"ok: {len(corpus.paragraphs)} paragraphs in {len(corpus.files)} files",
                  file=sys.stderr)  # fmt: skip
        return 1 if problems else 0
    if problems and not args.skip_invalid:
        print("nothing written: fix the problems, or --skip-invalid", file=sys.stderr)
        return 1
    skip = {p.paragraph for p in problems if p.paragraph}
    files, tasks = write_conversion(corpus, args.out, skip)
    print(f"wrote {tasks} tasks of {files} files to {args.out / 'studio'} and their facts to "
          f"{args.out / 'facts'}", file=sys.stderr)  # fmt: skip
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
