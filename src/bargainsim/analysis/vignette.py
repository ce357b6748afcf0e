"""The vignette: the model's suspect population put through a factorial grid of plea-experiment conditions.

Human-subject plea experiments tell a participant the conviction probability ``p``, the sentence at trial ``S``
and the plea offer ``s``, and record whether the participant pleads. :func:`acceptance_table` gives the model's
answer for every cell of such a grid: a population of simulated suspects, each with its own draws (risk-aversion
``z``, taste ``u_choice``, its lawyer's and its own belief ``z``), decides by the model's rule
(:mod:`bargainsim.decisions`)::

    accept  iff  s ≤ r,   r = suspect_reservation(b, S, c_d, ρ, [innocent]·innocence_cost, taste)

with ρ = :func:`~bargainsim.decisions.risk_exponent`, taste = :func:`~bargainsim.decisions.choice_taste`, c_d =
:func:`~bargainsim.decisions.defendant_trial_cost` (detained suspects negotiate inside detention, the status
quo's venue) and b the stated ``p`` (the suspect believes what it is told; ``belief_noise`` > 0 blurs it in
log-odds, :func:`~bargainsim.core.procedure.information.signal`). An advocate's client decides on its lawyer's
reading (:func:`~bargainsim.core.procedure.information.form_views`): the lawyer reads ``p`` with its own noise,
which shrinks with its quality, weighs it against its experience of the case mix
(:func:`~bargainsim.core.procedure.information.weighed`), and values the trial with the client's preferences.

Every cell sees the same suspects (common random numbers): the difference between two cells is the condition, not
the sample. Each cell's acceptance rate comes with a 95% Wilson score interval over its suspects.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from bargainsim.core.decisions import (
    choice_taste,
    defendant_trial_cost,
    risk_exponent,
    suspect_accepts,
    suspect_reservation,
)
from bargainsim.core.cases import strength_prior
from bargainsim.core.procedure.information import belief_noise, signal, weighed
from bargainsim.params import Behaviour, BehaviourSlice, Caseload, ConfigError, Rules, param

LEVEL = 0.95
"""Confidence level of each cell's interval."""
MAX_MONTHS = 1200.0
"""Longest sentence or offer a condition may state (100 years)."""
LAWYER_INFORMATION = 1.0
"""Share of the conviction-relevant information the lawyer sees (assumption: the vignette's stated facts are the
whole file)."""
LAWYER_PREPARATION = 1.0
"""Share of the needed preparation an advocate does (as :attr:`~bargainsim.core.agents.Counsel.effort`)."""
COLUMNS = ("n", "accepted", "rate", "ci_low", "ci_high")
"""The columns :func:`acceptance_table` adds to the factors."""

_WILFORD = "Wilford, Sutherland, Gonzales & Rabinovich 2021, Law and Human Behavior, doi:10.1037/lhb0000450"


@dataclass(frozen=True)
class Factor:
    """A factor of the grid: its default levels and what a level may be (``choices``, or numbers in
    [``low``, ``high``], ``low`` excluded when ``open_low``)."""

    name: str
    default: tuple
    doc: str
    source: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    low: float = 0.0
    high: float = MAX_MONTHS
    open_low: bool = False

    def allowed(self) -> str:
        """What a level may be, in words."""
        if self.choices:
            return ", ".join(self.choices)
        bound = f"> {self.low:g}" if self.open_low else f"≥ {self.low:g}"
        return f"numbers {bound} and ≤ {self.high:g}" + (f" ({self.unit})" if self.unit else "")

    def level(self, value: object, key: str) -> str | float:
        """``value`` as a level of this factor, or a ConfigError naming ``key`` and what is allowed."""
        if self.choices:
            if isinstance(value, str) and value in self.choices:
                return value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
                and (value > self.low if self.open_low else value >= self.low) and value <= self.high:
            return float(value)
        raise ConfigError(f"{key} = {value!r} is not allowed; allowed values: {self.allowed()}")


