"""Under CI a test never skips for something missing: tests/helpers.py's `needs` fails it, and
tests/conftest.py turns any other skip into a failure, except the legitimate ones it lists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import LEGITIMATE_SKIPS
from tests.helpers import ROOT

PROBE = f"""
import pytest
from tests.helpers import needs, shared_file

def test_a_missing_package():
    needs("ie_no_such_package")

def test_a_missing_shared_file():
    shared_file("corpus/no/such/report.txt")

def test_another_skip():
    pytest.skip("the network is down")

def test_a_legitimate_skip():
    pytest.skip({LEGITIMATE_SKIPS[0]!r} + " (CAP_MKNOD)")
"""


def run_probe(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": "1"} if ci else {})
    command = [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "tests.conftest", "-p",
               "no:cacheprovider", str(probe)]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_under_ci_only_the_legitimate_skip_stays_a_skip(tmp_path: Path) -> None:
    result = run_probe(tmp_path, ci=True)
    assert "3 failed, 1 skipped" in result.stdout, result.stdout
    assert "FAILED" in result.stdout and "test_a_legitimate_skip" not in "".join(
        line for line in result.stdout.splitlines() if line.startswith("FAILED")
    )
    assert "ie_no_such_package is not installed" in result.stdout


def test_outside_ci_they_all_skip(tmp_path: Path) -> None:
    result = run_probe(tmp_path, ci=False)
    assert "4 skipped" in result.stdout, result.stdout
