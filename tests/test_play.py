"""Play a case (apps/classroom/play.py), the class's tally and the pictures' data, without a browser: a played case is
the model's own case, replayed the same way from the same answers; the page tells each role what it knows and no
more; the debrief's figures are the model's record; the tally is safe to share between sessions."""

from __future__ import annotations

import dataclasses
import math
import threading

import pytest

from bargainsim.apps.classroom.model import MIN_CASES, ClassroomModel
from bargainsim.apps.classroom.pictures import NODES, bargain_of, beliefs_of, known_beliefs, path_of
from bargainsim.apps.classroom.play import (
    DEBRIEF_ROWS,
    POINTS,
    Briefing,
    Given,
    Play,
    Setting,
    changes_in_words,
    compared,
    draw_case,
    procedure_named,
    procedures,
    rules_named,
    run_case,
    run_named,
)
from bargainsim.apps.classroom.tables import figure_cell
from bargainsim.apps.classroom.tally import MIN_PLAYS, ClassTally, Played, played
from bargainsim.apps.classroom.words import BUTTONS, known, prompt
from bargainsim.core.defense import Answer, Decision, Defense
from bargainsim.harness.config import JURISDICTIONS, jurisdiction_preset, reform_catalogue
from bargainsim.params import Behaviour, ConfigError, Rules


def policy(question: Briefing) -> tuple[str, float | None]:
    """A student who counter-proposes 60% of the first offer (to a tenth of a month), accepts what follows, signs,
    withdraws where it may and appeals."""
    if question.point == "offer":
        if question.counters and question.round == 1:
            return question.counters, round(0.6 * question.months, 1)
        return "accepts", None
    return {"sign": "signs", "countersign": "signs", "sign_again": "signs", "withdraw": "withdraws",
            "appeal": "appeals"}[question.point], None


def play_out(setting: Setting, choose=policy) -> Play:
    play = Play(setting)
    while not play.done:
        play = play.answer(*choose(play.question))
    return play


class Defaults(Defense):
    """The model's own answers, each kept for one case."""

    def __init__(self, case_id: int, points: tuple[str, ...]) -> None:
        self.case_id, self.points, self.given = case_id, points, []

    def choose(self, suspect, decision: Decision) -> Answer:
        if suspect.case.case_id == self.case_id and decision.point in self.points:
            self.given.append(Given(decision.point, decision.default))
        return decision.default


@pytest.mark.parametrize("rules, role", [("status_quo", "suspect"), ("withdrawal_right", "suspect"),
                                         ("tripartite_agreement", "lawyer"), ("substantive_dialogue", "lawyer")])
def test_a_played_case_is_the_model_s_own_case(rules: str, role: str) -> None:
    """Answering every question as the model's rule would gives the model's own record of the case, to the bit;
    replaying a student's answers from the start gives the same record again."""
    setting = draw_case(2024, 3, rules, role, innocent_share=0.2)
    defaults = Defaults(setting.case_id, POINTS[role])
    model = run_case(setting, rules_named(rules), "model", defaults)
    assert defaults.given and defaults.given[0].point == "offer"
    as_the_model = Play(setting, defaults.given)
    assert as_the_model.done and repr(as_the_model.outcome.record) == repr(model.record)

    student = play_out(setting)
    again = Play(setting, student.answers)
    assert again.done and repr(again.outcome.record) == repr(student.outcome.record)
    assert student.outcome.record["case_id"] == setting.case_id
    assert student.answers[0].answer.action in ("counters", "proposes")


