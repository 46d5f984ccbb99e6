"""The one way ``ie`` writes a file: atomically, and never over its own input or a special file.

``replacing(target)`` hands out a temporary path beside the target; when the caller is done it is
flushed to disk and renamed over the target, so a reader sees the old file or the whole new one,
never half of it, and a crash, an error or Ctrl-C leaves no temporary file behind. A new file gets
the permissions any new file would (the umask); a replaced one keeps its mode. Writing through a
symbolic link replaces the file it points to and keeps the link.

``check_output`` runs before any work: an ``--out`` that is one of the inputs, lies among an input
folder's reports, is a device, FIFO, socket or folder, or is read-only (without ``--force``) is
refused with one line.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ie.errors import Errors, InputError
from ie.read import file_kind

# Suffixes find_reports reads from a folder; an output with one of them inside an input folder
# would be read as a report by the next run over that folder (kept in step with ie.read.FORMATS).
REPORT_SUFFIXES = frozenset({".txt", ".text", ".htm", ".html", ".shtml", ".pdf", ".docx", ".md",
                             ".markdown"})  # fmt: skip


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back
    mask = os.umask(0)
    os.umask(mask)
    return mask


def destination(target: str | Path) -> Path:
    """Where writing ``target`` really goes: through a symbolic link, the file it points to."""
    path = Path(target)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextmanager
def replacing(target: str | Path, temporary: Path | None = None) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; on a clean exit it becomes ``target``.
    ``temporary`` names it where the caller must know the name before the file exists (ie.batch
    lists it in its manifest first, so a rerun after a crash removes it and nothing else).

    Raises ``OSError`` as the file system does; the caller words it for the user."""
    final = destination(target)
    try:
        mode = stat.S_IMODE(final.stat().st_mode)  # replacing: keep the file's own mode
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # mkstemp's 0600 would make a new output private
    if temporary is None:
        handle, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
        os.close(handle)
        temporary = Path(name)
    try:
        yield temporary
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)  # the data on disk before the rename makes it the file
        finally:
            os.close(descriptor)
        os.chmod(temporary, mode)
        os.replace(temporary, final)
    except BaseException:  # KeyboardInterrupt too: never a stray temporary file
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(final.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot open a folder, which is fine."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_bytes(target: str | Path, content: bytes) -> None:
    with replacing(target) as temporary:
        temporary.write_bytes(content)


def write_text(target: str | Path, content: str) -> None:
    """UTF-8, newlines exactly as given."""
    with replacing(target) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)


def write_output(target: str, content: str) -> None:
    """A command's ``--out`` file: ``write_text`` with a failure as one line for the user."""
    if not Path(target).parent.exists():
        raise InputError(Errors.E009.format(path=target, reason="folder does not exist"))
    try:
        write_text(target, content)
    except OSError as error:
        raise InputError(Errors.E009.format(path=target, reason=error.strerror or error)) from None


def check_output(out: str, inputs: Iterable[str], force: bool = False) -> None:
    """Refuse, before any work, an output file that writing would harm or that would harm the
    input. ``inputs``: the paths the user gave (files or folders)."""
    path = Path(out)
    if path.is_symlink():
        try:
            target_mode = os.stat(path).st_mode
        except OSError:
            raise InputError(Errors.E070.format(path=out, what="a symbolic link to nothing "
                                                "(broken or a loop)")) from None  # fmt: skip
        kind = file_kind(target_mode)
        if kind is not None:
            raise InputError(Errors.E070.format(path=out, what=f"a symbolic link to {kind}"))
    try:
        status: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise InputError(Errors.E009.format(path=out, reason=error.strerror or error)) from None
    if status is not None:
        kind = file_kind(status.st_mode)
        if kind is not None:
            raise InputError(Errors.E070.format(path=out, what=kind))
    elif not path.parent.is_dir():  # said now, not after minutes of work
        raise InputError(Errors.E009.format(path=out, reason="folder does not exist"))
    real = Path(os.path.realpath(path))
    for given in inputs:
        given_path = Path(given)
        try:
            given_status = os.stat(given_path)
        except OSError:
            continue  # the reader reports a missing input; nothing to compare with
        if stat.S_ISDIR(given_status.st_mode):
            folder = Path(os.path.realpath(given_path))
            # Anything with a report suffix anywhere inside an input folder: it is, or would
            # become, one of the reports a run over that folder reads.
            if real.is_relative_to(folder) and real.suffix.lower() in REPORT_SUFFIXES:
                raise InputError(Errors.E072.format(path=out, folder=given, suffix=real.suffix))
        elif status is not None and (status.st_dev, status.st_ino) == (
            given_status.st_dev,
            given_status.st_ino,
        ):
            raise InputError(Errors.E071.format(path=out, report=given))
    # The permission bits, not os.access: root may write anything, yet a read-only file is
    # someone's wish not to have it replaced.
    if (
        status is not None
        and not force
        and (
            not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
            or not os.access(path, os.W_OK)
        )
    ):
        raise InputError(Errors.E073.format(path=out))
