"""``ie.analyze``: the public entry point gives what ``python -m ie.predict`` prints, typed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import ie
from ie.errors import InputError
from tests.helpers import ROOT

SAMPLE = "samples/baodi-2016.txt"


def test_analyze_gives_the_facts_predict_prints() -> None:
    analysis = ie.analyze(ROOT / SAMPLE)
    assert analysis.info.agency == "宝坻区" and analysis.info.year == 2016
    received = [f for f in analysis.facts if f.field_id == "requests.received"]
    assert received and received[0].value == 26 and received[0].evidence.text == "26"
    printed = subprocess.run([sys.executable, "-m", "ie.predict", SAMPLE], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    expected = json.loads(printed)
    got = analysis.to_json()
    got["document"] = expected["document"]  # the path as each was given
    assert got == expected


def test_analyze_takes_a_tagger_by_name_or_itself_and_refuses_bad_input() -> None:
    from ie.tag import get_tagger

    by_name = ie.analyze(ROOT / SAMPLE, tagger="rules")
    itself = ie.analyze(ROOT / SAMPLE, tagger=get_tagger("rules"))
    assert by_name.facts == itself.facts
    with pytest.raises(InputError, match="no such file"):
        ie.analyze(ROOT / "no-such-report.txt")
    with pytest.raises(InputError, match="unknown tagger"):
        ie.analyze(ROOT / SAMPLE, tagger="crf")
