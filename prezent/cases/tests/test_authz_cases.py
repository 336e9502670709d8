"""The authorization matrix of the case URLs: every URL × every role (format of prezent/risk/tests/
test_authz_alerts.py). Out of scope is 404, never 403. Targets are built by `cases_world` (tests/conftest.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prezent.cases.models import Case, CaseNote, Intervention
from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                              anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("cases:work", "GET", ""): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("cases:list", "GET", ""): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("cases:open", "GET", ""): _row(302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    ("cases:open", "GET", "child_a2"): _row(302, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    ("cases:catalogue", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:catalogue_toggle", "POST", "hot_meal"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:detail", "GET", "case_a1"): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("cases:detail", "GET", "case_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:file", "GET", "case_a1"): _row(302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    ("cases:file", "GET", "case_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:assessment", "GET", "case_a1"): _row(302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    ("cases:assessment", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:assessment", "POST", "case_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:plan", "GET", "case_a1"): _row(302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    ("cases:plan", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:plan_review", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:intervention_add", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 302, 404, 404, 404, 404),
    ("cases:intervention_add", "POST", "case_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    # recorded by the case worker: the recorder and those who manage the case may remove it; the mediator may not
    ("cases:intervention_remove", "POST", "intervention_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:visit_add", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 302, 404, 404, 404, 404),
    ("cases:visit_done", "POST", "visit_a1"): _row(302, 302, 302, 302, 404, 302, 404, 404, 404, 404),
    ("cases:referral_add", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:referral_answer", "POST", "referral_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:referral_due", "POST", "referral_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:note_add", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 302, 404, 404, 404, 404),
    ("cases:note_add", "POST", "case_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:transition", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:close_request", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:close_decide", "POST", "case_a1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    # case_b1 has no closure requested: the coordinator gets the page back with the message (400), nothing changes
    ("cases:close_decide", "POST", "case_b1"): _row(302, 400, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:reassign", "POST", "case_a1"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
    # no case worker works at school b: the coordinator gets the page back with the message (400)
    ("cases:reassign", "POST", "case_b1"): _row(302, 400, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:hand_over", "POST", "case_a1"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:hand_over", "POST", "case_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    # group deliveries: whoever records interventions at the school; groups are created and filled by those who run
    # cases there (the mediator ticks attendance and lists)
    ("cases:deliveries", "GET", ""): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("cases:delivery_list", "GET", "school_a"): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("cases:delivery_list", "GET", "school_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:delivery_list", "POST", "school_a"): _row(302, 302, 302, 302, 404, 302, 404, 404, 404, 404),
    ("cases:groups", "GET", ""): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("cases:groups", "POST", ""): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:group_detail", "GET", "group_a"): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("cases:group_detail", "GET", "group_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:group_detail", "POST", "group_a"): _row(302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    ("cases:group_attendance", "GET", "group_a"): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("cases:group_attendance", "GET", "group_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("cases:group_attendance", "POST", "group_a"): _row(302, 302, 302, 302, 404, 302, 404, 404, 404, 404),
}


def _url(world, name: str, target: str) -> str:
    if name == "cases:delivery_list":
        school = getattr(world, target).pk
        return reverse(name, kwargs={"school": school, "kind": "hot-meal", "day": world.monday.isoformat()})
    if name == "cases:group_attendance":
        return reverse(name, kwargs={"pk": getattr(world, target).pk, "day": world.monday.isoformat()})
    if name == "cases:open":
        url = reverse(name)
        return f"{url}?copil={getattr(world, target).pk}" if target else url
    return reverse(name, kwargs={"pk": getattr(world, target).pk} if target else {})


def _post_data(world, name: str) -> dict:
    today = timezone.localdate().isoformat()
    day = world.monday.isoformat()
    if name == "cases:assessment":
        data = {"assessed_on": today, "risk_factors": ["poverty"], "summary": "ok"}
        for domain in ("education", "family", "health", "economic", "housing", "social"):
            data[f"level_{domain}"] = "1"
        return data
    if name == "cases:plan":
        return {
            "drawn_up_on": today,
            "goals": "Prezență",
            "review_every_months": "3",
            "s0_type": world.hot_meal.pk,
            "s0_responsible": "asistent",
            "s0_target_date": today,
        }
    if name == "cases:plan_review":
        return {"revizuire-reviewed_on": today, "revizuire-notes": "merge bine"}
    if name == "cases:intervention_add":
        return {"type": world.hot_meal.pk, "delivered_on": day, "recipient": "child", "quantity": "20"}
    if name == "cases:intervention_remove":
        return {f"i{world.intervention_a1.pk}-reason": "duplicate"}
    if name == "cases:visit_add":
        return {"planned_on": today}
    if name == "cases:visit_done":
        prefix = f"v{world.visit_a1.pk}-"
        return {f"{prefix}visited_on": today, f"{prefix}outcome": "Familia acasă.", f"{prefix}parent_reached": "on"}
    if name == "cases:referral_add":
        return {"institution": "dgaspc", "institution_name": "DGASPC Iași", "sent_on": day, "reason": "protecție"}
    if name == "cases:referral_answer":
        prefix = f"r{world.referral_a1.pk}-"
        return {f"{prefix}answered_on": today, f"{prefix}answer": "Am preluat."}
    if name == "cases:referral_due":
        return {f"t{world.referral_a1.pk}-due_on": (world.monday + timedelta(days=45)).isoformat()}
    if name == "cases:note_add":
        return {"written_on": today, "text": "Notă", "confidentiality": "team"}
    if name == "cases:transition":
        return {"stare-to_status": "monitoring", "stare-on": today}
    if name == "cases:close_request":
        return {"inchidere-reason": "moved_school", "inchidere-on": today}
    if name == "cases:close_decide":
        return {"decision": "approve"}
    if name == "cases:reassign":
        return {
            "responsabil-to_worker": world.caseworker2.pk,
            "responsabil-on": today,
            "responsabil-reason": "concediu",
        }
    if name == "cases:delivery_list":
        return {f"c{world.child_a1.pk}": "on", f"q{world.child_a1.pk}": "2"}
    if name == "cases:groups":
        return {
            "school": world.school_a.pk,
            "name": "Remediale matematică",
            "kind": "remedial",
            "kind_type": world.catalogue["remedial"].pk,
            "weekdays": ["1", "3"],
            "start": day,
            "end": "2027-06-18",
        }
    if name == "cases:group_detail":
        return {"children": [world.child_a1.pk]}
    if name == "cases:group_attendance":
        return {f"c{world.child_a1.pk}": "on"}
    if name == "cases:hand_over":
        return {
            "predare-to": "spas",
            "predare-institution_name": "SPAS Ciurea",
            "predare-handed_over": "Dosarul și planul.",
            "predare-on": today,
        }
    return {}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_case_authorization_matrix(client, cases_world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(cases_world.users, role))
    url = _url(cases_world, name, target)
    response = client.get(url) if method == "GET" else client.post(url, _post_data(cases_world, name))
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"


def test_every_case_url_is_in_the_matrix():
    from prezent.cases import urls

    covered = {name for name, _method, _target in MATRIX}
    assert {f"cases:{p.name}" for p in urls.urlpatterns} <= covered


def test_refused_writes_change_nothing(client, cases_world):
    """The teacher's and a stranger's POSTs leave no intervention, note or state change."""
    w = cases_world
    before = (Intervention.objects.count(), CaseNote.objects.count())
    for role in ("teacher", "me_viewer", "trainer"):
        client.force_login(getattr(w.users, role))
        for name in ("cases:intervention_add", "cases:note_add", "cases:transition", "cases:close_decide"):
            assert client.post(_url(w, name, "case_a1"), _post_data(w, name)).status_code == 404
    assert (Intervention.objects.count(), CaseNote.objects.count()) == before
    assert Case.objects.get(pk=w.case_a1.pk).status == "active"


def test_get_on_post_only_urls_is_refused(client, cases_world):
    client.force_login(cases_world.users.county)
    for name in (
        "cases:intervention_add",
        "cases:note_add",
        "cases:transition",
        "cases:close_decide",
        "cases:reassign",
    ):
        assert client.get(_url(cases_world, name, "case_a1")).status_code == 405
