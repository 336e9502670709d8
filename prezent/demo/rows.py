"""Plain-row inserts for the demo's big tables (through the shared `prezent.core.bulk.rows_insert`), and the date
and time values they take."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Max
from django.utils.translation import gettext as _

from prezent.core.bulk import rows_insert
from prezent.demo.exceptions import DemoError


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
