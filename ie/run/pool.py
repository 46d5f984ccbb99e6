"""Reports through the pipeline on all cores: a process pool whose workers load the tagger and the
schema once, results handed back in input order, so the output does not depend on ``--jobs``.

``ie.predict`` uses this on one machine; ``ie.batch`` runs the same ``analyze_bytes`` on Ray.
"""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ie.errors import InputError
from ie.output.formats import render_report
from ie.pipeline import analyze
from ie.read import load_bytes, read_bytes
from ie.schema import load_schema
from ie.tag import Tagger, get_tagger

if TYPE_CHECKING:
    import multiprocessing.pool

# At most this many reports go to a worker at once: enough to keep the pool's messaging cheap,
# few enough that one long PDF does not leave the other workers idle at the end.
MAX_CHUNK = 8


@dataclass(frozen=True)
class Outcome:
    """One report's result (the JSON-ready analysis) or the one-line reason it failed."""

    path: str
    content_hash: str  # sha256 of the file's bytes ("" when they could not be read)
    result: dict[str, object] | None = None
    error: str | None = None
    # The report's share of the command's output, rendered where it was analyzed (``Rendering``);
    # then ``result`` is None, as only the text crosses back from a worker.
    rendered: str | None = None


@dataclass(frozen=True)
class Rendering:
    """The output format a pool's workers render each result in (``render_report``), so that the
    parent process only joins text: its share of the work, which runs beside the workers' and after
    the last of them, stays small."""

    fmt: str
    several: bool

    def __call__(self, outcome: Outcome) -> Outcome:
        if outcome.result is None:
            return outcome
        text = render_report(outcome.result, self.fmt, self.several)
        return Outcome(outcome.path, outcome.content_hash, rendered=text)


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity, which containers and taskset narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def analyze_bytes(raw: bytes, name: str, tagger: Tagger, max_mb: float) -> Outcome:
    content_hash = hashlib.sha256(raw).hexdigest()
    try:
        return Outcome(name, content_hash, analyze(read_bytes(raw, name, max_mb), tagger))
    except InputError as error:
        return Outcome(name, content_hash, error=str(error))


def analyze_path(path: str, tagger: Tagger, max_mb: float) -> Outcome:
    try:
        raw = load_bytes(path, max_mb)
    except InputError as error:
        return Outcome(path, "", error=str(error))
    return analyze_bytes(raw, path, tagger, max_mb)


def analyze_paths(
    paths: list[str],
    tagger_name: str,
    model_dir: str | None,
    max_mb: float,
    jobs: int,
    rendering: Rendering | None = None,
) -> Iterator[Outcome]:
    """Every report's outcome, in the order of ``paths``, computed by ``jobs`` processes; with
    ``rendering``, each report's output text instead of its result."""
    # Loaded here first, even for a pool: a missing model is one usage error, not one per worker.
    tagger = get_tagger(tagger_name, model_dir)
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        finish = rendering or _as_is
        return (finish(analyze_path(path, tagger, max_mb)) for path in paths)
    import multiprocessing  # not for one report

    global _worker_tagger
    methods = multiprocessing.get_all_start_methods()
    if tagger_name == "rules" and "fork" in methods:
        # Forked workers inherit the loaded tagger and schema instead of loading them again. The
        # pool forks here, before the caller starts a progress bar's thread.
        _load_shared()
        _worker_tagger = tagger
        context = multiprocessing.get_context("fork")
    else:
        # torch's thread pools do not survive a fork: a model tagger loads once per fresh worker.
        _worker_tagger = None
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = context.Pool(jobs, _start_worker, (tagger_name, model_dir, max_mb, rendering))
    return _in_order(pool, paths, chunksize=max(1, min(MAX_CHUNK, len(paths) // (jobs * 4))))


def _load_shared() -> None:
    """What the pipeline loads on first use, loaded once before the fork so that the workers share
    it instead of each loading it again: the schema, the lexicon and its phrase automaton, the
    table row labels, the breakdowns and cn2an (most folders hold a number in Chinese numerals).
    ``gc.freeze`` then keeps the collector from touching (and so copying) the inherited objects."""
    import gc

    import cn2an  # noqa: F401

    from ie.facts.breakdowns import load_breakdowns
    from ie.tables.flattened_text import _row_labels
    from ie.tag.rules import _phrase_finder

    load_schema()
    load_breakdowns()
    _row_labels()
    _phrase_finder()
    gc.freeze()


def _in_order(
    pool: multiprocessing.pool.Pool, paths: list[str], chunksize: int
) -> Iterator[Outcome]:
    with pool:  # terminates the workers however the caller stops (done, error, Ctrl-C)
        yield from pool.imap(_analyze_in_worker, paths, chunksize=chunksize)


def _as_is(outcome: Outcome) -> Outcome:
    return outcome


_worker_tagger: Tagger | None = None
_worker_max_mb = 20.0
_worker_rendering: Rendering | None = None


def _start_worker(
    tagger_name: str, model_dir: str | None, max_mb: float, rendering: Rendering | None
) -> None:
    global _worker_tagger, _worker_max_mb, _worker_rendering
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle, once
    _worker_max_mb = max_mb
    _worker_rendering = rendering
    if _worker_tagger is None:  # a fresh (not forked) worker loads its own
        _worker_tagger = get_tagger(tagger_name, model_dir)
        load_schema()


def _analyze_in_worker(path: str) -> Outcome:
    assert _worker_tagger is not None
    return (_worker_rendering or _as_is)(analyze_path(path, _worker_tagger, _worker_max_mb))
