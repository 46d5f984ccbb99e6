"""python -m ie.studio {push,pull,convert,backend}: the Label Studio round trip from the shell."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from ie.cli import add_tagger
from ie.errors import EXIT_FAILURES, EXIT_OK, run_command
from ie.read import find_reports
from ie.studio.backend import (
    DEFAULT_MAX_BODY_MB,
    DEFAULT_MAX_TEXT,
    DEFAULT_TIMEOUT_S,
    TOKEN_VARIABLE,
)
from ie.studio.client import redact

SERVER_HELP = (
    "The server is --url (default: $LABEL_STUDIO_URL, else http://localhost:8080) and the API key "
    "--api-key (default: $LABEL_STUDIO_API_KEY; prefer the variable: a flag shows in `ps`)."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ie.studio",
        description="Label Studio for ie: push reports as pre-annotated tasks, pull annotations, "
        "convert them to a BIO dataset, and serve the rule tagger as an ML backend.",
        epilog="Retraining flow: push → annotate in Label Studio → pull → convert → "
        "training/train.py. Exit codes: 0 done, 1 some reports or tasks failed (the rest were "
        "done), 2 usage, input or server error (one line on stderr).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    push = commands.add_parser(
        "push",
        help="import reports as tasks with the tagger's predictions",
        description="Split each report into tasks of whole paragraphs or table rows (at most "
        "--max-chars characters where the lines allow) and import them, with the tagger's "
        "predictions, into the project; the project is created with configs/labeling.xml if it "
        "does not exist. Chunks already in the project are not imported again. " + SERVER_HELP,
    )
    push.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories")
    _project_argument(push)
    _task_arguments(push)
    push.add_argument("--model-version", metavar="NAME",
                      help="model_version of the predictions (default: ie-<tagger>-<version>)")  # fmt: skip
    push.add_argument("--no-predictions", action="store_true", help="import the text only")
    _server_arguments(push)
    push.set_defaults(run=run_push)

    drafting = commands.add_parser(
        "draft",
        help="write the tagger's predictions as draft annotations, without a server",
        description="For offline annotation: split each report into tasks as push does, keep the "
        "tasks that state a statistic, and write them as Label Studio JSON (the format pull "
        "writes) with the tagger's predictions copied into a draft annotation to correct.",
    )
    drafting.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories")
    drafting.add_argument("--out", type=Path, default=Path("annotations/studio"), metavar="DIR",
                          help="folder for the files (default: %(default)s)")  # fmt: skip
    _task_arguments(drafting)
    drafting.set_defaults(run=run_draft)

    pull = commands.add_parser(
        "pull",
        help="export annotations as Label Studio JSON, one file per document",
        description="Export the project's annotated tasks as Label Studio JSON into one file per "
        "document (seeds__004_x.json for ../shared/seeds/004_x.txt), tasks in text order, results "
        "sorted, indented and key-sorted so that diffs are readable; files are replaced "
        "atomically. " + SERVER_HELP,
    )
    _project_argument(pull)
    pull.add_argument("--out", type=Path, default=Path("annotations/studio"), metavar="DIR",
                      help="folder for the files (default: %(default)s)")  # fmt: skip
    pull.add_argument("--all", action="store_true", help="include tasks nobody has annotated")
    _server_arguments(pull)
    pull.set_defaults(run=run_pull)

    convert = commands.add_parser(
        "convert",
        help="pulled JSON → datasets.DatasetDict of character BIO tags",
        description="Build train/dev/test splits by document (never by chunk) of character-level "
        "BIO tags and relations, and save them with save_to_disk. Tasks that cannot be converted "
        "exactly (missing labels, overlapping spans, offsets outside the text, a span text that "
        "is not the text at its offsets, relations to missing regions or without a label) are "
        "reported on stderr with their id and left out.",
    )
    convert.add_argument("exports", type=Path, metavar="EXPORTS",
                         help="a folder of pulled files (or one file)")  # fmt: skip
    convert.add_argument("--out", type=Path, required=True, metavar="DIR",
                         help="where to save the DatasetDict")  # fmt: skip
    convert.add_argument("--seed", type=int, default=13,
                         help="shuffle seed for documents the split file does not name "
                         "(default: %(default)s)")  # fmt: skip
    convert.add_argument("--splits", type=Path, metavar="FILE",
                         help="JSON {document: split} or {\"documents\": {...}} "
                         "(e.g. annotations/splits.json); it wins over the seed")  # fmt: skip
    convert.set_defaults(run=run_convert)

    backend = commands.add_parser(
        "backend",
        help="serve the tagger as a Label Studio ML backend",
        description="Serve /health, /setup, /predict and /webhook for Label Studio. Connect it in "
        "the project's Settings → Model (or with --connect). Label Studio 1.23 refuses backends on "
        "local addresses unless it runs with ML_BLOCK_LOCAL_IP=false.",
    )
    backend.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    backend.add_argument("--port", type=int, default=9090, help="port (default: %(default)s)")
    add_tagger(backend, help="the rule tagger (default) or a trained model")
    backend.add_argument("--connect", metavar="PROJECT",
                         help="also register this backend with the project (name or id)")  # fmt: skip
    backend.add_argument("--public-url", metavar="URL",
                         help="the URL Label Studio reaches the backend at "
                         "(default: http://HOST:PORT)")  # fmt: skip
    backend.add_argument("--verbose", action="store_true", help="log each request line")
    backend.add_argument("--max-body-mb", type=float, default=DEFAULT_MAX_BODY_MB, metavar="MB",
                         help="refuse request bodies larger than this (default: %(default)s)")
    backend.add_argument("--max-text", type=int, default=DEFAULT_MAX_TEXT, metavar="CHARS",
                         help="refuse tasks whose text is longer (default: %(default)s)")
    backend.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                         help="answer a request not done by then with an error and stop its "
                         "tagging (default: %(default)s)")
    backend.add_argument("--document-root", action="append", metavar="DIR",
                         help="a folder whose reports tasks may name in data.document "
                         "(repeatable; default: the current folder); others are refused")
    backend.add_argument("--token", help="require this token on every request (Authorization: "
                         f"Token/Bearer, or Basic with it as the password); prefer {TOKEN_VARIABLE}, "
                         "a flag shows in ps")  # fmt: skip
    _server_arguments(backend)
    backend.set_defaults(run=run_backend)
    return parser


def _task_arguments(parser: argparse.ArgumentParser) -> None:
    """How reports become tasks and who pre-annotates them: shared by push and draft."""
    parser.add_argument("--max-chars", type=_positive, default=500, metavar="N",
                        help="longest task text in characters (default: %(default)s)")  # fmt: skip
    add_tagger(parser, help="who pre-annotates: the rule tagger (default) or a trained model")


def _project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", required=True, metavar="NAME_OR_ID",
                        help="project title (3-50 characters) or id")  # fmt: skip


def _server_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Label Studio server")
    group.add_argument(
        "--url", help="server URL (default: $LABEL_STUDIO_URL or http://localhost:8080)"
    )
    group.add_argument("--api-key", help="API token (default: $LABEL_STUDIO_API_KEY)")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _tagger(args: argparse.Namespace):
    from ie.tag import get_tagger

    return get_tagger(args.tagger, args.model)


def _connect(args: argparse.Namespace):
    from ie.studio.client import connect, settings

    config = settings(args.url, args.api_key)
    return config, connect(config)


def run_push(args: argparse.Namespace) -> int:
    from ie.studio.client import studio_errors
    from ie.studio.tasks import model_version, push

    paths = find_reports(args.paths)
    config, client = _connect(args)
    tagger = None if args.no_predictions else _tagger(args)
    with studio_errors(config):
        report = push(client, args.project, paths, args.max_chars, tagger,
                      predict=not args.no_predictions,
                      version=args.model_version or model_version(args.tagger))  # fmt: skip
    for path, error in report.failed:
        print(f"error: {path}: {error}", file=sys.stderr)
    created = " (created)" if report.created_project else ""
    print(f"project {report.project_id}{created}: {report.documents} documents, {report.tasks} "
          f"tasks and {report.predictions} predictions imported, {report.already_there} tasks "
          f"already there")  # fmt: skip
    return EXIT_FAILURES if report.failed else _unreadable_entries(paths)


def run_pull(args: argparse.Namespace) -> int:
    from ie.studio.client import studio_errors
    from ie.studio.export import pull

    config, client = _connect(args)
    with studio_errors(config):
        report = pull(client, args.project, args.out, all_tasks=args.all)
    if report.without_document:
        print(f"warning: {report.without_document} tasks have no data.document and were left out",
              file=sys.stderr)  # fmt: skip
    print(f"project {report.project_id}: {report.tasks} tasks with {report.annotations} "
          f"annotations written to {len(report.files)} files in {args.out}")  # fmt: skip
    return EXIT_OK


def _unreadable_entries(paths) -> int:
    """A folder's entries that could not be read: one error line each, and exit 1 (the rest was
    done), as in ie.predict."""
    for problem in paths.problems:
        print(f"error: {problem}", file=sys.stderr)
    return EXIT_FAILURES if paths.problems else EXIT_OK


def run_draft(args: argparse.Namespace) -> int:
    from ie.studio.draft import draft
    from ie.studio.tasks import model_version

    paths = find_reports(args.paths)
    report = draft(paths, args.out, _tagger(args), args.max_chars, model_version(args.tagger))
    print(f"{report.tasks} draft tasks written to {len(report.files)} files in {args.out}")
    return _unreadable_entries(paths)


def run_convert(args: argparse.Namespace) -> int:
    import datasets

    from ie.studio.convert import SPLITS, convert

    datasets.disable_progress_bars()  # the counts below say what was saved
    _, report = convert(args.exports, args.out, seed=args.seed, split_file=args.splits)
    splits = ", ".join(f"{split} {report.per_split[split]} ({report.documents_per_split[split]} "
                       f"documents)" for split in SPLITS)  # fmt: skip
    entities = " ".join(f"{label}={n}" for label, n in sorted(report.entities.items())) or "none"
    relations = " ".join(f"{label}={n}" for label, n in sorted(report.relations.items())) or "none"
    print(f"{report.tasks} tasks in {report.files} files: {report.examples} examples, "
          f"{report.unannotated} not annotated, {report.skipped} skipped as malformed, "
          f"{report.duplicates} duplicates")  # fmt: skip
    print(f"splits: {splits}")
    print(f"entities: {entities}; relations: {relations}")
    print(f"saved to {args.out}")
    return EXIT_FAILURES if report.skipped else EXIT_OK


def run_backend(args: argparse.Namespace) -> int:
    from ie.studio.backend import MB, Limits, serve
    from ie.studio.tasks import model_version

    token = args.token or os.environ.get(TOKEN_VARIABLE) or None
    limits = Limits(max_body=int(args.max_body_mb * MB), max_text=args.max_text,
                    timeout=args.timeout, document_roots=tuple(args.document_root or ()),
                    token=token)  # fmt: skip

    if args.verbose:  # our request lines only, not every library's
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        request_log = logging.getLogger("ie.studio.backend")
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
    public_url = args.public_url or f"http://{args.host}:{args.port}"
    connection = _connect(args) if args.connect else None
    version = model_version(args.tagger)

    def ready(server) -> None:
        print(f"serving {args.tagger} predictions ({version}) on {public_url}", file=sys.stderr,
              flush=True)  # fmt: skip
        if connection is not None:
            from ie.studio.client import get_project, studio_errors

            config, client = connection
            with studio_errors(config):
                project = get_project(client, args.connect)
                known = [b for b in client.ml.list(project=project.id) if b.url == public_url]
                if not known:
                    # Label Studio sends our token as the password of its basic auth
                    auth = ({"auth_method": "BASIC_AUTH", "basic_auth_user": "ie",
                             "basic_auth_pass": token} if token else {})  # fmt: skip
                    client.ml.create(project=project.id, url=public_url, title=f"ie {args.tagger}",
                                     **auth)  # fmt: skip
            print(f"connected to project {project.id}", file=sys.stderr, flush=True)

    serve(args.host, args.port, _tagger(args), version=version, ready=ready, limits=limits)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    secret = getattr(args, "api_key", None) or os.environ.get("LABEL_STUDIO_API_KEY", "")
    return run_command(lambda: args.run(args), clean=lambda message: redact(message, secret))


if __name__ == "__main__":
    sys.exit(main())