FACTORS: dict[str, Factor] = {f.name: f for f in (
    Factor("guilt", ("guilty", "innocent"), "whether the participant did it", _WILFORD,
           choices=("guilty", "innocent")),
    Factor("counsel", ("duty",), "who advises: nobody, a duty lawyer (an advocate or a witness who endorses the deal, "
           "by duty_lawyer_role) or retained counsel (an advocate)", "seeds/004 §2.2 (status quo: duty lawyer)",
           choices=("none", "duty", "retained")),
    Factor("detention", ("detained",), "whether the participant decides in detention (negotiating inside it) or at "
           "liberty", f"{_WILFORD} (participants wait in a jail cell)", choices=("detained", "at_liberty")),
    Factor("trial_sentence", (24.0,), "sentence on conviction at trial", _WILFORD, unit="months", open_low=True),
    Factor("conviction_probability", (0.2, 0.5, 0.8), "the conviction probability the participant is told", _WILFORD,
           unit="probability", high=1.0),
    Factor("offer", (6.0, 12.0, 18.0), "the plea sentence offered", f"{_WILFORD} (script: the plea sentence)",
           unit="months"),
)}
"""The factors of a grid, in the order of the table's columns (the last varies fastest)."""


@dataclass(frozen=True)
class Condition:
    """One cell of the grid: what the participant is, is told and is offered."""

    guilt: str
    counsel: str
    detention: str
    trial_sentence: float
    conviction_probability: float
    offer: float


@dataclass(frozen=True)
class Design:
    """The cells of a grid (each once), each factor's levels in their order, and whether the cells are every
    combination of the levels."""

    levels: dict[str, tuple]
    cells: tuple[Condition, ...]
    factorial: bool = True

    @classmethod
    def factorial(cls, factors: Mapping[str, Any] | None = None, where: str = "factors") -> Design:
        """Every combination of the levels of ``factors`` (name → level or list of levels; an omitted factor keeps
        its default levels). A ConfigError names ``where``.FACTOR and what is allowed."""
        factors = dict(factors or {})
        unknown = [name for name in factors if name not in FACTORS]
        if unknown:
            raise ConfigError(f"{where}.{unknown[0]} is not a factor; allowed factors: {', '.join(FACTORS)}")
        levels = {}
        for name, factor in FACTORS.items():
            given = factors.get(name, factor.default)
            given = list(given) if isinstance(given, (list, tuple)) else [given]
            if not given:
                raise ConfigError(f"{where}.{name} is empty; give at least one level ({factor.allowed()})")
            chosen = [factor.level(value, f"{where}.{name}") for value in given]
            repeated = next((value for i, value in enumerate(chosen) if value in chosen[:i]), None)
            if repeated is not None:
                raise ConfigError(f"{where}.{name} lists the level {repeated!r} twice; give each level once")
            levels[name] = tuple(chosen)
        return cls(levels, tuple(Condition(*cell) for cell in itertools.product(*levels.values())))

    @classmethod
    def of_rows(cls, rows: Sequence[Mapping[str, Any]], where: str = "") -> Design:
        """The cells listed in ``rows`` (one mapping of factor → level each; a factor a row omits takes its
        default's first level). A ConfigError starts with ``where``, names the row, the factor and what is
        allowed."""
        cells: list[Condition] = []
        for number, row in enumerate(rows, start=1):
            unknown = [name for name in row if name not in FACTORS]
            if unknown:
                raise ConfigError(f"{where}row {number}: {unknown[0]!r} is not a factor; allowed factors: "
                                  f"{', '.join(FACTORS)}")
            cell = Condition(*(factor.level(row.get(name, factor.default[0]), f"{where}row {number}: {name}")
                               for name, factor in FACTORS.items()))
            if cell in cells:
                raise ConfigError(f"{where}row {number} repeats row {cells.index(cell) + 1}; list each condition "
                                  "once")
            cells.append(cell)
        if not cells:
            raise ConfigError(f"{where}no rows; list at least one condition")
        levels = {name: tuple(dict.fromkeys(getattr(cell, name) for cell in cells)) for name in FACTORS}
        return cls(levels, tuple(cells), factorial=False)


