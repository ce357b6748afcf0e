"""Working hours and statutory time limits of the procedure."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bargainsim.params.validation import param


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
