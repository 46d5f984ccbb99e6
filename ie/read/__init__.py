"""path → Document: decode or extract the report's text, normalize it, keep the map back.

txt files are decoded (encoding detected, never assumed); HTML, PDF and DOCX are extracted into
text where tables print one row per line (see ``ie.read.layout``) and also come back as grids of
``Cell`` whose spans index ``Document.text``. Every problem with the input is an ``InputError``.
"""

from __future__ import annotations

import codecs
import errno
import functools
import io
import os
import re
import stat
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ie.document import Document
from ie.errors import Errors, InputError, warn
from ie.read import limits
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
ZIP_CHUNK = 1024 * 1024
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
    status = _status(path)
    kind = _not_regular(status.st_mode)
    if kind is not None:  # a FIFO would block the read, a device never end
        raise InputError(Errors.E075.format(path=path, what=kind))
    _format(path)  # an unsupported suffix is reported before the size
    _check_size(status.st_size, path, max_mb)  # before reading a huge file into memory
    try:
        with open(path, "rb") as stream:
            # never more than the limit allows, even if the file grows after the check
            raw = stream.read(int(max_mb * BYTES_PER_MB) + 1)
    except OSError as error:
        raise InputError(Errors.E050.format(path=path, reason=error.strerror or error)) from None
    _check_size(len(raw), path, max_mb)
    return raw


