"""Issue 15, the batch side: linear time on number-dense text, ie.batch owning only what it wrote
(manifest, lock, errors rows, quiet Ray), a corrupted model as one line."""

from __future__ import annotations

import signal

from tests.helpers import shared_file

# A guard against quadratic time, not a benchmark: about 3 s on one core, 46 s before the tagger
# and the normalizer became n log n.
DENSE_LIMIT_S = 30


def test_dense_text_of_280k_characters_is_analyzed_in_linear_time() -> None:
    shared_file("seeds")
    from benchmarks.dense_text import dense_text, document
    from ie.pipeline import analyze
    from ie.tag import get_tagger

    text = dense_text(280_000)
    assert len(text) == 280_000
    tagger = get_tagger("rules")

    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError(f"280k characters of dense text took over {DENSE_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(DENSE_LIMIT_S)
    try:
        result = analyze(document(text), tagger)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert len(result["facts"]) + len(result["unmapped"]) > 1000
