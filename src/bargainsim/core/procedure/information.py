"""Information: disclosure of the file, mutual disclosure, the prosecutor's overstatement, and each side's beliefs.

A belief about the conviction probability is a noisy signal of the truth on the logit scale: the truth moved by
normal noise in log-odds, so it stays inside (0, 1) without clipping and is unbiased in log-odds whatever the
case's strength; a shift in probability units (a believed overstatement, a blind spot) is added afterwards, and the
result kept in [0.01, 0.99]. The defense's noise shrinks with the share of the file disclosed (seeds/004 §2.2,
§3.2) and its capacity to read it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.core.procedure import counsel
from bargainsim.core.sentencing import sentence
from bargainsim.core.state import Views
from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel

LOW, HIGH = 0.01, 0.99


@dataclass(frozen=True, slots=True)
class InformationConduct(BehaviourSlice):
    """What the defense can see and how much of the prosecution's overstatement reaches it."""

    belief_noise_uninformed: float
    belief_noise_informed: float
    core_evidence_share: float
    restricted_file_share: float
    peripheral_index_share: float
    credulity_unadvised: float
    detention_venue_factor: float
    file_mitigation: float
    experience_weight: float


def signal(truth: float, sd: float, z: float, shift: float = 0.0) -> float:
    """A belief: ``truth`` moved by ``sd · z`` in log-odds, then by ``shift`` in probability."""
    truth = LOW if truth < LOW else HIGH if truth > HIGH else truth
    belief = 1.0 / (1.0 + math.exp(-(math.log(truth / (1.0 - truth)) + sd * z))) + shift
    return LOW if belief < LOW else HIGH if belief > HIGH else belief


def weighed(truth: float, sd: float, z: float, prior_mean: float, prior_sd: float, weight: float = 1.0) -> float:
    """A belief read from a signal and weighed against experience: the posterior mean, on the log-odds scale, of
    a normal prior (``prior_mean``, ``prior_sd``: the log-odds of like cases' conviction probabilities, its
    precision scaled by ``weight``) updated by the signal ``logit(truth) + sd·z``; the signal alone when it is
    exact or experience is given no weight."""
    truth = LOW if truth < LOW else HIGH if truth > HIGH else truth
    reading = math.log(truth / (1.0 - truth)) + sd * z
    if sd > 0.0 and weight > 0.0:
        precision, prior = 1.0 / (sd * sd), weight / (prior_sd * prior_sd)
        reading = (reading * precision + prior_mean * prior) / (precision + prior)
    belief = 1.0 / (1.0 + math.exp(-reading))
    return LOW if belief < LOW else HIGH if belief > HIGH else belief


def belief_noise(uninformed: float, informed: float, information: float, capacity: float) -> float:
    """Sd (log-odds) of the defense's signal: it shrinks with the information disclosed and the capacity to read
    it, from ``uninformed`` to ``informed``."""
    return uninformed - (uninformed - informed) * information * capacity


def information_share(disclosure: str, conduct: InformationConduct) -> float:
    """Share of the conviction-relevant information the defense can see under a disclosure rule: restricted
    access, core evidence in full with an index of the rest, or the whole file."""
    if disclosure == "full":
        return 1.0
    if disclosure == "core":
        core = conduct.core_evidence_share
        return core + (1.0 - core) * conduct.peripheral_index_share
    return conduct.restricted_file_share


def mutual_disclosure(model: PleaModel, suspect: Suspect) -> bool:
    """The defense has disclosed its exculpatory material before any talk (seeds/004 §3.2)."""
    return model.rules.mutual_disclosure and suspect.counsel is not None


def sentencing_chips(mitigation: float, on_file: float, found: float) -> float:
    """The mitigation the defense presents (its sentencing chips, seeds/004 §3.1): the share ``on_file`` of the
    case's ``mitigation`` recorded by the investigation, and the part of the rest its counsel's work ``found``
    (a share of it)."""
    recorded = mitigation * on_file
    return recorded + (mitigation - recorded) * found


