"""The ``image-pdf`` layout: a report as a scan. Its prose and its tables printed from the official
template (HTML laid out on A4 by pymupdf, the ``eval`` extra), each page then rasterised at
``DPI`` into a PDF of pictures with no text layer: read only with OCR (the ``ocr`` extra).

OCR takes seconds per page, so the layout holds ``COUNT`` reports of the 2019/2021 templates from
the train and dev splits (never test), spread over the corpus in its stable order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from benchmarks.layouts import convert, forms
from benchmarks.layouts.sources import ROOT, Source
from benchmarks.layouts.template import template_tables
from ie.schema import load_schema

DPI = 150
COUNT = 4
SPLITS = ROOT / "annotations" / "splits.json"


def variants(sources: list[Source]) -> Iterator:
    """One ``image-pdf`` variant per chosen report; its gold is the md-html variant's (the same
    prose and the same template tables)."""
    from benchmarks.layouts import generate  # generate lists this form: imported when it runs

    if not convert.available():
        return
    splits = json.loads(SPLITS.read_text(encoding="utf-8"))["documents"]
    eligible = [s for s in sources if s.vintage in {"2019", "2021"}
                and splits.get(s.document) in {"train", "dev"}]  # fmt: skip
    step = max(1, len(eligible) // COUNT)
    for source in eligible[::step][:COUNT]:
        printed = next(
            v for v in generate._template_variants(source, False) if v.layout == "md-html"
        )
        start, end = generate._table_start(source), source.regions[-1].end
        values = {f["field_id"]: f["value"] for f in source.facts
                  if f["origin"] == "table" and not f.get("qualifier")}  # fmt: skip
        tables = template_tables(load_schema()[source.vintage], values)
        before, after = source.text[:start], source.text[end:]
        title = next((line.strip() for line in before.splitlines() if "报告" in line), "")
        page = forms.html_page(title, before,
                               [f"<p>{t.title}</p>\n" + forms.html_table(t) for t in tables], after)  # fmt: skip
        stem = Path(source.gold_file).stem
        yield generate.Variant(f"image-pdf/{stem}.pdf", "image-pdf", source.document,
                               scan(page), printed.facts,
                               printed.gold + f"; printed to PDF and rasterised at {DPI} dpi: "
                               "pictures only, no text layer")  # fmt: skip


def scan(page: str) -> bytes:
    """The HTML page printed on A4 (pymupdf's Story) and every page turned into a grey picture."""
    import pymupdf

    printed = pymupdf.open("pdf", convert.html_to_pdf(page))
    scanned = pymupdf.open()
    for sheet in printed:
        picture = sheet.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
        scanned.new_page(width=sheet.rect.width, height=sheet.rect.height).insert_image(
            sheet.rect, pixmap=picture
        )
    return scanned.tobytes(deflate=True)