@dataclass(frozen=True)
class VignetteOptions:
    """How the population is drawn and advised (each option documented like a behavioural parameter)."""

    suspects: int = param(2000, unit="suspects per cell", low=1, high=1_000_000, source="assumption",
                          doc="simulated suspects, each deciding in every cell (Wilson half-width ≤ 0.022 at 2,000)")
    seed: int = param(2021, unit="seed", low=0, high=2**63 - 1, source="assumption",
                      doc="root seed of the suspects' draws")
    belief_noise: float = param(0.0, unit="sd of log-odds", low=0.0, high=5.0,
                                source="assumption (the participant believes the stated probability)",
                                doc="sd of the suspect's belief around the stated probability (0 = it believes it)")
    duty_lawyer_role: str = param(Rules().duty_lawyer_role, choices=("endorse", "advocate"),
                                  source="seeds/004 §2.2; seeds/003 (rules.duty_lawyer_role)",
                                  doc="a duty lawyer endorses the deal (status quo) or advocates")


def option_fields() -> dict[str, Any]:
    """The options' fields by name (their defaults, ranges and sources)."""
    return {f.name: f for f in fields(VignetteOptions)}


@dataclass(frozen=True, slots=True)
class VignetteConduct(BehaviourSlice):
    """What a vignette suspect's decision and its lawyer's advice depend on."""

    risk_aversion: float
    risk_heterogeneity: float
    choice_noise: float
    innocence_cost: float
    trial_costs: str
    trial_cost_defendant: float
    detention_cost: float
    detention_venue_factor: float
    belief_offset_defense: float
    belief_noise_uninformed: float
    belief_noise_informed: float
    lawyer_quality_duty: float
    lawyer_quality_retained: float
    experience_weight: float


@dataclass(frozen=True)
class Draws:
    """Each simulated suspect's random numbers, from independent streams of one seed."""

    z_risk: np.ndarray
    u_choice: np.ndarray
    z_lawyer: np.ndarray
    z_belief: np.ndarray

    def __len__(self) -> int:
        return len(self.z_risk)


def draw_suspects(n: int, seed: int) -> Draws:
    """``n`` suspects' draws; each kind from its own stream of ``seed`` (one kind's draws do not depend on how many
    of another are drawn)."""
    risk, choice, lawyer, belief = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4))
    return Draws(risk.standard_normal(n), choice.random(n), lawyer.standard_normal(n), belief.standard_normal(n))


_ACCEPTS = np.frompyfunc(suspect_accepts, 2, 1)
_SIGNAL = np.frompyfunc(signal, 4, 1)
_WEIGHED = np.frompyfunc(weighed, 6, 1)
EXPERIENCE = strength_prior(Caseload())
"""What an advocate's experience teaches about case strength: the default case mix's (as in the model)."""


