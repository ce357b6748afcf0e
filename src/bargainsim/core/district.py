"""The one way to set up a district: its share of a jurisdiction's caseload, its cases drawn from the replication's
case stream and its institution from the institution stream (:mod:`bargainsim.core.streams`), and a ready model.
The experiment runner, the transcript, the classroom, the benchmarks and the tests build their models here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bargainsim.core.cases import draw_population
from bargainsim.core.defense import Defense
from bargainsim.core.model import PleaModel
from bargainsim.core.streams import CASES, INSTITUTION, stream
from bargainsim.core.trackers import Tracker
from bargainsim.params import STAFF, Behaviour, Caseload, Rules, Timing


def district_sizes(n_cases: int, districts: int) -> list[int]:
    """A replication's cases split as evenly as possible across districts (the first ones take the remainder)."""
    share, extra = divmod(int(n_cases), int(districts))
    return [share + (d < extra) for d in range(int(districts))]


def district_caseload(caseload: Caseload, districts: int, district: int) -> Caseload:
    """District ``district``'s share of a jurisdiction's ``caseload`` split into ``districts`` equal parts: the
    arrival rate divided by ``districts``, each roster split like the cases (:func:`district_sizes`), so a district
    is a 1/``districts``-scale copy of the jurisdiction over the same span of time."""
    staff = {name: district_sizes(getattr(caseload, name), districts)[district] for name in STAFF}
    return replace(caseload, arrivals_per_day=caseload.arrivals_per_day / districts, **staff)


def build_district(rules: Rules, behaviour: Behaviour, caseload: Caseload, timing: Timing, n_cases: int, seed: int,
                   replication: int = 0, district: int = 0, first_case: int = 0,
                   trackers: Iterable[Tracker] = (), defense: Defense | None = None) -> PleaModel:
    """A model of one district (``caseload`` is the district's own) over its ``n_cases`` cases, numbered from
    ``first_case``, of replication ``replication`` of ``seed``; every arm built with the same arguments but
    ``rules`` sees the same cases and the same institution. ``trackers`` watch it; ``defense`` makes the defense's
    choices instead of the model's rules (:mod:`bargainsim.core.defense`)."""
    cases = draw_population(n_cases, caseload, stream(seed, replication, CASES, district), first_case)
    return PleaModel(cases, rules, behaviour, caseload, timing, stream(seed, replication, INSTITUTION, district),
                     trackers, defense)