def test_the_rules_offered_are_the_status_quo_each_reform_and_each_other_jurisdiction() -> None:
    """The play page's rules (and the debrief's comparisons, all but the status quo) keep the status quo and the
    reforms under their names and add each other jurisdiction's status quo, with its rules and its behaviour."""
    names = list(procedures())
    reforms = [name for name, entries in reform_catalogue().items() if any(entries.values())]
    others = [f"jurisdiction: {name}" for name in JURISDICTIONS if name != "china"]
    assert names == ["status_quo", *reforms, *others] and compared() == names[1:]
    for name in others:
        preset = jurisdiction_preset(name.removeprefix("jurisdiction: "))
        assert procedure_named(name).rules == preset.rules and procedure_named(name).behaviour == preset.behaviour
    assert procedure_named("status_quo").rules == Rules() and procedure_named("status_quo").behaviour == Behaviour()
    assert rules_named("jurisdiction: germany").negotiator == "court"
    assert changes_in_words("jurisdiction: england_wales").startswith(
        "England and Wales' plea system in place of China's — who may open talks: prosecutor → two way")
    assert "chance the prosecution appeals an acquittal: 30% → 0%" in changes_in_words("jurisdiction: us_federal")
    assert changes_in_words("public_observation") == "public observers: no → yes; venue for detained suspects: " \
                                                     "detention → outside"


def test_a_case_is_played_under_germany_s_plea_system() -> None:
    """Under 'jurisdiction: germany' the court proposes the terms: the student is asked about the court's
    proposal, the played case is the model's own under Germany's rules, and the debrief compares it with the US
    federal plea system, run with that preset's behaviour."""
    setting = draw_case(2024, 0, "jurisdiction: germany")
    question = Play(setting).question
    assert question.court and "the court proposes a sentence of at most" in prompt(question)
    play = play_out(setting)
    run = play.outcome
    assert run.rules.negotiator == "court" and run.suspect.model.rules == rules_named("jurisdiction: germany")
    assert run.record["initiated_by"] == "court" and run.record["case_id"] == setting.case_id
    debrief = play.debrief("jurisdiction: us_federal")
    us = debrief.runs[2]
    assert us.label == "the model's suspect under the US federal plea system"
    assert us.suspect.model.behaviour.protest_acquittal == 0.0 and us.rules.charge_bargaining
    assert repr(us.record) == repr(run_named(setting, "jurisdiction: us_federal", "m").record)
    assert debrief.changes.startswith("the US federal plea system in place of China's — ")


CHINESE_WORDS = ("procuratorate", "CPL", "具结书", "plea affidavit")
"""What only China's plea system calls its institutions."""


def _every_prompt(question: Briefing) -> str:
    """What the page would say at each decision point with this briefing's knowledge, all together."""
    points = ("offer", "sign", "countersign", "withdraw", "sign_again", "appeal")
    briefings = [dataclasses.replace(question, point=point, court=court, tripartite=tripartite,
                                     withdrawal_allowed=True, detained=True, inside=True, released=False)
                 for point in points for court in (False, True) for tripartite in (False, True)]
    return " ".join(" ".join([prompt(b), *known(b)]) for b in briefings)


@pytest.mark.parametrize("rules", ["jurisdiction: germany", "jurisdiction: us_federal"])
def test_a_briefing_abroad_is_in_that_system_s_words(rules: str) -> None:
    """Under another country's plea system the page never names the procuratorate, the CPL or the plea affidavit
    (具结书), at any decision the student reaches nor at any the rules could ask; the duty lawyer is that system's.
    China's own briefing keeps China's words."""
    setting = draw_case(2024, 1, rules, "suspect")
    play, said = Play(setting), []
    while not play.done:
        question = play.question
        assert question.jurisdiction == rules.removeprefix("jurisdiction: ")
        said.append(" ".join([prompt(question), *known(question), _every_prompt(question)]))
        play = play.answer(*policy(question))
    words = " ".join(said)
    assert not [word for word in CHINESE_WORDS if word in words]
    assert "A defendant's own appeal never brings a heavier sentence" in words
    assert "inside the detention centre" not in words and "negotiate from custody" in words
    assert "duty lawyer" not in words and ("an appointed defender" in words or "appointed counsel" in words)
    china = Play(draw_case(2024, 1, "status_quo", "suspect")).question
    assert china.jurisdiction == "china"
    chinese = _every_prompt(china)
    assert all(word in chinese for word in CHINESE_WORDS) and "inside the detention centre" in chinese


