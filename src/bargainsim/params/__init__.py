"""Plain typed parameters of the model: procedural rules (the levers reforms pull) with the sentencing guideline,
behaviour, caseload.

Every field carries its unit, allowed range or choices, and its source: a seed paper (``seeds/NNN``), a statute
(CPL = Criminal Procedure Law 2018; SPC/SPP 2021 = sentencing guidance), the word "assumption", or "calibrated"
(fitted to the 2024 national figures: ``make calibrate``, results/calibration). The same dataclasses are the Hydra
structured-config schema (see :mod:`bargainsim.harness.config`), so a wrong type is rejected at load time and
:func:`validate` checks ranges and choices before anything simulates. Agents and stages read slices of
:class:`Behaviour` (:class:`BehaviourSlice`).
"""

from bargainsim.params.behaviour import Behaviour, BehaviourSlice
from bargainsim.params.caseload import STAFF, Caseload
from bargainsim.params.guideline import STAGES, Guideline
from bargainsim.params.rules import INSTITUTION_KEYS, Rules
from bargainsim.params.timing import WORKING_DAYS_PER_CALENDAR_DAY, Timing
from bargainsim.params.validation import (
    CALIBRATED,
    PROBABILITY,
    PROTOCOL_CHOICES,
    ConfigError,
    check_integer,
    param,
    section,
    specs,
    validate,
)

__all__ = ["CALIBRATED", "INSTITUTION_KEYS", "PROBABILITY", "PROTOCOL_CHOICES", "STAFF", "STAGES", "WORKING_DAYS_PER_CALENDAR_DAY",
           "Behaviour", "BehaviourSlice", "Caseload", "ConfigError", "Guideline", "Rules", "Timing", "check_integer",
           "param", "section", "specs", "validate"]
