"""The demo's results framework: indicators with targets and their revision, periods locked up to the demo's
day, and dashboards that show every built-in indicator with a figure and the baseline comparison."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from prezent.accounts.models import User
from prezent.children.models import Child
from prezent.programme.models import MembershipStatus, TargetGroupMembership
from prezent.results.indicators import REGISTRY
from prezent.results.models import Framework, Indicator, PeriodActual, PeriodStatus, ReportingPeriod

SEED_ARGS = ("--seed", "11", "--schools", "2", "--today", "2026-11-27")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("seed_demo", *SEED_ARGS, stdout=out)
        yield out.getvalue()
        call_command("flush", "--no-input", verbosity=0)


@pytest.mark.django_db
def test_demo_has_the_framework_with_revised_targets_and_locked_periods(demo):
    assert "Rezultate: 19 indicatori, 4 perioade de raportare (2 blocate) (" in demo
    framework = Framework.objects.get()
    assert framework.baseline_year.name == "2025-2026"
    children = Indicator.objects.get(code="children")
    assert [int(t.value) for t in children.targets.order_by("set_on")] == [1070, 1445]
    assert set(REGISTRY) <= set(Indicator.objects.values_list("code", flat=True))
    locked = ReportingPeriod.objects.filter(status=PeriodStatus.LOCKED).order_by("end")
    assert [p.name for p in locked] == ["Raport intermediar 1", "Raport intermediar 2"]
    included = (
        TargetGroupMembership.objects.filter(status__in=[MembershipStatus.INCLUDED, MembershipStatus.EXITED])
        .filter(steps__to_status="included", steps__date__lte=locked[0].end)
        .distinct()
        .count()
    )
    assert PeriodActual.objects.get(period=locked[0], code="children").value == included


@pytest.mark.django_db
def test_demo_dashboard_shows_every_indicator_with_a_baseline_and_no_name_to_the_evaluator(demo, client):
    client.force_login(User.objects.get(username="evaluator"))
    response = client.get(reverse("results:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for code in REGISTRY:  # the Roma aggregates too: the evaluator reads the coordinator's report (decision 44)
        assert f'data-testid="actual-{code}"' in html, code
        assert f'data-testid="actual-{code}">–<' not in html, code
    assert "2025-2026 (anul de referință)" in html
    names = set(Child.objects.values_list("last_name", "first_name")[:300])
    assert not any(f"{last} {first}" in html for last, first in names)


@pytest.mark.django_db
def test_demo_has_a_budget_of_591944_eur_with_spending_frozen_in_the_locked_periods(demo, client):
    from prezent.results.budget.models import BudgetPlan, PeriodSpent

    assert "Buget: 10 linii, " in demo
    assert sum(BudgetPlan.objects.values_list("amount_eur", flat=True)) == 591944
    locked = ReportingPeriod.objects.filter(status=PeriodStatus.LOCKED)
    frozen = sum(PeriodSpent.objects.filter(period__in=locked).values_list("spent_eur", flat=True))
    assert frozen > 0
    spent = PeriodActual.objects.get(period=locked.order_by("end").last(), code="spent_eur").value
    assert spent == frozen  # cumulative to the end of the second period: both periods' spending
    client.force_login(User.objects.get(username="evaluator"))
    html = client.get(reverse("results:budget")).content.decode()
    assert 'data-testid="planned-total">591.944,00<' in html
