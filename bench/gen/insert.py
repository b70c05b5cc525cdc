"""Writing many rows fast: COPY on PostgreSQL, bulk_create elsewhere, both with explicit ids.

Explicit ids let one generator step refer to another's rows without reading them back; the sequences
are reset afterwards so the application's own inserts carry on after them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

Row = dict[str, Any]
BATCH = 5_000
# Generated rows are stamped with this time where Django would put "now", so runs are reproducible.
STAMP = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)


class Ids:
    """Next free primary key per model, read once from the database."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model], count: int = 1) -> int:
        """First id of `count` consecutive ids reserved for `model`."""
        if model not in self._next:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self._next[model] = top + 1
        first = self._next[model]
        self._next[model] = first + count
        return first


def _complete(model: type[models.Model], row: Row) -> Row:
    """Fill every column the row leaves out with the field's default, as Model() would."""
    out = dict(row)
    for field in model._meta.concrete_fields:
        if field.attname in out:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            out[field.attname] = STAMP
        else:
            out[field.attname] = field.get_default()
    return out


def _copy_value(field: models.Field, value: Any) -> Any:
    if value is not None and isinstance(field, models.JSONField):
        return json.dumps(value, cls=DjangoJSONEncoder)
    return value


def _batches(rows: Iterable[Row]) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def insert(model: type[models.Model], rows: Iterable[Row]) -> int:
    """Insert rows given as {attname: value}; returns how many."""
    fields = model._meta.concrete_fields
    count = 0
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for batch in _batches(rows):
                for row in batch:
                    full = _complete(model, row)
                    copy.write_row([_copy_value(f, full[f.attname]) for f in fields])
                count += len(batch)
        return count
    for batch in _batches(rows):
        model._default_manager.bulk_create([model(**_complete(model, row)) for row in batch])
        count += len(batch)
    return count


def reset_sequences(models_: list[type[models.Model]]) -> None:
    """After explicit ids, the next id the application takes must be past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
