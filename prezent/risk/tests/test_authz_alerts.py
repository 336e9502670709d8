"""The authorization matrix of the alert URLs: every URL × every role, in the style of
prezent/reports/tests/test_authorization.py. Out of scope is 404, never 403.

Targets (built by `alerts_world` in alert_fixtures.py on top of the shared `world`):
- alert_a1: child_a1 (teacher's class a1, proposed for the target group), step "teacher talks to parent";
- alert_a1_visit: child_a1, step "home visit" (the mediator's step: the teacher does not see it);
- alert_a2: child_a2 (class a2, not the teacher's, not in the target group), teacher step;
- alert_b1: child_b1 in school b (only the county coordinator's scope).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from prezent.core.testing import ROLES, _row
from prezent.risk.models import Alert, AlertStatus, ContactNote, Notice
from prezent.risk.tests import alert_fixtures

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                              anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("risk:alert_list", "GET", ""): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("risk:alert_detail", "GET", "alert_a1"): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("risk:alert_detail", "GET", "alert_a1_visit"): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("risk:alert_detail", "GET", "alert_a2"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("risk:alert_detail", "GET", "alert_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:alert_follow_up", "POST", "alert_a1"): _row(302, 302, 302, 302, 302, 302, 404, 404, 404, 404),
    ("risk:alert_follow_up", "POST", "alert_a1_visit"): _row(302, 302, 302, 302, 404, 302, 404, 404, 404, 404),
    ("risk:alert_follow_up", "POST", "alert_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:alert_assign", "POST", "alert_a1"): _row(302, 302, 302, 302, 302, 302, 404, 404, 404, 404),
    ("risk:alert_assign", "POST", "alert_a2"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("risk:alert_dismiss", "POST", "alert_a1"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
    ("risk:alert_dismiss", "POST", "alert_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:alert_letter", "POST", "alert_a1"): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("risk:alert_letter", "POST", "alert_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:alert_notice_send", "POST", "alert_a1"): _row(302, 302, 302, 302, 302, 302, 404, 404, 404, 404),
    ("risk:alert_notice_send", "POST", "alert_a2"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("risk:alert_school_overview", "GET", "school_a"): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("risk:alert_school_overview", "GET", "school_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:alert_county_overview", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
}

alerts_world = alert_fixtures.alerts_world
ladder = alert_fixtures.ladder


def _kwargs(world, target: str) -> dict:
    return {"pk": getattr(world, target).pk} if target else {}


def _post_data(world, name: str, target: str) -> dict:
    if name == "risk:alert_follow_up":
        return {
            "kind": "call",
            "date": timezone.localdate().isoformat(),
            "outcome": "Am sunat.",
            "parent_reached": "on",
        }
    if name == "risk:alert_notice_send":
        guardian = world.guardian_a1 if target.startswith("alert_a1") else _guardian_for(world, target)
        return {"guardian": guardian.pk, "channel": "sms"}
    return {}


def _guardian_for(world, target: str):
    from prezent.risk.tests.alert_fixtures import add_guardian

    child = getattr(world, target).child
    return add_guardian(child, recorded_by=world.users.county, consent=False, verified=False)


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_alert_authorization_matrix(client, alerts_world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(alerts_world.users, role))
    url = reverse(name, kwargs=_kwargs(alerts_world, target))
    data = _post_data(alerts_world, name, target) if method == "POST" else {}
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"


def test_every_alert_url_is_in_the_matrix():
    from prezent.risk.alerts import urls

    covered = {name for name, _method, _target in MATRIX}
    assert {f"risk:{p.name}" for p in urls.urlpatterns} <= covered


def test_refused_writes_change_nothing(client, alerts_world):
    """A stranger's POSTs on an alert outside their scope leave no note, notice or status change."""
    client.force_login(alerts_world.users.teacher)
    alert = alerts_world.alert_a2
    for name in ("risk:alert_follow_up", "risk:alert_assign", "risk:alert_dismiss", "risk:alert_letter"):
        data = _post_data(alerts_world, name, "alert_a2")
        assert client.post(reverse(name, kwargs={"pk": alert.pk}), data).status_code == 404
    alert.refresh_from_db()
    assert (alert.status, alert.assigned_to_id) == (AlertStatus.OPEN, None)
    assert not ContactNote.objects.exists() and not Notice.objects.exists()


def test_get_on_post_only_urls_is_refused(client, alerts_world):
    client.force_login(alerts_world.users.county)
    for name in ("risk:alert_follow_up", "risk:alert_assign", "risk:alert_dismiss", "risk:alert_letter"):
        assert client.get(reverse(name, kwargs={"pk": alerts_world.alert_a1.pk})).status_code == 405
    assert Alert.objects.get(pk=alerts_world.alert_a1.pk).status == AlertStatus.OPEN
