"""Plain typed parameters of the model: procedural rules (the levers reforms pull), behaviour, caseload.

Every field carries its unit, allowed range or choices, and its source: a seed paper (``seeds/NNN``), a statute
(CPL = Criminal Procedure Law 2018; SPC/SPP 2021 = sentencing guidance), the word "assumption", or "calibrated"
(fitted to the 2024 national figures: ``make calibrate``, results/calibration). The same
dataclasses are the Hydra structured-config schema (see :mod:`bargainsim.config`), so a wrong type is rejected at
load time and :func:`validate` checks ranges and choices before anything simulates.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any


class ConfigError(ValueError):
    """Invalid input, raised before any simulation runs; the message names the key and what is allowed."""


def param(default: Any, *, unit: str = "", low: float | None = None, high: float | None = None,
          choices: tuple[str, ...] | None = None, source: str = "assumption", doc: str = "") -> Any:
    """A dataclass field with documentation metadata (unit, range or choices, source)."""
    meta = {"unit": unit, "low": low, "high": high, "choices": choices, "source": source, "doc": doc}
    return field(default=default, metadata=meta)


PROBABILITY = {"low": 0.0, "high": 1.0, "unit": "probability"}
PROTOCOL_CHOICES = ("consultation", "dialogue", "take_it_or_leave_it", "nash", "alternating")
CALIBRATED = "calibrated (results/calibration: make calibrate)"


@dataclass
class Rules:
    """Procedural rules. Defaults are the status quo; each reform in ``conf/reform`` overrides some of them."""

    initiation: str = param("prosecutor", choices=("prosecutor", "two_way"), source="seeds/004 §2.1",
                            doc="who may open a negotiation: the prosecutor alone, or either side")
    disclosure: str = param("none", choices=("none", "core", "full"), source="seeds/004 §2.2, §3.2",
                            doc="defense access to the prosecution file: restricted, core evidence in full with "
                                "an index of peripheral evidence, or everything")
    mutual_disclosure: bool = param(False, source="seeds/004 §3.2",
                                    doc="the defense discloses its mitigation and exculpatory material up front")
    misdemeanor_protocol: str = param("consultation", choices=PROTOCOL_CHOICES,
                                      source="seeds/002; textbook protocols: Landes 1971, Nash 1950, Rubinstein 1982",
                                      doc="negotiation protocol for cases with a statutory maximum of 3 years or less "
                                          "(the textbook protocols take_it_or_leave_it, nash and alternating are "
                                          "for the presets in conf/textbook)")
    felony_protocol: str = param("consultation", choices=PROTOCOL_CHOICES,
                                 source="seeds/002; textbook protocols: Landes 1971, Nash 1950, Rubinstein 1982",
                                 doc="negotiation protocol for cases with a statutory maximum above 3 years")
    misdemeanor_offer: str = param("discretionary", choices=("discretionary", "schedule"), source="seeds/000",
                                   doc="misdemeanor opening offer: the prosecutor's discretion, or the full ladder "
                                       "discount by schedule, offered to every misdemeanor suspect (speedy "
                                       "misdemeanor mode)")
    preparation_days: int = param(0, unit="days", low=0, high=60, source="seeds/004 §3.1",
                                  doc="guaranteed defense preparation period between counsel joining and the "
                                      "negotiation")
    duty_lawyer_stage: str = param("review", choices=("investigation", "review", "trial"), source="seeds/004 §3.2",
                                   doc="when a duty lawyer is assigned to a suspect without retained counsel")
    duty_lawyer_role: str = param("endorse", choices=("endorse", "advocate"), source="seeds/004 §2.2; seeds/003",
                                  doc="duty lawyer as a witness who endorses the deal, or as an advocate")
    public_observation: bool = param(False, source="seeds/002 §(1)",
                                     doc="citizen representatives observe eligible, consented negotiations")
    venue: str = param("detention", choices=("detention", "outside"), source="seeds/002",
                       doc="where detained suspects negotiate; observed negotiations always happen outside")
    victim_participation: bool = param(False, source="seeds/002; CPL art. 173",
                                       doc="victims are heard and compensation/forgiveness is negotiated")
    kpi_pressure: float = param(1.0, unit="weight", low=0.0, high=3.0, source="seeds/000",
                                doc="weight of plea-rate assessment indicators on prosecutors (0 = removed)")
    signature: str = param("suspect", choices=("suspect", "tripartite"), source="CPL art. 174; seeds/004 §3.1",
                           doc="who signs: the suspect (lawyer as witness), or suspect, lawyer and prosecutor")
    withdrawal_before_indictment: bool = param(False, source="seeds/004 §3.1; seeds/001; seeds/003",
                                               doc="the suspect may withdraw a signed plea before indictment")
    judicial_review: str = param("formal", choices=("formal", "substantive"), source="seeds/003; seeds/004 §3",
                                 doc="court review of voluntariness and evidence: formal, or substantive")


@dataclass
class Behaviour:
    """Behavioural parameters of the agents (uncertain; the targets of calibration and sensitivity analysis)."""

    # Beliefs and information
    belief_noise_uninformed: float = param(1.0, unit="sd of log-odds", low=0.0, high=5.0,
                                           doc="sd of the defense's conviction-probability signal without the file")
    belief_noise_informed: float = param(0.15, unit="sd of log-odds", low=0.0, high=5.0,
                                         doc="sd of that signal with the whole file read by a capable reader")
    prosecutor_belief_noise: float = param(0.25, unit="sd of log-odds", low=0.0, high=5.0,
                                           doc="sd of the prosecutor's own signal (it holds the file)")
    innocence_blind_spot: float = param(0.12, unit="probability", low=0.0, high=1.0,
                                        doc="prosecutor's upward bias on innocent suspects' cases until the defense "
                                            "discloses exculpatory material")
    core_evidence_share: float = param(0.8, low=0.0, high=1.0, unit="share",
                                       source="assumption after seeds/004 §3.2",
                                       doc="share of conviction-relevant information in the core evidence")
    restricted_file_share: float = param(0.25, **PROBABILITY, source="assumption after seeds/004 §2.2",
                                         doc="share of conviction-relevant information the defense sees when file "
                                             "access is restricted")
    peripheral_index_share: float = param(0.5, **PROBABILITY, source="assumption after seeds/004 §3.2",
                                          doc="share of peripheral information the defense obtains through the index")
    lawyer_quality_duty: float = param(0.5, **PROBABILITY, doc="mean quality of duty lawyers")
    lawyer_quality_retained: float = param(0.75, **PROBABILITY, doc="mean quality of retained counsel")
    preparation_hours_misdemeanor: float = param(4.0, unit="hours", low=0.0, high=500.0,
                                                 doc="defense preparation a misdemeanor file needs")
    preparation_hours_felony: float = param(12.0, unit="hours", low=0.0, high=500.0,
                                            doc="defense preparation a felony file needs")
    bail_argument: float = param(0.4, **PROBABILITY, source="assumption after seeds/004 §3.2",
                                 doc="chance per unit of lawyer quality that counsel present during investigation "
                                     "obtains release from detention")
    endorse_effort: float = param(0.3, **PROBABILITY,
                                  doc="share of the needed preparation an endorsing duty lawyer actually does")
    overstatement: float = param(0.10, **PROBABILITY,
                                 doc="prosecutor's inflation of stated case strength when the defense cannot check")
    kpi_overstatement: float = param(0.05, **PROBABILITY,
                                     doc="extra inflation per unit of KPI pressure")
    credulity_unadvised: float = param(0.8, **PROBABILITY,
                                       doc="share of the inflation a suspect without counsel believes")
    credulity_endorse: float = param(0.9, **PROBABILITY,
                                     doc="share believed when an endorsing lawyer relays the prosecution's view")
    credulity_advocate: float = param(0.4, **PROBABILITY,
                                      doc="share believed when an advocating lawyer urges scepticism")
    # Suspect preferences
    risk_aversion: float = param(1.4, unit="CRRA exponent on months", low=0.5, high=4.0,
                                 doc="mean curvature of the disutility of prison months (1 = risk-neutral)")
    risk_heterogeneity: float = param(0.25, unit="sd of log CRRA exponent", low=0.0, high=2.0,
                                      doc="spread of risk aversion across suspects: a suspect's exponent is "
                                          "risk_aversion·exp(risk_heterogeneity·z), z standard normal "
                                          "(0 = all alike)")
    trial_cost_defendant: float = param(1.0, unit="months", low=0.0, high=60.0,
                                        doc="defendant's cost of a trial in sentence-month equivalents")
    detention_cost: float = param(2.5, unit="months", low=0.0, high=60.0,
                                  doc="extra cost of awaiting trial in detention, in sentence-month equivalents")
    detention_venue_factor: float = param(1.6, unit="multiplier", low=1.0, high=5.0,
                                          doc="amplification of detention pressure when negotiating inside detention")
    innocence_cost: float = param(4.0, unit="months", low=0.0, high=60.0,
                                  doc="an innocent suspect's moral cost of admitting guilt")
    # Prosecutor
    trial_cost_prosecutor: float = param(4.0, unit="months", low=0.0, high=60.0,
                                         doc="prosecutor's cost of a trial per 10 trial hours, in sentence months")
    trial_costs: str = param("institutional", choices=("institutional", "given"),
                             source="'given': Landes 1971",
                             doc="institutional: trial costs scale with trial hours, workload, KPI pressure and "
                                 "detention; given: c_d = trial_cost_defendant and c_p = trial_cost_prosecutor_given "
                                 "per case, nothing else (the textbook models)")
    recommendation_limits: str = param("guideline", choices=("guideline", "none"),
                                       source="SPC/SPP 2021 sentencing guidance; 'none': Landes 1971",
                                       doc="modelling switch, not a reform: the recommendation stays in the stage's "
                                           "plea-discount band of the guideline, or is unbounded (any plea sentence "
                                           "in [0, S], S the trial sentence, as in the textbook models; the "
                                           "prosecutor then opens at S)")
    trial_cost_prosecutor_given: float = param(2.0, unit="months", low=0.0, high=60.0, source="Landes 1971 (c_p)",
                                               doc="prosecutor's cost of a trial per case when trial costs are given")
    belief_offset_prosecutor: float = param(0.0, unit="probability", low=-1.0, high=1.0,
                                            source="Landes 1971 (private beliefs p_p)",
                                            doc="shift added to the prosecutor's conviction belief (0 = none; the "
                                                "textbook presets use it for divergent private beliefs)")
    belief_offset_defense: float = param(0.0, unit="probability", low=-1.0, high=1.0,
                                         source="Landes 1971 (private beliefs p_d)",
                                         doc="shift added to the suspect's conviction belief (negative = an "
                                             "optimistic defendant)")
    bargaining_power: float = param(0.5, **PROBABILITY, source="Nash 1950; asymmetric: Kalai 1977",
                                    doc="prosecutor's bargaining power β in the nash protocol: the plea sentence "
                                        "maximises (s − r_p)^β·(r_d − s)^(1−β); ½ is the symmetric solution")
    discount_prosecutor: float = param(0.9, unit="factor per round", low=0.0, high=0.999,
                                       source="Rubinstein 1982 (δ_p)",
                                       doc="prosecutor's discount factor per round in the alternating protocol")
    discount_defense: float = param(0.9, unit="factor per round", low=0.0, high=0.999,
                                    source="Rubinstein 1982 (δ_d)",
                                    doc="defendant's discount factor per round in the alternating protocol")
    alternating_horizon: int = param(400, unit="rounds", low=1, high=100000,
                                     source="assumption (truncates Rubinstein 1982's infinite horizon)",
                                     doc="last round of the alternating protocol, after which the case goes to "
                                         "trial; the equilibrium share is within (δ_p·δ_d)^(horizon/2) of "
                                         "Rubinstein's")
    kpi_plea_value: float = param(1.52, unit="months", low=0.0, high=60.0, source=CALIBRATED,
                                  doc="value of a plea to the prosecutor's assessment score per unit KPI pressure")
    prosecution_threshold: float = param(0.55, **PROBABILITY, source="assumption after CPL arts. 175-177",
                                         doc="belief in conviction below which the prosecutor declines to indict "
                                             "(evidence not 'reliable and sufficient')")
    offer_generosity: float = param(0.75, **PROBABILITY,
                                    doc="share of the stage's plea-discount cap in the prosecutor's opening offer")
    workload_norm_days: float = param(5.0, unit="days", low=0.1, high=365.0,
                                      doc="queued days of work at which a prosecutor counts as fully loaded")
    adoption_consultation: float = param(0.12, **PROBABILITY, source="assumption after seeds/002",
                                         doc="chance a defense proposal is adopted in consultation "
                                             "('listens without adopting')")
    adoption_dialogue: float = param(0.85, **PROBABILITY,
                                     doc="chance a supported defense proposal is adopted in dialogue")
    concession_prosecutor: float = param(0.5, unit="tactic exponent", low=0.05, high=20.0,
                                         doc="prosecutor's concession curve in dialogue (<1 Boulware, >1 conceder)")
    concession_defense: float = param(1.0, unit="tactic exponent", low=0.05, high=20.0,
                                      doc="defense's concession curve in dialogue")
    dialogue_max_rounds: int = param(6, unit="rounds", low=1, high=50, doc="round cap of a dialogue")
    consultation_rounds: int = param(2, unit="rounds", low=1, high=2, source="assumption after seeds/002",
                                     doc="rounds of a consultation: 1 = take-it-or-leave-it recommendation, "
                                         "2 = one counter-proposal allowed")
    range_recommendation: float = param(0.209, **PROBABILITY, source=CALIBRATED,
                                        doc="chance a recommendation is a range when a victim settlement is pending "
                                            "or the case is a felony")
    # Court
    impropriety_tolerance: float = param(0.25, unit="share", low=0.0, high=1.0, source="CPL art. 201",
                                         doc="relative gap between recommendation and the court's view beyond which "
                                             "the recommendation is 'clearly improper'")
    court_noise: float = param(0.12, unit="share", low=0.0, high=1.0,
                               doc="sd of the court's own view of the appropriate sentence, relative")
    prosecutor_accepts_adjustment: float = param(0.784, **PROBABILITY, source=CALIBRATED,
                                                 doc="chance the prosecutor adjusts when the court suggests it")
    detection_formal: float = param(0.05, **PROBABILITY, source="assumption after seeds/003",
                                    doc="chance formal review catches an involuntary or unfounded plea")
    detection_substantive: float = param(0.7, **PROBABILITY,
                                         doc="chance substantive review catches an involuntary or unfounded plea")
    involuntary_threshold: float = param(0.45, **PROBABILITY,
                                         doc="voluntariness below which a plea counts as involuntary on review")
    evidence_threshold: float = param(0.5, **PROBABILITY,
                                      doc="conviction probability below which review finds the evidence insufficient")
    # Appeal and protest
    strategic_appeal: float = param(0.0318, **PROBABILITY, source=CALIBRATED,
                                    doc="chance of an appeal after a plea judgment without a grievance")
    regret_appeal: float = param(0.6, **PROBABILITY,
                                 doc="chance of an appeal per unit of regret (sentence above what was accepted)")
    trial_appeal: float = param(0.25, **PROBABILITY, doc="chance a defendant convicted at trial appeals")
    protest_strategic: float = param(0.3, **PROBABILITY, source="assumption after seeds/001",
                                     doc="chance the procuratorate protests a defendant's appeal after a plea")
    protest_acquittal: float = param(0.3, **PROBABILITY, doc="chance the procuratorate protests an acquittal")
    # Victims and observers
    victim_heard_status_quo: float = param(0.2, **PROBABILITY, source="assumption after seeds/002",
                                           doc="chance a victim is heard without the participation reform")
    victim_opposition: float = param(0.3, **PROBABILITY, source="assumption after CPL art. 173",
                                     doc="share of the prosecutor's usual plea discount withheld when a heard victim "
                                         "has not forgiven")
    self_restitution: float = param(0.3, **PROBABILITY,
                                    doc="chance an unheard victim is compensated on the suspect's own initiative")
    victim_acceptance_share: float = param(0.7, **PROBABILITY,
                                           doc="share of the demand a heard victim accepts in a settlement")
    observation_consent: float = param(0.7, **PROBABILITY, source="assumption after seeds/002",
                                       doc="chance the parties consent to public observation of an eligible case")
    observation_eligible: float = param(0.85, **PROBABILITY,
                                        doc="share of cases eligible for observation (no secrets or privacy bar)")
    # Voluntariness composite
    weight_informed: float = param(1 / 3, unit="weight", low=0.0, high=1.0, doc="weight of 'informed'")
    weight_uncoerced: float = param(1 / 3, unit="weight", low=0.0, high=1.0, doc="weight of 'uncoerced'")
    weight_participatory: float = param(1 / 3, unit="weight", low=0.0, high=1.0, doc="weight of 'participatory'")


    def preparation_hours(self, track: str) -> float:
        """Defense preparation the file of a case on ``track`` needs."""
        return self.preparation_hours_felony if track == "felony" else self.preparation_hours_misdemeanor

    def check(self, prefix: str) -> None:
        """Cross-field rule: the voluntariness composite needs a positive total weight."""
        if self.weight_informed + self.weight_uncoerced + self.weight_participatory <= 0.0:
            raise ConfigError(f"{prefix}.weight_informed + weight_uncoerced + weight_participatory must be > 0 "
                              "(each in [0, 1])")


@dataclass
class Caseload:
    """The case population and the capacity of the simulated jurisdiction (one replication's; a run with
    ``districts`` > 1 splits the arrivals and every roster into equal independent districts)."""

    arrivals_per_day: float = param(20.0, unit="cases/day", low=0.01, high=1e6,
                                    doc="mean new cases per working day in the simulated jurisdiction, split "
                                        "evenly across its districts")
    n_prosecutors: int = param(32, unit="prosecutors", low=1, high=100000,
                               doc="prosecutors handling criminal cases in the jurisdiction, split across its "
                                   "districts (each needs one)")
    n_judges: int = param(12, unit="judges", low=1, high=100000,
                          doc="judges hearing first-instance criminal cases in the jurisdiction, split across its "
                              "districts (each needs one)")
    n_duty_lawyers: int = param(12, unit="lawyers", low=1, high=100000,
                                doc="duty lawyers on the jurisdiction's legal-aid roster, split across its districts "
                                    "(each needs one)")
    n_retained_lawyers: int = param(12, unit="lawyers", low=1, high=100000,
                                    doc="private defense lawyers in the jurisdiction, split across its districts "
                                        "(each needs one)")
    n_observers: int = param(10, unit="persons", low=1, high=100000, source="seeds/002",
                             doc="citizen representatives on the jurisdiction's observation roster, split across "
                                 "its districts (each needs one)")
    hours_per_day: float = param(6.0, unit="hours/day", low=0.5, high=24.0,
                                 doc="hours each professional gives to criminal cases per working day")
    innocent_share: float = param(0.03, **PROBABILITY, doc="share of suspects who are factually innocent")
    detained_share: float = param(0.35, **PROBABILITY, doc="share of misdemeanor suspects in pre-trial detention; "
                                                           "felony suspects are detained twice as often (capped at 1)")
    retained_share: float = param(0.2, **PROBABILITY, doc="share of suspects with retained counsel")
    prior_record_share: float = param(0.2, **PROBABILITY, doc="share of suspects with a prior record")
    mitigation_share: float = param(0.4, **PROBABILITY,
                                    doc="share of cases with mitigating facts (surrender, restitution...) to find")
    aggravation_share: float = param(0.3, **PROBABILITY,
                                     doc="share of cases with aggravating facts known only to the prosecution")
    suspect_understanding_mean: float = param(0.25, **PROBABILITY,
                                              doc="mean legal understanding of suspects (Beta, concentration 4)")
    evidence_guilty_mean: float = param(0.94, **PROBABILITY, doc="mean conviction probability at trial of a "
                                                                "guilty suspect (Beta, concentration 20)")
    evidence_innocent_mean: float = param(0.5, **PROBABILITY, doc="mean conviction probability at trial of an "
                                                                 "innocent suspect (Beta, concentration 6)")
    felony_share: float = param(0.25, **PROBABILITY, source="assumption (offense catalogue in offenses.py)",
                                doc="share of felony-track offenses in the case mix")


STAFF = {"n_prosecutors": "a prosecutor", "n_judges": "a judge", "n_duty_lawyers": "a duty lawyer",
         "n_retained_lawyers": "a retained lawyer", "n_observers": "an observer"}
"""The Caseload's rosters (field → one member), split across districts like the cases."""


