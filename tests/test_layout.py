"""The package's shape: the data flow in the folders, commands as leaves, and each shared rule
defined once (issue: one home for each rule; two copies drift apart)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

COMMANDS = {"ie.predict", "ie.review", "ie.years", "ie.batch", "ie.evaluate", "ie.studio.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def test_library_code_never_imports_a_command() -> None:
    offenders = {}
    for path in python_files("ie", "training"):
        name = module_name(path)
        if name in COMMANDS:
            continue
        commands = imported_modules(path) & COMMANDS
        if commands:
            offenders[name] = sorted(commands)
    assert not offenders, offenders


def test_the_stages_have_their_packages() -> None:
    for stage in ("read", "tables", "text", "tag", "facts", "check", "output", "run", "eval"):
        assert (ROOT / "ie" / stage / "__init__.py").is_file(), stage
    # the package's top level holds the shared types, the pipeline and the commands only
    top = {p.stem for p in (ROOT / "ie").glob("*.py")}
    commands = {c.split(".")[1] for c in COMMANDS if c.count(".") == 1}
    assert top - commands <= {"__init__", "types", "document", "schema", "errors", "paths",
                              "prepared", "pipeline", "cli"}, top - commands  # fmt: skip
