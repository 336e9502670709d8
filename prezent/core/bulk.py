"""One bulk inserter for the big writes (the nightly scores, the demo, imports, benchmarks).

`bulk_create` spends far more time turning model instances into parameters than the database spends inserting
them (about 100 µs a row); rows here are plain tuples, already in the form the database takes (numbers, text,
ISO dates or date objects, None). PostgreSQL gets COPY (psycopg 3); other databases get multi-row INSERTs, as many
rows a statement as the database's parameter limit allows (on SQLite about 1.5× faster than `executemany`).
Table and column names come from the model's metadata and are quoted; every value is a parameter.
"""

import contextlib
import gc
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, cast

from django.db import connection, models

MAX_PARAMS = 30_000


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch builds many small objects it keeps (an import's
    100,000 checked rows and look-up tables): each collection would walk every one of them again, for nothing,
    since rows and tables hold no reference cycles. Reference counting still frees everything as usual; the
    collector resumes (if it was on) when the block ends, however it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rows_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (values in `fields` order; a foreign key by its name or its `<name>_id`) into the model's
    table; returns how many."""
    meta = model._meta
    columns = [cast(models.Field, meta.get_field(name)).column for name in fields]
    return table_insert(meta.db_table, columns, rows)


def table_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` into `table` (a name from a model's metadata, never from input); returns how many."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = getattr(cursor, "cursor", None)
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        limit = _parameter_limit()
        one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for part in _chunks(rows, max(1, limit // max(1, len(columns)))):
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([one_row] * len(part))}"  # noqa: S608
            cursor.execute(sql, [value for row in part for value in row])
            count += len(part)
    return count


def _parameter_limit() -> int:
    """Bound parameters a statement may carry. Django's flag for SQLite is the historical 999; the library
    in use tells its real limit (32,766 since SQLite 3.32)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        getlimit = getattr(connection.connection, "getlimit", None)
        if getlimit is not None:
            return min(int(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)), MAX_PARAMS)
    return min(connection.features.max_query_params or MAX_PARAMS, MAX_PARAMS)


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while part := list(islice(iterator, size)):
        yield part
