"""The caseload: arrivals, case mix and the district's rosters."""

from __future__ import annotations

from dataclasses import dataclass

from bargainsim.params.validation import PROBABILITY, param


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
    detained_share: float = param(0.26, **PROBABILITY,
                                  source="SPP: pre-indictment detention rate 32.7% (June 2022; SCIO press conference "
                                         "18 Jul 2022), = 1.25 × this share at the default felony_share 0.25 "
                                         "(docs/validation_research.md)",
                                  doc="share of misdemeanor suspects in pre-trial detention; felony suspects are "
                                      "detained twice as often (capped at 1)")
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
