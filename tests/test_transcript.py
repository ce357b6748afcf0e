"""The negotiation transcript: golden outputs for fixed seeds, and content checked against the case records.

Golden files live in tests/golden/. Default parameters change with calibration; regenerate the goldens after such a
change with ``make golden`` (or ``python tests/test_transcript.py --write-golden``) and review the diff. The
content tests below do not depend on parameter values.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bargainsim.apps.transcript import main, trace_case, transcript
from bargainsim.core.district import build_district
from bargainsim.harness.config import JURISDICTIONS, jurisdiction_preset
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules, Timing
from bargainsim.reporting.narration import Transcriber, case_facts, side_by_side

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN = {
    # file name: (case, seed, reform, width)
    "case71_seed2024_public_observation.txt": (71, 2024, "public_observation", 120),
    "case22_seed2024_substantive_dialogue.txt": (22, 2024, "substantive_dialogue", 120),
    "case17_seed2024_disclosure_full.txt": (17, 2024, "disclosure_full", 100),
    "case12_seed7_full_package.txt": (12, 7, "full_package", 120),
}


def write_golden() -> None:
    """Regenerate every golden transcript."""
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, (case, seed, reform, width) in GOLDEN.items():
        (GOLDEN_DIR / name).write_text(transcript(case, seed, reform, width=width), encoding="utf-8")


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_transcript(name: str) -> None:
    case, seed, reform, width = GOLDEN[name]
    expected = (GOLDEN_DIR / name).read_text(encoding="utf-8")
    assert transcript(case, seed, reform, width=width) == expected, \
        f"{name} changed; if intended, run `make golden` and review the diff"


def _records(rules: Rules, n: int, seed: int, *trackers: Transcriber,
             behaviour: Behaviour | None = None) -> dict[int, dict]:
    model = build_district(rules, behaviour or Behaviour(), Caseload(), Timing(), n, seed, trackers=trackers)
    return {r["case_id"]: r for r in model.run()}


def test_tracing_does_not_change_results() -> None:
    """A model watched by a transcriber (transcripts, classroom) disposes of every case exactly as an unwatched
    one does."""
    rules = Rules(disclosure="full", misdemeanor_protocol="dialogue", withdrawal_before_indictment=True,
                  signature="tripartite")
    plain = _records(rules, 300, 11)
    traced = _records(rules, 300, 11, Transcriber())
    assert plain.keys() == traced.keys()
    for case_id, row in plain.items():
        other = traced[case_id]
        assert {k: v for k, v in row.items() if v == v} == {k: v for k, v in other.items() if v == v}, case_id


@pytest.mark.parametrize("rules", [
    Rules(),
    Rules(misdemeanor_protocol="dialogue", felony_protocol="dialogue", withdrawal_before_indictment=True,
          signature="tripartite", public_observation=True, venue="outside", duty_lawyer_role="advocate"),
    Rules(duty_lawyer_stage="trial", signature="suspect"),
    Rules(negotiator="court", recommendation_effect="binding", victim_participation=True),
], ids=["status_quo", "reformed", "lawyer_at_trial", "court_released"])
def test_story_agrees_with_case_records(rules: Rules) -> None:
    """For every case: the court's sentence and the days in the story are the record's; every round's months are
    the months of the moves; a signed plea names the recommendation; an innocent suspect is called innocent; a
    court that bargains is released from its range where compensation at the hearing moves its view."""
    told = _check_stories(rules, Behaviour())
    assert (told["released"] > 0) == (rules.negotiator == "court")


@pytest.mark.parametrize("name", JURISDICTIONS[1:])
def test_story_agrees_with_case_records_under_each_jurisdiction(name: str) -> None:
    """The same under every other plea system: a court's proposal, a charge bargain, a plea the court would not
    apply and an appeal waiver are told where the record has them."""
    preset = jurisdiction_preset(name)
    _check_stories(preset.rules, preset.behaviour)


REJECTIONS = ("finds the plea involuntary or the evidence too weak", "released from the agreement",
              "binds the court whole or not at all")


def _check_stories(rules: Rules, behaviour: Behaviour) -> dict[str, int]:
    """Check every case's story against its record (docstring above); how many stories told what."""
    transcriber = Transcriber()
    records = _records(rules, 250, 3, transcriber, behaviour=behaviour)
    told = {"plea": 0, "trial": 0, "dropped": 0, "rounds": 0, "released": 0}
    for case_id, row in records.items():
        assert case_id in transcriber.disposed
        suspect = transcriber.suspects[case_id]
        sections = dict(transcriber.narrate(case_id))
        court = " ".join(sections["Court"])
        assert f"after {int(row['days_to_disposition'])} working days" in court
        if row["pleaded"]:
            assert f"sentence {row['sentence_months']:.1f} months" in court or \
                f"own view: {row['sentence_months']:.1f} months" in court
            told["plea"] += 1
        elif row["tried"]:
            assert (f"convicted, {row['sentence_months']:.1f} months" in court) == row["convicted"]
            assert ("acquitted" in court) == (not row["convicted"])
            told["trial"] += 1
        else:
            assert row["non_prosecution"] and "No indictment" in court
            told["dropped"] += 1
        rounds = [title for title in sections if title.startswith("Round ")]
        assert len(rounds) == len({m.round for m in suspect.talks.moves})
        for move in suspect.talks.moves:
            assert f"{move.months:.1f} months" in " ".join(sections[f"Round {move.round}"])
        told["rounds"] += len(rounds)
        if row["negotiated"]:
            signature = " ".join(sections["Signature"])
            snap = transcriber.snapshots[case_id].table
            assert ("No agreement" in signature) == (not snap.signed)
            if snap.signed:
                assert f"{snap.recommendation:.1f} months" in signature
            if row["pleaded"]:
                assert f"How voluntary the plea is (0 to 1): {row['voluntariness']:.2f}" in signature
            if row["observed"]:
                assert f"fairness of the talks {row['observer_fairness']:.2f}" in signature
        before = " ".join(sections["Before the talks"])
        unadvised = row["lawyer_type"] == "none" or row["lawyer_stage"] in ("signing", "trial")
        assert ("No lawyer is at the suspect's side before the talks." in before) == unadvised
        if row["lawyer_stage"] == "signing" and row["pleaded"]:
            assert "called in to witness" in " ".join(sections["Signature"])
        assert ("did not commit" in before) == (not row["guilty"] and not row["non_prosecution"])
        if not row["non_prosecution"]:
            assert f"(truth {round(100 * row['conviction_probability'])}%)" in before
        assert ("the court proposes a range of" in before) == (row["initiated_by"] == "court")
        assert ("pleaded to the lesser offense (charge bargain)" in court) == row["charge_reduced"]
        assert ("waived appeal" in court) == (row["pleaded"] and rules.appeal_waiver)
        assert sum(reason in court for reason in REJECTIONS) == row["plea_rejected"]
        told["released"] += "released from the agreement" in court
    assert told["plea"] > 50 and told["trial"] > 5 and told["rounds"] > told["plea"]
    return told


