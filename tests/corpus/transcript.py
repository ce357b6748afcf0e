"""Bad inputs to `bargainsim-transcript`."""

from __future__ import annotations

from corpus import BadInput


def transcript(case_id: str, args: tuple[str, ...], names: tuple[str, ...]) -> BadInput:
    return BadInput(case_id, "bargainsim-transcript", args, names)


CASES: list[BadInput] = [
    transcript("transcript-case-not-an-integer", ("--case", "seventeen"),
               ("--case", "'seventeen' is not an integer", "0 to n-cases − 1")),
    transcript("transcript-case-without-value", ("--case",), ("--case", "expected one argument")),
    transcript("transcript-unknown-option", ("--cases", "3"), ("--cases", "--case ID", "--n-cases N")),
    transcript("transcript-case-too-large", ("--case", "400"), ("--case 400", "0 to 399", "--n-cases")),
    transcript("transcript-case-negative", ("--case", "-1"), ("--case -1", "0 to 399")),
    transcript("transcript-case-beyond-n-cases", ("--case", "50", "--n-cases", "50"), ("--case 50", "0 to 49")),
    transcript("transcript-seed-negative", ("--seed", "-1"), ("--seed", "[0, 9223372036854775807]")),
    transcript("transcript-seed-too-large", ("--seed", str(2**63)), ("--seed", "[0, 9223372036854775807]")),
    transcript("transcript-seed-not-an-integer", ("--seed", "20.24"), ("--seed", "'20.24' is not an integer")),
    transcript("transcript-reform-unknown", ("--reform", "disclosure_everything"),
               ("--reform 'disclosure_everything'", "allowed values", "disclosure_full", "no_kpi")),
    transcript("transcript-reform-empty-part", ("--reform", "no_kpi+"), ("--reform ''", "allowed values")),
    transcript("transcript-reforms-conflict", ("--reform", "disclosure_core+disclosure_full"),
               ("disclosure_core", "disclosure_full", "rules.disclosure", "choose one")),
    transcript("transcript-width-too-narrow", ("--width", "79"), ("--width 79", "≥ 80")),
    transcript("transcript-width-too-wide", ("--width", "100000"), ("--width 100000", "≤ 1000")),
    transcript("transcript-n-cases-zero", ("--n-cases", "0"), ("--n-cases 0", "≥ 1")),
    transcript("transcript-n-cases-huge", ("--n-cases", "50000000"), ("--n-cases 50000000", "≤ 100000")),
    transcript("transcript-replication-negative", ("--replication", "-3"), ("--replication -3", "≥ 0")),
    transcript("transcript-jurisdiction-unknown", ("--jurisdiction", "prussia"),
               ("--jurisdiction 'prussia'", "allowed values", "us_federal", "england_wales", "germany")),
    transcript("transcript-reform-excluded-under-jurisdiction", ("--jurisdiction", "germany", "--reform",
                                                                 "two_way_initiation"),
               ("--reform two_way_initiation", "jurisdiction=germany", "§ 257c StPO", "allowed values",
                "public_observation")),
    transcript("transcript-reform-idle-under-jurisdiction", ("--jurisdiction", "italy", "--reform", "no_kpi"),
               ("--reform no_kpi", "changes nothing", "rules.kpi_pressure", "allowed values")),
]