def test_a_charge_bargain_is_told_to_the_student() -> None:
    """Under the US federal rules a large fraud may be pleaded down to fraud: the student is told the plea on
    offer is to the lesser offense, and the record has the charge reduced once the plea is made."""
    setting = Setting(21, rules="jurisdiction: us_federal")
    question = Play(setting).question
    assert question.lesser == "fraud (1.0 months to 36.0 months)" and question.offense == "large fraud"
    assert "The plea on offer is to a lesser offense, fraud (1.0 months to 36.0 months): a charge bargain." in \
        known(question)
    model = run_named(setting, setting.rules, "m").record
    assert model["pleaded"] and model["charge_reduced"]


def test_the_student_s_choices_change_the_case() -> None:
    """Refusing the first offer sends a case the model's suspect would plead to trial; the record says so."""
    for draw in range(20):
        setting = draw_case(2024, draw)
        model = run_case(setting, rules_named("status_quo"), "model").record
        if model["pleaded"]:
            break
    refused = play_out(setting, lambda q: ("refuses", None) if q.point == "offer" else policy(q))
    record = refused.outcome.record
    assert model["pleaded"] and not record["signed"] and record["tried"] and record["rounds"] == 1
    assert [given.point for given in refused.answers][0] == "offer"


def test_the_suspect_is_told_what_it_knows_and_not_the_truth() -> None:
    """The stated strength is the prosecutor's belief plus its overstatement, the suspect's own belief is its
    belief at the table (both as the record has them); the truth, the prosecutor's own belief and the most the
    model's suspect would accept are not in what the page says."""
    setting = Setting(71, role="suspect")
    play = Play(setting)
    question = play.question
    record = play_out(setting).outcome.record
    assert question.point == "offer" and question.round == 1 and question.moves[-1].party == "prosecutor"
    assert question.stated == pytest.approx(record["prosecutor_belief"] + record["overstatement"])
    assert record["overstatement"] > 0.05 and question.own_belief == pytest.approx(record["suspect_belief"])
    assert question.advice == pytest.approx(question.stated)   # an endorsing duty lawyer relays the statement
    words = " ".join(known(question)) + prompt(question)
    assert f"{100 * question.stated:.0f}%" in words and f"{100 * question.own_belief:.0f}%" in words
    assert f"{100 * record['conviction_probability']:.0f}%" not in words
    assert f"{100 * record['prosecutor_belief']:.0f}%" not in words
    assert {line.kind for line in known_beliefs(question)} == {"stated", "lawyer", "suspect"}


def test_observation_leaves_nothing_to_overstate_and_the_lawyer_knows_its_own_reading() -> None:
    observed = Play(Setting(71, rules="public_observation", role="lawyer")).question
    record = run_case(Setting(71, rules="public_observation"), rules_named("public_observation"), "m").record
    assert record["overstatement"] == 0.0 and observed.stated == pytest.approx(record["prosecutor_belief"])
    assert observed.client_belief == pytest.approx(record["suspect_belief"])
    assert not math.isnan(observed.own_belief) and observed.own_belief != observed.client_belief
    assert not observed.inside and "outside detention" in " ".join(known(observed))


def test_each_role_is_asked_its_own_decisions() -> None:
    """Under the tripartite rule the lawyer countersigns and the suspect signs; neither is asked the other's."""
    for role in ("suspect", "lawyer"):
        setting = draw_case(2024, 1, "tripartite_agreement", role)
        points = {given.point for given in play_out(setting).answers}
        assert points <= set(POINTS[role])
        assert ("countersign" in points) == (role == "lawyer") and ("sign" in points) == (role == "suspect")
    assert all((point, action) in BUTTONS for point in ("offer",) for action in ("accepts", "refuses", "counters"))


