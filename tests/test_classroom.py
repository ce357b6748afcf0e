"""The classroom: the two-arm model behind the page, and the page itself driven in headless Chromium."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from bargainsim import analysis
from bargainsim.analysis import STATUS_QUO
from bargainsim.apps.classroom import FIGURES, LEVERS, ClassroomModel
from bargainsim.apps.classroom.model import LEVER_ARM
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"


def _figures(model: ClassroomModel, arm: str) -> dict[str, float]:
    return {figure: model.figure(arm, figure) for figure in FIGURES}


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_default_levers_are_the_status_quo_on_the_same_cases() -> None:
    """With every lever at its default both arms are the same model on the same cases: identical figures."""
    model = ClassroomModel(n_cases=800)
    for _ in range(6):
        model.step()
        sq, lv = _figures(model, STATUS_QUO), _figures(model, LEVER_ARM)
        assert all(_same(sq[f], lv[f]) for f in FIGURES), (sq, lv)
    assert model.disposed(STATUS_QUO) > 200 and not math.isnan(sq["voluntariness"])
    assert model.changes() == []


@pytest.mark.parametrize("lever, value, target, expected", [
    ("disclosure", "full", "rules.disclosure", "full"),
    ("protocol", "dialogue", "rules.misdemeanor_protocol", "dialogue"),
    ("protocol", "dialogue", "rules.felony_protocol", "dialogue"),
    ("initiation", "two_way", "rules.initiation", "two_way"),
    ("lawyer_stage", "investigation", "rules.duty_lawyer_stage", "investigation"),
    ("lawyer_role", "advocate", "rules.duty_lawyer_role", "advocate"),
    ("lawyer_quality", 0.8, "behaviour.lawyer_quality_duty", 0.8),
    ("public_observation", True, "rules.public_observation", True),
    ("venue", "outside", "rules.venue", "outside"),
    ("kpi_pressure", 0.0, "rules.kpi_pressure", 0.0),
    ("innocent_share", 0.2, "caseload.innocent_share", 0.2),
    ("misdemeanor_share", 0.4, "caseload.felony_share", 0.6),
])
def test_each_lever_sets_its_parameter(lever: str, value: object, target: str, expected: object) -> None:
    """Policy levers set the lever arm only; the population levers (innocent share, case mix) set both arms."""
    model = ClassroomModel(n_cases=50, **{lever: value})
    group, name = target.split(".")
    defaults = {"rules": Rules(), "behaviour": Behaviour(), "caseload": Caseload()}[group]
    levers, status_quo = model.arms[LEVER_ARM], model.arms[STATUS_QUO]
    assert getattr(getattr(levers, group), name) == pytest.approx(expected)
    population = group == "caseload"
    assert getattr(getattr(status_quo, group), name) == pytest.approx(expected if population
                                                                    else getattr(defaults, name))
    assert {lv.name for lv in LEVERS} == {"disclosure", "protocol", "initiation", "lawyer_stage", "lawyer_role",
                                          "lawyer_quality", "public_observation", "venue", "kpi_pressure",
                                          "innocent_share", "misdemeanor_share"}


@pytest.mark.parametrize("kwargs, message", [
    ({"disclosure": "secret"}, r"disclosure = 'secret' is not allowed; allowed values: none, core, full"),
    ({"protocol": "auction"}, r"protocol = 'auction' is not allowed; allowed values: consultation, dialogue"),
    ({"kpi_pressure": 5.0}, r"kpi_pressure = 5.0 is not allowed; allowed values: numbers in \[0.0, 3.0\]"),
    ({"misdemeanor_share": 1.5}, r"misdemeanor_share = 1.5 is not allowed"),
    ({"public_observation": "yes"}, r"public_observation = 'yes' must be true or false"),
    ({"seed": -1}, r"seed = -1 is not allowed; allowed values: integers ≥ 0"),
])
def test_bad_lever_values_are_config_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ClassroomModel(**kwargs)


def test_running_figures_use_the_main_jobs_definitions() -> None:
    """Run to the end: each arm's figures equal analysis.run_metrics on that arm's case records, to the bit."""
    model = ClassroomModel(n_cases=500, disclosure="full", protocol="dialogue", innocent_share=0.1)
    while model.running:
        model.step()
    for arm in (STATUS_QUO, LEVER_ARM):
        records = pd.DataFrame(model.arms[arm].records).assign(reform=arm, replication=0, seed=2024)
        metrics = analysis.run_metrics(records).iloc[0]
        assert model.disposed(arm) == 500
        for figure in FIGURES:
            assert model.figure(arm, figure) == metrics[figure], (arm, figure)


def test_same_levers_same_run_and_the_collector_keeps_both_arms() -> None:
    runs = []
    for _ in range(2):
        model = ClassroomModel(n_cases=400, public_observation=True, seed=7)
        for _ in range(5):
            model.step()
        runs.append(model.datacollector.get_model_vars_dataframe())
    pd.testing.assert_frame_equal(runs[0], runs[1])
    assert len(runs[0]) == 6 and runs[0].shape[1] == 4 * len(FIGURES)   # each figure and its count, both arms
    assert "Voluntariness — status quo" in runs[0] and "Voluntariness — levers" in runs[0]
    assert (runs[0]["n: Application rate — levers"].diff().dropna() >= 0).all()


def test_public_observation_raises_voluntariness_on_every_seed() -> None:
    """Observed negotiations (dialogue, outside detention, no unchecked overstatement) are more voluntary: the
    lever arm's running voluntariness exceeds the status quo's after 8 weeks on each of 5 seeds, by at least
    0.05 on average."""
    gaps = []
    for seed in range(5):
        model = ClassroomModel(n_cases=1000, public_observation=True, seed=seed)
        for _ in range(8):
            model.step()
        gaps.append(model.figure(LEVER_ARM, "voluntariness") - model.figure(STATUS_QUO, "voluntariness"))
    assert min(gaps) > 0.0 and sum(gaps) / len(gaps) > 0.05, gaps


def test_story_tells_the_latest_negotiation_under_both_arms() -> None:
    model = ClassroomModel(n_cases=300, disclosure="full")
    assert model.story() == ""
    for _ in range(4):
        model.step()
    story = model.story(width=100)
    case_id = model.current_case()
    assert story.startswith(f"Case {case_id}:")
    assert "status quo" in story and "levers" in story and "ROUND 1" in story
    assert all(len(line) <= 100 for line in story.splitlines())


# -- the page in a real browser ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def page_url():
    """Start the classroom page on a free port bound to 127.0.0.1; stop it afterwards."""
    pytest.importorskip("solara", reason="the classroom extra is not installed (make test installs it)")
    pytest.importorskip("playwright", reason="playwright is not installed (make test installs it)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (make test installs Debian's chromium)")
    port = _free_port()
    solara = Path(sys.executable).with_name("solara")
    server = subprocess.Popen([str(solara), "run", "bargainsim.apps.classroom.app", "--host", "127.0.0.1", "--port",
                               str(port), "--production", "--no-open"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env={**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the classroom page did not start: {server.stderr.read().decode()[-2000:]}")
                if time.monotonic() > deadline:
                    pytest.fail("the classroom page did not answer within 120 s")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _read_figures(page) -> dict[str, dict[str, float]]:
    cells = page.locator("#figures td[data-figure]")
    values: dict[str, dict[str, float]] = {}
    for i in range(cells.count()):
        cell = cells.nth(i)
        values.setdefault(cell.get_attribute("data-arm"), {})[cell.get_attribute("data-figure")] = \
            float(cell.get_attribute("data-value"))
    return values


def _step(page, weeks: int, first_day: int) -> None:
    for week in range(1, weeks + 1):
        page.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_selector(f"#figures-panel[data-day='{first_day + 5 * week}']", timeout=30_000)


def test_page_in_headless_chromium(page_url: str) -> None:
    """Open the page, step it with the default levers (both arms identical), switch public observation on, reset,
    step four weeks: the displayed figures are exactly the classroom model's, and voluntariness under the lever
    is above the status quo. A screenshot is kept in tests/artifacts/classroom.png."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1500})
            page.goto(page_url)
            page.wait_for_selector("#figures-panel[data-day='0']", timeout=60_000)
            assert all(math.isnan(v) for arm in _read_figures(page).values() for v in arm.values())

            _step(page, 3, 0)
            shown = _read_figures(page)
            assert all(_same(shown[STATUS_QUO][f], shown[LEVER_ARM][f]) for f in FIGURES), shown
            assert not math.isnan(shown[STATUS_QUO]["application_rate"])

            page.get_by_text("Public observation", exact=True).click()
            page.get_by_role("button", name="Reset", exact=True).click()
            page.wait_for_selector("#figures-panel[data-day='0']", timeout=30_000)
            _step(page, 4, 0)
            shown = _read_figures(page)
            expected = ClassroomModel(public_observation=True)
            for _ in range(4):
                expected.step()
            for arm in (STATUS_QUO, LEVER_ARM):
                for figure in FIGURES:
                    assert _same(shown[arm][figure], expected.figure(arm, figure)), (arm, figure)
            assert shown[LEVER_ARM]["voluntariness"] > shown[STATUS_QUO]["voluntariness"] + 0.05
            assert "public observers: no → yes" in page.locator("#figures-panel").inner_text()
            transcript = page.locator("#transcript").inner_text()
            assert transcript.startswith(f"Case {expected.current_case()}:") and "BEFORE THE TALKS" in transcript
            page.screenshot(path=str(ARTIFACTS / "classroom.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "classroom.png").stat().st_size > 10_000

