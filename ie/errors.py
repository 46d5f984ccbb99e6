"""Every message the CLI prints to a user, and the exit codes, in one place.

Stages raise ``InputError`` with one of these messages; the CLI prints it as one line and exits
with its code, never with a traceback.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

EXIT_OK = 0
EXIT_FAILURES = 1  # some reports failed, the rest were written
EXIT_USAGE = 2  # usage and input errors


class Errors:
    E001 = "no such file or directory: {path}"
    E002 = "no reports found in directory: {path} (looked for .txt, .md, .htm, .html, .pdf, .docx)"
    E003 = "empty file: {path}"
    E004 = "not a text report (binary content): {path}"
    E005 = "cannot decode {path}: not UTF-8, GB18030 or any encoding we could detect"
    E006 = "file too large: {path} is {size_mb:.1f} MB, the limit is {limit_mb} MB (use --max-mb)"
    E007 = "cannot read PDF {path}: {reason}"
    E008 = "cannot read DOCX {path}: {reason}"
    E009 = "cannot write {path}: {reason}"
    E010 = "unsupported file type {suffix}: {path} (txt, markdown, html, pdf and docx are read)"
    E011 = "the model tagger needs a trained model in {path}; train one or use --tagger rules"
    E012 = "cannot read HTML {path}: {reason}"
    E040 = "{path} is not an ie model: {reason}"
    E041 = "training: {reason}"
    E013 = "no text layer in PDF {path}: its pages are images (a scan); install the OCR extra (pip install -e '.[ocr]') and read it with --ocr auto, or run OCR on it first (e.g. ocrmypdf)"
    E014 = "cannot read markdown {path}: {reason}"
    E020 = "Label Studio at {url} is not reachable: {reason}"
    E021 = "Label Studio at {url} refused the API key (HTTP {status})"
    E022 = "Label Studio request failed: HTTP {status} {reason}"
    E023 = "no API key: pass --api-key or set LABEL_STUDIO_API_KEY"
    E024 = "no such Label Studio project: {project}"
    E025 = "task {task} ({document}): {problem}; skipped"
    E026 = "no Label Studio exports (*.json) in {path}"
    E027 = "cannot read Label Studio export {path}: {reason}"
    E028 = "split file {path}: {reason}"
    E029 = "cannot serve the ML backend on {host}:{port}: {reason}"
    E030 = "unknown split {split}: choose train, dev, test or full"
    E031 = "no gold facts in {path}"
    E032 = "cannot read ie.predict output {path}: {reason}"
    E033 = "cannot render the review page of {path}: {reason}"
    E045 = "the model tagger is not available ({reason}); use --tagger rules"
    E046 = "unknown tagger {name}: choose one of {choices}"
    E047 = "no annotated tasks with a data.document in the Label Studio exports {path}"
    E048 = "the candidate is the current model ({path}): train into another folder"
    E050 = "cannot read {path}: {reason}"
    E051 = "--format parquet writes a folder of tables: give it with --out DIR"
    E052 = "cannot write tables to {path}: {reason}"
    E053 = "ie.batch needs Ray: pip install -e '.[batch]'"
    E054 = "Ray failed: {reason} (the parts written so far are kept: rerun to resume)"
    E055 = "no whole-report data in {path}: make it with python -m benchmarks.layouts --out {path}"
    E056 = "not replacing {path}: it is not empty and holds no manifest.json of earlier layouts"
    E057 = "the Ray cluster at {address} needs its token: set RAY_AUTH_MODE=token and give the cluster's token in RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH (a file) or ~/.ray/auth_token (see {docs})"
    E058 = "RAY_AUTH_MODE=token but no Ray token found: give the cluster's token in RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH (a file) or ~/.ray/auth_token (see {docs})"
    E059 = "the Ray cluster at {address} refused our token: give the cluster's own token (the head's ~/.ray/auth_token, or `ray get-auth-token` there) in RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH (a file) or ~/.ray/auth_token (see {docs})"
    E060 = (
        "{source}: task {task} of {document}: region {region} says {expected!r} at {start}-{end}, "
        "but the reader's text there is {found!r}: the text the reader gives has changed since the "
        "annotation; fix the reader or re-annotate the task"
    )
    E061 = "{source}: cannot read the annotated document {document}: {reason}"
    E062 = "cannot store task {task} of {document} by reference: {reason}"
    E063 = (
        "{source}: task {task} of {document}: characters {start}-{end} are outside the {length} "
        "characters the reader gives now; fix the reader or re-annotate the task"
    )
    # Outputs that writing would harm, or that would harm the input (ie.output.files)
    E070 = "not writing {path}: it is {what}; give a regular file (or a new name)"
    E071 = "not writing {path}: it is the input report {report} (the same file); give another --out"
    E072 = "not writing {path}: it lies inside the input folder {folder} and its suffix {suffix} is a report's, so it would be read as one of the reports; write it elsewhere"
    E073 = "not writing {path}: the file is read-only (use --force to replace it)"
    # Reading: what a folder or a path given holds that cannot be read
    E074 = "cannot read {path}: {what}"
    E075 = "not a report file: {path} is {what}"
    # Bounded resources
    E076 = "cannot read {path}: its zip members unpack to more than {limit_mb:g} MB (the limit; raise it with --max-extracted-mb)"
    E077 = "cannot read {path}: a table has more than {limit} cells (the limit; raise it with --max-cells)"
    E078 = "expected a positive finite number, got {text!r}"
    # ie.years on a .json/.jsonl that is not what ie.predict writes
    E079 = "cannot read ie.predict output {path}{where}: not a report ie.predict wrote ({reason})"
    E091 = "cannot read {path} with --ocr {mode}: the OCR extra is not installed (pip install -e '.[ocr]')"
    # ie.evaluate: a gate that cannot fail
    # Decoding: a few bytes replaced rather than the whole report refused
    W001 = "warning: {path}: {count} byte(s) not valid {encoding}, read as U+FFFD (first at byte offsets {offsets}); the rest is decoded as {encoding}"
    W002 = "warning: {path}: {lines} line(s) not UTF-8 but {codec}, each read in its own encoding (the text's offsets are unaffected)"
    # ie.studio backend: the answers to refused requests (HTTP bodies and one log line each)
    E080 = "the request needs the backend's token (Authorization: Token, Bearer or Basic)"
    E081 = "bad Content-Length: {value!r}"
    E082 = "the request body is {size} bytes, the limit is {limit} (--max-body-mb)"
    E083 = "task {task}: its text is {size} characters, the limit is {limit} (--max-text)"
    E084 = "task {task}: data.document is not under the backend's document roots (--document-root)"
    E085 = "the request took over {seconds:g} s (--timeout): its tagging was stopped"
    E086 = "tagging failed: {reason}"
    E087 = "cannot load the model in {path}: {reason} (a damaged or partly copied file: copy or train it again)"
    E088 = "{path} is in use by another ie.batch run (process {pid}, started {started}); wait for it or choose another OUTPUT"
    # ie.evaluate --split full
    E090 = "--record-gate and --gate together: the gate would compare today's figures with themselves and always pass; record in one run, gate in another"
    # benchmarks.layouts --splits
    E089 = "unknown split {split} in --splits: choose from train, dev, test (comma-separated)"


# Each message carries its code, so a user can quote it and a test can name it: "[E011] no model…"
for _code, _message in list(vars(Errors).items()):
    if re.fullmatch(r"E\d{3}", _code):
        setattr(Errors, _code, f"[{_code}] {_message}")


def warn(message: str) -> None:
    """A warning for the user: one line on stderr; the report is still read."""
    print(message, file=sys.stderr)


class InputError(Exception):
    """A problem with what the user gave us: printed as one line, exit code 2."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def run_command(command: Callable[[], int], clean: Callable[[str], str] = str) -> int:
    """Run a CLI body: an input error becomes one line on stderr and its exit code, never a
    traceback; ``clean`` takes secrets (an API key) out of the message."""
    try:
        return command()
    except InputError as error:
        message = clean(str(error))
        print(f"error: {message}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
