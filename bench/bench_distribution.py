"""Benchmark: saving a distribution list (`prezent/cases/groups/services.py`, `delivery_list_save`).

What is measured, on one school with N of the programme's children (300 by default, a full school's hot meals):
- the first save of the day's list, every child ticked (the checks — the programme's children of the school on that
  day, the kind —, the list row, N interventions bulk-inserted, the audit event), as a ratio to its floor:
  `prezent.core.bulk.rows_insert` of the same list row and N intervention rows, in a transaction;
- saving the same list again (nothing changes: read, compare, no write), against the same floor;
- the same first save through the page (a POST of N ticks and quantities through Django's test client: session,
  scope, parsing, the save and the redirect), against the same floor.
Before every run (untimed) the list and its interventions are deleted, so each first save starts empty.

    .venv/bin/python bench/bench_distribution.py             # 300 children, 15 runs
    .venv/bin/python bench/bench_distribution.py --quick     # 300 children, 5 runs (CI)
    .venv/bin/python bench/bench_distribution.py --children 1000

It uses a temporary SQLite file, or the database of DATABASE_URL when its name contains "bench" (see _common.py).
"""

import argparse
import datetime
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--repeat", type=int)
    args = parser.parse_args()
    repeat = args.repeat or (5 if args.quick else 15)
    info = _common.setup_django(prefix="prezent-bench-distribution")
    try:
        run(children=args.children, repeat=repeat)
    finally:
        _common.cleanup(info)


def run(*, children: int, repeat: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from prezent.accounts.models import Role, RoleAssignment, User
    from prezent.cases.groups.services import delivery_list_save
    from prezent.cases.models import DeliveryList, Intervention, InterventionType
    from prezent.cases.services import intervention_types_load_defaults
    from prezent.children.models import Child, Enrolment
    from prezent.core.bulk import rows_insert
    from prezent.programme.models import Programme, TargetGroupMembership
    from prezent.schools.defaults import IASI_CALENDARS
    from prezent.schools.models import ClassGroup, Locality, School, SchoolYear
    from prezent.schools.services import school_year_upsert

    call_command("migrate", verbosity=0)
    intervention_types_load_defaults(county_code="IS")
    kind = InterventionType.objects.get(code="hot-meal")
    locality = Locality.objects.create(siruta="95060", name="IAȘI", level="uat", county_code="IS")
    school = School.objects.create(
        siiir_code="2261100001",
        kind="PJ",
        name="ȘCOALA GIMNAZIALĂ NR. 1",
        unit_type="Școală gimnazială",
        county_code="IS",
        locality=locality,
        environment="rural",
    )
    school_year_upsert(actor=None, **IASI_CALENDARS[1])
    year = SchoolYear.objects.get(county_code="IS", name="2026-2027")
    classes = ClassGroup.objects.bulk_create(
        ClassGroup(school=school, school_year=year, grade=g, letter="A", level="primary" if g <= 4 else "secondary")
        for g in range(9)
    )
    pupils = Child.objects.bulk_create(
        Child(first_name="Ana", last_name=f"Elev{n}", sex="F", birth_date=datetime.date(2016, 1, 1))
        for n in range(children)
    )
    Enrolment.objects.bulk_create(
        Enrolment(child=c, class_group=classes[n % 9], start=year.start) for n, c in enumerate(pupils)
    )
    programme = Programme.objects.create(
        code="RO10-0070", name="Program", county_code="IS", start=year.start, end=datetime.date(2027, 7, 31)
    )
    programme.schools.set([school])
    TargetGroupMembership.objects.bulk_create(
        TargetGroupMembership(programme=programme, child=c, status="included", since=year.start) for c in pupils
    )
    user = User.objects.create_user(username="bench-coordinator", password="x")  # noqa: S106
    RoleAssignment.objects.create(
        user=user, role=Role.COUNTY_COORDINATOR, scope_kind=RoleAssignment.ScopeKind.COUNTY, county_code="IS"
    )
    day = min(timezone.localdate(), datetime.date(2027, 6, 18))
    ticks = {c.pk: 1 + c.pk % 2 for c in pupils}
    now = timezone.now()
    print(f"{_common.engine_description()}; a list of {children} children ticked, {repeat} runs")

    def empty() -> None:
        Intervention.objects.filter(delivery_list__isnull=False).delete()
        DeliveryList.objects.all().delete()

    def save() -> None:
        saved = delivery_list_save(school=school, kind=kind, day=day, ticks=ticks, actor=user)
        assert saved.added == children, saved

    def save_again() -> None:
        saved = delivery_list_save(school=school, kind=kind, day=day, ticks=ticks, actor=user)
        assert not saved.ticks_changed, saved

    def floor(on: datetime.date = day) -> None:
        with transaction.atomic():
            rows_insert(
                DeliveryList,
                ["school", "type", "day", "created_by", "updated_at"],
                [(school.pk, kind.pk, on, user.pk, now)],
            )
            list_id = DeliveryList.objects.values_list("pk", flat=True).get(day=on)
            rows_insert(
                Intervention,
                [
                    "case",
                    "delivery_list",
                    "group",
                    "child",
                    "type",
                    "delivered_on",
                    "delivered_by",
                    "recipient",
                    "quantity",
                    "notes",
                    "created_at",
                ],
                ((None, list_id, None, c, kind.pk, on, user.pk, "child", q, "", now) for c, q in ticks.items()),
            )

    client = Client()
    client.force_login(user)
    url = reverse("cases:delivery_list", kwargs={"school": school.pk, "kind": kind.code, "day": day.isoformat()})
    # as a browser sends it (urlencoded), not the test client's default multipart
    form = urlencode({f"c{c}": "on" for c in ticks} | {f"q{c}": str(q) for c, q in ticks.items()})

    def post() -> None:
        response = client.post(url, form, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, response.status_code

    def filled() -> None:
        empty()
        save()

    pairs = [
        _common.measure_pair("first save", save, floor, repeat=repeat, setup=empty, floor_name="rows_insert"),
        # (the list of `day` exists here, so the floor writes the same rows on the day before)
        _common.measure_pair(
            "save again (no change)",
            save_again,
            lambda: floor(day - datetime.timedelta(days=1)),
            repeat=repeat,
            setup=filled,
        ),
        _common.measure_pair("first save through the page", post, floor, repeat=repeat, setup=empty),
    ]
    _common.print_pairs(pairs, title=f"Saving a distribution list of {children} children")
    print("  floor: rows_insert of the list row and the interventions (same columns), in a transaction.")
    connection.close()


if __name__ == "__main__":
    main()
