"""The plain-Python decision functions the compiled stages compute with, compiled (:func:`compiled`): the same
source, so the stages decide by the reference rules (``tests/test_compiled.py`` checks them over generated
inputs)."""

from __future__ import annotations

from bargainsim.core import decisions, sentencing
from bargainsim.core.compiled import compiled
from bargainsim.core.procedure import information, voluntariness
from bargainsim.core.procedure.negotiation import textbook

signal = compiled(information.signal)
weighed = compiled(information.weighed)
belief_noise = compiled(information.belief_noise)
sentencing_chips = compiled(information.sentencing_chips)
sentence = compiled(sentencing.capped)
band = compiled(sentencing.band)
lowest = compiled(sentencing.lowest)
clamp = compiled(sentencing.clamp)
risk_exponent = compiled(decisions.risk_exponent)
choice_taste = compiled(decisions.choice_taste)
suspect_reservation = compiled(decisions.suspect_reservation)
defendant_trial_cost = compiled(decisions.defendant_trial_cost)
screening_offer = compiled(decisions.screening_offer)
signalling_offer = compiled(decisions.signalling_offer)
signalling_acceptance = compiled(decisions.signalling_acceptance)
nash_solution = compiled(textbook.nash_solution)
subgame_perfect_gains = compiled(textbook.subgame_perfect_gains)
plea_terms = compiled(voluntariness.plea_terms)
reduces_charge = compiled(decisions.reduces_charge)
pleadable = compiled(decisions.pleadable)

LOW, HIGH = information.LOW, information.HIGH
TOLERANCE = decisions.TOLERANCE
