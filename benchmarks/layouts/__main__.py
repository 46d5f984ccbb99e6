"""python -m benchmarks.layouts --out runs/whole: whole-report test data in every layout."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from benchmarks.layouts.generate import generate
from ie.errors import Errors, InputError, run_command
from ie.eval.gold import SPLITS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.layouts", description=__doc__)
    parser.add_argument(
        "--out", default="runs/whole", help="output folder (replaced; default runs/whole)"
    )
    parser.add_argument(
        "--splits",
        default=",".join(SPLITS),
        help="the splits whose reports to rewrite, comma-separated (default: all: %(default)s)",
    )
    args = parser.parse_args(argv)
    splits = tuple(s.strip() for s in args.splits.split(",") if s.strip())
    unknown = [s for s in splits if s not in SPLITS]
    if unknown or not splits:
        return run_command(lambda: _unknown_split(unknown[0] if unknown else args.splits))
    return run_command(lambda: _generate(Path(args.out), splits))


def _unknown_split(split: str) -> int:
    raise InputError(Errors.E089.format(split=split))


def _generate(out: Path, splits: tuple[str, ...]) -> int:
    try:
        manifest = generate(out, splits)
    except OSError as error:
        raise InputError(Errors.E009.format(path=out, reason=error.strerror or error)) from None
    counts = Counter(entry["layout"] for entry in manifest)
    print(f"{len(manifest)} documents in {out}: "
          + ", ".join(f"{layout} {n}" for layout, n in sorted(counts.items())))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
