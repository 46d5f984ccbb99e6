"""path → Document: decode or extract the report's text, normalize it, keep the map back.

txt files are decoded (encoding detected, never assumed); HTML, PDF and DOCX are extracted into
text where tables print one row per line (see ``ie.read.layout``) and also come back as grids of
``Cell`` whose spans index ``Document.text``. Every problem with the input is an ``InputError``.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import charset_normalizer

from ie.document import Document
from ie.errors import Errors, InputError
from ie.read.layout import PlacedCell
from ie.read.textnorm import normalize
from ie.types import Cell, Span

FORMATS = {
    "": "txt",
    ".txt": "txt",
    ".text": "txt",
    ".htm": "html",
    ".html": "html",
    ".shtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".md": "markdown",
    ".markdown": "markdown",
}
# Saved web pages often arrive as .txt; their markup would otherwise end up in the text.
HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)
# GB2312 and GBK are subsets of GB18030 and Big5 of CP950: the superset decodes what a
# detector's narrower guess would reject on one rare character.
CODECS = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "hz": ("hz",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
}
BINARY_SAMPLE = 65536
# Control bytes other than \t \n \f \r and ESC (ISO-2022) are rare in text, common in binaries.
CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
MAX_CONTROL_SHARE = 0.05
BYTES_PER_MB = 1024 * 1024
T = TypeVar("T")
UTF16_ZERO_MAJORITY = 3
# UTF-16 only where nearly every character is ASCII, a common hanzi or CJK punctuation
MIN_UTF16_SHARE = 0.95


def read(path: str | Path, max_mb: float = 20) -> Document:
    """Read one report: txt, HTML, PDF or DOCX, chosen by its suffix."""
    return read_bytes(load_bytes(path, max_mb), path, max_mb)


def load_bytes(path: str | Path, max_mb: float = 20) -> bytes:
    """A report file's bytes, once it exists, has a suffix we read and is not too large."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Errors.E001.format(path=path))
    _format(path)  # an unsupported suffix is reported before the size
    _check_size(path.stat().st_size, path, max_mb)  # before reading a huge file into memory
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(Errors.E050.format(path=path, reason=error.strerror or error)) from None


def read_bytes(raw: bytes, name: str | Path, max_mb: float = 20) -> Document:
    """A report's bytes and its file name (which gives the format, the messages and
    ``Document.path``): what ``read`` does once the file is open. ``ie.batch`` reads files as bytes."""
    path = Path(name)
    file_format = _format(path)
    _check_size(len(raw), path, max_mb)
    # The format readers import pdfplumber, python-docx and lxml: only when a report needs them.
    if file_format == "pdf":
        from ie.read.pdf import read_pdf

        layout = _extract(lambda: read_pdf(io.BytesIO(raw)), path, Errors.E007)
        if not layout.lines:
            raise InputError(Errors.E013.format(path=path))
        return _document(path, layout.text(), "pdf", None, layout.grids)
    if file_format == "docx":
        from ie.read.docx import read_docx

        layout = _extract(lambda: read_docx(io.BytesIO(raw)), path, Errors.E008)
        return _document(path, layout.text(), "docx", None, layout.grids)
    source, encoding = decode(raw, path)
    if not source.strip():
        raise InputError(Errors.E003.format(path=path))
    if file_format == "html" or HTML_START.match(source):
        from ie.read.html import read_html

        layout = _extract(lambda: read_html(source), path, Errors.E012)
        return _document(path, layout.text(), "html", encoding, layout.grids)
    # A .txt saved from a converter or a wiki often holds markdown tables: their rows and blank
    # cells are exact there, and lost if the lines are read as loose text.
    if file_format == "markdown" or "|" in source:
        from ie.read.markdown import looks_like_markdown, read_markdown

        if file_format == "txt" and not looks_like_markdown(source):
            return _document(path, source, "txt", encoding, [])
        markdown = _extract(lambda: read_markdown(source), path, Errors.E014)
        return _document(
            path, source, "markdown", encoding, markdown.grids,
            view=(markdown.clean, markdown.clean_to_source),
        )  # fmt: skip
    return _document(path, source, "txt", encoding, [])


def _format(path: Path) -> str:
    file_format = FORMATS.get(path.suffix.lower())
    if file_format is None:
        raise InputError(Errors.E010.format(suffix=path.suffix, path=path))
    return file_format


