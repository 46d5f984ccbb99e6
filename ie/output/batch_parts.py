"""The output folder of ``ie.batch``: the tables in parts, each part committed when complete, so
an interrupted run resumes where it stopped; a manifest of what ie.batch wrote, so it never
touches a file it did not write; a lock, so two runs never write into one folder at once.

OUTPUT/facts/P.parquet, OUTPUT/errors/P.parquet (and OUTPUT/reports/P.jsonl with --jsonl) are
written first, OUTPUT/documents/P.parquet last; each through a temporary file beside it whose
name is in the manifest before the file exists. OUTPUT/ie-batch-manifest.json (replaced
atomically) lists every part with its files, and whether it was committed (its documents file in
place). A rerun deletes the files of uncommitted parts and the temporary files the manifest
names, and nothing else; it skips every document whose content hash is in a committed part's
documents or errors table (the same bytes give the same result, or the same error).

OUTPUT/.ie-batch.lock is held (``fcntl.flock``, exclusive) for the whole run and names the run
holding it; the kernel releases it when that process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import time
from pathlib import Path
from typing import IO, Any

import pyarrow.parquet as pq

from ie.errors import Errors, InputError
from ie.output.files import replacing
from ie.output.parquet import documents_table, errors_table, facts_table
from ie.run.pool import Outcome

TABLES = ("facts", "errors", "documents")  # documents last: it commits the part
REPORTS = (
    "reports"  # --jsonl: every report's full result, the lines ie.predict --format jsonl prints
)
MANIFEST = "ie-batch-manifest.json"
LOCK = ".ie-batch.lock"
# The parts of runs before the manifest: <start time>-<process id>-<n>
_OLD_PART = re.compile(r"^\d{8}T\d{6}-\d+-\d{5}$")


class OutputLock:
    """An exclusive lock on OUTPUT for one run: a second run is refused with the first one's
    process id and start time (E088), exit 2."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        try:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the run)
        except OSError as error:
            reason = f"cannot make its lock file: {error.strerror or error}"
            raise InputError(Errors.E052.format(path=self.path.parent, reason=reason)) from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = _holder(handle.read())
            handle.close()
            raise InputError(Errors.E088.format(path=self.path.parent, **holder)) from None
        handle.seek(0)
        handle.truncate()
        started = time.strftime("%Y-%m-%d %H:%M:%S %z")
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                 "started": started}) + "\n")  # fmt: skip
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Unlocked, not deleted: deleting would let a waiting run lock a file no one else sees."""
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def _holder(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text)
        pid = f"{found['pid']} on {found['host']}" if found.get("host") else found["pid"]
        return {"pid": pid, "started": found["started"]}
    except (ValueError, KeyError, TypeError):
        return {"pid": "unknown", "started": "at an unknown time"}


class Manifest:
    """OUTPUT/ie-batch-manifest.json: ``parts`` (name → files relative to OUTPUT, committed) and
    ``temporary`` (temporary files a write may have left)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / MANIFEST
        self.parts: dict[str, dict[str, Any]] = {}
        self.temporary: list[str] = []

    def load(self) -> Manifest:
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.parts = dict(data["parts"])
                self.temporary = list(data["temporary"])
            except (OSError, ValueError, KeyError, TypeError) as error:
                reason = f"its manifest {MANIFEST} is damaged ({error}); move it away to start over"
                raise InputError(Errors.E052.format(path=self.out, reason=reason)) from None
        else:
            self._adopt_old_parts()
        return self

    def _adopt_old_parts(self) -> None:
        """An OUTPUT written before the manifest: its committed parts (named as ie.batch named
        them, with a documents file) are listed, so they are not redone; nothing is deleted."""
        for documents in sorted((self.out / "documents").glob("*.parquet")):
            name = documents.stem
            if not _OLD_PART.match(name):
                continue
            files = [f"{folder}/{name}.parquet" for folder in TABLES]
            if (self.out / REPORTS / f"{name}.jsonl").is_file():
                files.insert(2, f"{REPORTS}/{name}.jsonl")
            if all((self.out / f).is_file() for f in files):
                self.parts[name] = {"files": files, "committed": True}

    def save(self) -> None:
        """Through the one atomic writer (``ie.output.files``): the manifest is the old one or the new
        one, never half of either."""
        data = {"tool": "ie.batch", "version": 1, "parts": self.parts,
                "temporary": sorted(set(self.temporary))}  # fmt: skip
        self.out.mkdir(parents=True, exist_ok=True)
        with replacing(self.path, self.out / f".{MANIFEST}.tmp") as temporary:
            with open(temporary, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False, indent=1, sort_keys=True)

    def committed(self, folder: str) -> list[Path]:
        return [self.out / f for part in self.parts.values() if part["committed"]
                for f in part["files"] if f.startswith(f"{folder}/")]  # fmt: skip


