"""Who reports, for which year, in which schema vintage: read from the title and first lines.

The vintage follows the year (2008-2018 → 2008, 2019-2020 → 2019, 2021- → 2021) unless the
tables' own headers say otherwise: a 2023 report printed on the 2019 template is read as 2019.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ie.document import Document
from ie.schema import vintage_for_year
from ie.tables import is_no_value, is_value
from ie.text.conventions import SENTENCE_MARKS
from ie.types import Table

_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开)[^。\n]{0,12}(年度报告|年报|工作报告|报告)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_AGENCY_BEFORE_YEAR = re.compile(
    r"^(?:关于)?(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)(?:关于)?\s*(?:(?:19|20)\d{2})\s*年\s*度?"
)
_AGENCY_AFTER_YEAR = re.compile(
    r"(?:19|20)\d{2}\s*年\s*度?\s*(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)(?:政府信息公开|政务公开|信息公开)"
)
_COMPILED_BY = re.compile(
    r"由(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)(?:编制|制作|编写|根据|依据|按照)"
)
_PERIOD = re.compile(r"统计期限?[^\n。]{0,6}?自?\s*((?:19|20)\d{2})\s*年")
VINTAGE_2021_HEADERS = (
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
)
VINTAGE_2019_HEADERS = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "采购项目数量",
)
VINTAGE_2008_HEADERS = ("收到申请数", "申请办结数", "申请答复数", "行政复议数量", "统计指标")
_NOT_AGENCY = re.compile(r"^(?:首页|当前位置|政府信息公开|正文|您的位置)")


_NOT_A_REPORT = re.compile(
    r"自查报告|季度|工作要点|实施方案|工作方案|关于(?:做好|印发|开展|加强|进一步)[^。]{0,60}(?:通知|意见)"
)


@dataclass(frozen=True)
class ReportInfo:
    agency: str
    year: int | None
    vintage: str
    vintage_reason: str
    kind: str = "annual_report"  # or "other": a notice, work plan or self-inspection, not a report
    kind_reason: str = ""


def document_kind(text: str) -> tuple[str, str]:
    """Notices, work plans and quarterly self-inspections look like reports but are not: their
    title (the text before the first full stop) says what they are."""
    head = _title_line(text) or text[:250].split("。")[0]
    match = _NOT_A_REPORT.search(head)
    if match and not re.search(r"根据|按照|依据", head[: match.start()]):
        return "other", f"the title reads as '{match.group()}', not an annual report"
    return "annual_report", ""


def describe(document: Document, tables: list[Table]) -> ReportInfo:
    info = _describe(document, tables)
    kind, reason = document_kind(document.text)
    return ReportInfo(info.agency, info.year, info.vintage, info.vintage_reason, kind, reason)


def _describe(document: Document, tables: list[Table]) -> ReportInfo:
    title = _title_line(document.text)
    year = _year(document.text, title)
    agency = _agency(document.text, title)
    by_year = vintage_for_year(year)
    by_shape = _table_vintage(tables) or _loose_header_vintage(document.text, tables)
    if by_shape and by_year and by_shape != by_year:
        reason = f"the tables print the {by_shape} template's headers, though the year is {year}"
        return ReportInfo(agency, year, by_shape, reason)
    if by_year:
        reason = f"report year {year}" + (
            f"; the tables print the {by_shape} template" if by_shape else ""
        )
        return ReportInfo(agency, year, by_year, reason)
    if by_shape:
        return ReportInfo(
            agency, year, by_shape, f"no year found; the tables print the {by_shape} template"
        )
    return ReportInfo(
        agency, year, "2008", "no year or template found; the 2008 tables are assumed"
    )


def _title_line(text: str) -> str:
    for line in text.splitlines()[:40]:
        line = line.strip()
        if len(line) <= 80 and _TITLE.search(line) and _YEAR.search(line):
            return line
    return ""


def _year(text: str, title: str) -> int | None:
    if title:
        return int(_YEAR.search(title).group(1))  # type: ignore[union-attr]
    period = _PERIOD.search(text)
    if period:
        return int(period.group(1))
    head = text[:1500]
    match = re.search(r"((?:19|20)\d{2})\s*年\s*度?[^\n。]{0,30}(?:政府信息公开|政务公开)", head)
    if match:
        return int(match.group(1))
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", head)]
    return min(years, key=lambda y: (-years.count(y), y)) if years else None


def _agency(text: str, title: str) -> str:
    for pattern in (_AGENCY_BEFORE_YEAR, _AGENCY_AFTER_YEAR):
        match = pattern.search(title) if title else None
        if match and _plausible_agency(match.group("agency")):
            return _clean_agency(match.group("agency"))
    above = _line_above_title(text, title) if title else ""
    if above:
        return above
    head = text[:2000]
    match = _COMPILED_BY.search(head)
    if match and _plausible_agency(match.group("agency")):
        return _clean_agency(match.group("agency"))
    # "现公布区统计局2023年政府信息公开工作年度报告" in the opening sentence
    match = _PUBLISHED.search(head)
    if match and _AGENCY_LINE.fullmatch(match.group("agency")):
        return _clean_agency(match.group("agency"))
    return ""


_AGENCY_LINE = re.compile(
    r"[\u4e00-\u9fff（）()]{2,40}?(?:政府|局|委员会|委|办公室|办公厅|厅|办|院|中心|街道|办事处|镇|乡|管委会|"
    r"署|部|馆|所|站|队|会|公司|集团)"
)
_PUBLISHED = re.compile(
    r"(?:现|特|予以)(?:公布|发布|公开|将|编制|印发)了?\s*(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)\s*"
    r"(?:19|20)\d{2}\s*年\s*度?\s*(?:政府信息公开|政务公开|信息公开)"
)


def _line_above_title(text: str, title: str) -> str:
    """A title broken after the agency (PDF and HTML pages print "淮安市人民政府" on a line of its
    own, "2024年政府信息公开工作年度报告" below): the line above, when it reads as an agency."""
    if not _YEAR.match(title.removeprefix("关于")):
        return ""
    lines = [line.strip() for line in text.splitlines()[:40]]
    for index, line in enumerate(lines):
        above = [earlier for earlier in lines[:index] if earlier]
        if line == title and above and _AGENCY_LINE.fullmatch(above[-1]):
            if _plausible_agency(above[-1]):
                return above[-1]
    return ""


def _plausible_agency(name: str) -> bool:
    return (
        len(name) >= 2
        and name not in {"政府", "本机关", "我局", "我乡"}
        and not name.startswith("关于")
        and not _NOT_AGENCY.match(name)
    )


def _clean_agency(name: str) -> str:
    return re.sub(r"[（(]以下简称[^)）]*[)）]?", "", name).strip()


def _table_vintage(tables: list[Table]) -> str | None:
    return _header_vintage("".join(cell.text for table in tables for cell in table.cells))


def _loose_header_vintage(text: str, tables: list[Table]) -> str | None:
    """A weak converter prints the tables' header rows as loose lines and the values as tables of
    their own, with no label cell: where such a table is read, the text's lines that are no
    sentence (no 。 or ；) and lie outside the tables say which template the headers are."""
    if not any(all(_no_label(cell.text) for cell in table.cells) for table in tables):
        return None
    spans = sorted((table.span.start, table.span.end) for table in tables)
    outside, position = [], 0
    for start, end in spans:
        outside.append(text[position:start])
        position = max(position, end)
    outside.append(text[position:])
    lines = (line for part in outside for line in part.split("\n"))
    headers = (line for line in lines if not any(mark in line for mark in SENTENCE_MARKS))
    return _header_vintage("".join(headers))


def _no_label(cell: str) -> bool:
    return not cell.strip() or is_value(cell) or is_no_value(cell)


def _header_vintage(texts: str) -> str | None:
    texts = texts.replace(" ", "").replace("\n", "")
    scores = {
        "2021": sum(h in texts for h in VINTAGE_2021_HEADERS),
        "2019": sum(h in texts for h in VINTAGE_2019_HEADERS),
        "2008": sum(h in texts for h in VINTAGE_2008_HEADERS),
    }
    best = max(scores, key=lambda v: scores[v])
    return best if scores[best] >= 2 else None


_AGENCY_NOISE = re.compile(r"[\s\u3000·•・（）()【】\[\]「」《》“”\"'‘’,，、。.:：;；\-—_]")


def agency_key(agency: str) -> str:
    """The name one agency's reports of different years share: spacing and punctuation dropped,
    人民政府 written as 政府 (both forms print in titles). Nothing else is merged: 淮安市政府 and
    江苏省淮安市政府 stay apart rather than risk linking two agencies."""
    return _AGENCY_NOISE.sub("", agency).replace("人民政府", "政府")
