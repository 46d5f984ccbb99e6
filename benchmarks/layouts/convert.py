"""A report printed to PDF and read back by a PDF-to-markdown converter (pymupdf4llm, the ``eval``
extra): the markdown such converters give users, merged cells and wrapped labels included."""

from __future__ import annotations

import tempfile
from pathlib import Path

CSS = "* {font-family: sans-serif; font-size: 9px;} td {border: 1px solid black; padding: 2px;}"


def available() -> bool:
    try:
        import pymupdf4llm  # noqa: F401
    except ImportError:
        return False
    return True


def pdf_to_markdown(pdf: Path) -> str:
    import pymupdf4llm

    return pymupdf4llm.to_markdown(str(pdf), show_progress=False)


def html_to_markdown(page: str) -> str:
    """The HTML page laid out on A4 pages (pymupdf's Story), then converted to markdown."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        pdf.write_bytes(html_to_pdf(page))
        return pdf_to_markdown(pdf)


def html_to_pdf(page: str) -> bytes:
    """The HTML page laid out on A4 pages (pymupdf's Story): the PDF's bytes."""
    import pymupdf

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        story = pymupdf.Story(html=page, user_css=CSS)
        writer = pymupdf.DocumentWriter(str(pdf))
        paper = pymupdf.paper_rect("a4")
        more = True
        while more:
            device = writer.begin_page(paper)
            more, _ = story.place(paper + (36, 36, -36, -36))
            story.draw(device)
            writer.end_page()
        writer.close()
        return pdf.read_bytes()
