"""The ``image-pdf`` layout: a report as a scan. Its prose and its tables printed from the official
template (HTML laid out on A4 by pymupdf, the ``eval`` extra), each page then rasterised at
``DPI`` into a PDF of pictures with no text layer: read only with OCR (the ``ocr`` extra).

OCR takes seconds per page, so the layout holds a few reports of the 2019/2021 templates from the
train and dev splits (never test): those whose name hashes into one bucket of ``BUCKETS``, a
choice that stays put as the corpus grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from benchmarks.layouts import convert, forms

if TYPE_CHECKING:
    from benchmarks.layouts.generate import Options, Variant
    from benchmarks.layouts.sources import Source

DPI = 150
BUCKETS = 5  # about one report in five of the templates


def chosen(document: str) -> bool:
    return int(hashlib.sha256(document.encode("utf-8")).hexdigest(), 16) % BUCKETS == 0


def image_pdf(source: Source, options: Options) -> Iterator[Variant]:
    """The template page of a chosen train/dev report, printed and scanned (image-pdf); its gold
    is the md-html form's (the same prose and the same template tables)."""
    from benchmarks.layouts import generate  # generate lists this form: imported when it runs

    if not options.converter or source.split not in {"train", "dev"} or not chosen(source.document):
        return
    page = generate._template_page(source)
    if page is None or not any(f["origin"] == "table" for f in page.facts):
        return  # a scan of prose alone measures no table
    html = forms.html_page(page.title, page.before,
                           [f"<p>{t.title}</p>\n" + forms.html_table(t) for t in page.tables], page.after)  # fmt: skip
    yield generate.Variant(
        f"image-pdf/{generate._stem(source)}.pdf", "image-pdf", source.document,
        scan(page.script(html)), page.facts,
        page.gold + f"; printed to PDF and rasterised at {DPI} dpi: pictures only, no text layer",
        split=source.split,
    )  # fmt: skip


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