@dataclass
class Timing:
    """Working hours and statutory time limits of the procedure."""

    investigation_days_misdemeanor: float = param(10.0, unit="working days", low=0.0, high=365.0,
                                                  doc="days from detention/arrest approval to transfer for review")
    investigation_days_felony: float = param(30.0, unit="working days", low=0.0, high=365.0,
                                             doc="the same for felonies")
    review_limit_speedy: int = param(10, unit="calendar days", low=1, high=365, source="CPL art. 172",
                                     doc="review deadline for speedy-procedure cases")
    review_limit_speedy_long: int = param(15, unit="calendar days", low=1, high=365, source="CPL art. 172",
                                          doc="the same when the sentence may exceed one year")
    review_limit_ordinary: int = param(45, unit="calendar days", low=1, high=365, source="CPL art. 172",
                                       doc="review deadline for ordinary cases: one month plus a 15-day extension")
    review_hours_misdemeanor: float = param(3.0, unit="hours", low=0.0, high=500.0, doc="prosecutor's file review")
    review_hours_felony: float = param(10.0, unit="hours", low=0.0, high=500.0, doc="the same for felonies")
    consultation_round_hours: float = param(0.5, unit="hours", low=0.0, high=100.0,
                                            doc="prosecutor hours per consultation round")
    dialogue_round_hours: float = param(1.0, unit="hours", low=0.0, high=100.0,
                                        doc="prosecutor hours per dialogue round")
    observation_hours: float = param(1.0, unit="hours", low=0.0, high=100.0,
                                     doc="extra prosecutor hours to hold an observed session outside detention")
    victim_hours: float = param(1.0, unit="hours", low=0.0, high=100.0, doc="prosecutor hours to hear a victim")
    trial_hours_prosecutor_misdemeanor: float = param(4.0, unit="hours", low=0.0, high=500.0,
                                                      doc="prosecutor hours to try a misdemeanor")
    trial_hours_prosecutor_felony: float = param(12.0, unit="hours", low=0.0, high=500.0,
                                                 doc="prosecutor hours to try a felony")
    plea_hearing_hours_misdemeanor: float = param(0.5, unit="hours", low=0.0, high=500.0,
                                                  source="assumption after CPL arts. 222-225",
                                                  doc="court hours of a speedy-procedure plea hearing")
    plea_hearing_hours_felony: float = param(2.0, unit="hours", low=0.0, high=500.0,
                                             doc="court hours of a simplified-procedure plea hearing")
    trial_hours_court_misdemeanor: float = param(6.0, unit="hours", low=0.0, high=500.0,
                                                 doc="court hours of a contested misdemeanor trial")
    trial_hours_court_felony: float = param(16.0, unit="hours", low=0.0, high=500.0,
                                            doc="court hours of a contested felony trial")
    appeal_hours: float = param(4.0, unit="hours", low=0.0, high=500.0,
                                doc="court hours of an appeal or protest, and prosecutor hours to answer it")
    trial_preparation_days: float = param(10.0, unit="working days", low=0.0, high=365.0,
                                          doc="days between filing and a contested trial")


    def investigation_days(self, track: str) -> float:
        return self.investigation_days_felony if track == "felony" else self.investigation_days_misdemeanor

    def review_hours(self, track: str) -> float:
        return self.review_hours_felony if track == "felony" else self.review_hours_misdemeanor

    def trial_hours_prosecutor(self, track: str) -> float:
        return self.trial_hours_prosecutor_felony if track == "felony" else self.trial_hours_prosecutor_misdemeanor

    def plea_hearing_hours(self, track: str) -> float:
        return self.plea_hearing_hours_felony if track == "felony" else self.plea_hearing_hours_misdemeanor

    def trial_hours_court(self, track: str) -> float:
        return self.trial_hours_court_felony if track == "felony" else self.trial_hours_court_misdemeanor

    def review_limit(self, track: str, base_months: float) -> int:
        """The review deadline in working days (statutory calendar days × 5/7): speedy procedure for
        misdemeanors (longer when the sentence may exceed a year), ordinary procedure for felonies."""
        if track == "felony":
            calendar = self.review_limit_ordinary
        else:
            calendar = self.review_limit_speedy_long if base_months > 12.0 else self.review_limit_speedy
        return max(1, math.floor(calendar * WORKING_DAYS_PER_CALENDAR_DAY))


WORKING_DAYS_PER_CALENDAR_DAY = 5.0 / 7.0


def specs(cls: type) -> list[tuple[str, dataclasses.Field]]:
    """The documented fields of a parameter dataclass."""
    return [(f.name, f) for f in dataclasses.fields(cls)]


def validate(obj: Any, prefix: str) -> None:
    """Check every field of a parameter dataclass against its range or choices; raise ConfigError naming the key."""
    for name, f in specs(type(obj)):
        value = getattr(obj, name)
        key = f"{prefix}.{name}"
        meta = f.metadata
        if meta.get("choices"):
            if value not in meta["choices"]:
                raise ConfigError(f"{key} = {value!r} is not allowed; allowed values: {', '.join(meta['choices'])}")
            continue
        if isinstance(f.default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} = {value!r} must be true or false")
            continue
        if isinstance(f.default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                raise ConfigError(f"{key} = {value!r} must be a number")
            low, high = meta.get("low"), meta.get("high")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ConfigError(f"{key} = {value!r} is outside the allowed range [{low}, {high}]")
    check = getattr(obj, "check", None)
    if check is not None:
        check(prefix)