def _check_size(size: int, path: Path, max_mb: float) -> None:
    if size > max_mb * BYTES_PER_MB:
        raise InputError(
            Errors.E006.format(path=path, size_mb=size / BYTES_PER_MB, limit_mb=max_mb)
        )
    if size == 0:
        raise InputError(Errors.E003.format(path=path))


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Bytes of a text file → (text, codec name). A BOM wins; then UTF-8 if it decodes cleanly,
    since random GB or Big5 bytes almost never do; then whatever charset-normalizer detects."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return _decode_with(raw, (codec,), path)
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16
    if _looks_binary(raw[:BINARY_SAMPLE]):
        raise InputError(Errors.E004.format(path=path))
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # A page's own <meta charset> (or XML declaration) names its codec: Big5 bytes also decode
    # as GBK, and a detector cannot always tell which one a short page is.
    from bs4.dammit import EncodingDetector  # 0.05-0.3 s to import: only for a file not in UTF-8

    declared = EncodingDetector.find_declared_encoding(raw, is_html=True)
    if declared:
        try:
            name = codecs.lookup(declared).name.replace("_", "-")
            return _decode_with(raw, CODECS.get(name, (name,)), path)
        except (LookupError, InputError):
            pass  # a wrong or unknown declaration: detect instead
    matches = list(charset_normalizer.from_bytes(raw))
    if not matches:
        raise InputError(Errors.E005.format(path=path))
    # On a line or two the detector can't tell GBK from UTF-16 or Big5 from CP949; all decode
    # cleanly. We know reports are Chinese: take the reading that looks most like one, and the
    # detector's order where readings tie (longer texts, non-Chinese files).
    best = max(matches, key=lambda match: _chinese_share(str(match)))
    detected = codecs.lookup(best.encoding).name.replace("_", "-")
    return _decode_with(raw, CODECS.get(detected, (detected,)), path)


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM (Windows tools do): ASCII characters (digits, line breaks) put
    a zero byte beside them, at odd positions in little-endian, at even ones in big-endian; CJK
    characters rarely have one. Taken only where one parity holds the zeros and the text reads as a
    Chinese report, so a binary file is not mistaken for one."""
    sample = raw[: BINARY_SAMPLE - BINARY_SAMPLE % 2]
    if len(raw) % 2 or b"\x00" not in sample:
        return None
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    # hanzi such as 一 (U+4E00) put a zero on the other side now and then: a clear majority
    if max(odd, even) < UTF16_ZERO_MAJORITY * min(odd, even):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        return None
    if "\x00" in text or _chinese_share(text) < MIN_UTF16_SHARE:
        return None
    return text, codec


def _chinese_share(text: str) -> float:
    """Share of characters a Chinese report is made of: ASCII, common hanzi, CJK punctuation."""
    usual = sum(
        char.isascii()
        or "\u4e00" <= char <= "\u9fff"
        or "\u3000" <= char <= "\u303f"
        or "\uff01" <= char <= "\uff5e"
        or char in "“”‘’…—"
        for char in text
    )
    return usual / max(1, len(text))


def _decode_with(raw: bytes, candidates: tuple[str, ...], path: Path) -> tuple[str, str]:
    for codec in candidates:
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise InputError(Errors.E005.format(path=path))


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    control = sum(byte in CONTROL_BYTES for byte in sample)
    return control > MAX_CONTROL_SHARE * len(sample)


def _extract(reader: Callable[[], T], path: Path, message: str) -> T:
    """Run a format reader; whatever its library raises becomes one line for the user."""
    try:
        return reader()
    except InputError:
        raise
    # pdfminer, python-docx and lxml raise a zoo of exception types on damaged files.
    except Exception as error:
        raise InputError(message.format(path=path, reason=_reason(error))) from error


def _reason(error: Exception) -> str:
    if error.args and isinstance(error.args[0], Exception):  # pdfplumber wraps pdfminer's errors
        error = error.args[0]
    name = type(error).__name__
    if "Password" in name or "Encrypt" in name:
        return "the file is encrypted (password protected)"
    if name == "PackageNotFoundError":  # python-docx's word for "this is not a zip file"
        return "not a DOCX package (not a zip file)"
    detail = " ".join(str(error).split())
    return f"{name}: {detail}" if detail else name


def _document(
    path: Path,
    source: str,
    file_format: str,
    encoding: str | None,
    placed_grids: list[list[PlacedCell]],
    view: tuple[str, tuple[int, ...]] | None = None,
) -> Document:
    """``view``: the text the rules read where it is not ``source`` itself (markdown without its
    markup), with the source index of each of its characters and of its end."""
    if not source.strip():
        raise InputError(Errors.E003.format(path=path))
    if view is None:
        text, offsets, traditional = normalize(source)
    else:
        clean, clean_to_source = view
        text, clean_offsets, traditional = normalize(clean)
        offsets = tuple(clean_to_source[index] for index in clean_offsets)
    if not text.strip():
        raise InputError(Errors.E003.format(path=path))
    to_text = _source_to_text(offsets)
    grids = tuple(tuple(_cell(placed, text, to_text) for placed in grid) for grid in placed_grids)
    return Document(
        path=str(path),
        text=text,
        source_text=source,
        offsets=offsets,
        format=file_format,
        encoding=encoding,
        traditional=traditional,
        grids=grids,
    )


def _source_to_text(offsets: tuple[int, ...]) -> list[int]:
    """For each source index, the first text index at or after it (dropped characters map on)."""
    to_text = []
    index = 0
    for source_index in range(offsets[-1] + 1):
        while offsets[index] < source_index:
            index += 1
        to_text.append(index)
    return to_text


def _cell(placed: PlacedCell, text: str, to_text: list[int]) -> Cell:
    start, end = to_text[placed.start], to_text[placed.end]
    raw = placed.cell
    return Cell(
        text[start:end],
        Span(start, end, text[start:end]),
        raw.row,
        raw.col,
        raw.rowspan,
        raw.colspan,
    )


REPORT_SUFFIXES = set(FORMATS) - {""}


def find_reports(paths: list[str]) -> list[str]:
    """The paths given, directories expanded to the reports inside them, in a stable order."""
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
            )
            if not inside:
                raise InputError(Errors.E002.format(path=given))
            found += inside
        elif path.exists():
            found.append(given)
        else:
            raise InputError(Errors.E001.format(path=given))
    return found