@pytest.mark.parametrize("action, months, message", [
    ("shrugs", None, r"'shrugs' is not possible here; the choices are: accepts, refuses, counters"),
    ("counters", None, r"enter the months you propose as a number"),
    ("counters", math.nan, r"enter the months you propose as a number"),
    ("counters", 99.0, r"a counter-proposal must be at least 0 and below the offer on the table \(\d+\.\d months\)"),
    ("counters", -1.0, r"a counter-proposal must be at least 0"),
])
def test_a_bad_answer_is_a_clear_message_and_changes_nothing(action: str, months, message: str) -> None:
    play = Play(Setting(71))
    with pytest.raises(ConfigError, match=message):
        play.answer(action, months)
    assert play.answers == [] and play.question.point == "offer"


@pytest.mark.parametrize("kwargs, message", [
    ({"case_id": 400}, r"case_id = 400 is not allowed; allowed values: 0 to 399"),
    ({"case_id": 1, "role": "judge"}, r"role = 'judge' is not allowed; allowed values: suspect, lawyer"),
    ({"case_id": 1, "rules": "anarchy"}, r"rules = 'anarchy' is not allowed; allowed values: status_quo, "),
    ({"case_id": 1, "innocent_share": 0.9}, r"innocent_share = 0.9 is not allowed"),
    ({"case_id": -2}, r"case_id = -2 is not allowed"),
])
def test_bad_settings_are_config_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Setting(**kwargs)


def test_the_debrief_is_the_record_of_each_run() -> None:
    """Every debrief figure is the record's; the model's suspect and the reform's are the plain model's runs of the
    same case, and the played case is the same case under the same luck in all three."""
    play = play_out(draw_case(7, 0, "withdrawal_right"))
    debrief = play.debrief("public_observation")
    setting = play.setting
    plain = run_case(setting, rules_named("withdrawal_right"), "m").record
    reform = run_case(setting, rules_named("public_observation"), "r").record
    for row, (you, model, other) in debrief.table():
        assert repr(you) == repr(play.outcome.record[row.column]), row.column
        assert repr(model) == repr(plain[row.column]) and repr(other) == repr(reform[row.column]), row.column
    facts = ("guilty", "conviction_probability")
    assert all(run.record[f] == play.outcome.record[f] for run in debrief.runs for f in facts)
    assert {row.column for row in DEBRIEF_ROWS} >= {"guilty", "overstatement", "sentence_months", "appealed"}


def test_the_pictures_read_the_record() -> None:
    play = play_out(Setting(71))
    run = play.outcome
    lines = {line.kind: line.value for line in beliefs_of(run.suspect, run.snapshots)}
    record = run.record
    assert lines["truth"] == record["conviction_probability"] and lines["prosecutor"] == record["prosecutor_belief"]
    assert lines["stated"] == pytest.approx(record["prosecutor_belief"] + record["overstatement"])
    assert lines["suspect"] == record["suspect_belief"]
    bargain = bargain_of(run.suspect, run.snapshots)
    assert [m.months for m in bargain.moves if m.party == "defense" and m.action == "counters"] == \
        [play.answers[0].answer.months]
    assert bargain.terms == record["recommendation_months"] or math.isnan(record["recommendation_months"])
    assert bargain.trial_sentence == record["trial_sentence_months"]


def test_draws_are_reproducible_and_only_of_cases_that_reach_the_table() -> None:
    draws = [draw_case(2024, d) for d in range(6)]
    assert draws == [draw_case(2024, d) for d in range(6)] and len({s.case_id for s in draws}) >= 4
    for setting in (draw_case(2024, 2, role="lawyer"), *draws[:2]):
        run = run_case(setting, rules_named(setting.rules), "m")
        assert run.record["negotiated"]
        if setting.role == "lawyer":
            assert run.suspect.counsel_joined in ("investigation", "review")


