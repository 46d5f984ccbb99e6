"""python benchmarks/ocr_speed.py: seconds per page and peak memory of reading scanned PDFs.

Real reports of the train split (annotations/splits.json) are printed to PDF and rasterised into
image-only PDFs (tests/renderings.py), then read with ``--ocr auto``: every page is recognised.
The first report also pays for loading the models; it is timed apart.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from ie.read import ocr, read  # noqa: E402
from tests.helpers import SHARED  # noqa: E402
from tests.renderings import write_image_pdf, write_pdf  # noqa: E402

REPORTS = ("corpus/v2021/2021-04.txt", "seeds/003_5efb2117df0d3f03.txt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("reports", nargs="*", default=list(REPORTS),
                        help="reports under ../shared (train split only)")  # fmt: skip
    args = parser.parse_args(argv)
    if not ocr.available():
        print("the ocr extra is not installed: pip install -e '.[ocr]'", file=sys.stderr)
        return 2
    ocr.configure("auto")
    with tempfile.TemporaryDirectory() as folder:
        scans = []
        for report in args.reports:
            printed = Path(folder) / (Path(report).stem + ".pdf")
            write_pdf(read(SHARED / report), printed)
            scan = printed.with_suffix(".scan.pdf")
            write_image_pdf(printed, scan)
            with pdfplumber.open(scan) as pdf:
                scans.append((report, scan, len(pdf.pages)))
        start = time.perf_counter()
        ocr._engine()
        print(f"models loaded in {time.perf_counter() - start:.1f} s")
        pages = seconds = cpu = 0.0
        for report, scan, count in scans:
            start, start_cpu = time.perf_counter(), time.process_time()
            document = read(scan)
            elapsed = time.perf_counter() - start
            used = time.process_time() - start_cpu
            pages, seconds, cpu = pages + count, seconds + elapsed, cpu + used
            print(f"{report}: {count} pages, {elapsed / count:.1f} s per page "
                  f"({used / count:.1f} s of CPU), {len(document.text)} characters")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{pages:.0f} pages: {seconds / pages:.1f} s per page ({cpu / pages:.1f} s of CPU, "
          f"{os.cpu_count()} cores), peak memory {peak:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
