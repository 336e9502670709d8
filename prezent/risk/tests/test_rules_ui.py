import pytest
from django.urls import reverse
from django.utils import timezone

from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.risk.backtest.services import rule_set_propose
from prezent.risk.models import RiskScore, RuleSet
from prezent.risk.scoring import Bands, Criterion
from prezent.risk.selectors import rule_set_current
from prezent.risk.services import risk_defaults_load, risk_recompute
from prezent.schools.tests.factories import ClassGroupFactory

pytestmark = pytest.mark.django_db


def _post(current, **overrides):
    criteria = list(current.criteria.all())
    data = {
        "name": current.name,
        "low_from": current.low_from,
        "medium_from": current.medium_from,
        "high_from": current.high_from,
        "note": "prag mai strict",
        "c-TOTAL_FORMS": len(criteria),
        "c-INITIAL_FORMS": len(criteria),
        "c-MIN_NUM_FORMS": 0,
        "c-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(criteria):
        data.update(
            {
                f"c-{i}-indicator": c.indicator,
                f"c-{i}-operator": c.operator,
                f"c-{i}-threshold": str(c.threshold).replace(".", ","),
                f"c-{i}-points": c.points,
            }
        )
    data.update(overrides)
    return data


def test_editing_the_rules_makes_a_new_version_and_keeps_the_old(client, world):
    client.force_login(world.users.county)
    assert client.get(reverse("risk:rules")).status_code == 200
    first = rule_set_current(county_code="IS")
    response = client.post(reverse("risk:rules"), _post(first, **{"c-0-points": 7}))
    assert response.status_code == 302
    second = rule_set_current(county_code="IS")
    assert second.version == first.version + 1
    assert second.criteria.order_by("pk").first().points == 7
    assert first.criteria.order_by("pk").first().points != 7 or first.pk != second.pk
    assert RuleSet.objects.filter(county_code="IS").count() == 2


def test_bands_out_of_order_are_refused_and_no_version_is_made(client, world):
    client.force_login(world.users.county)
    client.get(reverse("risk:rules"))
    first = rule_set_current(county_code="IS")
    response = client.post(reverse("risk:rules"), _post(first, low_from=9, medium_from=4, high_from=8))
    assert response.status_code == 400
    assert "scăzut ≤ mediu ≤ ridicat" in response.content.decode()
    assert RuleSet.objects.filter(county_code="IS").count() == 1


def test_recompute_scores_the_county_with_the_current_version(client, world):
    client.force_login(world.users.county)
    client.post(reverse("risk:recompute"))
    scores = RiskScore.objects.filter(is_current=True)
    assert scores.exists()
    assert {s.rule_set_id for s in scores} == {rule_set_current(county_code="IS").pk}


def test_a_proposed_version_is_shown_never_in_force_and_the_coordinator_adopts_it(client, world):
    client.force_login(world.users.county)
    client.get(reverse("risk:rules"))
    current = rule_set_current(county_code="IS")
    fitted = [Criterion(c.indicator, c.operator, float(c.threshold), 1) for c in current.criteria.all()]
    proposal = rule_set_propose(
        base=current, criteria=fitted, bands=Bands(1, 3, 6), note="puncte potrivite", actor=None
    )
    other = rule_set_propose(
        base=risk_defaults_load(county_code="VS"), criteria=fitted, bands=Bands(1, 3, 6), note="alt județ", actor=None
    )
    assert rule_set_current(county_code="IS") == current
    page = client.get(reverse("risk:rules")).content.decode()
    assert "propusă" in page and "Adoptă această propunere" in page and "mediu de la 3" in page
    assert client.post(reverse("risk:rules_adopt", args=[other.pk])).status_code == 404  # another county's
    assert client.post(reverse("risk:rules_adopt", args=[current.pk])).status_code == 404  # not a proposal
    assert client.post(reverse("risk:rules_adopt", args=[proposal.pk])).status_code == 302
    adopted = rule_set_current(county_code="IS")
    assert adopted.version == proposal.version + 1 and not adopted.proposed
    assert (adopted.low_from, adopted.medium_from, adopted.high_from) == (1, 3, 6)
    assert AuditEvent.objects.filter(action="rule_set.adopt", actor=world.users.county).count() == 1
    client.force_login(world.users.teacher)
    assert client.post(reverse("risk:rules_adopt", args=[proposal.pk])).status_code == 404


def test_a_county_coordinators_recompute_leaves_another_county_untouched_and_names_the_actor(client, world):
    elsewhere = ClassGroupFactory(school__county_code="VS", school__locality__county_code="VS")
    child = enrol(elsewhere, n=1)[0]
    client.force_login(world.users.county)
    client.post(reverse("risk:recompute"))
    assert RiskScore.objects.filter(is_current=True).exists()
    assert not RiskScore.objects.filter(child=child).exists()
    assert not RuleSet.objects.filter(county_code="VS").exists()
    event = AuditEvent.objects.get(action="risk.recompute")
    assert event.actor == world.users.county
    assert event.details["county"] == "IS"
    risk_recompute(on=timezone.localdate())  # the nightly run, by contrast, scores every county
    assert RiskScore.objects.filter(child=child).exists()
