"""How fast a folder of reports goes through: ie.predict --jobs 1, --jobs 2 and ie.batch on a local
Ray, over the same reports in one run; the time to a single small report's output; and what a
national year (10^5 reports) needs. Prints numbers; asserts nothing.

    python benchmarks/batch_speed.py                      # ../shared/corpus and the seeds
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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ie.parallel import default_jobs  # noqa: E402
from ie.read import find_reports, read  # noqa: E402

SHARED = ROOT.parent / "shared"
SMALL_REPORT = ROOT / "samples" / "baodi-2016.txt"
NATIONAL_YEAR = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folders", nargs="*", default=[str(SHARED / "corpus"), str(SHARED / "seeds")]
    )
    parser.add_argument("--repeat", type=int, default=2, help="each report this many times")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-ray", action="store_true", help="skip ie.batch")
    parser.add_argument("--starts", type=int, default=5, help="single-report runs to time")
    args = parser.parse_args()

    reports = find_reports(args.folders) * args.repeat
    chars = sum(len(read(path).text) for path in find_reports(args.folders)) * args.repeat
    formats = sorted({Path(p).suffix for p in reports})
    print(f"{len(reports)} reports ({', '.join(formats)}), {chars:,} characters; "
          f"this machine: {default_jobs()} cores, load {os.getloadavg()[0]:.1f}")  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="ie-bench-") as scratch:
        listing = Path(scratch) / "reports"
        listing.mkdir()
        inputs = _link_copies(reports, listing)
        rates: dict[str, float] = {}
        for jobs in args.jobs:
            seconds = _wall([sys.executable, "-m", "ie.predict", str(listing), "--format", "jsonl",
                             "--out", str(Path(scratch) / f"jobs{jobs}.jsonl"), "--jobs", str(jobs)])  # fmt: skip
            rates[f"ie.predict --jobs {jobs}"] = len(inputs) / seconds
            _line(f"ie.predict --jobs {jobs}", len(inputs), chars, seconds)
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
            print(f"--jobs 2 / --jobs 1: {ratio:.2f}x (target on 2 cores: 1.7x)")

    starts = [_wall([sys.executable, "-m", "ie.predict", str(SMALL_REPORT), "--tagger", "rules"])
              for _ in range(args.starts)]  # fmt: skip
    python = statistics.median(_wall([sys.executable, "-c", "pass"]) for _ in range(3))
    print(f"one report ({SMALL_REPORT.name}, {len(read(SMALL_REPORT).text):,} characters) to its "
          f"output: median {statistics.median(starts):.2f} s, best {min(starts):.2f} s of "
          f"{args.starts} (target 1 s; a bare Python start: {python:.2f} s)")  # fmt: skip

    if 1 in args.jobs:
        per_core = rates["ie.predict --jobs 1"]
        seed_chars = statistics.mean(
            len(read(p).text) for p in find_reports([str(SHARED / "seeds")])
        )
        per_report = chars / len(reports)
        # A full report (the seeds) is longer than the average report here: scale by characters.
        full_rate = per_core * per_report / seed_chars
        hours = NATIONAL_YEAR / full_rate / 3600
        print(f"national year ({NATIONAL_YEAR:,} reports of {seed_chars:,.0f} characters, the "
              f"seeds' mean): {hours:.1f} core-hours at {full_rate:.1f} reports/s per core; "
              f"{math.ceil(hours)} cores finish it in about an hour, 8 cores in {hours / 8:.1f} h")  # fmt: skip


def _link_copies(reports: list[str], folder: Path) -> list[Path]:
    """One folder holding every report (repeats under new names), so each command reads the same."""
    paths = []
    for index, report in enumerate(reports):
        path = folder / f"{index:05d}-{Path(report).name}"
        os.symlink(Path(report).resolve(), path)
        paths.append(path)
    return paths


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return seconds


def _line(what: str, reports: int, chars: int, seconds: float) -> None:
    print(f"{what:34} {seconds:7.1f} s  {reports / seconds:7.1f} reports/s  "
          f"{chars / seconds:10,.0f} chars/s")  # fmt: skip


if __name__ == "__main__":
    main()