def _status(path: Path) -> os.stat_result:
    """``os.stat`` of a path the user named, every failure worded precisely."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(Errors.E074.format(path=path, what=BROKEN_LINK)) from None
        raise InputError(Errors.E001.format(path=path)) from None
    except OSError as error:
        raise InputError(Errors.E074.format(path=path, what=_os_reason(error))) from None


BROKEN_LINK = "a broken symbolic link (what it points to does not exist)"


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symbolic link loop (too many levels of symbolic links)"
    if error.errno == errno.EACCES:
        return "permission denied"
    return str(error.strerror or error).lower()


def file_kind(mode: int, folder: str = "a folder") -> str | None:
    """What a path that is not a regular file is, in words; None for a regular file (``folder``:
    the words for a folder, which a reader and a writer explain differently)."""
    for test, words in (
        (stat.S_ISDIR, folder),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return None if stat.S_ISREG(mode) else "not a regular file"


def _not_regular(mode: int) -> str | None:
    return file_kind(mode, "a folder (give report files, or the folder to read every report in it)")


def read_bytes(raw: bytes, name: str | Path, max_mb: float = 20) -> Document:
    """A report's bytes and its file name (which gives the format, the messages and
    ``Document.path``): what ``read`` does once the file is open. ``ie.batch`` reads files as bytes."""
    path = Path(name)
    file_format = _format(path)
    _check_size(len(raw), path, max_mb)
    # The format readers import pdfplumber, python-docx and lxml: only when a report needs them.
    if file_format == "pdf":
        from ie.read import ocr
        from ie.read.pdf import read_pdf

        ocr_mode = ocr.mode()
        if ocr_mode == "always" and not ocr.available():
            raise InputError(Errors.E091.format(path=path, mode=ocr_mode))
        layout = _extract(lambda: read_pdf(io.BytesIO(raw), ocr_mode), path, Errors.E007)
        if not layout.lines:
            raise InputError(Errors.E013.format(path=path))
        return _document(path, layout.text(), "pdf", None, layout.grids,
                         recognised=layout.recognised)  # fmt: skip
    if file_format == "docx":
        from ie.read.docx import read_docx

        check_zip(raw, path)

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
    since random GB or Big5 bytes almost never do; then whatever charset-normalizer detects.
    A file that decodes except for a few bytes (or UTF-8 with a part in another encoding) is
    read with those bytes as U+FFFD and a warning; only a file no encoding fits is refused."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return _decode_with(raw, (codec,), path, lenient=True)
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16
    if _looks_binary(raw[:BINARY_SAMPLE]):
        raise InputError(Errors.E004.format(path=path))
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with lines pasted in from a GB18030 (or Big5) page: each line in its own encoding.
    mixed = _mixed_lines(raw, path)
    if mixed is not None:
        return mixed
    # Mostly UTF-8 with a few damaged bytes. GB or Big5 bytes form valid UTF-8 now and then, but
    # rarely as Chinese characters: where the UTF-8 reading holds at least as many bytes of
    # Chinese as it loses, the file is UTF-8.
    text, bad = _decode_counting(raw, "utf-8")
    if _utf8_wins(text, bad):
        return _replaced(text, bad, "utf-8", path)
    # A page's own <meta charset> (or XML declaration) names its codec: Big5 bytes also decode
    # as GBK, and a detector cannot always tell which one a short page is.
    from bs4.dammit import EncodingDetector  # 0.05-0.3 s to import: only for a file not in UTF-8

    candidates: list[str] = []
    declared = EncodingDetector.find_declared_encoding(raw, is_html=True)
    if declared:
        try:
            name = codecs.lookup(declared).name.replace("_", "-")
            candidates += CODECS.get(name, (name,))
            return _decode_with(raw, CODECS.get(name, (name,)), path)
        except (LookupError, InputError):
            pass  # a wrong or unknown declaration: detect instead
    import charset_normalizer  # 0.02 s to import: only for a file not in UTF-8, as bs4 above

    matches = list(charset_normalizer.from_bytes(raw))
    if matches:
        # On a line or two the detector can't tell GBK from UTF-16 or Big5 from CP949; all
        # decode cleanly. We know reports are Chinese: take the reading that looks most like
        # one, and the detector's order where readings tie (longer texts, non-Chinese files).
        best = max(matches, key=lambda match: _chinese_share(str(match)))
        detected = codecs.lookup(best.encoding).name.replace("_", "-")
        try:
            return _decode_with(raw, CODECS.get(detected, (detected,)), path)
        except InputError:
            candidates = [*CODECS.get(detected, (detected,)), *candidates]
    # Nothing decodes cleanly: the reading that loses the fewest bytes, if it loses only a few.
    readings = []
    for codec in dict.fromkeys([*candidates, "gb18030", "utf-8"]):
        try:
            readings.append((codec, *_decode_counting(raw, codec)))
        except LookupError:
            continue
    codec, text, bad = min(readings, key=lambda reading: _bad_bytes(reading[2]))
    non_ascii = len(raw.translate(None, ASCII_BYTES))
    if _bad_bytes(bad) > PLAUSIBLE_LOSS * non_ascii:
        raise InputError(Errors.E005.format(path=path))
    return _replaced(text, bad, codec, path)


ASCII_BYTES = bytes(range(0x80))
# A file is UTF-8 mixed with another encoding only where its other lines hold at least this
# many non-ASCII bytes (two characters): a cut UTF-8 sequence is at most three.
MIN_FOREIGN = 4


@functools.cache
def _common_hanzi() -> re.Pattern[str]:
    """The 3755 common hanzi (GB2312 level 1, rows 16-55), which mojibake seldom produces; built
    on first use (13 ms), only for a file that is not clean UTF-8."""
    hanzi = (bytes((row, cell)).decode("gb2312", "ignore")
             for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF))  # fmt: skip
    return re.compile("[" + "".join(hanzi) + "]")


# The encodings a pasted Chinese line comes in, the first preferred where they fit alike.
FOREIGN_CODECS = ("gb18030", "cp950", "big5hkscs")
# Characters a Chinese report is made of beyond ASCII, each three bytes in UTF-8
CHINESE_UTF8 = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’…—]")
# A reading that loses more than this share of the non-ASCII bytes is not the file's encoding.
PLAUSIBLE_LOSS = 0.02
WARNED_OFFSETS = 5
_recorded = threading.local()


def _record_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: the bad bytes become one U+FFFD, and their place is noted."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _recorded.bad.append((error.start, error.end))
    return "\ufffd", error.end


codecs.register_error("ie-record", _record_bad_bytes)


def _decode_counting(raw: bytes, codec: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with every undecodable run of bytes as U+FFFD, and those runs' byte ranges."""
    _recorded.bad = []  # per thread: the studio backend reads in several
    try:
        return raw.decode(codec, "ie-record"), _recorded.bad
    finally:
        _recorded.bad = []


