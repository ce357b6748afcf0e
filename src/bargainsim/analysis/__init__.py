"""Per-run outcome metrics and paired comparisons of reform arms with the status quo.

The simulation writes one record per case. The outcome registry (:mod:`.outcomes`) says what each outcome averages
over which cases; :func:`run_metrics` (:mod:`.metrics`) reduces the records to one row per run (reform arm x
replication); :func:`summarize` (:mod:`.statistics`) compares arms over replications, pairing each arm with the
baseline run that shares its replication (and hence its seed). :mod:`bargainsim.reporting.formatting` renders the
summary as text.
"""

from bargainsim.analysis.metrics import MetricsAccumulator, Part, Tally, case_metrics, run_metrics
from bargainsim.analysis.outcomes import (
    ALL_OUTCOMES,
    CASE_COLUMNS,
    DECIMALS,
    DISPERSION,
    FROM_CASES,
    FROM_CASES_COLUMNS,
    GROUPS,
    HEADLINE,
    LIKE_CASE_KEYS,
    MEANS,
    OUTCOMES,
    RUN_KEYS,
    Group,
    Outcome,
    case_outcomes,
    case_value,
)
from bargainsim.analysis.statistics import SUMMARY_COLUMNS, arm_order, summarize, summary_baseline, summary_level
from bargainsim.core.record import STATUS_QUO

__all__ = ["ALL_OUTCOMES", "CASE_COLUMNS", "DECIMALS", "DISPERSION", "FROM_CASES", "FROM_CASES_COLUMNS", "GROUPS",
           "HEADLINE", "LIKE_CASE_KEYS", "MEANS", "OUTCOMES", "RUN_KEYS", "STATUS_QUO", "SUMMARY_COLUMNS", "Group",
           "MetricsAccumulator", "Outcome", "Part", "Tally", "arm_order", "case_metrics", "case_outcomes", "case_value",
           "run_metrics", "summarize", "summary_baseline", "summary_level"]
