"""The command-line options every ``ie`` command shares, defined once.

``--tagger``/``--model`` (which prose tagger), ``--max-mb`` (input size, a positive finite number),
``--max-extracted-mb``/``--max-cells`` (what a report may unpack to), ``--ocr`` (which PDF pages
are recognised) and ``--force`` (replace a read-only output). ``apply_limits`` hands the reading
limits and the OCR mode to the readers, also in worker processes, which inherit the environment
(``ie.read.limits``, ``ie.read.ocr``).
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import NoReturn

from ie.errors import EXIT_USAGE, Errors
from ie.read import limits, ocr
from ie.tag import DEFAULT_MODEL_DIR, DEFAULT_TAGGER, TAGGERS

DEFAULT_MAX_MB = 20.0


class Parser(argparse.ArgumentParser):
    """argparse with a usage error as one line on stderr (README: exit 2, one line), not the
    usage block followed by the error."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def positive_number(text: str) -> float:
    """argparse type: a positive finite float (nan, inf, 0 and negatives refused)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(Errors.E078.format(text=text))
    return value


def positive_whole(text: str) -> int:
    """argparse type: a whole number of 1 or more (--jobs, --batch-size, ...)."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def add_tagger(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """--tagger and --model."""
    parser.add_argument(
        "--tagger",
        choices=TAGGERS,
        default=DEFAULT_TAGGER,
        help=help or "prose tagger: rules or a trained model (--model) (default: %(default)s)",
    )
    model = DEFAULT_MODEL_DIR.relative_to(DEFAULT_MODEL_DIR.parents[1])
    parser.add_argument("--model", metavar="DIR", default=None,
                        help=f"model directory for --tagger model (default: {model})")  # fmt: skip


def add_max_mb(parser: argparse.ArgumentParser, what: str = "files") -> None:
    parser.add_argument(
        "--max-mb",
        type=positive_number,
        default=DEFAULT_MAX_MB,
        metavar="MB",
        help=f"refuse {what} larger than this many MB (default: %(default)s)",
    )


def add_limits(parser: argparse.ArgumentParser) -> None:
    """--max-extracted-mb and --max-cells: what one report may unpack to while it is read."""
    parser.add_argument(
        "--max-extracted-mb",
        type=positive_number,
        default=limits.DEFAULT_MAX_EXTRACTED_MB,
        metavar="MB",
        help="refuse a DOCX (or other zip package) whose members unpack to more than this many "
        "MB (default: %(default)s)",
    )
    parser.add_argument(
        "--max-cells",
        type=positive_whole,
        default=limits.DEFAULT_MAX_CELLS,
        metavar="N",
        help="refuse a report with a table of more than N cells (grid positions) "
        "(default: %(default)s)",
    )


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace --out even where it is a read-only file",
    )


def add_ocr(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ocr",
        choices=ocr.MODES,
        default=ocr.DEFAULT_MODE,
        help="recognise PDF pages as images with OCR (the ocr extra: pip install -e '.[ocr]'): "
        "auto, only pages without a text layer; always, every page; never (default: %(default)s)",
    )


def add_reading(parser: argparse.ArgumentParser, what: str = "files") -> None:
    """Every option that bounds or steers reading a report: --max-mb, the limits, --ocr."""
    add_max_mb(parser, what)
    add_limits(parser)
    add_ocr(parser)


def apply_limits(args: argparse.Namespace) -> None:
    """Hand the parsed limits and the OCR mode to the readers (and to worker processes started
    after this)."""
    ocr.configure(getattr(args, "ocr", ocr.DEFAULT_MODE))
    limits.configure(
        max_extracted_mb=getattr(args, "max_extracted_mb", limits.DEFAULT_MAX_EXTRACTED_MB),
        max_cells=getattr(args, "max_cells", limits.DEFAULT_MAX_CELLS),
    )
