"""``ie.predict --jobs 2`` against ``--jobs 1`` on a folder of many short reports, start-up included.

    python benchmarks/jobs_speed.py [--reports 300] [--repeat 5] [--tagger rules]

The folder is made at run time (symbolic links under a temporary folder, repeats under new names)
from the text reports of ../shared/corpus (train, dev and test alike: nothing here reads gold).
Each repetition runs ``--jobs 1`` then ``--jobs 2`` back to back, as a user runs them (a fresh
process: imports, tagger, pool start); prints each pair, the medians, their ratio and the load.
On a shared machine the ratio moves with the other load: compare figures of the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("IE_SHARED", ROOT.parent / "shared"))


def short_reports(count: int) -> list[Path]:
    found = sorted(
        path
        for vintage in ("v2008", "v2019", "v2021")
        for path in (SHARED / "corpus" / vintage).glob("*.txt")
    )
    if not found:
        sys.exit(f"no corpus reports under {SHARED / 'corpus'}")
    return [found[index % len(found)] for index in range(count)]


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ie-jobs-") as scratch:
        folder = Path(scratch) / "reports"
        folder.mkdir()
        for index, source in enumerate(short_reports(args.reports)):
            (folder / f"{index:04d}-{source.parent.name}-{source.name}").symlink_to(source)
        characters = sum(len(p.read_text(encoding="utf-8")) for p in folder.iterdir())
        print(f"{args.reports} reports, {characters:,} characters, --tagger {args.tagger}")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
