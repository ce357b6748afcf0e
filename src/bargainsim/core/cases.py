"""The case population of one replication: facts fixed before any procedure runs.

A case's facts (offense, guilt, evidence strength, hidden aggravation and mitigation, victim, detention) and the
random numbers its procedure will consume are drawn once per (seed, replication) from the cases stream, so
every reform arm faces identical cases and identical luck (common random numbers).

Distributions (assumptions unless a Caseload field says otherwise): arrivals form a Poisson stream; the offense
is drawn by track share and then by its share within the track (offenses.py); the guideline starting point is
uniform on the offense's starting-point range; evidence strength is Beta with the Caseload mean (concentration
20 for guilty, 6 for innocent suspects); hidden aggravation is uniform on [0.1, 0.3] of the starting point,
mitigation uniform on [0.05, 0.2] (a share of the base); ability to pay (relative to the victim's demand) is
log-normal with median 0.8 and log-sd 0.6; the victim's forgiveness propensity is Beta(2, 2); legal
understanding is Beta with the Caseload mean (concentration 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from bargainsim.core.offenses import CATALOGUE, Offense, lesser_range, track_offenses
from bargainsim.core.sentencing import clamp
from bargainsim.core.streams import beta_with_mean
from bargainsim.params import Caseload

GUILTY_CONCENTRATION = 20.0
INNOCENT_CONCENTRATION = 6.0
"""Concentrations (alpha + beta) of the evidence strength's Beta distributions (assumptions)."""

PRIOR_RECORD_UPLIFT = 0.2
"""Increase of the starting point for a prior record (SPC/SPP 2021: recidivism +10% to +40%)."""


@dataclass(slots=True)
class Case:
    """The facts of one case and the random numbers its procedure consumes."""

    case_id: int
    arrival_day: int
    offense: Offense
    guilty: bool
    conviction_probability: float
    start_months: float
    aggravation: float
    prior_record: bool
    base_months: float
    mitigation: float
    has_victim: bool
    ability_to_pay: float
    forgiveness: float
    detained: bool
    retained: bool
    understanding: float
    z_risk: float
    z_prosecutor: float
    z_defense: float
    z_late: float
    z_lawyer: float
    z_court: float
    z_observer: float
    u_heard: float
    u_restitution: float
    u_forgive: float
    u_eligible: float
    u_consent: float
    u_range: float
    u_adopt: float
    u_review: float
    u_adjust: float
    u_trial: float
    u_appeal: float
    u_protest: float
    u_bail: float
    u_choice: float
    u_second_instance: float
    u_default: float

    track: str = field(init=False)
    statutory_min: float = field(init=False)
    statutory_max: float = field(init=False)
    lesser_min: float = field(init=False)
    lesser_max: float = field(init=False)

    def __post_init__(self) -> None:
        """The offense's track, statutory range and its lesser band's range, looked up once."""
        offense = self.offense
        self.track, self.statutory_min, self.statutory_max = offense.track, offense.statutory_min, offense.statutory_max
        self.lesser_min, self.lesser_max = lesser_range(offense)

    def visible_base(self, information: float) -> float:
        """The base sentence as the defense sees it: hidden aggravation shows in proportion to the information."""
        start = self.start_months * (1.0 + self.aggravation * information
                                     + (PRIOR_RECORD_UPLIFT if self.prior_record else 0.0))
        return clamp(start, self.statutory_min, self.statutory_max)


def strength_prior(caseload: Caseload, points: int = 4001) -> tuple[float, float]:
    """Mean and sd of the log-odds of a case's conviction probability across the case mix: what experience of
    the district's cases teaches about a case not yet read (by quadrature over the evidence's Beta mixture)."""
    p = (np.arange(points) + 0.5) / points
    logit = np.log(p / (1.0 - p))
    moments = np.zeros(2)
    for weight, mean, concentration in ((1.0 - caseload.innocent_share, caseload.evidence_guilty_mean,
                                         GUILTY_CONCENTRATION),
                                        (caseload.innocent_share, caseload.evidence_innocent_mean,
                                         INNOCENT_CONCENTRATION)):
        mean = min(max(mean, 1e-6), 1.0 - 1e-6)
        a, b = mean * concentration, (1.0 - mean) * concentration
        density = np.exp((a - 1.0) * np.log(p) + (b - 1.0) * np.log1p(-p))
        density /= density.sum()
        moments += weight * np.array([(density * logit).sum(), (density * logit * logit).sum()])
    return float(moments[0]), float(np.sqrt(max(moments[1] - moments[0] ** 2, 0.0)))


_NORMALS = ("z_risk", "z_prosecutor", "z_defense", "z_late", "z_lawyer", "z_court", "z_observer")
_UNIFORMS = ("u_heard", "u_restitution", "u_forgive", "u_eligible", "u_consent", "u_range", "u_adopt",
             "u_review", "u_adjust", "u_trial", "u_appeal", "u_protest", "u_bail", "u_choice", "u_second_instance",
             "u_default")

TRACKS = ("misdemeanor", "felony")

CASE = np.dtype([("case_id", "i8"), ("arrival_day", "i8"), ("offense", "i8"), ("track", "i8"),
                 ("statutory_min", "f8"), ("statutory_max", "f8"), ("lesser_min", "f8"), ("lesser_max", "f8"),
                 ("guilty", "?"),
                 ("conviction_probability", "f8"), ("start_months", "f8"), ("aggravation", "f8"),
                 ("prior_record", "?"), ("base_months", "f8"), ("mitigation", "f8"), ("has_victim", "?"),
                 ("ability_to_pay", "f8"), ("forgiveness", "f8"), ("detained", "?"), ("retained", "?"),
                 ("understanding", "f8"), *((name, "f8") for name in _NORMALS),
                 *((name, "f8") for name in _UNIFORMS)])