def read_file(model: PleaModel, suspect: Suspect) -> tuple[float, float, float, float]:
    """The defense's reading of the file by the review's end: (preparation, capacity, credulity, chips)."""
    lawyer, c = suspect.counsel, model.conduct.information
    if lawyer is None:
        return 0.0, 0.0, c.credulity_unadvised, sentencing_chips(suspect.case.mitigation, c.file_mitigation, 0.0)
    prepared = lawyer.preparation(suspect.counsel_day, model.day, suspect.procedure.preparation_hours)
    capacity = lawyer.capacity(prepared)
    chips = sentencing_chips(suspect.case.mitigation, c.file_mitigation, capacity)
    return prepared, capacity, lawyer.credulity(), chips


def lawyer_belief(model: PleaModel, suspect: Suspect, capacity: float, information: float | None = None) -> float:
    """The lawyer's own reading of the file (the share ``information`` of it it can see, by default what the
    disclosure rule gives at review) — no overstatement taken on — weighed against its experience of the
    district's case mix (:func:`weighed`, by ``experience_weight``): its belief about conviction at trial."""
    c, case = model.conduct.information, suspect.case
    seen = model.information if information is None else information
    noise = belief_noise(c.belief_noise_uninformed, c.belief_noise_informed, seen, capacity)
    return weighed(case.conviction_probability, noise, case.z_lawyer, *model.experience, c.experience_weight)


def lawyer_reservation(model: PleaModel, suspect: Suspect, capacity: float, defense_trial: float,
                       trial_cost: float) -> float:
    """The most severe recommendation the suspect's lawyer would advise, on its own reading of the file
    (:func:`lawyer_belief`) and the client's valuation of a trial."""
    return suspect.reservation(lawyer_belief(model, suspect, capacity), defense_trial, trial_cost)


def form_views(model: PleaModel, suspect: Suspect) -> Views:
    """Preparation, disclosure and overstatement shape each side's belief; costs and the guideline shape what each
    side would accept rather than a trial; an advocate's client refuses what its lawyer would not advise."""
    rules, case, prosecutor = model.rules, suspect.case, suspect.prosecutor
    prepared, capacity, credulity, chips = read_file(model, suspect)
    observed = suspect.observer is not None
    checked = observed or (rules.disclosure != "none" and suspect.counsel is not None and prepared > 0.0)
    p_belief = prosecutor.believe(case.conviction_probability, case.guilty, case.z_prosecutor,
                                  capacity if mutual_disclosure(model, suspect) else 0.0)
    overstatement = prosecutor.inflation(checked, p_belief, capacity * model.information)
    bias = credulity * overstatement
    if counsel.advocated(suspect):
        belief = min(HIGH, max(LOW, lawyer_belief(model, suspect, capacity) + bias))
    else:
        belief = suspect.believe(model.information, capacity, bias, case.z_defense)
    inside = suspect.detained and rules.venue == "detention" and not observed
    c_d = suspect.trial_cost(model.conduct.information.detention_venue_factor if inside else 1.0)
    low, high, credit = case.statutory_min, case.statutory_max, suspect.credit
    visible = case.visible_base(model.information)
    cap = model.guideline.total_cap
    defense_trial = sentence(visible, low, high, 0.0, chips, credit, cap=cap)
    detention = c_d - suspect.conduct.trial_cost_defendant
    workload = prosecutor.workload(model.day)
    reservation = suspect.reservation(belief, defense_trial, c_d)
    return Views(p_belief, overstatement, capacity, chips, bias, belief, c_d, visible, defense_trial, reservation,
                 workload,
                 prosecutor.trial_cost(suspect.procedure.trial_hours_prosecutor, workload),
                 model.court.trial_sentence(case, chips, credit),
                 detention / (detention + defense_trial * belief + 1e-9))
