"""The generated documents are current, and every parameter has a recognised source."""

from pathlib import Path

import pytest

from bargainsim.core.record import COLUMNS
from bargainsim.params import specs
from bargainsim.reporting.docs import (
    DATA_DICTIONARY,
    PARAMETER_GROUPS,
    PARAMETERS,
    render_data_dictionary,
    render_parameters,
    source_kinds,
)

ROOT = Path(__file__).resolve().parents[1]


def test_data_dictionary_is_current():
    assert (ROOT / DATA_DICTIONARY).read_text(encoding="utf-8") == render_data_dictionary(), \
        "docs/data_dictionary.md is stale: run `python -m bargainsim.reporting.docs`"


def test_every_record_column_is_documented():
    text = render_data_dictionary()
    for column in COLUMNS:
        assert f"| `{column.name}` |" in text
        assert column.description


def test_parameter_table_is_current():
    assert (ROOT / PARAMETERS).read_text(encoding="utf-8") == render_parameters(), \
        "docs/parameters.md is stale: run `python -m bargainsim.reporting.docs`"


def test_every_parameter_is_in_the_table_with_a_recognised_source():
    text = render_parameters()
    for prefix, cls, _ in PARAMETER_GROUPS:
        for name, f in specs(cls):
            assert f"| `{prefix}.{name}` |" in text
            assert f.metadata["doc"], f"{prefix}.{name} has no description"
            assert source_kinds(f.metadata["source"]), \
                f"{prefix}.{name}: source {f.metadata['source']!r} is not a paper, statute, statistic, " \
                "'assumption' or 'calibrated'"


@pytest.mark.parametrize(("source", "kinds"), [
    ("seeds/004 §3.1", ("paper",)),
    ("CPL art. 174; seeds/004 §3.1", ("paper", "statute")),
    ("SPP 2024 white paper", ("statistic",)),
    ("FRCrP 11(c)(1)(A)", ("statute",)),
    ("art. 444(1) c.p.p.", ("statute",)),
    ("§ 257c StPO", ("statute",)),
    ("assumption after seeds/002", ("assumption",)),
    ("calibrated (results/calibration; make calibrate)", ("calibrated",)),
    ("a hunch", ()),
    ("seeds/x", ()),
])
def test_source_kinds(source, kinds):
    assert source_kinds(source) == kinds


def test_parameter_table_shows_defaults_units_and_ranges():
    text = render_parameters()
    assert "| `rules.disclosure` | none | – | `none`, `core`, `full` | seeds/004 §2.2, §3.2 |" in text
    assert "| `timing.review_limit_speedy` | 10 | calendar days | [1, 365] | CPL art. 172 |" in text
    assert "| `rules.mutual_disclosure` | false | – | true, false |" in text