def prepare(out: Path) -> tuple[set[str], set[str]]:
    """Delete what an interrupted run of ours left (the files of uncommitted parts, our temporary
    files); the content hashes of the documents done, and of those failed."""
    manifest = Manifest(out).load()
    for name, part in list(manifest.parts.items()):
        if not part["committed"]:
            for relative in part["files"]:
                (out / relative).unlink(missing_ok=True)
            del manifest.parts[name]
    for relative in manifest.temporary:  # a write the interruption cut short
        (out / relative).unlink(missing_ok=True)
    manifest.temporary = []
    (out / f".{MANIFEST}.tmp").unlink(missing_ok=True)
    manifest.save()
    done = _hashes(manifest.committed("documents"))
    failed = _hashes(manifest.committed("errors"))
    failed.discard("")  # a file that could not be read has no hash: it is tried again
    return done, failed


def _hashes(paths: list[Path]) -> set[str]:
    hashes: set[str] = set()
    for path in paths:
        if not path.is_file():  # deleted by hand since: its reports are done again
            continue
        try:
            hashes.update(pq.read_table(path, columns=["content_hash"]).column(0).to_pylist())
        except (OSError, ValueError) as error:  # pyarrow's errors are both
            reason = f"cannot read its part {path}: {error}"
            raise InputError(Errors.E052.format(path=path.parent.parent, reason=reason)) from None
    return hashes


class PartWriter:
    """Numbered parts of one run: ``<start time>-<process id>-<n>``, so parts of earlier runs
    keep their names; each listed in the manifest before its first file is written."""

    def __init__(self, out: Path, jsonl: bool) -> None:
        self.out = out
        self.jsonl = jsonl
        self.run = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        self.count = 0
        self.manifest = Manifest(out).load()

    def write(self, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        name = f"{self.run}-{self.count:05d}"
        self.count += 1
        contents: list[tuple[str, Any]] = [
            (f"facts/{name}.parquet", facts_table(outcomes)),
            (f"errors/{name}.parquet", errors_table(outcomes)),
        ]
        if self.jsonl:
            lines = "".join(
                json.dumps(o.result, ensure_ascii=False) + "\n" for o in outcomes if o.result
            )
            contents.append((f"{REPORTS}/{name}.jsonl", lines))
        contents.append((f"documents/{name}.parquet", documents_table(outcomes)))  # the commit
        files = [relative for relative, _ in contents]
        temporary = [_temporary(relative) for relative in files]
        self.manifest.parts[name] = {"files": files, "committed": False}
        self.manifest.temporary += temporary
        self.manifest.save()
        for (relative, content), scratch in zip(contents, temporary):
            _write(self.out / relative, self.out / scratch, content)
        self.manifest.parts[name]["committed"] = True
        self.manifest.temporary = [t for t in self.manifest.temporary if t not in temporary]
        self.manifest.save()


def _temporary(relative: str) -> str:
    folder, _, name = relative.rpartition("/")
    return f"{folder}/.{name}.tmp"


def _write(path: Path, scratch: Path, content: Any) -> None:
    """Into ``scratch`` (a name the manifest holds), then renamed: a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path, scratch) as temporary:  # the project's one atomic writer
        if isinstance(content, str):
            with open(temporary, "w", encoding="utf-8", newline="") as stream:
                stream.write(content)
        else:
            pq.write_table(content, temporary, compression="zstd")
