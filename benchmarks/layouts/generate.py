"""Whole-report test data: each real report of ../shared rewritten in the forms users hold it in.

Every generated document sits beside ``<name>.gold.json``: the source's gold facts (field, qualifier,
value; offsets are not compared) minus what the rendering cannot contain, with the reason written
down, and the source's split (annotations/splits.json), so the scoreboard keeps train, dev and test
apart. ``manifest.json`` lists them all. Generated files are evaluation data, never training data.

``FORMS`` below is the one list of forms: a form is a function from a source report to the
documents it makes of it. A new form is a module with such a function, added to that list.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.layouts import convert, forms
from benchmarks.layouts.image_pdf import image_pdf
from benchmarks.layouts.labels import LabelStyle
from benchmarks.layouts.long_tail import converter_tables, script_converted
from benchmarks.layouts.sources import SHARED, Source, corpus_sources, full_pdf_source
from benchmarks.layouts.template import RenderedTable, template_tables
from ie.errors import Errors, InputError
from ie.eval.gold import SPLITS
from ie.schema import load_schema


@dataclass(frozen=True)
class Variant:
    name: str  # file name under the output folder, e.g. flat-joined/corpus__v2019__2019-01.txt
    layout: str
    source: str
    text: str | bytes  # bytes: a binary form (image-pdf)
    facts: list[dict]
    gold: str  # which gold, in words
    # cells printed blank: field id → the values a reader may give them without being wrong
    # (0, or a blanked 总计's own value); any other value there is a neighbour's, pulled in
    blank_cells: dict[str, list[float]] = field(default_factory=dict)
    split: str = "test"  # the source document's split


@dataclass(frozen=True)
class Options:
    converter: bool  # run the (slow) PDF-to-markdown converter


Form = Callable[[Source, Options], Iterator[Variant]]


def flat_text(source: Source, options: Options) -> Iterator[Variant]:
    """The source's own text with its tables flattened, as crawlers print them: cells run together
    with rows one per line (flat-joined), cells and rows separated by single spaces (flat-spaced), a
    table's rows run together on one line (flat-oneline); page chrome kept."""
    if not source.text:
        return
    facts = [_key_fields(f) for f in source.facts]
    whole = f"{source.gold_file}, all facts (flattening keeps every number)"
    for layout, cell_joiner, row_joiner in (("flat-joined", "", "\n"), ("flat-spaced", " ", " "),
                                            ("flat-oneline", "", "")):  # fmt: skip
        text = forms.flatten(source.text, source.regions, cell_joiner, row_joiner)
        yield _variant(source, layout, "txt", text, facts, whole)


def template_markdown(source: Source, options: Options) -> Iterator[Variant]:
    """The report's prose with its tables printed from the 2019/2021 template as markdown pipe
    tables (merged cells repeated, or left empty) and as an HTML table inside the markdown."""
    page = _template_page(source)
    if page is None:
        return
    for merged in ("repeat", "empty"):
        body = "\n\n".join(
            f"**{t.title}**\n\n" + forms.markdown_table(t, merged) for t in page.tables
        )
        yield _variant(source, f"md-{merged}", "md", page.script(f"{page.before}\n\n{body}\n\n{page.after}"),
                       page.facts, page.gold)  # fmt: skip
    body = "\n\n".join(f"**{t.title}**\n\n" + forms.html_table(t) for t in page.tables)
    yield _variant(source, "md-html", "md", page.script(f"{page.before}\n\n{body}\n\n{page.after}"),
                   page.facts, page.gold)  # fmt: skip


def template_converted(source: Source, options: Options) -> Iterator[Variant]:
    """The template page printed to PDF and read back by pymupdf4llm (md-converter)."""
    page = _template_page(source)
    if page is None or not options.converter:
        return
    html = forms.html_page(page.title, page.before,
                           [f"<p>{t.title}</p>\n" + forms.html_table(t) for t in page.tables], page.after)  # fmt: skip
    yield _variant(source, "md-converter", "md", convert.html_to_markdown(page.script(html)), page.facts,
                   page.gold + "; printed to PDF from HTML and converted by pymupdf4llm")  # fmt: skip


def template_html_blank(source: Source, options: Options) -> Iterator[Variant]:
    """An HTML page of the template tables with zeros printed as &nbsp;, 表三's 总计 column blank
    and header spans that disagree with the data rows (html-blank)."""
    page = _template_page(source)
    if page is None:
        return
    blank_tables: list[RenderedTable] = []
    blanked: set[str] = set()
    for table in page.tables:
        if table.title.startswith("三"):
            table, blanked = forms.blank_totals(table)
        blank_tables.append(forms.mismatch_header_spans(table))
    html = forms.html_page(page.title, page.before, [f"<p>{t.title}</p>\n" + forms.html_table(t, blank_zero=True)
                                                     for t in blank_tables], page.after)  # fmt: skip
    blank = [f for f in page.facts
             if f["origin"] == "table" and (f["value"] == 0 or f["field_id"] in blanked)]  # fmt: skip
    yield _variant(source, "html-blank", "html", page.script(html), [f for f in page.facts if f not in blank],
                   page.gold + "; minus table cells printed blank (zeros as &nbsp;, 表三's 总计 column), "
                   "listed in blank_cells: 0 or their own value there is not wrong, any other value is",
                   {f["field_id"]: sorted({0, f["value"]}) for f in blank})  # fmt: skip


