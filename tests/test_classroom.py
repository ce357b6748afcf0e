"""The classroom: the two-arm model behind the page, and the page itself driven in headless Chromium — the levers'
tab, two students playing cases at once in both roles, and the teacher's tally."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from test_play import play_out, policy

from bargainsim import analysis
from bargainsim.analysis import STATUS_QUO
from bargainsim.apps.classroom import FIGURES, LEVERS, ClassroomModel
from bargainsim.apps.classroom.model import LEVER_ARM, MIN_CASES, WARM_UP
from bargainsim.apps.classroom.play import Setting
from bargainsim.apps.classroom.words import BUTTONS
from bargainsim.core.defense import COUNTERS
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
LEVERS_TAB = "Status quo vs the levers, week by week"


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


def _read_figures(page) -> dict[str, dict[str, tuple[float, int]]]:
    """The figures table as shown: (value, n) per arm and figure."""
    cells = page.locator("#figures td[data-figure]")
    values: dict[str, dict[str, tuple[float, int]]] = {}
    for i in range(cells.count()):
        cell = cells.nth(i)
        values.setdefault(cell.get_attribute("data-arm"), {})[cell.get_attribute("data-figure")] = \
            (float(cell.get_attribute("data-value")), int(cell.get_attribute("data-n")))
    return values


def _expected(model: ClassroomModel) -> dict[str, dict[str, tuple[float, int]]]:
    return {arm: {f: (model.figure(arm, f), model.count(arm, f)) for f in FIGURES} for arm in (STATUS_QUO, LEVER_ARM)}


def _same_figures(shown: dict, expected: dict) -> bool:
    return all(_same(shown[arm][f][0], expected[arm][f][0]) and shown[arm][f][1] == expected[arm][f][1]
               for arm in expected for f in FIGURES)


def _pictures(page) -> dict[str, bytes]:
    """The levers' pictures as rendered."""
    return {name: page.locator(f".{name} img").first.screenshot()
            for name in ("charts", "flow-picture", "current-beliefs", "current-talks")}


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, headless=True)


