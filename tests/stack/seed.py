"""The stack test's data, run by `manage.py shell -c` against the stack's database (production settings): one
school, a school year around today (whatever day the test runs), a class with three pupils and its teacher.

Prints one JSON line: the class, the pupils, the teacher's username, the register's day (the last school day up to
today). The password comes from PREZENT_STACK_PASSWORD.
"""

import datetime
import json
import os

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.models import Role, User
from prezent.accounts.tests.factories import assign
from prezent.children.tests.factories import enrol
from prezent.schools.models import ClassGroup
from prezent.schools.services import school_year_upsert
from prezent.schools.tests.factories import SchoolFactory


def stack_seed() -> dict:
    today = timezone.localdate()
    first = today.year if today.month >= 9 else today.year - 1
    start, end = today - datetime.timedelta(days=60), today + datetime.timedelta(days=60)
    year, _created = school_year_upsert(
        county_code="IS",
        name=f"{first}-{first + 1}",
        start=start,
        end=end,
        modules=[(start, end)],
        days_off=[],
        actor=None,
    )
    school = SchoolFactory()
    teacher = User.objects.create_user(
        username="stack-teacher", password=os.environ["PREZENT_STACK_PASSWORD"], first_name="Ana", last_name="Lupu"
    )
    assign(teacher, Role.CLASS_TEACHER, schools=[school])
    TOTPDevice.objects.create(user=teacher, name="stack", key=os.environ["PREZENT_STACK_TOTP_KEY"], confirmed=True)
    group = ClassGroup.objects.create(
        school=school, school_year=year, level="primary", grade=3, letter="A", hours_per_day=4, teacher=teacher
    )
    children = enrol(group, 3)
    day = today
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return {
        "class_id": group.pk,
        "child_ids": [child.pk for child in children],
        "username": teacher.username,
        "day": day.isoformat(),
        "today": today.isoformat(),
    }


print(json.dumps(stack_seed()))
