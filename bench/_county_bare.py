"""The floors of bench_county.py: bare Django views doing the least work that gives the same rows, one or two
hand-written SQL statements each, and a urlconf holding them next to the whole app (config.urls).

They go through the same middleware as the app's views (session, authentication, CSRF, messages, CSP …) when
called with the test Client, so app ÷ floor is what the app's own code costs over the minimum. They check no
permission: the scope checks are part of what the ratio measures.
"""

import datetime

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone

PAGE_SIZE = 50

ENROLLED_SQL = """
    SELECT ch.id, ch.last_name, ch.first_name
      FROM children_enrolment e JOIN children_child ch ON ch.id = e.child_id
     WHERE e.class_group_id = %s AND e."start" <= %s AND (e."end" IS NULL OR e."end" >= %s)
     ORDER BY ch.last_name, ch.first_name, ch.id
"""

REGISTER_DAY_SQL = """
    SELECT ch.id, ch.last_name, ch.first_name, ab.hours, ab.excused
      FROM children_enrolment e
      JOIN children_child ch ON ch.id = e.child_id
      LEFT JOIN attendance_registerentry re ON re.class_group_id = e.class_group_id AND re.date = %s
      LEFT JOIN attendance_absence ab ON ab.register_entry_id = re.id AND ab.child_id = ch.id
     WHERE e.class_group_id = %s AND e."start" <= %s AND (e."end" IS NULL OR e."end" >= %s)
     ORDER BY ch.last_name, ch.first_name, ch.id
"""

INSERT_ENTRY_SQL = """
    INSERT INTO attendance_registerentry (class_group_id, date, hours, taken_by_id, taken_at)
    VALUES (%s, %s, %s, %s, %s) RETURNING id
"""

INSERT_ABSENCE_SQL = """
    INSERT INTO attendance_absence
        (register_entry_id, child_id, date, hours, excused, excuse_reason, recorded_by_id)
    VALUES (%s, %s, %s, %s, %s, '', %s)
"""

SCHOOL_RATE_SQL = """
    SELECT
      (SELECT COALESCE(SUM(re.hours), 0)
         FROM children_enrolment e
         JOIN schools_classgroup cg ON cg.id = e.class_group_id
         JOIN attendance_registerentry re ON re.class_group_id = e.class_group_id
        WHERE cg.school_id = %s AND re.date >= %s AND re.date <= %s
          AND re.date >= e."start" AND (e."end" IS NULL OR re.date <= e."end")) AS scheduled,
      a.absent, a.excused
    FROM (SELECT COALESCE(SUM(ab.hours), 0) AS absent,
                 COALESCE(SUM(CASE WHEN ab.excused THEN ab.hours ELSE 0 END), 0) AS excused
            FROM attendance_absence ab
            JOIN attendance_registerentry re ON re.id = ab.register_entry_id
            JOIN schools_classgroup cg ON cg.id = re.class_group_id
           WHERE cg.school_id = %s AND ab.date >= %s AND ab.date <= %s) a
"""


def _date(value: datetime.date) -> str:
    return connection.ops.adapt_datefield_value(value)