def pdf_converted(source: Source, options: Options) -> Iterator[Variant]:
    """The whole published PDF as a PDF-to-markdown converter prints it (md-converter)."""
    if source.text or not options.converter:
        return
    yield Variant(f"md-converter/{_stem(source)}.pdf.md", "md-converter", source.document,
                  convert.pdf_to_markdown(SHARED / source.document),
                  [_key_fields(f) for f in source.facts],
                  f"{source.gold_file}, all facts (the converter keeps every page)", split=source.split)  # fmt: skip


# Every form a generated report comes in, in the order the manifest lists them.
FORMS: tuple[Form, ...] = (
    flat_text,
    template_markdown,
    template_converted,
    template_html_blank,
    pdf_converted,
    image_pdf,  # benchmarks/layouts/image_pdf.py: scans, read with OCR
    script_converted,  # benchmarks/layouts/long_tail.py: Taiwan and Hong Kong script
    converter_tables,  # benchmarks/layouts/long_tail.py: fragmented, skipped and short rows
)


def generate(out: Path, splits: tuple[str, ...] = SPLITS) -> list[dict]:
    """Write every variant of ``splits`` under ``out`` (replacing what was there) and return the
    manifest."""
    if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").exists():
        raise InputError(Errors.E056.format(path=out))  # never wipe a folder we did not write
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = []
    for variant in variants(splits=splits):
        path = out / variant.name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(variant.text, bytes):  # a binary form (image-pdf)
            path.write_bytes(variant.text)
        else:
            path.write_text(variant.text, encoding="utf-8")
        gold = {"source": variant.source, "split": variant.split, "layout": variant.layout,
                "gold": variant.gold, "facts": variant.facts, "blank_cells": variant.blank_cells}  # fmt: skip
        gold_path = path.with_name(path.name + ".gold.json")
        gold_path.write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        manifest.append({"file": variant.name, "layout": variant.layout, "source": variant.source,
                         "split": variant.split, "gold_file": gold_path.relative_to(out).as_posix(),
                         "facts": len(variant.facts)})  # fmt: skip
    (out / "manifest.json").write_text(
        json.dumps({"documents": manifest}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest


def variants(converter: bool = True, splits: tuple[str, ...] = SPLITS) -> Iterator[Variant]:
    """Every form of every source of ``splits``; ``converter=False`` leaves out the (slow)
    PDF-to-markdown conversions."""
    options = Options(converter=converter and convert.available())
    sources = corpus_sources(splits)
    pdf = full_pdf_source()
    if pdf.split in splits:
        sources.append(pdf)
    for form in FORMS:
        for source in sources:
            yield from form(source, options)


@dataclass(frozen=True)
class TemplatePage:
    """A report's prose around its tables printed from the template, and the gold it holds."""

    title: str
    before: str
    after: str
    tables: list[RenderedTable]
    facts: list[dict]
    gold: str
    script: Callable[[str], str]  # the page in the report's script (traditional throughout, or not)


def _template_page(source: Source) -> TemplatePage | None:
    """The source's text with its tables (as the gold places them) replaced by the template's,
    labels printed in the report's own drawn style. What stood between two tables (a note, a
    paragraph) follows the tables: every prose fact is kept. The full PDF, whose gold offsets are
    pages, gives its title and tables only."""
    if source.vintage not in {"2019", "2021"}:
        return None
    values = {f["field_id"]: f["value"] for f in source.facts
              if f["origin"] == "table" and not f.get("qualifier")}  # fmt: skip
    style = LabelStyle.drawn(source.document)
    tables = template_tables(load_schema()[source.vintage], values, style)
    printed = {b.field_id for t in tables for row in t.rows for b in row if b.field_id and b.text}
    cells = [_key_fields(f) for f in source.facts
             if f["origin"] == "table" and not f.get("qualifier") and f["field_id"] in printed]  # fmt: skip
    if not source.text:
        title = f"{source.agency}{source.year}年政府信息公开工作年度报告"
        return TemplatePage(title, title + "\n", "", tables, cells,
                            f"{source.gold_file}, table cells only (its prose offsets are pages)",
                            style.script)  # fmt: skip
    regions = source.regions
    between = "\n".join(
        source.text[a.end : b.start].strip("\n") for a, b in zip(regions, regions[1:])
    )
    before, after = source.text[: regions[0].start], between + "\n" + source.text[regions[-1].end :]
    prose = [_key_fields(f) for f in source.facts if f["origin"] != "table"]
    gold = (f"{source.gold_file}: every prose fact, and the table cells the template has a place "
            f"for; labels in the report's drawn style")  # fmt: skip
    return TemplatePage(
        _title(before, _stem(source)), before, after, tables, prose + cells, gold, style.script
    )


def _variant(source: Source, layout: str, suffix: str, text: str, facts: list[dict], gold: str,
             blank_cells: dict[str, list[float]] | None = None) -> Variant:  # fmt: skip
    return Variant(f"{layout}/{_stem(source)}.{suffix}", layout, source.document, text, facts, gold,
                   blank_cells or {}, source.split)  # fmt: skip


def _stem(source: Source) -> str:
    return Path(source.gold_file).stem


def _key_fields(fact: dict) -> dict:
    return {
        key: fact.get(key) for key in ("field_id", "value", "unit", "approx", "qualifier", "origin")
    }


def _title(before: str, stem: str) -> str:
    return next((line.strip() for line in before.splitlines() if "报告" in line), stem)