def test_side_by_side_columns_fit_and_align() -> None:
    case, left = trace_case(22, 2024, 0, 400, Rules(), "status_quo")
    _, right = trace_case(22, 2024, 0, 400, Rules(misdemeanor_protocol="dialogue"), "dialogue")
    width = 90
    lines = side_by_side(left, right, width)
    assert all(len(line) <= width for line in lines)
    bar = (width - 3) // 2 + 1
    assert all(line[bar] == "│" for line in lines if len(line) > bar and line[bar - 1] == " ")
    titles = [line.split("│")[0].strip() for line in lines if line.split("│")[0].strip().isupper()]
    assert titles[0] == "BEFORE THE TALKS" and titles[-1] == "COURT"
    assert titles.index("ROUND 1") < titles.index("SIGNATURE")


def test_same_inputs_same_transcript_and_reform_changes_it() -> None:
    first = transcript(71, 2024, "public_observation")
    assert first == transcript(71, 2024, "public_observation")
    assert "public observers: no → yes" in first
    assert "INNOCENT" in first and "A citizen observer watches the negotiation." in first


def _words(text: str) -> str:
    return " ".join(text.split())


def _column(text: str, side: int) -> str:
    """The words of one column (0 left, 1 right) of a transcript's side-by-side stories."""
    return _words(" ".join(line.split("│")[side] for line in text.splitlines() if "│" in line))


