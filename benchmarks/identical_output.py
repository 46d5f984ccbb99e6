"""Is ``ie.predict``'s output byte-identical before and after a change?

    python -m benchmarks.identical_output record runs/before     # on the old commit
    python -m benchmarks.identical_output record runs/after      # on the new one
    python -m benchmarks.identical_output compare runs/before runs/after

``record`` runs ``python -m ie.predict`` (the command, as a user runs it) over every train and dev
seed and corpus report in ../shared with each tagger and writes one JSONL file per tagger;
``compare`` says which reports differ, and exits 1 if any does. A refactoring step is done when compare prints no difference.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from ie.paths import shared_dir

ROOT = Path(__file__).resolve().parent.parent
TAGGERS = ("rules", "model")


def reports() -> list[Path]:
    """The seed and corpus reports of the train and dev splits (annotations/splits.json): the test
    split is sealed (DEVELOPERS.md)."""
    shared = shared_dir()
    splits = json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))
    return sorted(
        shared / document
        for document, split in splits["documents"].items()
        if split in {"train", "dev"}
    )


def record(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    paths = [str(p) for p in reports()]
    for tagger in TAGGERS:
        target = out / f"{tagger}.jsonl"
        command = [sys.executable, "-m", "ie.predict", *paths, "--format", "jsonl",
                   "--tagger", tagger, "--out", str(target)]  # fmt: skip
        subprocess.run(command, cwd=ROOT, check=False)
        print(f"{tagger}: {len(paths)} reports → {target}")


def compare(before: Path, after: Path) -> int:
    differing = 0
    for tagger in TAGGERS:
        old = (before / f"{tagger}.jsonl").read_bytes().splitlines()
        new = (after / f"{tagger}.jsonl").read_bytes().splitlines()
        if len(old) != len(new):
            print(f"{tagger}: {len(old)} reports before, {len(new)} after")
            differing += 1
            continue
        for old_line, new_line in zip(old, new):
            if old_line != new_line:
                differing += 1
                print(f"{tagger}: {json.loads(old_line)['document']} differs")
        print(f"{tagger}: {len(old)} reports compared")
    print("byte-identical" if not differing else f"{differing} differences")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("record").add_argument("out", type=Path)
    pair = commands.add_parser("compare")
    pair.add_argument("before", type=Path)
    pair.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