"""A case's facts and the random numbers its procedure consumes, as one row of a population's columns: the
offense an index into the population's offenses, the track a code into :data:`TRACKS`."""


class Population(Sequence):
    """A replication's cases as columns (:data:`CASE`: a structured array, the
    offense an index into ``offenses``), read as a sequence of :class:`Case` objects built on first use."""

    def __init__(self, columns: np.ndarray, offenses: Sequence[Offense]) -> None:
        self.columns, self.offenses = columns, tuple(offenses)
        self._cases: list[Case] | None = None

    @classmethod
    def of(cls, cases: Sequence[Case]) -> Population:
        """The columns of cases given one by one."""
        if isinstance(cases, Population):
            return cases
        offenses = list(dict.fromkeys(case.offense for case in cases))
        index = {offense: k for k, offense in enumerate(offenses)}
        columns = np.zeros(len(cases), CASE)
        for name in CASE.names:
            if name == "offense":
                columns[name] = [index[case.offense] for case in cases]
            elif name == "track":
                columns[name] = [TRACKS.index(case.track) for case in cases]
            else:
                columns[name] = [getattr(case, name) for case in cases]
        population = cls(columns, offenses)
        population._cases = list(cases)
        return population

    def cases(self) -> list[Case]:
        if self._cases is None:
            names = [f.name for f in fields(Case) if f.init and f.name != "offense"]
            values = [self.columns[name].tolist() for name in names]
            offenses = [self.offenses[k] for k in self.columns["offense"].tolist()]
            self._cases = [Case(offense=offense, **dict(zip(names, row))) for offense, *row in
                           zip(offenses, *values)]
        return self._cases

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, index):  # type: ignore[override]
        return self.cases()[index]


def draw_population(n_cases: int, caseload: Caseload, rng: np.random.Generator, first_id: int = 0) -> Population:
    """Draw ``n_cases`` cases arriving as a Poisson stream of ``caseload.arrivals_per_day`` per working day,
    numbered from ``first_id``."""
    n = int(n_cases)
    gaps = rng.exponential(1.0 / caseload.arrivals_per_day, n)
    arrival = np.floor(np.cumsum(gaps)).astype(np.int64)
    felony = rng.random(n) < caseload.felony_share
    offense_idx = np.empty(n, dtype=np.int64)
    for track, mask in (("misdemeanor", ~felony), ("felony", felony)):
        members = track_offenses(track)
        shares = np.array([o.share_in_track for o in members])
        picks = rng.choice(len(members), size=int(mask.sum()), p=shares / shares.sum())
        offense_idx[mask] = np.array([CATALOGUE.index(o) for o in members])[picks]

    def of_offense(attribute: str) -> np.ndarray:
        return np.array([getattr(o, attribute) for o in CATALOGUE])[offense_idx]

    low, high = of_offense("start_low"), of_offense("start_high")
    start = low + (high - low) * rng.random(n)
    guilty = rng.random(n) >= caseload.innocent_share
    p = np.where(guilty, beta_with_mean(rng, caseload.evidence_guilty_mean, GUILTY_CONCENTRATION, n),
                 beta_with_mean(rng, caseload.evidence_innocent_mean, INNOCENT_CONCENTRATION, n))
    aggravation = np.where(rng.random(n) < caseload.aggravation_share, rng.uniform(0.1, 0.3, n), 0.0)
    prior = rng.random(n) < caseload.prior_record_share
    mitigation = np.where(rng.random(n) < caseload.mitigation_share, rng.uniform(0.05, 0.2, n), 0.0)
    victim = rng.random(n) < of_offense("victim_share")
    ability = rng.lognormal(np.log(0.8), 0.6, n)
    forgiveness = rng.beta(2.0, 2.0, n)
    detention_p = np.minimum(1.0, caseload.detained_share * np.where(felony, 2.0, 1.0))
    detained = rng.random(n) < detention_p
    retained = rng.random(n) < caseload.retained_share
    understanding = beta_with_mean(rng, caseload.suspect_understanding_mean, 4.0, n)
    normals = rng.standard_normal((len(_NORMALS), n))
    uniforms = rng.random((len(_UNIFORMS), n))
    statutory_min, statutory_max = of_offense("statutory_min"), of_offense("statutory_max")
    lesser = np.array([lesser_range(o) for o in CATALOGUE])[offense_idx]
    base = np.clip(start * (1.0 + aggravation + PRIOR_RECORD_UPLIFT * prior), statutory_min, statutory_max)
    columns = np.zeros(n, CASE)
    columns["case_id"] = np.arange(int(first_id), int(first_id) + n)
    columns["track"] = np.array([TRACKS.index(o.track) for o in CATALOGUE])[offense_idx]
    for name, values in (("arrival_day", arrival), ("offense", offense_idx), ("statutory_min", statutory_min),
                         ("statutory_max", statutory_max), ("lesser_min", lesser[:, 0]),
                         ("lesser_max", lesser[:, 1]), ("guilty", guilty), ("conviction_probability", p),
                         ("start_months", start), ("aggravation", aggravation), ("prior_record", prior),
                         ("base_months", base), ("mitigation", mitigation), ("has_victim", victim),
                         ("ability_to_pay", ability), ("forgiveness", forgiveness), ("detained", detained),
                         ("retained", retained), ("understanding", understanding),
                         *zip(_NORMALS, normals), *zip(_UNIFORMS, uniforms)):
        columns[name] = values
    return Population(columns, CATALOGUE)
