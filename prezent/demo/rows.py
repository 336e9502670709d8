"""Plain-row inserts for the demo's big tables, and the date and time values they take."""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import connection, models
from django.db.models import Max
from django.utils.translation import gettext as _

from prezent.demo.exceptions import DemoError

INSERT_CHUNK = 20000


def rows_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert plain rows with one prepared statement (`executemany`), for the demo's big tables.

    `bulk_create` spends far more time turning model instances into parameters than the database spends
    inserting them (≈20× on SQLite); rows here are already plain values, dates adapted by `db_date` and
    `db_datetime`. Table and column names come from the model's meta and are quoted.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(cast(models.Field, meta.get_field(name)).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    total = 0
    chunk: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= INSERT_CHUNK:
                cursor.executemany(sql, chunk)
                total += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total


def rows_insert_ids(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """`rows_insert`, then the new ids in insertion order (ids grow with each insert inside the transaction;
    the demo runs alone on its database)."""
    before = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    rows_insert(model, fields, rows)
    ids = list(model._default_manager.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(rows):
        raise DemoError(
            _("%(model)s: %(written)d rânduri scrise, %(read)d citite înapoi.")
            % {"model": model._meta.label, "written": len(rows), "read": len(ids)}
        )
    return ids


def db_date(day: datetime.date | None) -> object:
    return connection.ops.adapt_datefield_value(day)


def db_datetime(moment: datetime.datetime | None) -> object:
    return connection.ops.adapt_datetimefield_value(moment)
