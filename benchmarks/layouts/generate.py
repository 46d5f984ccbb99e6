"""Whole-report test data: each real report of ../shared rewritten in the forms users hold it in.

Every generated document sits beside ``<name>.gold.json``: the source's gold facts (field, qualifier,
value; offsets are not compared) minus what the rendering cannot contain, with the reason written
down. ``manifest.json`` lists them all. Generated files are evaluation data, never training data.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.layouts import convert, forms, long_tail
from benchmarks.layouts.sources import FACTS, ROOT, SHARED, Source, corpus_sources
from benchmarks.layouts.template import RenderedTable, template_tables
from ie.errors import Errors, InputError
from ie.schema import load_schema

FULL_PDF = "corpus/full/01.pdf"


@dataclass(frozen=True)
class Variant:
    name: str  # file name under the output folder, e.g. flat-joined/corpus__v2019__2019-01.txt
    layout: str
    source: str
    text: str
    facts: list[dict]
    gold: str  # which gold, in words
    # cells printed blank: field id → the values a reader may give them without being wrong
    # (0, or a blanked 总计's own value); any other value there is a neighbour's, pulled in
    blank_cells: dict[str, list[float]] = field(default_factory=dict)


def generate(out: Path) -> list[dict]:
    """Write every variant under ``out`` (replacing what was there) and return the manifest."""
    if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").exists():
        raise InputError(Errors.E056.format(path=out))  # never wipe a folder we did not write
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = []
    for variant in variants():
        path = out / variant.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(variant.text, encoding="utf-8")
        gold = {"source": variant.source, "layout": variant.layout, "gold": variant.gold,
                "facts": variant.facts, "blank_cells": variant.blank_cells}  # fmt: skip
        gold_path = path.with_name(path.name + ".gold.json")
        gold_path.write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        manifest.append({"file": variant.name, "layout": variant.layout, "source": variant.source,
                         "gold_file": gold_path.relative_to(out).as_posix(), "facts": len(variant.facts)})  # fmt: skip
    (out / "manifest.json").write_text(
        json.dumps({"documents": manifest}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest


def variants(converter: bool = True) -> Iterator[Variant]:
    """Every variant; ``converter=False`` leaves out the (slow) PDF-to-markdown conversions."""
    converter = converter and convert.available()
    sources = corpus_sources()
    for source in sources:
        stem = Path(source.gold_file).stem
        facts = [_key_fields(f) for f in source.facts]
        whole = f"{source.gold_file}, all facts (flattening keeps every number)"
        yield Variant(f"flat-joined/{stem}.txt", "flat-joined", source.document,
                      forms.flatten(source.text, source.regions, "", "\n"), facts, whole)  # fmt: skip
        yield Variant(f"flat-spaced/{stem}.txt", "flat-spaced", source.document,
                      forms.flatten(source.text, source.regions, " ", " "), facts, whole)  # fmt: skip
    for source in sources:
        if source.vintage in {"2019", "2021"}:
            yield from _template_variants(source, converter)
    yield from long_tail.variants(sources)
    yield from _pdf_tables(converter)
    converted = _converted_pdf() if converter else None
    if converted is not None:
        yield converted


def _key_fields(fact: dict) -> dict:
    return {
        key: fact.get(key) for key in ("field_id", "value", "unit", "approx", "qualifier", "origin")
    }


def _template_variants(source: Source, converter: bool) -> Iterator[Variant]:
    """The report's prose with its tables printed from the official template (markdown and HTML)."""
    start, end = _table_start(source), source.regions[-1].end
    gold = (f"{source.gold_file} minus prose facts inside the replaced table region "
            f"(characters {start}-{end} of the source) and table cells the template has no place for")  # fmt: skip
    prose = [f for f in source.facts if _outside(f, start, end)]
    yield from _rendered(source, source.text[:start], source.text[end:], prose, gold, converter)


def _table_start(source: Source) -> int:
    """Where the first table's own cells begin (a text table's run can start with the title)."""
    for _, cell in source.regions[0].cells():
        if re.match(r"第二十条|信息内容|申请人情况|（本列数据", cell.text):
            return cell.start
    return source.regions[0].start


