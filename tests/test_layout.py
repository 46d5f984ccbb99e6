"""The package's shape: the data flow in the folders, commands as leaves, and each shared rule
defined once (issue: one home for each rule; two copies drift apart)."""

from __future__ import annotations

import ast
import re
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


# Each shared rule of report text lives in ie/text/conventions.py; a second definition elsewhere
# would drift from it (the audit of issue 17 found ten copies of the sentence ends that disagreed).
CONVENTIONS = ROOT / "ie" / "text" / "conventions.py"
SHARED_RULE_NAME = re.compile(r"SENTENCE|CLAUSE|PARAGRAPH|NEGAT|(?<![A-Z])COUNT_UNIT|TOLERANCE")
# Tolerances that are no identity's: scores compared with the gate's floor, PDF points.
OTHER_TOLERANCES = {("ie.eval.gate", "TOLERANCE"), ("ie.read.pdf", "COLUMN_TOLERANCE"), ("ie.read.ocr", "ROW_TOLERANCE")}


def rule_literals(node: ast.AST) -> list[object]:
    """The constants in ``node`` that write out a shared rule: a mark that ends a sentence or a
    clause, a negation word, a count unit, a number."""
    from ie.text.conventions import CLAUSE_ENDS, COUNT_UNITS, NEGATIONS, PARAGRAPH_ENDS

    marks = set(CLAUSE_ENDS + PARAGRAPH_ENDS + "！？")
    words = NEGATIONS + tuple(unit for unit in COUNT_UNITS if unit != "%")
    found = []
    for constant in ast.walk(node):
        if not isinstance(constant, ast.Constant) or isinstance(constant.value, bool):
            continue
        value = constant.value
        if isinstance(value, (int, float)) or (
            isinstance(value, str) and (marks & set(value) or any(w in value for w in words))
        ):
            found.append(value)
    return found


def test_each_shared_rule_is_defined_once() -> None:
    """No module but ie.text.conventions assigns a sentence or clause end, a negation, the count
    units or an identity's tolerance from literals (a name built from the shared ones is fine)."""
    offenders = []
    for path in python_files("ie", "training"):
        if path == CONVENTIONS:
            continue
        module = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            for target in targets:
                if not isinstance(target, ast.Name) or not SHARED_RULE_NAME.search(target.id):
                    continue
                if (module, target.id) in OTHER_TOLERANCES:
                    continue
                literals = rule_literals(value)
                if literals:
                    offenders.append(f"{module}.{target.id} = {literals}")
    assert not offenders, offenders


def test_no_rule_lists_a_mark_that_folding_removed() -> None:
    """Document.text holds no full-width ！？ (ie.read.textnorm folds them to !?), so a rule that
    lists them is a copy that never matched. The readers (ie/read) see the source before folding."""
    offenders = []
    for path in python_files("ie"):
        if path == CONVENTIONS or path.is_relative_to(ROOT / "ie" / "read"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if "！" in node.value or "？" in node.value:
                    offenders.append(f"{module_name(path)}:{node.lineno} {node.value!r}")
    assert not offenders, offenders


def test_the_identity_tolerance_is_written_once() -> None:
    """Every identity check (ie.check.identities, the flattened rows' readings, ie.years) goes
    through conventions.identity_holds: no other module writes its tolerance or compares sides."""
    offenders = []
    for path in python_files("ie", "training"):
        if path == CONVENTIONS:
            continue
        source = path.read_text(encoding="utf-8")
        if "0.011" in source or re.search(r"abs\(lhs - rhs\)|rhs - TOLERANCE", source):
            offenders.append(module_name(path))
    assert not offenders, offenders


def test_one_atomic_writer() -> None:
    """Every output goes through ie/output/files.py: no other module renames a temporary file
    over a target or makes its own temporary output file."""
    others = []
    for path in python_files("ie"):
        if module_name(path) == "ie.output.files":
            continue
        text = path.read_text(encoding="utf-8")
        if "os.replace(" in text or "mkstemp(" in text or ".replace(self.path" in text:
            others.append(module_name(path))
    assert not others, others
