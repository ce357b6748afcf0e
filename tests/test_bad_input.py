"""The bad-input corpus (``tests/corpus``): every bad input to every console script is refused in one line that
names the offending key, option or path and what is allowed, with exit code 2, no traceback, and nothing written,
changed or removed — finished runs and sweeps included.

The corpus runs once, in a subprocess (``python -m corpus --json``), each case in-process there; the tests below
read its outcomes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import corpus
import pytest

TESTS = Path(__file__).resolve().parent
CASES = corpus.cases()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    """Every case's outcome, by id."""
    path = tmp_path_factory.mktemp("corpus") / "outcomes.json"
    env = {**{k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"},
           "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "corpus", "--json", str(path)], cwd=TESTS, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    return {outcome["id"]: outcome for outcome in json.loads(path.read_text())}


def test_the_corpus_covers_every_entry_point_with_sixty_inputs() -> None:
    entries = {case.entry for case in CASES}
    assert entries == set(corpus.ENTRY_POINTS)
    assert len(CASES) >= 60
    assert len({(case.entry, case.args, case.setup) for case in CASES}) == len(CASES), "two cases try the same input"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_in_one_clear_line(outcomes: dict[str, dict], case: corpus.BadInput) -> None:
    outcome = outcomes[case.id]
    said = (outcome["stdout"] + outcome["stderr"]).strip()
    assert "Traceback" not in said, said
    assert outcome["code"] == 2, said
    assert len(said.splitlines()) == 1, said
    assert not outcome["missing"], f"the message does not name {outcome['missing']}: {said}"
    assert said.startswith(f"{case.entry}: "), said
    assert outcome["changed"] == [], f"left behind or changed: {outcome['changed']}"


def test_the_judge_tells_clear_from_unclear() -> None:
    """The harness itself: a traceback, a two-line refusal, a missing name and an acceptance are not 'clear'."""
    seen = []
    for stderr, code, names in (("Traceback (most recent call last):\n  x\nValueError: n", 1, ()),
                                ("usage: x\nx: error: bad", 2, ()), ("x: n_cases must be ≥ 1", 2, ("seed",)),
                                ("", 0, ()), ("x: n_cases must be ≥ 1", 2, ("n_cases",))):
        outcome = corpus.Outcome("id", "x", code, "", stderr)
        corpus.judge(outcome, names)
        seen.append(outcome.verdict)
    assert seen == ["traceback", "unclear", "unclear", "accepted", "clear"]