def test_the_tally_is_shared_safely_between_sessions() -> None:
    """Threads adding at once lose nothing; groups count by rules, guilt and custody; groups under the minimum
    are marked."""
    tally = ClassTally()
    entry = Played(0, "suspect", "status_quo", 1, 2, True, False, True, False, 3.0, 4.0)
    innocent = Played(0, "suspect", "status_quo", 1, 3, False, True, False, True, 0.0, 2.0)

    def add(k: int) -> None:
        for _ in range(50):
            tally.add(entry if k % 2 else innocent)

    threads = [threading.Thread(target=add, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    groups = {(g.guilt, g.custody): g for g in tally.groups()}
    assert len(tally.entries()) == 400 and tally.version == 400
    assert groups[("guilty", "at large")].n == 200 and groups[("guilty", "at large")].rate == 1.0
    assert groups[("innocent", "detained")].model_rate == 1.0 and groups[("innocent", "detained")].rate == 0.0
    tally.clear()
    tally.add(entry)
    assert not tally.groups()[0].enough and MIN_PLAYS > 1 and tally.version == 402
    assert len({tally.new_session() for _ in range(5)}) == 5 and tally.next_draw() != tally.next_draw()


def test_a_finished_play_goes_into_the_tally_beside_the_model_s_suspect() -> None:
    play = play_out(draw_case(2024, 4))
    entry = played(9, play)
    model = run_case(play.setting, rules_named("status_quo"), "m").record
    assert entry.accepted == play.outcome.record["signed"] and entry.model_accepted == model["signed"]
    assert entry.guilty == model["guilty"] and entry.detained == model["detained"]
    with pytest.raises(ValueError, match="not over"):
        played(9, Play(play.setting))


def test_the_levers_counts_are_the_figures_denominators_and_the_week_s_flow() -> None:
    """Each figure's n is the number of cases in its denominator; a week's flow holds each of the week's cases once,
    on known nodes; figures under the minimum count are marked too few on the page."""
    model = ClassroomModel(n_cases=600, innocent_share=0.1, warm_up=5)
    records = list(model.arms["levers"].records)
    assert model.count("levers", "innocent_plea_rate") == sum(not r["guilty"] for r in records)
    assert model.count("levers", "voluntariness") == sum(r["pleaded"] for r in records)
    week = model.week("levers")
    assert 0 < len(week) < len(records) and week == records[-len(week):]
    for path in map(path_of, week):
        assert all(node in column for node, column in zip(path, NODES))
    few = model.count("levers", "innocent_plea_rate")
    assert (few < MIN_CASES) == ("too few cases" in figure_cell(model, "innocent_plea_rate", "levers"))
    data = model.datacollector.get_model_vars_dataframe()
    assert len(data) == 6 and data.iloc[-1]["n: Innocent plea rate — levers"] == few


def test_a_failed_action_is_reported_in_words_never_as_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """The page's guard: a refused action says why, an unexpected failure says so plainly and is logged with its
    traceback for the teacher, a successful one clears the message."""
    from bargainsim.apps.classroom.widgets import guarded

    said: list[str] = []
    guarded(said.append, lambda: Play(Setting(71)).answer("shrugs"))
    guarded(said.append, lambda: 1 / 0)
    guarded(said.append, lambda: None)
    assert said[0].startswith("'shrugs' is not possible here") and said[2] == ""
    assert "went wrong" in said[1] and "ZeroDivisionError" not in said[1] and "Traceback" not in said[1]
    assert any(record.exc_info and record.exc_info[0] is ZeroDivisionError for record in caplog.records)


def test_a_model_the_page_drops_is_released() -> None:
    """Mesa's per-model agent counters would keep every district a session ever showed alive; releasing the
    levers' model drops both arms' counters, and a played case's district is released after each run."""
    import mesa

    ids = getattr(mesa.Agent, "_ids", None)
    if not isinstance(ids, dict):
        pytest.skip("this Mesa keeps no per-model agent counters")
    model = ClassroomModel(n_cases=200, warm_up=1)
    assert all(arm in ids for arm in model.arms.values())
    model.release()
    assert not any(arm in ids for arm in model.arms.values())
    run = run_case(Setting(5), rules_named("status_quo"), "m")
    assert run.suspect.model not in ids
