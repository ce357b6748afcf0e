"""Case records as tables: the Arrow schema of ``cases.parquet`` and pandas frames with nullable flags."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from bargainsim.core.record import COLUMNS, NAMES, NULLABLE, CaseLog, Coded, Missing

_ARROW = {"string": pa.string(), "int64": pa.int64(), "bool": pa.bool_(), "float64": pa.float64(),
          "boolean": pa.bool_()}
SCHEMA = pa.schema([pa.field(c.name, _ARROW[c.dtype]) for c in COLUMNS])


def to_table(rows: CaseLog | list[dict], **constants: object) -> pa.Table:
    """An Arrow table of case rows in column order: a model's :class:`CaseLog` or row dicts. A column the rows
    lack is null (as is None in a 'boolean' column); ``constants`` give a column one value for every row (a run's
    reform, replication and seed).

    Rows with the same keys in the same order are transposed in one pass over their values, several times faster
    than looking each column up in each row."""
    coded = isinstance(rows, CaseLog) and rows.coded
    if isinstance(rows, CaseLog):
        values = rows.columns()
    else:
        keys = tuple(rows[0]) if rows else ()
        if all(tuple(row) == keys for row in rows):
            values = dict(zip(keys, zip(*map(tuple, map(dict.values, rows)))))
        else:
            values = {name: [row.get(name) for row in rows] for name in NAMES}
    columns = []
    for field in SCHEMA:
        name = field.name
        if name in constants:
            column = [constants[name]] * len(rows)
        else:
            column = values.get(name, [None] * len(rows))
        if coded and NULLABLE[name]:
            columns.append(pa.array(column == 1, mask=column < 0, type=field.type))
            continue
        if isinstance(column, Coded):
            columns.append(pa.array(column.names, type=field.type).take(column.codes))
            continue
        columns.append(pa.array(column, type=field.type))
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def to_frame(table: pa.Table) -> pd.DataFrame:
    """A pandas frame with nullable booleans for the NA-able flags (of the columns the table has)."""
    frame = table.to_pandas()
    for column in COLUMNS:
        if column.dtype == "boolean" and column.name in frame:
            frame[column.name] = frame[column.name].astype("boolean")
    return frame



def missing_where(missing: Missing, cases: pd.DataFrame) -> pd.Series:
    """Whether each case's value is to be missing, by the column's :class:`~bargainsim.core.record.Missing` rule."""
    if missing.condition is None:
        return pd.Series(False, index=cases.index)
    return cases.eval(missing.condition).astype(bool)