def _utf8_wins(text: str, bad: list[tuple[int, int]]) -> bool:
    """A UTF-8 reading holds at least as many bytes of Chinese as it loses."""
    return len(CHINESE_UTF8.findall(text)) * 3 >= _bad_bytes(bad)


def _mixed_lines(raw: bytes, path: Path) -> tuple[str, str] | None:
    """A UTF-8 file with whole lines in another encoding (a paragraph pasted from a GB18030
    page), or the other way round, read line by line: each line in the reading that gives more
    common hanzi (GB2312's first level) less the bytes it loses, UTF-8 where they tie. Mojibake
    is made of rare characters: GB bytes read as UTF-8 give a stray 鵵 beside a lost byte, UTF-8
    bytes read as GB18030 give second-level hanzi and symbols. None unless the file holds both:
    at least MIN_FOREIGN common hanzi on UTF-8 lines and MIN_FOREIGN non-ASCII bytes on others
    (a cut UTF-8 sequence at the end is at most three bytes)."""
    lines = raw.splitlines(keepends=True)
    if sum(len(CHINESE_UTF8.findall(text)) for text in _flawless_utf8(lines)) < MIN_FOREIGN:
        return None  # no line of UTF-8 Chinese (a GB18030 file): spare it the reading by line
    readings: list[tuple[str, list[tuple[int, int]]] | None] = []
    common_in_utf8 = 0
    foreign: list[bytes] = []
    for line in lines:
        text, bad = _decode_counting(line, "utf-8")
        if line.isascii():
            readings.append((text, bad))
            continue
        other, other_bad = _decode_counting(line, "gb18030")
        common = len(_common_hanzi().findall(text))
        if common - _bad_bytes(bad) >= len(_common_hanzi().findall(other)) - _bad_bytes(other_bad):
            common_in_utf8 += common
            readings.append((text, bad))
        else:
            readings.append(None)
            foreign.append(line)
    foreign_bytes = len(b"".join(foreign).translate(None, ASCII_BYTES))
    if common_in_utf8 < MIN_FOREIGN or foreign_bytes < MIN_FOREIGN:
        return None
    joined = b"".join(foreign)
    codec = min(FOREIGN_CODECS, key=lambda name: _bad_bytes(_decode_counting(joined, name)[1]))
    parts: list[str] = []
    all_bad: list[tuple[int, int]] = []
    start = 0
    for line, reading in zip(lines, readings):
        text, bad = reading if reading is not None else _decode_counting(line, codec)
        parts.append(text)
        all_bad += [(start + a, start + b) for a, b in bad]
        start += len(line)
    warn(Errors.W002.format(path=path, lines=len(foreign), codec=codec))
    # the output's source.encoding says both, so the text is never taken for plain UTF-8
    return _replaced("".join(parts), all_bad, f"utf-8+{codec}", path)


def _flawless_utf8(lines: list[bytes]) -> Iterator[str]:
    """The lines beyond ASCII that are valid UTF-8, decoded."""
    for line in lines:
        if not line.isascii():
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                continue


def _bad_bytes(bad: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in bad)


def _replaced(text: str, bad: list[tuple[int, int]], codec: str, path: Path) -> tuple[str, str]:
    if bad:
        offsets = ", ".join(str(start) for start, _ in bad[:WARNED_OFFSETS])
        more = ", …" if len(bad) > WARNED_OFFSETS else ""
        warn(Errors.W001.format(path=path, count=_bad_bytes(bad), encoding=codec,
                                offsets=offsets + more))  # fmt: skip
    return text, codec


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


