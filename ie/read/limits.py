"""How much one report may unpack to while it is read: the readers check these as they go, so a
zip bomb or a table of millions of cells is refused with one line instead of exhausting memory.

The values travel in the environment (``IE_MAX_EXTRACTED_MB``, ``IE_MAX_CELLS``): ``ie.cli``
sets them from the flags, and worker processes of a pool or of Ray inherit them without every
stage in between having to pass them on.
"""

from __future__ import annotations

import math
import os

# Measured on the real reports (../shared: 135 reports, txt, markdown and the 6-page PDF): the
# largest table covers 280 grid positions (the PDF's 表三); the PDF printed again as DOCX
# (tests/renderings.py) unpacks to 0.87 MB, most of it python-docx's styles. The defaults leave
# two orders of magnitude above that and stay far below what exhausts memory: lxml needs about
# ten times an XML part's size, so 100 MB unpacked is about 1 GB at worst.
DEFAULT_MAX_EXTRACTED_MB = 100.0
DEFAULT_MAX_CELLS = 200_000
EXTRACTED_VARIABLE = "IE_MAX_EXTRACTED_MB"
CELLS_VARIABLE = "IE_MAX_CELLS"


def configure(max_extracted_mb: float, max_cells: int) -> None:
    os.environ[EXTRACTED_VARIABLE] = repr(float(max_extracted_mb))
    os.environ[CELLS_VARIABLE] = str(int(max_cells))


def max_extracted_mb() -> float:
    try:
        value = float(os.environ.get(EXTRACTED_VARIABLE, DEFAULT_MAX_EXTRACTED_MB))
    except ValueError:
        return DEFAULT_MAX_EXTRACTED_MB
    return value if math.isfinite(value) and value > 0 else DEFAULT_MAX_EXTRACTED_MB


def max_cells() -> int:
    try:
        value = int(os.environ.get(CELLS_VARIABLE, DEFAULT_MAX_CELLS))
    except ValueError:
        return DEFAULT_MAX_CELLS
    return value if value > 0 else DEFAULT_MAX_CELLS


class TooManyCells(Exception):
    """Raised by a reader past ``max_cells()``; ``ie.read`` words it as E077."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"a table has more than {limit} cells")
        self.limit = limit


class CellCounter:
    """Counts one table's grid positions as a reader places its cells."""

    def __init__(self) -> None:
        self.limit = max_cells()
        self.count = 0

    def add(self, positions: int) -> None:
        self.count += positions
        if self.count > self.limit:
            raise TooManyCells(self.limit)
