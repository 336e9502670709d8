"""The authorization matrix of the activities URLs: every URL × every role. Out of scope is 404, never 403.

Targets (built by `activities_world` in conftest.py on top of the shared `world`):
- school_a / activity_a / event_a / evidence_a: the school coordinator's and mediator's school;
- school_b / activity_b / event_b / evidence_b: only the county coordinator's scope;
- course_t / session_t / enrolment_t: the trainer's course (school a); course_other / session_other: another
  trainer's course (school b).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.activities.models import Activity, CampaignEvidence, CourseSession
from prezent.activities.tests.factories import PNG_BYTES, CourseFactory, activity_type, campaign_kind
from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                                  anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("activities:calendar", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:create", "GET", "school_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:create", "GET", "school_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:create", "POST", "school_a"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("activities:create", "POST", "school_b"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:detail", "GET", "activity_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:detail", "GET", "activity_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:edit", "GET", "activity_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:edit", "POST", "activity_b"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:coverage", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 200, 404, 404),
    ("activities:catalogue", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:catalogue", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:catalogue_toggle", "POST", "type"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:catalogue_edit", "GET", "type"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:catalogue_edit", "POST", "type"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:course_list", "GET", ""): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:course_create", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:course_detail", "GET", "course_t"): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:course_detail", "GET", "course_other"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:course_session_add", "POST", "course_t"): _row(302, 302, 404, 404, 404, 404, 302, 404, 404, 404),
    ("activities:course_session_add", "POST", "course_other"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:course_settings", "POST", "course_t"): _row(302, 302, 404, 404, 404, 404, 302, 404, 404, 404),
    ("activities:course_enrol", "GET", "course_t"): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:course_enrol", "GET", "course_other"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    # the trainee list is for a teacher course: 404 on a parent course whoever asks
    ("activities:course_trainees", "GET", "course_t"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:course_trainees", "GET", "course_teachers"): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:course_trainees", "POST", "course_teachers"): _row(302, 302, 404, 404, 404, 404, 302, 404, 404, 404),
    ("activities:course_scores", "GET", "course_t"): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:course_scores", "GET", "course_other"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:certificates_all", "GET", "course_t"): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:certificate", "GET", "course_t"): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:session_attendance", "GET", "session_t"): _row(302, 200, 404, 404, 404, 404, 200, 404, 404, 404),
    ("activities:session_attendance", "POST", "session_t"): _row(302, 302, 404, 404, 404, 404, 302, 404, 404, 404),
    ("activities:session_attendance", "GET", "session_other"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:campaign_list", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:campaign_create", "GET", "school_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:campaign_create", "POST", "school_a"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("activities:campaign_create", "GET", "school_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:campaign_detail", "GET", "event_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:campaign_detail", "GET", "event_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:evidence_upload", "POST", "event_a"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("activities:evidence_upload", "POST", "event_b"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:evidence_remove", "POST", "evidence_a"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("activities:evidence_remove", "POST", "evidence_b"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:evidence_download", "GET", "evidence_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("activities:evidence_download", "GET", "evidence_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("activities:campaign_map", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 200, 404, 404),
}


def _kwargs(world, name: str, target: str) -> dict:
    if not target:
        return {}
    if name in ("activities:create", "activities:campaign_create"):
        return {"school_id": getattr(world, target).pk}
    if name in ("activities:catalogue_toggle", "activities:catalogue_edit"):
        return {"which": "tip", "pk": activity_type().pk}
    if name == "activities:certificate":
        return {"pk": world.course_t.pk, "enrolment_id": world.enrolment_t.pk}
    if target == "course_teachers":
        world.course_teachers = CourseFactory(kind="teachers", trainer=world.users.trainer, schools=[world.school_a])
    return {"pk": getattr(world, target).pk}


def _post_data(world, name: str, target: str) -> dict:
    if name in ("activities:create", "activities:edit"):
        school = world.school_b if target.endswith("_b") else world.school_a
        child = world.child_b1 if school == world.school_b else world.child_a1
        return {
            "type": activity_type().pk,
            "title": "Atelier de lectură",
            "date": "2026-11-25",
            "facilitator": "Ioana Munteanu",
            "audience": "children",
            "children": [child.pk],
        }
    if name == "activities:catalogue":
        return {
            "which": "type",
            "type-code": "robotica",
            "type-name": "Robotică",
            "type-audience": "children",
            "type-order": 20,
            "type-active": "on",
        }
    if name == "activities:catalogue_edit":
        return {"name": "Club de lectură", "audience": "children", "order": 2, "active": "on"}
    if name == "activities:course_session_add":
        course = getattr(world, target)
        return {"date": course.start.isoformat(), "topic": "Comunicarea cu copilul"}
    if name == "activities:course_settings":
        return {"start": "2026-10-01", "end": "2026-12-15", "completion_percent": 75}
    if name == "activities:session_attendance":
        return {"present": [world.enrolment_t.pk]}
    if name == "activities:campaign_create":
        return {
            "kind": campaign_kind().pk,
            "date": "2026-11-20",
            "reached_children": 10,
            "reached_parents": 5,
            "reached_teachers": 2,
            "reached_others": 0,
            "material_1": "Pliante",
            "quantity_1": 100,
        }
    if name == "activities:course_trainees":
        content = f"Nume și prenume;Cod SIIIR\nPopa Elena;{world.school_a.siiir_code}\n".encode()
        return {"file": SimpleUploadedFile("cursanti.csv", content, content_type="text/csv")}
    if name == "activities:evidence_upload":
        return {"file": SimpleUploadedFile("foaie.png", PNG_BYTES, content_type="image/png")}
    return {}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_activities_authorization_matrix(client, activities_world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(activities_world.users, role))
    url = reverse(name, kwargs=_kwargs(activities_world, name, target))
    data = _post_data(activities_world, name, target) if method == "POST" else {}
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"


def test_every_activities_url_is_in_the_matrix():
    from prezent.activities import urls

    covered = {name for name, _method, _target in MATRIX}
    assert {f"activities:{p.name}" for p in urls.urlpatterns} <= covered


def test_refused_writes_change_nothing(client, activities_world):
    """The school coordinator of school a POSTs on school b's objects and another trainer's course: 404, and
    nothing is added."""
    w = activities_world
    client.force_login(w.users.school_coord)
    before = (Activity.objects.count(), CampaignEvidence.objects.count(), CourseSession.objects.count())
    data = _post_data(w, "activities:create", "school_b")
    assert client.post(reverse("activities:create", kwargs={"school_id": w.school_b.pk}), data).status_code == 404
    upload = {"file": SimpleUploadedFile("foaie.png", PNG_BYTES, content_type="image/png")}
    assert client.post(reverse("activities:evidence_upload", kwargs={"pk": w.event_b.pk}), upload).status_code == 404
    client.force_login(w.users.trainer)
    data = _post_data(w, "activities:course_session_add", "course_other")
    url = reverse("activities:course_session_add", kwargs={"pk": w.course_other.pk})
    assert client.post(url, data).status_code == 404
    after = (Activity.objects.count(), CampaignEvidence.objects.count(), CourseSession.objects.count())
    assert before == after