def test_a_jurisdiction_is_told_beside_china_on_the_same_case() -> None:
    """--jurisdiction germany tells the case under China's status quo and Germany's: the same facts, both
    stories, what Germany changes — there the court proposes the range for a confession."""
    told = transcript(3, 2024, None, n_cases=60, jurisdiction="germany")
    case, _ = trace_case(3, 2024, 0, 60, Rules(), "status_quo")
    assert all(_words(fact) in _words(told) for fact in case_facts(case))
    china, germany = _column(told, 0), _column(told, 1)
    assert china.startswith("China ") and germany.startswith("Germany ")
    words = _words(told)
    assert "Germany changes — " in words and "who bargains with the defense: prosecutor → court" in words
    assert "At the main hearing the court proposes a range of" in germany and "the prosecutor consents" in germany
    assert "The prosecutor opens the negotiation" in china and "the court proposes" not in china
    assert all("Disposed of after" in column.split("COURT")[-1] for column in (china, germany))


def test_a_charge_bargain_under_us_federal_is_told() -> None:
    """A case pleaded to the lesser offense under the US federal rules: the transcript says so, as the record
    has it; the behaviour is the preset's (no prosecution appeal against an acquittal)."""
    preset = jurisdiction_preset("us_federal")
    _, telling = trace_case(7, 2024, 0, 60, preset.rules, "US federal", preset.behaviour)
    assert telling.suspect.charge_reduced
    told = transcript(7, 2024, None, n_cases=60, jurisdiction="us_federal")
    us = _column(told, 1)
    assert "The defendant pleaded to the lesser offense (charge bargain): theft" in us
    assert "a charge bargain" in us and "The plea agreement waived appeal" in us
    assert "charge bargain" not in _column(told, 0)
    assert "chance the prosecution appeals an acquittal: 30% → 0%" in _words(told)


CHINESE_WORDS = ("procuratorate", "具结书", "CPL", "plea affidavit")
"""What only China's plea system calls its institutions: a story told under another system never says them."""


@pytest.mark.parametrize("name", ["england_wales", "us_federal"])
def test_a_foreign_side_is_told_in_its_own_words(name: str) -> None:
    """Under --jurisdiction england_wales or us_federal the foreign side never names the procuratorate, the plea
    affidavit (具结书) or the CPL, while China's side beside it still signs the plea affidavit; the signed plea read
    again faces its counterpart, "before indictment" in China and "before the hearing" abroad. Every story of a
    district under the preset keeps to its words: the prosecution appeals a judgment, it does not protest it."""
    told = [transcript(case, 2024, None, n_cases=60, jurisdiction=name) for case in range(0, 60, 5)]
    china, abroad = " ".join(_column(t, 0) for t in told), " ".join(_column(t, 1) for t in told)
    assert not [word for word in CHINESE_WORDS if word in abroad]
    assert "The suspect signs the plea affidavit for" in china and "BEFORE INDICTMENT" in china
    assert "With the file read again before the hearing" in abroad and "BEFORE THE HEARING" in abroad
    assert any("BEFORE INDICTMENT │ BEFORE THE HEARING" in _words(t) for t in told)
    preset = jurisdiction_preset(name)
    transcriber = Transcriber(name)
    records = _records(preset.rules, 250, 3, transcriber, behaviour=preset.behaviour)
    for case_id, row in records.items():
        story = " ".join(" ".join([title, *lines]) for title, lines in transcriber.narrate(case_id))
        assert not [word for word in CHINESE_WORDS if word in story], case_id
        assert ("The prosecution appeals the judgment." in story) == bool(row["protested"])
        assert "Before indictment" not in story
    assert name != "england_wales" or any(row["protested"] for row in records.values())


