"""The agents' behavioural parameters: uncertain, calibrated or varied in sensitivity analysis."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bargainsim.params.validation import CALIBRATED, PROBABILITY, ConfigError, param


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
    file_mitigation: float = param(0.5, **PROBABILITY, source="assumption after CPL art. 52 (the investigators' "
                                   "duty to collect mitigating evidence)",
                                   doc="share of a case's mitigating facts (surrender, confession, restitution) "
                                       "recorded in the investigation file, known to prosecutor and court; the rest "
                                       "only counsel's work or the court's inquiry establishes")
    hearing_inquiry: float = param(0.5, **PROBABILITY, source="assumption after CPL art. 190 (the court hears the "
                                   "defendant on the plea and the facts)",
                                   doc="share of the mitigating facts not yet established that the court's own "
                                       "inquiry at a hearing establishes")
    experience_weight: float = param(1.0, unit="weight", low=0.0, high=10.0,
                                     source="assumption (a Bayesian reader: 1 weighs experience of the case mix as "
                                            "its own precision)",
                                     doc="weight a lawyer gives its experience of the case mix (a normal prior on "
                                         "the log-odds of case strength) against its reading of the file; 0 takes "
                                         "the reading at face value")
    lawyer_quality_duty: float = param(0.5, **PROBABILITY, doc="median quality of duty lawyers")
    lawyer_quality_retained: float = param(0.75, **PROBABILITY, doc="median quality of retained counsel")
    lawyer_quality_spread: float = param(0.9, unit="sd of log-odds", low=0.0, high=5.0,
                                         source="assumption (about the spread of a Beta with concentration 6 at a "
                                                "median of 0.5)",
                                         doc="spread of lawyers' quality around the roster's median: a lawyer's "
                                             "quality is logistic(logit(median) + spread·z)")
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
    choice_noise: float = param(0.1, unit="logistic scale, share of the trial sentence", low=0.0, high=2.0,
                                source="assumption (logit choice, McFadden 1974; acceptance in human-subject plea "
                                       "experiments is graded, e.g. Dervan & Edkins 2013, Tor et al. 2010)",
                                doc="scale of a suspect's idiosyncratic taste for a plea, added to its reservation "
                                    "(0 = deterministic choice, the textbook agents)")
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
    strength_prior_low: float = param(0.5, unit="probability", low=0.01, high=0.99,
                                      source="Bebchuk 1984; Reinganum 1988 (uniform prior: assumption)",
                                      doc="lower bound a of the uniform prior over a case's conviction probability p "
                                          "held by the uninformed side: the prosecutor in the screening protocol, "
                                          "the defendant in the signalling protocol (beliefs stay in [0.01, 0.99])")
    strength_prior_high: float = param(0.99, unit="probability", low=0.01, high=0.99,
                                       source="Bebchuk 1984; Reinganum 1988 (uniform prior: assumption)",
                                       doc="upper bound b of that prior (above strength_prior_low)")
    kpi_plea_value: float = param(6.0, unit="months", low=0.0, high=60.0, source=CALIBRATED,
                                  doc="value of a plea to the prosecutor's assessment score per unit KPI pressure")
    kpi_leeway: float = param(0.05, unit="share of the base per unit KPI pressure", low=0.0, high=0.5,
                              source="assumption after seeds/000 (assessment indicators reward the plea rate)",
                              doc="how far below the guideline's floor a prosecutor under plea-rate assessment "
                                  "will concede to secure a plea")
    prosecution_threshold: float = param(0.55, **PROBABILITY, source="assumption after CPL arts. 175-177",
                                         doc="belief in conviction below which the prosecutor declines to indict "
                                             "(evidence not 'reliable and sufficient')")
    workload_norm_days: float = param(5.0, unit="days", low=0.1, high=365.0,
                                      doc="queued days of work at which a prosecutor counts as fully loaded")
    adoption_consultation: float = param(0.12, **PROBABILITY, source="assumption after seeds/002",
                                         doc="chance a defense proposal is adopted in consultation "
                                             "('listens without adopting')")
    adoption_dialogue: float = param(0.85, **PROBABILITY,
                                     doc="chance a supported defense proposal is adopted in dialogue")
    advocacy_weight: float = param(0.5, **PROBABILITY, source="assumption after seeds/004 §2.2 (duty lawyers as "
                                   "'cooperative witnesses') and Anderson & Heaton 2012",
                                   doc="share of the remaining chance of adoption that an advocate's arguments win "
                                       "per unit of its capacity (quality × preparation); endorsing lawyers argue "
                                       "nothing")
    concession_prosecutor: float = param(0.5, unit="tactic exponent", low=0.05, high=20.0,
                                         doc="prosecutor's concession curve in dialogue (<1 Boulware, >1 conceder)")
    concession_defense: float = param(1.0, unit="tactic exponent", low=0.05, high=20.0,
                                      doc="defense's concession curve in dialogue")
    dialogue_max_rounds: int = param(6, unit="rounds", low=1, high=50, doc="round cap of a dialogue")
    consultation_rounds: int = param(2, unit="rounds", low=1, high=2, source="assumption after seeds/002",
                                     doc="rounds of a consultation: 1 = take-it-or-leave-it recommendation, "
                                         "2 = one counter-proposal allowed")
    range_recommendation: float = param(0.191, **PROBABILITY, source=CALIBRATED,
                                        doc="chance a recommendation is a range when a victim settlement is pending "
                                            "or the case is a felony")
    # Court
    impropriety_tolerance: float = param(0.25, unit="share", low=0.0, high=1.0, source="CPL art. 201",
                                         doc="relative gap between recommendation and the court's view beyond which "
                                             "the recommendation is 'clearly improper'")
    court_noise: float = param(0.12, unit="share", low=0.0, high=1.0,
                               doc="sd of the court's own view of the appropriate sentence, relative")
    prosecutor_accepts_adjustment: float = param(0.673, **PROBABILITY, source=CALIBRATED,
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
    strategic_appeal: float = param(0.0327, **PROBABILITY, source=CALIBRATED,
                                    doc="propensity to appeal a plea judgment without a grievance, before the "
                                        "deterrence of a protest that can take the discount back (the chance is "
                                        "this × (1 − protest_strategic × protest_upheld))")
    regret_appeal: float = param(0.6, **PROBABILITY,
                                 doc="chance of an appeal per unit of regret (sentence above what was accepted)")
    trial_appeal: float = param(0.25, **PROBABILITY, doc="chance a defendant convicted at trial appeals")
    protest_strategic: float = param(0.3, **PROBABILITY, source="assumption after seeds/001",
                                     doc="chance the procuratorate protests a defendant's appeal after a plea")
    protest_acquittal: float = param(0.3, **PROBABILITY, doc="chance the procuratorate protests an acquittal")
    protest_upheld: float = param(0.5, **PROBABILITY, source="assumption after seeds/001",
                                  doc="chance the second instance upholds a protest: the plea discount of a defendant "
                                      "who appealed without a grievance taken back, or a guilty defendant's "
                                      "acquittal turned into a conviction")
    revision_grievance: float = param(0.5, **PROBABILITY, source="assumption after seeds/003",
                                      doc="chance the second instance reduces a plea sentence above the signed "
                                          "recommendation to it")
    revision_wrongful: float = param(0.3, **PROBABILITY, source="assumption",
                                     doc="chance the second instance quashes an innocent defendant's conviction at "
                                         "trial")
    # Victims and observers
    victim_heard_status_quo: float = param(0.2, **PROBABILITY, source="assumption after seeds/002",
                                           doc="chance a victim is heard without the participation reform")
    victim_opposition: float = param(0.3, **PROBABILITY, source="assumption after CPL art. 173",
                                     doc="share of the prosecutor's usual plea discount withheld when a heard victim "
                                         "has not forgiven")
    self_restitution: float = param(0.3, **PROBABILITY,
                                    doc="chance an unheard victim is compensated on the suspect's own initiative")
    compensation_default: float = param(0.1, **PROBABILITY, source="assumption after seeds/003 (unfulfilled "
                                        "promises)",
                                        doc="chance that compensation agreed with a heard victim is still unpaid "
                                            "when the court sentences")
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
        """Cross-field rules: the voluntariness composite needs a positive total weight; the prior over case
        strength a non-empty interval."""
        if self.weight_informed + self.weight_uncoerced + self.weight_participatory <= 0.0:
            raise ConfigError(f"{prefix}.weight_informed + weight_uncoerced + weight_participatory must be > 0 "
                              "(each in [0, 1])")
        if self.strength_prior_low >= self.strength_prior_high:
            raise ConfigError(f"{prefix}.strength_prior_low = {self.strength_prior_low!r} must be below "
                              f"{prefix}.strength_prior_high = {self.strength_prior_high!r} (both in [0.01, 0.99])")


class BehaviourSlice:
    """A slice of :class:`Behaviour`: the fields one agent or stage reads, under the same names, copied once per
    model (subclasses are frozen dataclasses)."""

    __slots__ = ()

    @classmethod
    def of(cls, behaviour: Behaviour) -> BehaviourSlice:
        """The slice's fields, read from ``behaviour``."""
        return cls(**{f.name: getattr(behaviour, f.name) for f in dataclasses.fields(cls)})
