"""Shared helpers for the benchmarks in bench/: database set-up, timing, query capture, tables.

Import this module before Django is set up, then call `setup_django(...)`; everything that needs Django imports
it lazily.
"""

import contextlib
import gc
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# WhiteNoise warns once per handler that `collectstatic` has not been run; irrelevant here.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)


# ---------------------------------------------------------------------------------------------------------------
# Database set-up


@dataclass
class DatabaseInfo:
    vendor: str  # "sqlite" or "postgresql"
    name: str
    workdir: Path | None  # the temporary directory of a throw-away SQLite file
    recreated: bool


def setup_django(*, prefix: str, reuse: bool = False) -> DatabaseInfo:
    """Point Django at a throw-away database and set it up.

    Without DATABASE_URL: a new SQLite file in a temporary directory. With DATABASE_URL: that database, which is
    dropped and recreated first (PostgreSQL) or deleted (SQLite file) — only if its name contains "bench", so a
    real database is never touched. `reuse=True` keeps an existing benchmark database as it is.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    workdir: Path | None = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        workdir = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        os.environ["DATABASE_URL"] = url

    import environ

    config = environ.Env.db_url_config(url)
    engine, name = config["ENGINE"], str(config["NAME"])
    vendor = "postgresql" if "postgresql" in engine else "sqlite" if "sqlite" in engine else engine
    if vendor not in ("sqlite", "postgresql"):
        raise SystemExit(f"Unsupported database engine {engine}.")
    if workdir is None and "bench" not in Path(name).name:
        raise SystemExit(f"Refusing to wipe database {name!r}: its name must contain 'bench' (e.g. prezent_bench).")
    recreated = False
    if vendor == "postgresql":
        recreated = _postgres_recreate(config, reuse=reuse)
    elif workdir is None and not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        recreated = True
    elif workdir is not None:
        recreated = True

    import django

    django.setup()
    from django.conf import settings

    assert settings.DEBUG is False, "DEBUG must be off for a benchmark"
    db_name = str(settings.DATABASES["default"]["NAME"])
    assert db_name not in ("", ":memory:") and "mode=memory" not in db_name, "not the in-memory test database"
    return DatabaseInfo(vendor=vendor, name=db_name, workdir=workdir, recreated=recreated)


def _postgres_recreate(config: dict[str, Any], *, reuse: bool) -> bool:
    import psycopg

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    name = config["NAME"]
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if reuse and exists:
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def cleanup(info: DatabaseInfo) -> None:
    from django.db import connections

    connections.close_all()
    if info.workdir is not None:
        shutil.rmtree(info.workdir, ignore_errors=True)


def engine_description() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    version = connection.pg_version  # e.g. 150020
    return f"PostgreSQL {version // 10000}.{version % 100}"


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert many rows fast through the app's own bulk inserter (COPY on PostgreSQL, multi-row INSERTs on
    SQLite). Values are given as the database takes them (ISO strings for dates, booleans, None)."""
    from prezent.core.bulk import table_insert

    return table_insert(table, columns, rows)


