"""The procedural rules: the levers that reforms pull."""

from __future__ import annotations

from dataclasses import dataclass

from bargainsim.params.guideline import Guideline
from bargainsim.params.validation import PROTOCOL_CHOICES, param, section


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
    guideline: Guideline = section(Guideline, source="SPC/SPP 2021 Guiding Opinions on Sentencing",
                                   doc="the sentencing guideline: a preset of conf/guideline (`guideline=NAME`), "
                                       "its parameters under rules.guideline.*")
