"""The procedural rules: the levers that reforms pull."""

from __future__ import annotations

from dataclasses import dataclass

from bargainsim.params.guideline import Guideline
from bargainsim.params.validation import PROTOCOL_CHOICES, param, section


INSTITUTION_KEYS = ("negotiator", "recommendation_effect", "charge_bargaining", "plea_limit_months", "appeal_waiver",
                    "court_range")
"""The rules of other countries' plea systems that no reform of China's proposes: the jurisdiction presets set them
(conf/jurisdiction, docs/jurisdictions.md); a single run may set them as rules.KEY=VALUE."""


@dataclass
class Rules:
    """Procedural rules. Defaults are the status quo; each reform in ``conf/reform`` overrides some of them.

    The sentencing guideline (``guideline``, chosen with the ``guideline`` config group) is nested here rather
    than beside the rules: it is a lever of the same institution, so every arm of a run — each reform beside the
    status quo — carries it, a reform composes with any guideline, and the model, districts and records need no
    second channel for it. Reforms change procedure, not the guideline (a reform file may not set it).
    """

    initiation: str = param("prosecutor", choices=("prosecutor", "two_way"), source="seeds/004 §2.1",
                            doc="who may open a negotiation: the prosecutor alone, or either side")
    disclosure: str = param("none", choices=("none", "core", "full"), source="seeds/004 §2.2, §3.2",
                            doc="defense access to the prosecution file: restricted, core evidence in full with "
                                "an index of peripheral evidence, or everything")
    mutual_disclosure: bool = param(False, source="seeds/004 §3.2",
                                    doc="the defense discloses its exculpatory material up front (the mitigation it "
                                        "presents counts in every case)")
    misdemeanor_protocol: str = param("consultation", choices=PROTOCOL_CHOICES,
                                      source="seeds/002; textbook protocols: Landes 1971, Nash 1950, Rubinstein 1982, "
                                        "Bebchuk 1984, Reinganum 1988",
                                      doc="negotiation protocol for cases with a statutory maximum of 3 years or less "
                                          "(the textbook protocols take_it_or_leave_it, nash, alternating, "
                                          "screening and signalling are for the presets in conf/textbook)")
    felony_protocol: str = param("consultation", choices=PROTOCOL_CHOICES,
                                 source="seeds/002; textbook protocols: Landes 1971, Nash 1950, Rubinstein 1982, "
                                        "Bebchuk 1984, Reinganum 1988",
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
    negotiator: str = param("prosecutor", choices=("prosecutor", "court"),
                            source="CPL arts. 173-174 (China); § 257c StPO (Germany)",
                            doc="who bargains with the defense: the prosecutor, or the court itself, which "
                                "announces an upper and a lower sentence limit for a confession that the prosecutor "
                                "must consent to (court_range)")
    recommendation_effect: str = param("presumptive", choices=("presumptive", "advisory", "binding"),
                                       source="CPL art. 201; FRCrP 11(c)(1)(B)-(C), 11(c)(3)-(5); art. 444(2) c.p.p.",
                                       doc="what the agreed recommendation does in court: 'shall generally adopt' "
                                           "unless clearly improper (an adjustment may follow), advisory (the "
                                           "court sentences on its own view, the plea stands), or binding (the "
                                           "court accepts it whole or rejects it, and a rejected plea is tried)")
    charge_bargaining: bool = param(False, source="FRCrP 11(c)(1)(A)",
                                    doc="the prosecutor may offer a plea to the lesser offense band "
                                        "(offenses.LESSER) where the guideline would not let it offer what the "
                                        "case is worth on the full charge")
    plea_limit_months: float = param(0.0, unit="months", low=0.0, high=240.0, source="art. 444(1) c.p.p.",
                                     doc="largest sentence a plea may agree (0 = no limit); a case whose lowest "
                                         "lawful plea sentence exceeds it cannot be pleaded")
    appeal_waiver: bool = param(False, source="FRCrP 11(b)(1)(N); United States v. Ruiz, 536 U.S. 622 (2002)",
                                doc="a plea agreement waives the defendant's appeal (and with it any protest)")
    court_range: float = param(0.25, unit="share of the upper limit", low=0.0, high=0.9,
                               source="assumption after BGH 5 StR 433/24 (a range of 3 to 4 years)",
                               doc="how far below its upper limit a court-announced range reaches "
                                   "(negotiator=court)")
    guideline: Guideline = section(Guideline, source="SPC/SPP 2021 Guiding Opinions on Sentencing",
                                   doc="the sentencing guideline: a preset of conf/guideline (`guideline=NAME`), "
                                       "its parameters under rules.guideline.*")