def test_levers_tab_figures_counts_and_pictures_follow_the_controls(page_url: str) -> None:
    """The levers' tab opens warmed up (WARM_UP weeks) with exactly the classroom model's figures and counts,
    a figure under the minimum count marked too few; switching public observation on and pressing Reset gives the
    model's figures under it, and every picture changes; a step adds a week. Screenshot:
    tests/artifacts/classroom.png."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 2350})
            page.goto(page_url)
            page.get_by_role("tab", name=LEVERS_TAB).click()
            page.wait_for_selector(f"#figures-panel[data-week='{WARM_UP}']", timeout=60_000)
            assert "bargainsim classroom" in page.title() and "Page 0" not in page.content()
            assert page.get_by_text("Play Interval").count() == 0 and page.get_by_text("Use Threads").count() == 0
            expected = ClassroomModel(warm_up=WARM_UP)
            assert _same_figures(_read_figures(page), _expected(expected))
            innocent = page.locator("#figures td[data-figure='innocent_plea_rate'][data-arm='levers']").inner_text()
            assert ("too few cases" in innocent) == (expected.count(LEVER_ARM, "innocent_plea_rate") < MIN_CASES)
            assert page.get_by_text("Duty lawyer quality (mean): 0.50 (on a 0–1 scale)").count() == 1
            before = _pictures(page)

            page.get_by_text("Public observation", exact=True).click()
            page.get_by_text("Changed, not yet applied").wait_for(timeout=10_000)
            page.get_by_role("button", name="Reset", exact=True).click()
            page.get_by_text("public observers: no → yes").wait_for(timeout=30_000)
            page.wait_for_selector(f"#figures-panel[data-week='{WARM_UP}']", timeout=30_000)
            observed = ClassroomModel(public_observation=True, warm_up=WARM_UP)
            shown = _read_figures(page)
            assert _same_figures(shown, _expected(observed))
            assert shown[LEVER_ARM]["voluntariness"][0] > shown[STATUS_QUO]["voluntariness"][0] + 0.05
            flow = page.locator("#flow")
            assert int(flow.get_attribute("data-levers")) == len(observed.week(LEVER_ARM)) > 0
            after = _pictures(page)
            assert all(after[name] != before[name] for name in before), [n for n in before if after[n] == before[n]]

            page.get_by_role("button", name="Step", exact=True).click()
            page.wait_for_selector(f"#figures-panel[data-week='{WARM_UP + 1}']", timeout=30_000)
            observed.step()
            assert _same_figures(_read_figures(page), _expected(observed))
            page.screenshot(path=str(ARTIFACTS / "classroom.png"), full_page=True)
            page.get_by_text("The latest negotiation, told under both arms").click()
            transcript = page.locator("#transcript")
            transcript.wait_for(timeout=10_000)
            assert transcript.inner_text().startswith(f"Case {observed.current_case()}:")
        finally:
            browser.close()
    assert (ARTIFACTS / "classroom.png").stat().st_size > 10_000


# -- two students and the teacher ---------------------------------------------------------------------------------
class Student:
    """One browser context playing a case by :func:`test_play.policy`, one decision at a time."""

    def __init__(self, browser, url: str, role: str, rules: str) -> None:
        self.context = browser.new_context(viewport={"width": 1500, "height": 2100})
        self.page = page = self.context.new_page()
        page.goto(url)
        page.wait_for_selector("text=Draw a case for me", timeout=60_000)
        page.get_by_role("button", name=role, exact=True).click()
        page.locator(".v-select", has_text="Rules of the procedure").click()
        page.get_by_role("option", name="jurisdiction: germany", exact=True).wait_for()
        page.get_by_role("option", name=rules, exact=True).click()
        page.get_by_text(f"They change: {'nothing' if rules == 'status_quo' else ''}").first.wait_for()
        page.get_by_role("button", name="Draw a case for me").click()
        page.wait_for_selector("#question", timeout=30_000)
        self.decisions = 0

    @property
    def done(self) -> bool:
        return self.page.locator("#debrief").count() > 0

    def question(self) -> SimpleNamespace:
        q = self.page.locator("#question")
        options = q.get_attribute("data-options").split()
        return SimpleNamespace(point=q.get_attribute("data-point"), round=int(q.get_attribute("data-round")),
                               months=float(q.get_attribute("data-months")),
                               counters=next((o for o in options if o in COUNTERS), None))

    def decide(self) -> None:
        """Answer the question on the page as the policy would, and wait for the next one (or the debrief)."""
        question = self.question()
        action, months = policy(question)
        page = self.page
        if months is not None:
            page.get_by_label("Months you propose").fill(f"{months:.1f}")
        page.get_by_role("button", name=BUTTONS[(question.point, action)], exact=True).click()
        self.decisions += 1
        page.wait_for_function(
            "n => document.querySelector('#debrief') || "
            "document.querySelector('#question')?.dataset.decisions === String(n)", arg=self.decisions,
            timeout=30_000)

    def debrief(self) -> tuple[Setting, dict[tuple[str, str], str]]:
        table = self.page.locator("#debrief")
        setting = Setting(int(table.get_attribute("data-case")), table.get_attribute("data-rules"),
                          table.get_attribute("data-role"), int(table.get_attribute("data-seed")))
        cells = table.locator("td[data-column]")
        shown = {(cells.nth(i).get_attribute("data-column"), cells.nth(i).get_attribute("data-run")):
                 cells.nth(i).get_attribute("data-value") for i in range(cells.count())}
        return setting, shown


def test_two_students_play_both_roles_at_once_and_the_teacher_counts_both(page_url: str) -> None:
    """Browser contexts play at once — a suspect under the withdrawal right, a lawyer under the tripartite
    agreement, a lawyer under Germany's plea system (the rules offer each jurisdiction) — answering in turn; a bad
    counter-proposal is refused in words; each debrief's every figure equals the model's record of that case
    replayed with the same answers (and of the model's own suspect, and under the reform); the teacher's page
    counts every case in its group. Screenshots of a question, a debrief and the teacher's page go to
    tests/artifacts/."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            teacher = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
            teacher.goto(page_url + "teacher")
            teacher.get_by_role("button", name="Clear the tally (a new class)").click()
            teacher.wait_for_selector("#class-tally[data-plays='0']", timeout=30_000)

            suspect = Student(browser, page_url, "suspect", "withdrawal_right")
            lawyer = Student(browser, page_url, "lawyer", "tripartite_agreement")
            abroad = Student(browser, page_url, "lawyer", "jurisdiction: germany")
            students = (suspect, lawyer, abroad)
            assert "the court proposes a sentence of at most" in abroad.page.locator("#question").inner_text()
            suspect.page.set_viewport_size({"width": 1500, "height": 1150})
            suspect.page.screenshot(path=str(ARTIFACTS / "classroom_play.png"))
            suspect.page.set_viewport_size({"width": 1500, "height": 2100})
            offer = suspect.question().months
            suspect.page.get_by_label("Months you propose").fill(f"{offer + 5:.1f}")
            suspect.page.get_by_role("button", name="Counter-propose", exact=True).click()
            refusal = "a counter-proposal must be at least 0 and below the offer on the table"
            suspect.page.get_by_text(refusal).wait_for()
            assert "Traceback" not in suspect.page.locator("body").inner_text()
            assert suspect.page.locator("#question").get_attribute("data-decisions") == "0"

            while not all(student.done for student in students):
                for student in students:
                    if not student.done:
                        student.decide()
            played = []
            for student in students:
                setting, shown = student.debrief()
                play = play_out(setting)
                debrief = play.debrief("public_observation")
                for row, values in debrief.table():
                    for run, value in zip(("you", "model", "reform"), values):
                        assert shown[(row.column, run)] == repr(value), (setting, row.column, run)
                played.append(play.outcome.record)
            suspect.page.screenshot(path=str(ARTIFACTS / "classroom_debrief.png"), full_page=True)

            teacher.get_by_role("button", name="Refresh").click()
            teacher.wait_for_selector("#class-tally[data-plays='3'][data-sessions='3']", timeout=30_000)
            rows = teacher.locator("#class-tally tr[data-n]")
            groups = {(rows.nth(i).get_attribute("data-rules"), rows.nth(i).get_attribute("data-guilt"),
                       rows.nth(i).get_attribute("data-custody")): int(rows.nth(i).get_attribute("data-n"))
                      for i in range(rows.count())}
            expected: dict[tuple[str, str, str], int] = {}
            for rules, record in zip(("withdrawal_right", "tripartite_agreement", "jurisdiction: germany"), played):
                key = (rules, "guilty" if record["guilty"] else "innocent",
                       "detained" if record["detained"] else "at large")
                expected[key] = expected.get(key, 0) + 1
            assert groups == expected
            teacher.screenshot(path=str(ARTIFACTS / "classroom_teacher.png"), full_page=True)
        finally:
            browser.close()
