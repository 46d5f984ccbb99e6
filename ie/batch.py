"""python -m ie.batch INPUT OUTPUT: a whole folder of reports through the pipeline on Ray Data, on
this machine or a cluster, into the Parquet tables; an interrupted run resumes where it stopped.

python -m ie.batch ../shared/corpus tables/                  # a local Ray on all cores
python -m ie.batch /shared/reports tables/ --address auto    # a running cluster (ray start)
RAY_AUTH_MODE=token python -m ie.batch /nfs/reports /nfs/tables --address HEAD:6379

The paths go to Ray Data (``ray.data.from_items``); an ``Extractor`` per worker loads the tagger
and the schema once, reads each file and runs ``ie.pipeline.analyze`` on it; the driver writes the
results as parts (``ie.output.batch_parts``). A report that fails, a file that vanished or cannot
be read, is a row of the errors table, never a failed run; what fails the whole run (a model that
cannot load, OUTPUT in use by another run) is one line and exit 2 before Ray starts.

OUTPUT is locked for the run and ie.batch deletes only files its manifest says it wrote. Ray's
warnings and its C++ core's lines (file descriptor 2) are kept off the terminal unless
``--verbose``. Ray's processes end with the command: ``ray.shutdown`` on exit, SIGINT and SIGTERM;
on SIGKILL of this process Linux ends the ones it started (Ray's kernel fate sharing,
PR_SET_PDEATHSIG), and their workers follow (DEVELOPERS.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import os
import signal
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ie.cli import add_max_mb, add_ocr, add_tagger, positive_whole
from ie.errors import EXIT_FAILURES, EXIT_OK, Errors, InputError, run_command
from ie.output.batch_parts import LOCK, MANIFEST, OutputLock, PartWriter, prepare
from ie.read import find_reports, load_bytes, ocr
from ie.run.pool import Outcome, analyze_bytes, default_jobs
from ie.schema import load_schema
from ie.tag import get_tagger

# Reports per call of an Extractor: small, so a long PDF delays few others.
BATCH_SIZE = 4
# Paths per block: small blocks stream through, so results (and the parts that make a run
# resumable) arrive as they are done; Ray's default makes a few large ones.
FILES_PER_BLOCK = 16
MB = 1024 * 1024
SKIPPED = ""  # the error of an Outcome already in OUTPUT (a real error is never empty)
TOKEN_AUTH_DOCS = "https://docs.ray.io/en/latest/ray-security/token-auth.html"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ie.batch",
        description="Run the ie pipeline over a folder of reports on Ray Data (a local Ray, or a "
        "cluster with --address) and write the facts, documents and errors tables as Parquet "
        "parts in OUTPUT. A rerun skips every report already in OUTPUT (by the sha256 of its "
        "bytes), so an interrupted run resumes.",
        epilog="OUTPUT/facts/*.parquet, OUTPUT/documents/*.parquet, OUTPUT/errors/*.parquet "
        "(column types in the README), OUTPUT/reports/*.jsonl with --jsonl. Exit codes: 0 all "
        "read, 1 some reports failed (rows of the errors table), 2 usage error or Ray failure.",
    )
    parser.add_argument("input", metavar="INPUT", help="a folder of reports, or one report")
    parser.add_argument("output", metavar="OUTPUT", help="the folder for the tables")
    parser.add_argument(
        "--address",
        help="a running Ray cluster (host:port, or auto); INPUT and OUTPUT must then be paths "
        "every node sees. A host:port with Ray's token authentication (on by default) needs "
        "RAY_AUTH_MODE=token and the cluster's token (RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or "
        "~/.ray/auth_token). Without it the command starts a local Ray and stops it at the end",
    )
    parser.add_argument(
        "--num-cpus",
        type=positive_whole,
        metavar="N",
        help="cores to use: the local Ray's size, or the number of workers on a cluster "
        "(default: all)",
    )
    parser.add_argument(
        "--object-store-mb",
        type=positive_whole,
        metavar="MB",
        help="the local Ray's object store size (default: Ray's, 30%% of memory)",
    )
    add_tagger(parser, help="prose tagger (default: %(default)s)")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="also write every report's full result (the lines of ie.predict --format jsonl) to "
        "OUTPUT/reports/*.jsonl",
    )
    parser.add_argument(
        "--part-size",
        type=positive_whole,
        default=500,
        metavar="N",
        help="reports per output part: what an interruption can cost (default: %(default)s)",
    )
    add_max_mb(parser)
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="show Ray's own warnings and log lines, and its workers' output (hidden otherwise)",
    )
    add_ocr(parser)
    return parser


class Extractor:
    """Ray Data's stateful map (one per worker process): the tagger and the schema load once."""

    def __init__(
        self, tagger: str, model: str | None, max_mb: float, done: set[str], ocr_mode: str = "auto"
    ) -> None:
        ocr.configure(ocr_mode)  # a worker on another node has its own environment
        self.tagger = get_tagger(tagger, model)
        load_schema()
        self.max_mb = max_mb
        self.done = done

    def __call__(self, batch: Any) -> dict[str, list]:
        rows: dict[str, list] = {"path": [], "content_hash": [], "result": [], "error": []}
        for path in batch["path"].to_pylist():
            outcome = self.outcome(path)
            rows["path"].append(outcome.path)
            rows["content_hash"].append(outcome.content_hash)
            rows["result"].append(json.dumps(outcome.result, ensure_ascii=False))
            rows["error"].append(outcome.error)
        return rows

    def outcome(self, path: str) -> Outcome:
        """The report's outcome; SKIPPED when its bytes were done in an earlier run."""
        try:
            raw = load_bytes(path, self.max_mb)
        except InputError as error:  # vanished, unreadable, too large: tried again next run
            return Outcome(path, "", error=str(error))
        except Exception as error:  # noqa: BLE001 (an error row, never a failed run)
            return Outcome(path, "", error=Errors.E050.format(path=path, reason=error))
        digest = hashlib.sha256(raw).hexdigest()
        if digest in self.done:  # finished in an earlier run: counted, not redone
            return Outcome(path, digest, error=SKIPPED)
        return self.extract(raw, path, digest)

    def extract(self, raw: bytes, path: str, digest: str) -> Outcome:
        try:
            return analyze_bytes(raw, path, self.tagger, self.max_mb)
        # A bug on one odd report must not fail a national run: it becomes an error row.
        except Exception as error:  # noqa: BLE001
            return Outcome(path, digest, error=f"{path}: {type(error).__name__}: {error}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: _batch(args))


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM as Ctrl-C: the ``finally`` blocks stop Ray and release OUTPUT."""
    raise KeyboardInterrupt


def _batch(args: argparse.Namespace) -> int:
    try:
        import ray
    except ImportError:
        raise InputError(Errors.E053) from None
    paths = find_reports([args.input])
    unreadable = list(paths.problems)  # kept apart: the paths may be rewritten below
    out = Path(args.output)
    if not out.parent.is_dir() or (out.exists() and not out.is_dir()):
        raise InputError(Errors.E052.format(path=out, reason="not a folder we can create"))
    if args.address:  # other nodes have other working directories
        paths = [str(Path(p).resolve()) for p in paths]
    # The model loads here first: a damaged or missing one is one line before Ray starts, not an
    # actor failing on every worker.
    get_tagger(args.tagger, args.model)
    signal.signal(signal.SIGTERM, _terminate)
    created = not out.exists()
    out.mkdir(exist_ok=True)
    lock = OutputLock(out)
    try:
        lock.acquire()
    except InputError:
        _remove_if_ours(out, created)
        raise
    try:
        done, failed = prepare(out)
        with _quiet(args.verbose) as stream:
            counts = _run(ray, args, paths, out, done, failed, stream)
    except BaseException:
        lock.release()
        _remove_if_ours(out, created)  # Ray did not start, or nothing was written: no OUTPUT
        raise
    lock.release()
    # entries of the folder that cannot be read (a locked subfolder, a broken link) are no report
    # rows at all: said here, and the run counts as one with failures, as in ie.predict
    for problem in unreadable:
        print(f"error: {problem}", file=sys.stderr)
    summary = ", ".join(f"{count} {what}" for what, count in counts.items())
    print(f"{len(paths)} reports: {summary} → {out}", file=sys.stderr)
    failed = counts["failed now"] or counts["failed before"] or unreadable
    return EXIT_FAILURES if failed else EXIT_OK


def _remove_if_ours(out: Path, created: bool) -> None:
    """OUTPUT made by this run and holding nothing but our manifest and lock: removed, so a run
    that failed before writing a part leaves nothing behind."""
    ours = {MANIFEST, LOCK, f".{MANIFEST}.tmp"}
    if not created or any(path.name not in ours for path in out.iterdir()):
        return
    for name in ours:
        (out / name).unlink(missing_ok=True)
    try:
        out.rmdir()
    except OSError:  # something came in meanwhile: left alone
        pass


def _run(
    ray: Any,
    args: argparse.Namespace,
    paths: list[str],
    out: Path,
    done: set[str],
    failed: set[str],
    stream: IO[str],
) -> dict[str, int]:
    started = _start_ray(ray, args)
    try:
        workers = args.num_cpus or int(ray.cluster_resources().get("CPU", 1))
        dataset = ray.data.from_items(
            [{"path": path} for path in paths],
            override_num_blocks=math.ceil(len(paths) / FILES_PER_BLOCK),
        )
        results = dataset.map_batches(
            Extractor,
            fn_constructor_kwargs={
                "tagger": args.tagger, "model": args.model, "max_mb": args.max_mb,
                "done": done | failed, "ocr_mode": args.ocr,
            },
            batch_size=BATCH_SIZE,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
        )  # fmt: skip
        writer = PartWriter(out, args.jsonl)
        return _write(results, writer, args.part_size, failed, len(paths), stream)
    except ray.exceptions.RayError as error:
        reason = " ".join(str(error).split())[:300]
        raise InputError(Errors.E054.format(reason=reason)) from None
    finally:
        if started:
            ray.shutdown()


@contextmanager
def _quiet(verbose: bool) -> Iterator[IO[str]]:
    """Unless ``verbose``, file descriptor 2 goes to a temporary file for the run: Ray's warnings
    and log lines (Ray Data sets up its own handlers as it starts) and its C++ core's lines;
    yields the stream for our own progress (the terminal's stderr)."""
    if verbose:
        yield sys.stderr
        return
    sys.stderr.flush()
    terminal = os.fdopen(os.dup(2), "w", encoding="utf-8", errors="replace")
    with tempfile.TemporaryFile() as noise, warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"ray(\.|$)")
        try:
            with _stderr_to(noise):
                yield terminal
        finally:
            terminal.close()


def _write(
    results: Any,
    writer: PartWriter,
    part_size: int,
    failed: set[str],
    total: int,
    stream: IO[str],
) -> dict[str, int]:
    """Results as they come, written in parts of ``part_size``; how many were done and failed,
    now and in earlier runs."""
    from tqdm import tqdm

    pending: list[Outcome] = []
    counts = {"done now": 0, "failed now": 0, "done before": 0, "failed before": 0}
    with tqdm(total=total, desc="reports", unit="report", file=stream) as progress:
        for batch in results.iter_batches(batch_size=None, batch_format="pyarrow"):
            for row in batch.to_pylist():
                outcome = Outcome(row["path"], row["content_hash"], json.loads(row["result"]),
                                  row["error"])  # fmt: skip
                if outcome.error == SKIPPED:
                    before = "failed before" if outcome.content_hash in failed else "done before"
                    counts[before] += 1
                    continue
                counts["failed now" if outcome.error else "done now"] += 1
                pending.append(outcome)
                if len(pending) >= part_size:
                    writer.write(pending)
                    pending = []
            progress.update(batch.num_rows)
    writer.write(pending)
    return counts


def _start_ray(ray: Any, args: argparse.Namespace) -> bool:
    """Connect to the cluster, or start a local Ray; True when this command started it."""
    if args.verbose:
        quiet = {"logging_level": logging.INFO, "log_to_driver": True}
    else:
        quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # ours counts reports
    try:
        if args.address:
            _connect(ray, args.address, quiet)
            return False
        memory = args.object_store_mb * MB if args.object_store_mb else None
        ray.init(
            num_cpus=args.num_cpus or default_jobs(),
            object_store_memory=memory,
            include_dashboard=False,
            **quiet,
        )
    except (ConnectionError, ValueError, RuntimeError) as error:
        raise InputError(Errors.E054.format(reason=error)) from None
    return True


def _connect(ray: Any, address: str, options: dict[str, Any]) -> None:
    """Join a running cluster. Ray sends its token only to a cluster it finds on this machine by
    itself (``auto``), never to a typed address unless RAY_AUTH_MODE=token says so (else it
    would hand the token to whatever address is typed): a refusal says what to set."""
    with tempfile.TemporaryFile() as noise:
        try:
            # Ray's C++ core logs each refused attempt (20 of them, a second apart) on fd 2.
            with _stderr_to(noise):
                ray.init(address=address, **options)
        except ray.exceptions.AuthenticationError:  # RAY_AUTH_MODE=token, no token anywhere
            raise InputError(Errors.E058.format(docs=TOKEN_AUTH_DOCS)) from None
        except (ConnectionError, RuntimeError) as error:
            if not _refused_token(error):
                raise
            # Ray itself sets RAY_AUTH_MODE=token in this process when it sent a token (auto).
            sent_token = os.environ.get("RAY_AUTH_MODE", "").lower() == "token"
            message = Errors.E059 if sent_token else Errors.E057
            raise InputError(message.format(address=address, docs=TOKEN_AUTH_DOCS)) from None
        noise.seek(0)  # connected: what Ray had to say is the user's
        sys.stderr.write(noise.read().decode(errors="replace"))


def _refused_token(error: BaseException | None) -> bool:
    """Whether the cluster refused the connection for its token. Ray wraps the refusal
    (ray.exceptions.AuthenticationError, status InvalidAuthToken) in a RuntimeError's text."""
    while error is not None:
        if any(mark in str(error) for mark in ("AuthenticationError", "InvalidAuthToken")):
            return True
        error = error.__cause__ or error.__context__
    return False


@contextmanager
def _stderr_to(file: IO[bytes]) -> Iterator[None]:
    """File descriptor 2 into ``file`` (what C++ code writes goes there, not to sys.stderr)."""
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(file.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


if __name__ == "__main__":
    sys.exit(main())