@dataclass(frozen=True)
class Population:
    """The suspects of a vignette: their draws, and the risk exponent and taste each draws from them."""

    draws: Draws
    conduct: VignetteConduct
    risk: np.ndarray
    taste: np.ndarray

    @classmethod
    def of(cls, draws: Draws, behaviour: Behaviour) -> Population:
        c = VignetteConduct.of(behaviour)
        risk = np.array([risk_exponent(c.risk_aversion, c.risk_heterogeneity, z) for z in draws.z_risk.tolist()])
        taste = np.array([choice_taste(u, c.choice_noise) for u in draws.u_choice.tolist()])
        return cls(draws, c, risk, taste)

    def beliefs(self, p: float, sd: float, z: np.ndarray, shift: float = 0.0) -> np.ndarray | float:
        """Beliefs about conviction around the stated ``p``: ``p`` itself without noise or shift, otherwise a
        signal per suspect (log-odds sd ``sd`` times ``z``, kept in [0.01, 0.99])."""
        if sd == 0.0 and shift == 0.0:
            return p
        return _SIGNAL(p, sd, z, shift).astype(float)

    def trial_cost(self, detained: bool) -> float:
        """The suspects' cost of a trial (the trial burden alone when trial costs are given)."""
        c = self.conduct
        if c.trial_costs == "given":
            return c.trial_cost_defendant
        return defendant_trial_cost(c.trial_cost_defendant, c.detention_cost, detained, c.detention_venue_factor)

    def lawyer_quality(self, counsel: str, duty_lawyer_role: str) -> float | None:
        """The quality of an advocate at the suspect's side (None when no lawyer advises against a deal)."""
        if counsel == "retained":
            return self.conduct.lawyer_quality_retained
        if counsel == "duty" and duty_lawyer_role == "advocate":
            return self.conduct.lawyer_quality_duty
        return None

    def reservations(self, cell: Condition, belief_sd: float = 0.0,
                     duty_lawyer_role: str = "endorse") -> np.ndarray:
        """Each suspect's reservation in ``cell``: on its own belief, or, advised by an advocate, on the lawyer's
        reading of ``p`` weighed against its experience of the case mix."""
        c, d = self.conduct, self.draws
        p, s = cell.conviction_probability, cell.trial_sentence
        innocence = 0.0 if cell.guilt == "guilty" else c.innocence_cost
        c_d = self.trial_cost(cell.detention == "detained")
        belief = self.beliefs(p, belief_sd, d.z_belief, c.belief_offset_defense)
        own = np.broadcast_to(suspect_reservation(belief, s, c_d, self.risk, innocence, self.taste), (len(d),))
        quality = self.lawyer_quality(cell.counsel, duty_lawyer_role)
        if quality is None:
            return own
        noise = belief_noise(c.belief_noise_uninformed, c.belief_noise_informed, LAWYER_INFORMATION,
                             quality * LAWYER_PREPARATION)
        reading = _WEIGHED(p, noise, d.z_lawyer, *EXPERIENCE, c.experience_weight).astype(float)
        return suspect_reservation(reading, s, c_d, self.risk, innocence, self.taste)

    def accepts(self, cell: Condition, belief_sd: float = 0.0, duty_lawyer_role: str = "endorse") -> np.ndarray:
        """Whether each suspect accepts the cell's offer (:func:`~bargainsim.decisions.suspect_accepts`)."""
        return _ACCEPTS(cell.offer, self.reservations(cell, belief_sd, duty_lawyer_role)).astype(bool)


def wilson(accepted: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (SciPy's :func:`~scipy.stats.binomtest`)."""
    ci = binomtest(accepted, n).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)


def acceptance_table(design: Design | Mapping[str, Any] | None = None, behaviour: Behaviour | None = None,
                     options: VignetteOptions | None = None) -> pd.DataFrame:
    """One row per cell of ``design`` (a :class:`Design`, or factor → levels for a factorial grid; by default the
    Plea-Justice grid): the factors, then ``n`` suspects, the number ``accepted``, the ``rate`` and its 95% Wilson
    interval [``ci_low``, ``ci_high``]. The suspects are ``options.suspects`` draws of ``options.seed`` with
    ``behaviour`` (by default the model's), the same in every cell."""
    design = design if isinstance(design, Design) else Design.factorial(design)
    options = options or VignetteOptions()
    population = Population.of(draw_suspects(options.suspects, options.seed), behaviour or Behaviour())
    rows = []
    for cell in design.cells:
        accepted = int(population.accepts(cell, options.belief_noise, options.duty_lawyer_role).sum())
        rows.append((*(getattr(cell, name) for name in FACTORS), options.suspects, accepted,
                     accepted / options.suspects, *wilson(accepted, options.suspects)))
    return pd.DataFrame(rows, columns=[*FACTORS, *COLUMNS])


def pooled_rate(table: pd.DataFrame, by: str | Iterable[str]) -> pd.Series:
    """Mean acceptance rate over cells (each cell weighted equally) by the level(s) of ``by``."""
    return table.groupby(by if isinstance(by, str) else list(by), sort=False)["rate"].mean()
