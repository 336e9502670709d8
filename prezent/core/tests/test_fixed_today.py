import datetime

from django.utils import timezone


def test_the_suite_runs_on_its_own_day_and_the_clock_still_moves():
    first = timezone.now()
    assert timezone.localdate() == datetime.date(2026, 11, 29)
    assert timezone.localtime(first).hour == 10
    later = timezone.now()
    assert later >= first