def _pdf_tables(converter: bool) -> Iterator[Variant]:
    """The full PDF's tables (many non-zero cells) printed from the template, without its prose:
    gold offsets of the PDF are pages, so its prose cannot be placed; its gold is the table cells."""
    gold_file = FACTS / "corpus__full__01.json"
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    name = gold_file.relative_to(ROOT).as_posix()
    source = Source(FULL_PDF, name, "", gold["vintage"], tuple(gold["facts"]), ())
    title = f"{gold['agency']}{gold['year']}年政府信息公开工作年度报告\n"
    yield from _rendered(source, title, "", [], f"{name}, table cells only", converter)


def _rendered(
    source: Source, before: str, after: str, prose: list[dict], gold: str, converter: bool
) -> Iterator[Variant]:
    stem = Path(source.gold_file).stem
    values = {f["field_id"]: f["value"] for f in source.facts
              if f["origin"] == "table" and not f.get("qualifier")}  # fmt: skip
    tables = template_tables(load_schema()[source.vintage], values)
    printed = {b.field_id for t in tables for row in t.rows for b in row if b.field_id and b.text}
    kept = [_key_fields(f) for f in prose]
    kept += [_key_fields(f) for f in source.facts
             if f["origin"] == "table" and not f.get("qualifier") and f["field_id"] in printed]  # fmt: skip
    for merged in ("repeat", "empty"):
        body = "\n\n".join(f"**{t.title}**\n\n" + forms.markdown_table(t, merged) for t in tables)
        yield Variant(f"md-{merged}/{stem}.md", f"md-{merged}", source.document,
                      f"{before}\n\n{body}\n\n{after}", kept, gold)  # fmt: skip
    body = "\n\n".join(f"**{t.title}**\n\n" + forms.html_table(t) for t in tables)
    yield Variant(f"md-html/{stem}.md", "md-html", source.document,
                  f"{before}\n\n{body}\n\n{after}", kept, gold)  # fmt: skip
    if converter:
        page = forms.html_page(_title(before, stem), before, [f"<p>{t.title}</p>\n" + forms.html_table(t) for t in tables], after)  # fmt: skip
        yield Variant(f"md-converter/{stem}.md", "md-converter", source.document,
                      convert.html_to_markdown(page), kept,
                      gold + "; printed to PDF from HTML and converted by pymupdf4llm")  # fmt: skip
    blank_tables: list[RenderedTable] = []
    blanked: set[str] = set()
    for table in tables:
        if table.title.startswith("三"):
            table, blanked = forms.blank_totals(table)
        blank_tables.append(forms.mismatch_header_spans(table))
    page = forms.html_page(_title(before, stem), before, [f"<p>{t.title}</p>\n" + forms.html_table(t, blank_zero=True)
                                           for t in blank_tables], after)  # fmt: skip
    blank = [
        f for f in kept if f["origin"] == "table" and (f["value"] == 0 or f["field_id"] in blanked)
    ]
    yield Variant(f"html-blank/{stem}.html", "html-blank", source.document, page,
                  [f for f in kept if f not in blank],
                  gold + "; minus table cells printed blank (zeros as &nbsp;, 表三's 总计 column), "
                  "listed in blank_cells: 0 or their own value there is not wrong, any other value is",
                  {f["field_id"]: sorted({0, f["value"]}) for f in blank})  # fmt: skip


def _title(before: str, stem: str) -> str:
    return next((line.strip() for line in before.splitlines() if "报告" in line), stem)


def _outside(fact: dict, start: int, end: int) -> bool:
    return fact["origin"] != "table" and not start <= fact["evidence"]["start"] < end


def _converted_pdf() -> Variant | None:
    """The full PDF as a PDF-to-markdown converter prints it (pymupdf4llm, the ``eval`` extra)."""
    if not convert.available():
        return None
    gold_file = FACTS / "corpus__full__01.json"
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    text = convert.pdf_to_markdown(SHARED / FULL_PDF)
    return Variant("md-converter/corpus__full__01.pdf.md", "md-converter", FULL_PDF, text,
                   [_key_fields(f) for f in gold["facts"]],
                   f"{gold_file.relative_to(ROOT).as_posix()}, all facts (the converter keeps every page)")  # fmt: skip
