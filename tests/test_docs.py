"""The generated documents are current."""

from pathlib import Path

from bargainsim.docs import DATA_DICTIONARY, render_data_dictionary
from bargainsim.records import COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def test_data_dictionary_is_current():
    assert (ROOT / DATA_DICTIONARY).read_text(encoding="utf-8") == render_data_dictionary(), \
        "docs/data_dictionary.md is stale: run `python -m bargainsim.docs`"


def test_every_record_column_is_documented():
    text = render_data_dictionary()
    for column in COLUMNS:
        assert f"| `{column.name}` |" in text
        assert column.description
