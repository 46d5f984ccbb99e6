"""A non-editable install (what a Ray worker on a cluster has) finds the schema, the lexicon and
the shipped model inside the package, and runs ``ie.predict`` from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from setuptools import find_packages

from tests.helpers import ROOT, shared_file

pytestmark = pytest.mark.slow


def test_every_package_is_listed_for_the_wheel() -> None:
    import tomllib

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    found = find_packages(where=str(ROOT), include=["ie", "ie.*"])
    assert set(found) <= set(listed), sorted(set(found) - set(listed))


def test_a_non_editable_install_runs_predict_from_another_folder(tmp_path: Path) -> None:
    report = shared_file("corpus/v2019/2019-02.txt")  # a train-split report
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)  # fmt: skip
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    (wheel,) = wheels.glob("ie-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site,
                    str(wheel)], check=True, capture_output=True)  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # the dependencies come from this environment's site-packages, after the fresh one's, so
    # `ie` is the installed copy and not this checkout (an editable install's hook is not read)
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    env.pop("IE_SHARED", None)
    where = subprocess.run([str(python), "-c", "import ie, ie.paths; print(ie.__file__); print(ie.paths.CONFIGS)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert str(ROOT) not in where and "_data" in where, where
    for tagger in ("rules", "model"):
        result = subprocess.run([str(python), "-m", "ie.predict", str(report), "--tagger", tagger],
                                cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert result.returncode == 0, result.stderr
        output = json.loads(result.stdout)
        assert output["vintage"] == "2019" and output["facts"], tagger
