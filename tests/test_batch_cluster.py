"""python -m ie.batch --address on a running cluster (`ray start --head`, with the token
authentication Ray turns on by default): its Parquet tables equal ie.predict's, a rerun redoes
nothing, and a driver without RAY_AUTH_MODE=token, or with another token, is told in one line
what to set and writes nothing."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq
import pytest

from tests.helpers import ROOT, printed_pdf
from tests.test_batch import FACT_ORDER, copy_reports, predict, read

pytestmark = pytest.mark.slow  # Label Studio, Ray, a browser or training: `pytest -m "not slow"` skips it

if TYPE_CHECKING:
    from tests.conftest import RayHead

# Three vintages and a seed report with prose and tables; the fixture adds a PDF.
REPORTS = ["corpus/v2008/2016-02.txt", "corpus/v2019/2019-02.txt", "corpus/v2021/2022-01.txt",
           "seeds/004_e0499503ab353c5a.txt"]  # fmt: skip
PDF = "report.pdf"  # a train report printed by reportlab (tests/helpers.printed_pdf)
# Ray retries a refused connection 20 times, a second apart; one says the same.
FEW_RETRIES = {"RAY_NUM_REDIS_GET_RETRIES": "1"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cluster") / "reports"
    copy_reports(REPORTS, folder)
    printed_pdf(folder / PDF)  # its bytes travel to a worker
    return folder


def batch(head: RayHead, reports: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ie.batch", str(reports), str(out), "--address",
               head.address, "--part-size", "2"]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env={**head.driver_env, **env}, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


def test_batch_on_a_running_cluster_matches_predict_and_resumes(
    ray_head: RayHead, reports: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tables"
    first = batch(ray_head, reports, out, RAY_AUTH_MODE="token")
    assert first.returncode == 0, first.stderr[-3000:] + ray_head.log.read_text()[-2000:]
    assert f"{len(REPORTS) + 1} done now, 0 failed now" in first.stderr
    parts = {path: path.read_bytes() for path in out.rglob("*.parquet")}

    tables = tmp_path / "predicted"
    predicted = predict(str(reports), "--format", "parquet", "--out", str(tables))
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    facts = read(out / "facts")
    expected = pq.read_table(tables / "facts" / "part-0.parquet")
    assert len(facts) > 100
    # every report with a statistic (corpus/v2008/2016-02.txt is a notice: no facts, only its row
    # in the documents table)
    assert set(facts.column("document").to_pylist()) == set(expected.column("document").to_pylist())
    assert len(set(facts.column("document").to_pylist())) >= len(REPORTS)  # the PDF's too
    assert facts.sort_by(FACT_ORDER).equals(expected.sort_by(FACT_ORDER))
    expected_documents = pq.read_table(tables / "documents" / "part-0.parquet")
    assert (
        read(out / "documents").sort_by("document").equals(expected_documents.sort_by("document"))
    )

    # An interrupted or repeated run: every report is found done by its hash, nothing is redone.
    rerun = batch(ray_head, reports, out, RAY_AUTH_MODE="token")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"0 done now, 0 failed now, {len(REPORTS) + 1} done before" in rerun.stderr
    assert {path: path.read_bytes() for path in out.rglob("*.parquet")} == parts


def test_a_driver_without_the_clusters_token_is_told_what_to_set(
    ray_head: RayHead, reports: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tables"
    # RAY_AUTH_MODE unset: Ray sends no token to an address typed, the cluster refuses.
    unset = batch(ray_head, reports, out, **FEW_RETRIES)
    assert unset.returncode == 2
    (line,) = unset.stderr.strip().splitlines()
    assert line.startswith(f"error: [E057] the Ray cluster at {ray_head.address} needs its token: set "
                           "RAY_AUTH_MODE=token and give the cluster's token in RAY_AUTH_TOKEN")  # fmt: skip

    another = tmp_path / "another_token"
    another.write_text(secrets.token_hex(32))
    wrong = batch(ray_head, reports, out, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(another),
                  **FEW_RETRIES)  # fmt: skip
    assert wrong.returncode == 2
    (line,) = wrong.stderr.strip().splitlines()
    assert line.startswith(f"error: [E059] the Ray cluster at {ray_head.address} refused our token")

    missing = batch(ray_head, reports, out, RAY_AUTH_MODE="token",
                    RAY_AUTH_TOKEN_PATH=str(tmp_path / "none"), HOME=str(tmp_path))  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr.strip().startswith("error: [E058] RAY_AUTH_MODE=token but no Ray token found")
    assert len(missing.stderr.strip().splitlines()) == 1
    assert not out.exists()  # nothing half-written