def test_china_s_words_stay_china_s() -> None:
    """China's side, by default and by name, still tells a protest as the procuratorate's and a signature as the
    plea affidavit's (the golden files hold the rest)."""
    assert Transcriber().jurisdiction == "china"
    transcriber = Transcriber("china")
    records = _records(Rules(), 250, 3, transcriber)
    stories = {case_id: " ".join(line for _, lines in transcriber.narrate(case_id) for line in lines)
               for case_id in records}
    protested = [case_id for case_id, row in records.items() if row["protested"]]
    assert protested and all("The procuratorate protests the judgment." in stories[i] for i in protested)
    assert any("signs the plea affidavit for" in story for story in stories.values())
    with pytest.raises(ConfigError, match=r"jurisdiction 'mars' is not allowed; allowed values: china, us_federal"):
        Transcriber("mars")


def test_a_reform_under_a_jurisdiction() -> None:
    words = _words(transcript(3, 2024, "public_observation", n_cases=60, jurisdiction="germany"))
    assert "public_observation (Germany) changes — public observers: no → yes" in words
    assert "status_quo (Germany)" in words and "who bargains" not in words


def test_unknown_reform_and_case_out_of_range_are_config_errors() -> None:
    with pytest.raises(ConfigError, match=r"--reform 'no_such'.*allowed values: .*disclosure_full"):
        transcript(1, 2024, "no_such")
    with pytest.raises(ConfigError, match=r"--case 400 is out of range; allowed values: 0 to 399"):
        transcript(400, 2024, "no_kpi", n_cases=400)


@pytest.mark.parametrize("argv, message", [
    (["--reform", "disclosure_everything"], r"--reform 'disclosure_everything' is not a reform; allowed values:"),
    (["--case", "-1"], r"--case -1 is out of range; allowed values: 0 to 399"),
    (["--width", "20"], r"--width 20 is out of range; allowed values: integers ≥ 80"),
    (["--jurisdiction", "nowhere"], (r"--jurisdiction 'nowhere' is not allowed; allowed values: china, us_federal, "
                                     r"england_wales, germany, italy")),
    (["--jurisdiction", "germany", "--reform", "two_way_initiation"],
     (r"--reform two_way_initiation: .*does not apply under jurisdiction=germany: under § 257c StPO the court, not "
      r"either party, proposes the agreement; allowed values under --jurisdiction germany: .*public_observation")),
    (["--jurisdiction", "italy", "--reform", "no_such"], r"--reform 'no_such' is not a reform; allowed values:"),
])
def test_cli_bad_input_exits_2_naming_the_option(argv: list[str], message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert re.search(message, captured.err) and captured.out == ""
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_console_script_prints_the_transcript() -> None:
    script = Path(sys.executable).with_name("bargainsim-transcript")
    done = subprocess.run([str(script), "--case", "5", "--seed", "9", "--reform", "no_kpi+early_legal_aid",
                           "--n-cases", "60", "--width", "100"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("bargainsim transcript — seed 9, replication 0, case 5 of 60")
    words = " ".join(done.stdout.split())
    assert "prosecutor KPI pressure: 1.0 → 0.0" in words and "duty lawyer assigned at: review → investigation" in words


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-golden"]:
        sys.exit("usage: python tests/test_transcript.py --write-golden")
    write_golden()
    print(f"wrote {len(GOLDEN)} golden transcripts to {GOLDEN_DIR}")
