"""The suspect's and the prosecutor's decision rules as plain functions of plain numbers (the public home of
:mod:`bargainsim.core.decisions`, where they are defined and documented)."""

from bargainsim.core.decisions import (
                                       TOLERANCE,
                                       Position,
                                       acceptance_probability,
                                       certainty_equivalent,
                                       choice_taste,
                                       defendant_trial_cost,
                                       pleadable,
                                       prosecutor_position,
                                       prosecutor_wants_plea,
                                       reduces_charge,
                                       risk_exponent,
                                       screening_margin,
                                       screening_offer,
                                       screening_value,
                                       signalling_acceptance,
                                       signalling_offer,
                                       suspect_accepts,
                                       suspect_reservation,
                                       trial_value,
)

__all__ = ["TOLERANCE", "Position", "acceptance_probability", "certainty_equivalent", "choice_taste",
           "defendant_trial_cost", "pleadable", "prosecutor_position", "prosecutor_wants_plea", "reduces_charge",
           "risk_exponent", "screening_margin",
           "screening_offer", "screening_value", "signalling_acceptance", "signalling_offer", "suspect_accepts",
           "suspect_reservation", "trial_value"]