def raw_register_insert(*, class_id: int, day: datetime.date, hours: int, absences: dict[int, int], actor_id: int):
    """The minimal writes of a day's register: one entry and one row per absent child, in a transaction."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT_ENTRY_SQL, [class_id, _date(day), hours, actor_id, now])
        entry_id = cursor.fetchone()[0]
        for child_id, missed in absences.items():
            cursor.execute(INSERT_ABSENCE_SQL, [entry_id, child_id, _date(day), missed, False, actor_id])
    return entry_id


def raw_school_rate(*, school_id: int, start: datetime.date, end: datetime.date) -> tuple[int, int, int]:
    """(scheduled pupil-hours, absent hours, excused hours) of a school over [start, end], in one statement."""
    s, e = _date(start), _date(end)
    with connection.cursor() as cursor:
        cursor.execute(SCHOOL_RATE_SQL, [school_id, s, e, school_id, s, e])
        scheduled, absent, excused = cursor.fetchone()
    return int(scheduled), int(absent), int(excused)


def raw_child_page(*, query: str, page: int) -> tuple[list[tuple], int]:
    """One page of the child list (name order, 50 a page, with the open enrolment's class and school) and the
    number of matches: two statements, the same rows as the app's page for a user who sees every child."""
    # Case-insensitive "contains": SQLite's LIKE already ignores ASCII case; on PostgreSQL UPPER(…) LIKE UPPER(…),
    # the form Django's icontains uses (faster there than ILIKE).
    if connection.vendor == "postgresql":
        match = "(UPPER(ch.last_name) LIKE UPPER(%s) OR UPPER(ch.first_name) LIKE UPPER(%s))"
    else:
        match = "(ch.last_name LIKE %s OR ch.first_name LIKE %s)"
    conditions, params = [], []
    for word in query.split():
        conditions.append(match)
        params += [f"%{word}%", f"%{word}%"]
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM children_child ch {where}", params)
        count = int(cursor.fetchone()[0])
        # The page's ids first (walking the name index), then the joins for those 50 rows only.
        cursor.execute(
            f"""SELECT ch.id, ch.last_name, ch.first_name, cg.grade, cg.letter,
                       COALESCE(NULLIF(s.short_name, ''), s.name)
                  FROM (SELECT ch.id, ch.last_name, ch.first_name FROM children_child ch {where}
                         ORDER BY ch.last_name, ch.first_name, ch.id LIMIT {PAGE_SIZE} OFFSET %s) ch
                  LEFT JOIN children_enrolment e ON e.child_id = ch.id AND e."end" IS NULL
                  LEFT JOIN schools_classgroup cg ON cg.id = e.class_group_id
                  LEFT JOIN schools_school s ON s.id = cg.school_id
                 ORDER BY ch.last_name, ch.first_name, ch.id""",
            [*params, (page - 1) * PAGE_SIZE],
        )
        rows = cursor.fetchall()
    return rows, count


def bare_child_list_view(request: HttpRequest) -> HttpResponse:
    page = int(request.GET.get("page") or 1)
    rows, count = raw_child_page(query=request.GET.get("q", ""), page=page)
    lines = [f"{count} copii"]
    lines += [f"{r[1]} {r[2]}\t{r[3]}{r[4] or ''}\t{r[5] or ''}" for r in rows]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bare_register_view(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    """GET: the class's pupils on the day with that day's absences (one query). POST: check the posted absent
    children are enrolled (one query), then the minimal inserts."""
    the_day = datetime.date.fromisoformat(day)
    d = _date(the_day)
    with connection.cursor() as cursor:
        if request.method == "POST":
            cursor.execute(ENROLLED_SQL, [pk, d, d])
            enrolled = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute(REGISTER_DAY_SQL, [d, pk, d, d])
            rows = cursor.fetchall()
    if request.method != "POST":
        lines = [f"{r[1]} {r[2]}\t{r[3] or ''}\t{'M' if r[4] else ''}" for r in rows]
        return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    hours = int(request.POST.get("day_hours") or 6)
    absences = {
        int(key[len("absent_") :]): int(request.POST.get("hours_" + key[len("absent_") :]) or hours)
        for key in request.POST
        if key.startswith("absent_")
    }
    if not set(absences) <= enrolled:
        return HttpResponseBadRequest("not enrolled")
    raw_register_insert(class_id=pk, day=the_day, hours=hours, absences=absences, actor_id=request.user.pk)
    return HttpResponseRedirect(f"/bench/register/{pk}/{day}/")


urlpatterns = [
    path("bench/children/", bare_child_list_view, name="bench_children"),
    path("bench/register/<int:pk>/<str:day>/", bare_register_view, name="bench_register"),
    path("", include("config.urls")),
]
