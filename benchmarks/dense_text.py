"""How long one number-dense report takes, by its length: the time must grow linearly.

    python -m benchmarks.dense_text                 # 14k, 70k and 280k characters
    python -m benchmarks.dense_text --sizes 28000   # other lengths

The text is made at run time from the sentences of the seed and corpus reports in ../shared
(IE_SHARED) and of the written corpus (annotations/written) that hold three numbers or more, repeated with their digits varied (a fixed seed), in
paragraphs of a few sentences; no report text is committed. Each size runs ``ie.pipeline.analyze`` with the rule tagger once and
prints its seconds; then the same text as one sentence (every 。 and line break a ，), where each
clause, sentence and paragraph runs the whole length.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time

from ie.document import Document, identity_offsets
from ie.paths import ROOT, shared_dir

SIZES = (14_000, 70_000, 280_000)
_SENTENCE = re.compile(r"[^。\n]{8,200}。")


def sentences(min_numbers: int = 3) -> list[str]:
    """The prose sentences of the seed and corpus reports that hold ``min_numbers`` numbers."""
    shared = shared_dir()
    found = []
    for path in sorted([*shared.glob("seeds/*.txt"), *shared.glob("corpus/*/*.txt")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _SENTENCE.finditer(text):
            sentence = match.group().strip()
            if len(re.findall(r"\d+", sentence)) >= min_numbers and "|" not in sentence:
                found.append(sentence)
    if not found:
        raise SystemExit(f"no reports in {shared / 'seeds'} or {shared / 'corpus'}: set IE_SHARED")
    # and the written corpus's sentences (ours): the lists stated respectively (分别), breakdowns
    # by agency and changes against the year before that the excerpts hardly show
    from training.written_corpus import parse_corpus

    for paragraph in parse_corpus(ROOT / "annotations" / "written").paragraphs:
        for match in _SENTENCE.finditer(paragraph.text):
            sentence = match.group().strip()
            if len(re.findall(r"\d+", sentence)) >= min_numbers:
                found.append(sentence)
    return found


def dense_text(size: int, seed: int = 7) -> str:
    """About ``size`` characters of report prose dense with numbers."""
    pool = sentences()
    rng = random.Random(seed)
    paragraphs, length = [], 0
    while length < size:
        paragraph = "".join(
            re.sub(r"\d", lambda _: str(rng.randint(0, 9)), rng.choice(pool))
            for _ in range(rng.randint(2, 6))
        )
        paragraphs.append(paragraph)
        length += len(paragraph) + 1
    return "\n".join(paragraphs)[:size]


def one_sentence(text: str) -> str:
    """The text with no sentence or paragraph end: the worst case of a scan back to one."""
    return text.replace("。", "，").replace("\n", "，")


def document(text: str) -> Document:
    return Document("<dense>", text, text, identity_offsets(text), "txt")


def _one(size: int) -> str:
    return one_sentence(dense_text(size))


def main(argv: list[str] | None = None) -> int:
    from ie.pipeline import analyze
    from ie.tag import get_tagger

    parser = argparse.ArgumentParser(prog="python -m benchmarks.dense_text")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    tagger = get_tagger("rules")
    analyze(document(dense_text(2000)), tagger)  # lexicon, schema and phrase finder load once
    for shape, make in (("paragraphs", dense_text), ("one sentence", _one)):
        for size in args.sizes:
            text = make(size)
            started = time.perf_counter()
            analyze(document(text), tagger)
            seconds = time.perf_counter() - started
            print(f"{len(text)} characters ({shape}): {seconds:.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