def sqlite_cache(kib: int) -> None:
    """Set SQLite's page cache of this connection (negative PRAGMA value = KiB); no-op on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{kib}")


@contextlib.contextmanager
def secondary_indexes_dropped(tables: Sequence[str]) -> Iterator[None]:
    """Bulk-load trick: drop the plain (non-constraint) indexes of `tables`, and build them again at the end,
    which is several times faster than keeping them up to date row by row. The schema ends up unchanged."""
    from django.db import connection

    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(tables))
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                list(tables),
            )
        else:
            cursor.execute(
                f"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                f"AND tablename IN ({marks}) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                list(tables),
            )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)


def reset_sequences(*models: Any) -> None:
    """After inserting explicit ids: move the PostgreSQL sequences past them (SQLite needs nothing)."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze() -> None:
    """Statistics for the planner, as a database in use would have (autovacuum on PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def table_count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return int(cursor.fetchone()[0])


# ---------------------------------------------------------------------------------------------------------------
# Timing


@dataclass
class Pair:
    """One benchmark: the app's times and its floor's times, in seconds."""

    name: str
    app: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    floor_name: str = ""
    app_cpu: list[float] = field(default_factory=list)  # this process's CPU time (no DB server time on PostgreSQL)
    floor_cpu: list[float] = field(default_factory=list)

    @property
    def app_ms(self) -> float:
        return statistics.median(self.app) * 1000

    @property
    def floor_ms(self) -> float:
        return statistics.median(self.floor) * 1000

    @property
    def ratio(self) -> float:
        return self.app_ms / self.floor_ms if self.floor_ms else float("inf")

    @property
    def cpu_ratio(self) -> float:
        floor = statistics.median(self.floor_cpu)
        return statistics.median(self.app_cpu) / floor if floor else float("inf")


def _timed(fn: Callable[[], Any], setup: Callable[[], Any] | None) -> tuple[float, float]:
    """(wall-clock seconds, this process's CPU seconds) of one call of `fn`, after an untimed `setup`."""
    if setup is not None:
        setup()
    gc.collect()
    gc.disable()
    try:
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        gc.enable()


def measure_pair(
    name: str,
    app: Callable[[], Any],
    floor: Callable[[], Any],
    *,
    repeat: int,
    setup: Callable[[], Any] | None = None,
    warmup: int = 2,
    floor_name: str = "",
) -> Pair:
    """Time `app` and `floor` `repeat` times each, interleaved (alternating which goes first) so that a noisy
    neighbour hits both alike; `setup` runs untimed before every call. Medians are taken by the caller."""
    pair = Pair(name=name, floor_name=floor_name)
    for _ in range(warmup):
        _timed(app, setup)
        _timed(floor, setup)
    for i in range(repeat):
        for which in ("app", "floor") if i % 2 == 0 else ("floor", "app"):
            wall, cpu = _timed(app if which == "app" else floor, setup)
            getattr(pair, which).append(wall)
            getattr(pair, f"{which}_cpu").append(cpu)
    return pair


def print_pairs(pairs: Sequence[Pair], *, title: str) -> None:
    width = max(len(p.name) for p in pairs)
    print(f"\n{title}")
    header = (
        f"  {'benchmark':<{width}}  {'app ms':>9}  {'(min)':>8}  {'floor ms':>9}  {'(min)':>8}  {'ratio':>7}"
        f"  {'CPU ratio':>9}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for p in pairs:
        print(
            f"  {p.name:<{width}}  {p.app_ms:9.2f}  {min(p.app) * 1000:8.2f}  {p.floor_ms:9.2f}  "
            f"{min(p.floor) * 1000:8.2f}  {p.ratio:6.1f}×  {p.cpu_ratio:8.1f}×"
        )
    print(f"  medians of {len(pairs[0].app)} runs each, app and floor interleaved; ratio = app median / floor median")
    print("  (wall clock); CPU ratio = the same with this process's CPU time, steadier on a busy machine, but")
    print("  without the database server's work on PostgreSQL.")
    for p in pairs:
        if p.floor_name:
            print(f"  floor of {p.name.strip()}: {p.floor_name}")


# ---------------------------------------------------------------------------------------------------------------
# Queries


@dataclass
class QueryReport:
    """The statements of one request or call: SQL as Django logged it (CaptureQueriesContext) and each
    statement's duration measured with perf_counter (an execute wrapper; Django's own is rounded to 1 ms)."""

    name: str
    queries: list[dict[str, str]]
    floor: bool = False

    @property
    def count(self) -> int:
        return len(self.queries)

    @property
    def sql_ms(self) -> float:
        return sum(float(q["time"]) for q in self.queries) * 1000

    def slowest(self) -> dict[str, str] | None:
        """The slowest statement among those timed precisely (not COMMIT, whose time Django rounds to 1 ms)."""
        timed = [q for q in self.queries if q.get("precise")] or self.queries
        return max(timed, key=lambda q: float(q["time"]), default=None)

    def repeated_shapes(self, threshold: int = 3) -> list[tuple[str, int]]:
        """Statements that differ only by their literals and run `threshold` times or more: an N+1 smell."""
        shapes = Counter(_shape(q["sql"]) for q in self.queries)
        return [(shape, n) for shape, n in shapes.most_common() if n >= threshold]


def _shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\(\s*\?(\s*,\s*\?)*\s*\)", "(?…)", sql)


def capture_queries(name: str, fn: Callable[[], Any], *, floor: bool = False) -> QueryReport:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timed: list[tuple[str, float]] = []

    def timer(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append((sql, time.perf_counter() - start))

    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
        fn()
    queries = [dict(q) for q in ctx.captured_queries]
    # Pair each logged statement with its precise duration. Transaction statements Django logs itself (COMMIT,
    # and BEGIN on PostgreSQL) do not pass through execute wrappers: they keep Django's own rounded time.
    position = 0
    for query in queries:
        if position < len(timed):
            sql, seconds = timed[position]
            if query["sql"].startswith(sql.split("%s")[0].split("?")[0][:60]):
                query["time"] = f"{seconds:.6f}"
                query["precise"] = "yes"
                position += 1
    return QueryReport(name=name, queries=queries, floor=floor)


def short_sql(sql: str, limit: int = 150) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


def explain(sql: str) -> str:
    """The plan of a captured (already interpolated) SELECT statement."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        rows = cursor.fetchall()
    return "\n".join(str(r[-1]) for r in rows)


def print_query_reports(reports: Sequence[QueryReport], *, verbose: bool = False, plans: bool = False) -> None:
    width = max(len(r.name) for r in reports)
    print("\nQueries per request / call (one run, captured with CaptureQueriesContext)")
    print(f"  {'request':<{width}}  {'queries':>7}  {'SQL ms':>8}  slowest statement")
    for report in reports:
        slowest = report.slowest()
        text = f"{float(slowest['time']) * 1000:.2f} ms: {short_sql(slowest['sql'], 90)}" if slowest else ""
        print(f"  {report.name:<{width}}  {report.count:7d}  {report.sql_ms:8.1f}  {text}")
        for shape, n in [] if report.floor else report.repeated_shapes():
            print(f"  {'':<{width}}  possible N+1: {n}× {short_sql(shape, 100)}")
        if verbose:
            for q in report.queries:
                print(f"  {'':<{width}}    {float(q['time']) * 1000:7.2f} ms  {short_sql(q['sql'], 140)}")
        if plans and slowest and slowest["sql"].lstrip().upper().startswith("SELECT"):
            for line in explain(slowest["sql"]).splitlines():
                print(f"  {'':<{width}}    plan: {line}")


def print_section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 100 - len(title)))