def _decode_with(
    raw: bytes, candidates: tuple[str, ...], path: Path, lenient: bool = False
) -> tuple[str, str]:
    """The first candidate that decodes cleanly; ``lenient`` (a BOM named the codec): else the
    first with its bad bytes as U+FFFD, if they are few."""
    for codec in candidates:
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            continue
    if lenient:
        text, bad = _decode_counting(raw, candidates[0])
        if _bad_bytes(bad) <= PLAUSIBLE_LOSS * len(raw):
            return _replaced(text, bad, candidates[0], path)
    raise InputError(Errors.E005.format(path=path))


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    control = sum(byte in CONTROL_BYTES for byte in sample)
    return control > MAX_CONTROL_SHARE * len(sample)


def check_zip(raw: bytes, path: Path) -> None:
    """A zip package (DOCX) within --max-extracted-mb: the members' declared sizes first, then
    each member unpacked and counted as it streams, since a declared size can lie. Only the
    count is kept: memory stays one chunk, however much a zip bomb would unpack to."""
    limit_mb = limits.max_extracted_mb()
    limit = limit_mb * BYTES_PER_MB
    too_large = InputError(Errors.E076.format(path=path, limit_mb=limit_mb))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            members = package.infolist()
            if sum(member.file_size for member in members) > limit:
                raise too_large
            total = 0
            for member in members:
                with package.open(member) as stream:
                    while chunk := stream.read(ZIP_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_large
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as error:  # fmt: skip
        reason = "not a DOCX package (not a zip file)" if isinstance(error, zipfile.BadZipFile) \
            else _reason(error)  # fmt: skip
        raise InputError(Errors.E008.format(path=path, reason=reason)) from None


def _extract(reader: Callable[[], T], path: Path, message: str) -> T:
    """Run a format reader; whatever its library raises becomes one line for the user."""
    try:
        return reader()
    except InputError:
        raise
    except limits.TooManyCells as error:
        raise InputError(Errors.E077.format(path=path, limit=error.limit)) from None
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
    recognised: list[tuple[int, int, float]] | None = None,
) -> Document:
    """``view``: the text the rules read where it is not ``source`` itself (markdown without its
    markup), with the source index of each of its characters and of its end. ``recognised``:
    the source's characters read by OCR, (start, end, score)."""
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
        recognised=tuple(
            (to_text[start], to_text[end], score) for start, end, score in recognised or ()
        ),
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


class Reports(list[str]):
    """The report paths found, and ``problems``: one message per entry under an input folder
    that could not be read (an unreadable subfolder, a broken link, a link loop). A command
    prints each as an error line and exits 1, as for a report that fails."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []


def find_reports(paths: list[str]) -> Reports:
    """The paths given, directories expanded to the reports inside them, in a stable order."""
    found = Reports()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside: list[str] = []
            problems: list[str] = []
            _walk(path, inside, problems)
            if not inside and not problems:
                raise InputError(Errors.E002.format(path=given))
            found += sorted(inside)
            found.problems += problems
        elif path.exists() or path.is_symlink():
            found.append(given)  # a broken link or a loop: load_bytes says which
        else:
            raise InputError(Errors.E001.format(path=given))
    return found


def _walk(folder: Path, found: list[str], problems: list[str]) -> None:
    """Every report under ``folder``, as ``Path.rglob`` lists them (links to folders are not
    followed, so a link loop cannot recurse), but nothing unreadable passed over in silence."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as error:
        problems.append(Errors.E074.format(path=folder, what=_os_reason(error)))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(path, found, problems)
                continue
        except OSError as error:
            problems.append(Errors.E074.format(path=path, what=_os_reason(error)))
            continue
        # An editor's lock (.#name.txt) is a link to nothing by design; other names only count
        # with a report's suffix, as before.
        if path.suffix.lower() not in REPORT_SUFFIXES or entry.name.startswith(".#"):
            continue
        try:
            mode = entry.stat().st_mode  # through a link to the file it names
        except FileNotFoundError:
            problems.append(Errors.E074.format(path=path, what=BROKEN_LINK))
            continue
        except OSError as error:
            problems.append(Errors.E074.format(path=path, what=_os_reason(error)))
            continue
        if stat.S_ISREG(mode):
            found.append(str(path))
        elif not stat.S_ISDIR(mode):  # a link to a folder is passed over, as rglob does
            problems.append(Errors.E075.format(path=path, what=_not_regular(mode)))
