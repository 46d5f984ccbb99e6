"""How fast a folder of reports goes through: ie.predict --jobs 1, --jobs 2 and ie.batch on a local
Ray, over the same reports in one run; the time to a single small report's output; and what a
national year (10^5 reports) needs. Prints numbers; asserts nothing.

    python benchmarks/batch_speed.py                      # the train and dev reports of ../shared
    python benchmarks/batch_speed.py --repeat 5 --no-ray  # more reports, no Ray
    python benchmarks/batch_speed.py FOLDER ...           # your own reports

Every figure is the wall time of the command a user runs (a fresh process: imports, and for
ie.batch Ray's start), so the per-report figures include start-up; ie.batch's is also given net
of its fixed cost (the same command over a single report). On a shared machine the numbers move
with the other load: rerun, and compare figures taken in the same run.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ie.paths import shared_dir  # noqa: E402
from ie.read import find_reports, read  # noqa: E402
from ie.run.pool import default_jobs  # noqa: E402
from tests.helpers import printed_pdf  # noqa: E402

SHARED = shared_dir()  # $IE_SHARED, else ../shared (ie.paths)
SMALL_REPORT = ROOT / "samples" / "baodi-2016.txt"
NATIONAL_YEAR = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folders", nargs="*", help="default: the train and dev reports (the test split is sealed)"
    )
    parser.add_argument("--repeat", type=int, default=2, help="each report this many times")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-ray", action="store_true", help="skip ie.batch")
    parser.add_argument("--starts", type=int, default=5, help="single-report runs to time")
    parser.add_argument("--full-repeat", type=int, default=10, help="seeds repeats, national year")
    args = parser.parse_args()

    found = find_reports(args.folders) if args.folders else _open_reports()
    reports = found * args.repeat
    chars = sum(len(read(path).text) for path in found) * args.repeat
    formats = sorted({Path(p).suffix for p in reports})
    print(f"{len(reports)} reports ({', '.join(formats)}), {chars:,} characters; "
          f"this machine: {default_jobs()} cores, load {os.getloadavg()[0]:.1f}")  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="ie-bench-") as scratch:
        listing = Path(scratch) / "reports"
        listing.mkdir()
        inputs = _link_copies(reports, listing)
        rates: dict[str, float] = {}
        cpu_rates: dict[int, float] = {}
        for jobs in args.jobs:
            seconds = _wall([sys.executable, "-m", "ie.predict", str(listing), "--format", "jsonl",
                             "--out", str(Path(scratch) / f"jobs{jobs}.jsonl"), "--jobs", str(jobs)])  # fmt: skip
            rates[f"ie.predict --jobs {jobs}"] = len(inputs) / seconds
            cpu_rates[jobs] = len(inputs) / _cpu
            _line(f"ie.predict --jobs {jobs}", len(inputs), chars, seconds, _cpu)
        if not args.no_ray:
            single = Path(scratch) / "single"
            single.mkdir()
            (single / SMALL_REPORT.name).write_bytes(SMALL_REPORT.read_bytes())
            cpus = str(min(2, default_jobs()))
            ray = [sys.executable, "-m", "ie.batch", "--num-cpus", cpus, "--object-store-mb", "200"]
            fixed = _wall([*ray, str(single), str(Path(scratch) / "ray-single")])
            seconds = _wall([*ray, str(listing), str(Path(scratch) / "ray-all")])
            _line(f"ie.batch, local Ray, {cpus} CPUs", len(inputs), chars, seconds)
            net = max(seconds - fixed, 1e-6)
            _line(f"  net of its fixed {fixed:.1f} s", len(inputs), chars, net)
            rates["ie.batch (net)"] = len(inputs) / net
        if 1 in args.jobs and 2 in args.jobs:
            ratio = rates["ie.predict --jobs 2"] / rates["ie.predict --jobs 1"]
            print(f"--jobs 2 / --jobs 1: {ratio:.2f}x wall (target on 2 cores: 1.7x)")
            # On a busy machine the wall ratio shows the other load; the CPU each run spent
            # shows the pool's own cost: with two free cores the speed-up is about this.
            free = min(2.0, 2 * cpu_rates[2] / cpu_rates[1])
            print(f"--jobs 2 spends {cpu_rates[1] / cpu_rates[2]:.2f}x the CPU of --jobs 1: "
                  f"about {free:.2f}x on two free cores")  # fmt: skip

    starts, start_cpus = [], []
    for _ in range(args.starts):
        starts.append(
            _wall([sys.executable, "-m", "ie.predict", str(SMALL_REPORT), "--tagger", "rules"])
        )
        start_cpus.append(_cpu)
    python = statistics.median(_wall([sys.executable, "-c", "pass"]) for _ in range(3))
    print(f"one report ({SMALL_REPORT.name}, {len(read(SMALL_REPORT).text):,} characters) to its "
          f"output: median {statistics.median(starts):.2f} s, best {min(starts):.2f} s of "
          f"{args.starts}, {statistics.median(start_cpus):.2f} CPU-seconds (target 1 s; a bare "
          f"Python start: {python:.2f} s)")  # fmt: skip

    # A national year: full reports (the seeds, repeated), one process per core.
    seeds = find_reports([str(SHARED / "seeds")]) * args.full_repeat
    with tempfile.TemporaryDirectory(prefix="ie-bench-") as scratch:
        folder = Path(scratch) / "reports"
        folder.mkdir()
        _link_copies(seeds, folder)
        _wall([sys.executable, "-m", "ie.predict", str(folder), "--format", "jsonl", "--out",
               str(Path(scratch) / "out.jsonl"), "--jobs", "1"])  # fmt: skip
        texts_cpu = _cpu
        pdf = printed_pdf(Path(scratch) / "printed.pdf")
        pages = _pages(pdf)
        pdfs = [str(pdf)] * 3
        _wall([sys.executable, "-m", "ie.predict", *pdfs, "--format", "jsonl", "--out",
               str(Path(scratch) / "pdf.jsonl"), "--jobs", "1"])  # fmt: skip
        pdf_cpu = _cpu
    seed_chars = statistics.mean(len(read(p).text) for p in seeds)
    for what, per_core in (
        (f"text reports (the seeds, {seed_chars:,.0f} characters)", len(seeds) / texts_cpu),
        (
            f"PDF reports (a train report printed with its tables, {pages} pages)",
            len(pdfs) / pdf_cpu,
        ),
    ):
        hours = NATIONAL_YEAR / per_core / 3600
        print(f"a national year ({NATIONAL_YEAR:,}) of {what}: {per_core:.2f} reports per "
              f"CPU-second, {hours:.1f} core-hours: {hours / 2:.1f} h on 2 cores, "
              f"{hours / 16:.1f} h on 16, {math.ceil(hours)} cores for an hour")  # fmt: skip


def _open_reports() -> list[str]:
    """The train and dev documents of annotations/splits.json (no test-split document is read)."""
    from tests.helpers import open_documents

    return [str(SHARED / document) for document in open_documents()]


def _pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return len(document.pages)


def _link_copies(reports: list[str], folder: Path) -> list[Path]:
    """One folder holding every report (repeats under new names), so each command reads the same."""
    paths = []
    for index, report in enumerate(reports):
        path = folder / f"{index:05d}-{Path(report).name}"
        os.symlink(Path(report).resolve(), path)
        paths.append(path)
    return paths


def _wall(command: list[str]) -> float:
    """Wall seconds of a command; its CPU seconds (user + system, all its processes that ended
    with it) go to ``_cpu``, the figure that moves least with the machine's other load."""
    global _cpu
    before = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    _cpu = _children_cpu() - before
    if result.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return seconds


_cpu = 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _line(what: str, reports: int, chars: int, seconds: float, cpu: float | None = None) -> None:
    per_cpu = f"  {reports / cpu:6.1f} reports per CPU-second" if cpu else ""
    print(f"{what:34} {seconds:7.1f} s  {reports / seconds:7.1f} reports/s  "
          f"{chars / seconds:10,.0f} chars/s{per_cpu}")  # fmt: skip


if __name__ == "__main__":
    main()
