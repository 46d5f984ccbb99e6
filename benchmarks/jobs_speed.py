"""``ie.predict --jobs 2`` against ``--jobs 1`` on a folder of many short reports, start-up included;
then one short report to its output with each tagger (the start-up a single run pays).

    python benchmarks/jobs_speed.py [--reports 300] [--repeat 5] [--tagger rules] [--starts 5]

The folder is made at run time (symbolic links under a temporary folder, repeats under new names)
from the text reports of ../shared/corpus (train, dev and test alike: nothing here reads gold).
The corpus holds about 90 text reports, so 300 repeat each about three times. ``--order grouped``
(the default) lists a report's repeats next to each other, so they go to one worker as a folder of
distinct reports would: a repeat finds the row-label and lexicon scores of its first reading in
that process's caches whether the run has one process or two. ``--order interleaved`` cycles
through the corpus instead: then every worker meets every report and fills its caches with the
same scores again, an advantage a real folder would not give ``--jobs 1``.
Each repetition runs ``--jobs 1`` then ``--jobs 2`` back to back, as a user runs them (a fresh
process: imports, tagger, pool start); prints each pair, the medians, their ratio and the load.
On a shared machine the ratio moves with the other load: compare figures of the same run.
First it measures what the machine allows: a pure Python loop in one process, then in two at once
(each the same work). Where two run at less than one's speed each (virtual CPUs that share a core),
no pool can reach ``--jobs`` × speed-up, and the printed ceiling says how far ``--jobs 2`` can go.

Python's bytecode of ``ie`` is written first (``compileall``), as any first run or ``pip install``
leaves it: where ``PYTHONDONTWRITEBYTECODE`` is set (this development machine sets it) every run
would otherwise compile ie's 120 modules again, 0.12 s that no installed copy pays.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ie.paths import shared_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_dir()  # $IE_SHARED, else ../shared (ie.paths)
ONE_REPORT = ROOT / "samples" / "baodi-2016.txt"


def short_reports(count: int, order: str) -> list[Path]:
    found = sorted(
        path
        for vintage in ("v2008", "v2019", "v2021")
        for path in (SHARED / "corpus" / vintage).glob("*.txt")
    )
    if not found:
        sys.exit(f"no corpus reports under {SHARED / 'corpus'}")
    cycled = [found[index % len(found)] for index in range(count)]
    return sorted(cycled) if order == "grouped" else cycled


def _loop(count: int = 15_000_000) -> None:
    total = 0
    for index in range(count):
        total += index * index


def parallel_efficiency(repeat: int = 3) -> float:
    """Each of two processes' speed against one alone, on the same pure Python loop (median)."""
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    ratios = []
    for _ in range(repeat):
        timed = []
        for count in (1, 2):
            started = time.perf_counter()
            workers = [context.Process(target=_loop) for _ in range(count)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            timed.append(time.perf_counter() - started)
        ratios.append(timed[0] / timed[1])
    return statistics.median(ratios)


def serial_start(repeat: int = 3) -> float:
    """What ``--jobs 2`` does before its workers fork: start Python, import, load (fastest run)."""
    load = "import ie.predict, ie.run.pool as pool; pool._load_shared()"
    return min(wall([sys.executable, "-c", load]) for _ in range(repeat))


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tagger", default="rules")
    parser.add_argument(
        "--order",
        choices=("grouped", "interleaved"),
        default="grouped",
        help="a report's repeats next to each other (default), or cycling through the corpus",
    )
    parser.add_argument("--starts", type=int, default=5, help="one-report runs per tagger")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "ie", quiet=1)
    efficiency = parallel_efficiency()
    print(f"this machine: two processes each run at {efficiency:.2f} of one alone's speed")
    with tempfile.TemporaryDirectory(prefix="ie-jobs-") as scratch:
        folder = Path(scratch) / "reports"
        folder.mkdir()
        for index, source in enumerate(short_reports(args.reports, args.order)):
            (folder / f"{index:04d}-{source.parent.name}-{source.name}").symlink_to(source)
        characters = sum(len(p.read_text(encoding="utf-8")) for p in folder.iterdir())
        print(f"{args.reports} reports, {characters:,} characters, --tagger {args.tagger}, "
              f"--order {args.order}")  # fmt: skip
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.repeat):
            loads = os.getloadavg()[0]
            for jobs in (1, 2):
                out = Path(scratch) / f"jobs{jobs}.jsonl"
                times[jobs].append(wall([
                    sys.executable, "-m", "ie.predict", str(folder), "--format", "jsonl",
                    "--tagger", args.tagger, "--out", str(out), "--force", "--jobs", str(jobs),
                ]))  # fmt: skip
            ratio = times[1][-1] / times[2][-1]
            print(f"--jobs 1 {times[1][-1]:6.2f} s  --jobs 2 {times[2][-1]:6.2f} s  "
                  f"{ratio:.2f}x  (load {loads:.1f})", flush=True)  # fmt: skip
        one, two = statistics.median(times[1]), statistics.median(times[2])
        print(f"median: --jobs 1 {one:.2f} s, --jobs 2 {two:.2f} s: {one / two:.2f}x "
              f"(target 1.6x); load now {os.getloadavg()[0]:.1f}")  # fmt: skip
        # What the pool could do at best here: the parent's start stays serial, the rest runs on
        # two processes at the machine's speed
        start = serial_start()
        ceiling = one / (start + (one - start) / (2 * efficiency))
        print(f"ceiling on this machine: {ceiling:.2f}x ({start:.2f} s serial start, "
              f"two processes at {efficiency:.2f})")  # fmt: skip
    for tagger in ("rules", "model"):
        command = [sys.executable, "-m", "ie.predict", str(ONE_REPORT), "--tagger", tagger]
        starts = [wall(command) for _ in range(args.starts)]
        print(f"one report ({ONE_REPORT.name}), --tagger {tagger}: median "
              f"{statistics.median(starts):.2f} s of {args.starts} "
              f"(load now {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
