"""The information campaign: events with materials and people reached, evidence files checked by content and
size and kept private, and the county map of the schools reached."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.activities.campaign.services import Reached, campaign_event_record, campaign_evidence_add
from prezent.activities.logic import sniff_file_kind
from prezent.activities.models import CampaignEvent, CampaignEvidence
from prezent.activities.tests.factories import PDF_BYTES, PNG_BYTES, CampaignEventFactory, campaign_kind
from prezent.core.models import AuditEvent


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (PNG_BYTES[:16], "image/png"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"MZ\x90\x00", None),
        (b"<html><script>", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_file_kind_comes_from_the_content(head, expected):
    kind = sniff_file_kind(head)
    assert (kind.content_type if kind else None) == expected


def test_an_event_records_materials_people_reached_and_named_parents(activities_world):
    w = activities_world
    event = campaign_event_record(
        school=w.school_a,
        kind=campaign_kind("intalnire"),
        date=datetime.date(2026, 11, 12),
        description="Întâlnire cu părinții clasei a III-a",
        reached=Reached(children=0, parents=1, teachers=3, others=2),
        materials=[("Pliante", 40), ("Afișe", 2)],
        guardian_ids=[w.guardian_a1.pk],
        actor=w.users.school_coord,
    )
    assert [(m.name, m.quantity) for m in event.materials.all()] == [("Pliante", 40), ("Afișe", 2)]
    assert list(event.guardians.all()) == [w.guardian_a1]
    assert event.reached_total == 6


def test_a_parent_of_another_school_cannot_be_named(activities_world):
    w = activities_world
    before = CampaignEvent.objects.count()
    with pytest.raises(ValidationError):
        campaign_event_record(
            school=w.school_a,
            kind=campaign_kind(),
            date=datetime.date(2026, 11, 12),
            description="",
            reached=Reached(parents=1),
            guardian_ids=[w.guardian_b1.pk],
            actor=w.users.school_coord,
        )
    assert CampaignEvent.objects.count() == before


def test_the_event_form_needs_a_quantity_for_each_material(client, activities_world):
    w = activities_world
    client.force_login(w.users.school_coord)
    url = reverse("activities:campaign_create", kwargs={"school_id": w.school_a.pk})
    data = {
        "kind": campaign_kind("pliante").pk,
        "date": "2026-11-20",
        "reached_children": 120,
        "reached_parents": 60,
        "reached_teachers": 10,
        "reached_others": 0,
        "material_1": "Pliante „Școala contează”",
    }
    before = CampaignEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Scrieți cantitatea." in response.content.decode() and "Școala contează" in response.content.decode()
    assert CampaignEvent.objects.count() == before
    assert client.post(url, {**data, "quantity_1": 150}).status_code == 302


def _upload(client, event, name, content, content_type):
    url = reverse("activities:evidence_upload", kwargs={"pk": event.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type=content_type)})


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(client, activities_world, private_evidence):
    w = activities_world
    client.force_login(w.users.school_coord)
    files_before, rows_before = stored_files(private_evidence), CampaignEvidence.objects.count()
    response = _upload(client, w.event_a, "poza.jpg", b"MZ\x90\x00 this is a program, not a photo", "image/jpeg")
    assert response.status_code == 400
    assert "Fișierul nu este o fotografie sau un PDF" in response.content.decode()
    assert stored_files(private_evidence) == files_before
    assert CampaignEvidence.objects.count() == rows_before


def test_a_file_too_large_is_refused_and_nothing_is_stored(client, activities_world, private_evidence, settings):
    w = activities_world
    settings.PREZENT_EVIDENCE_MAX_BYTES = 1024
    client.force_login(w.users.school_coord)
    files_before, rows_before = stored_files(private_evidence), CampaignEvidence.objects.count()
    response = _upload(client, w.event_a, "foaie.pdf", PDF_BYTES + b"0" * 2048, "application/pdf")
    assert response.status_code == 400
    assert "Fișierul este prea mare" in response.content.decode()
    assert "limita este 1,0" in response.content.decode()
    assert stored_files(private_evidence) == files_before
    assert CampaignEvidence.objects.count() == rows_before


def test_a_scan_is_stored_privately_and_served_only_through_the_view(client, activities_world, private_evidence):
    w = activities_world
    client.force_login(w.users.school_coord)
    response = _upload(client, w.event_a, "prezenta.pdf", PDF_BYTES, "application/pdf")
    assert response.status_code == 302
    evidence = CampaignEvidence.objects.get(original_name="prezenta.pdf")
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF_BYTES)
    path = private_evidence / evidence.storage_name
    assert path.read_bytes() == PDF_BYTES
    assert "prezenta" not in evidence.storage_name  # a random name, never the uploaded one
    assert Path(settings.STATIC_ROOT) not in path.parents
    download = client.get(reverse("activities:evidence_download", kwargs={"pk": evidence.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(w.users.teacher)
    assert client.get(reverse("activities:evidence_download", kwargs={"pk": evidence.pk})).status_code == 404


def test_evidence_uploaded_by_mistake_is_removed_with_its_file(
    client, private_evidence, activities_world, django_capture_on_commit_callbacks
):
    w = activities_world
    client.force_login(w.users.mediator)
    response = _upload(client, w.event_a, "gresit.png", PNG_BYTES, "image/png")
    wrong = CampaignEvidence.objects.get(original_name="gresit.png")
    path = private_evidence / wrong.storage_name
    assert path.exists()
    detail = client.get(reverse("activities:campaign_detail", kwargs={"pk": w.event_a.pk})).content.decode()
    assert reverse("activities:evidence_remove", kwargs={"pk": wrong.pk}) in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:evidence_remove", kwargs={"pk": wrong.pk}))
    assert response.status_code == 302
    assert not CampaignEvidence.objects.filter(pk=wrong.pk).exists()
    assert not path.exists()
    assert (private_evidence / w.evidence_a.storage_name).exists()  # the others stay
    event = AuditEvent.objects.get(action="campaign_evidence.remove")
    assert event.details == {
        "event": w.event_a.pk,
        "type": "image/png",
        "size": len(PNG_BYTES),
        "uploaded_by": w.users.mediator.pk,
    }
    assert "Dovada a fost ștearsă." in client.get(response["Location"]).content.decode()


def test_removing_evidence_needs_a_post_and_the_events_scope(client, activities_world, private_evidence):
    w = activities_world
    client.force_login(w.users.school_coord)
    url = reverse("activities:evidence_remove", kwargs={"pk": w.evidence_a.pk})
    assert client.get(url).status_code == 405
    assert client.post(reverse("activities:evidence_remove", kwargs={"pk": w.evidence_b.pk})).status_code == 404
    assert CampaignEvidence.objects.count() == 2


def test_the_service_refuses_an_empty_file(activities_world):
    w = activities_world
    with pytest.raises(ValidationError):
        campaign_evidence_add(event=w.event_a, upload=SimpleUploadedFile("gol.png", b""), actor=w.users.school_coord)


def test_the_map_shows_reached_and_not_reached_schools(client, activities_world):
    w = activities_world
    third = type(w.school_a).objects.create(
        siiir_code="2261999999",
        kind="PJ",
        name="Școala Gimnazială Nouă",
        county_code="IS",
        locality=w.school_a.locality,
        environment="rural",
    )
    w.programme.schools.add(third)
    client.force_login(w.users.me_viewer)
    page = client.get(reverse("activities:campaign_map") + "?de=2026-09-01&pana=2026-11-27").content.decode()
    assert "<svg" in page and "county-map" in page
    assert page.count("<circle") >= 3
    assert "2 din 3 școli atinse de campanie." in page
    assert w.child_a1.last_name not in page


def test_the_map_period_filters_events(client, activities_world):
    w = activities_world
    CampaignEventFactory(school=w.school_a, date=datetime.date(2027, 2, 1), created_by=w.users.county)
    client.force_login(w.users.county)
    page = client.get(reverse("activities:campaign_map") + "?de=2027-01-01&pana=2027-03-01").content.decode()
    assert "1 din 2 școli atinse de campanie." in page


def _queries(client, url, django_assert_max_num_queries, n):
    client.get(url)
    with django_assert_max_num_queries(n):
        return client.get(url)


def test_campaign_list_and_map_do_not_query_per_event_or_school(
    client, activities_world, django_assert_max_num_queries
):
    w = activities_world
    for day in range(1, 21):
        CampaignEventFactory(school=w.school_a, date=datetime.date(2026, 10, day), created_by=w.users.county)
    client.force_login(w.users.county)
    page = _queries(client, reverse("activities:campaign_list"), django_assert_max_num_queries, 11)
    assert page.content.decode().count("/activitati/campanie/") >= 22
    _queries(client, reverse("activities:campaign_map"), django_assert_max_num_queries, 13)


def test_the_map_covers_the_programme_period_by_default(client, activities_world):
    """The world's programme starts on 23.11.2026: the events of 10.11 are before it, one of 25.11 counts."""
    w = activities_world
    client.force_login(w.users.county)
    assert "0 din 2 școli atinse de campanie." in client.get(reverse("activities:campaign_map")).content.decode()
    CampaignEventFactory(school=w.school_b, date=datetime.date(2026, 11, 25), created_by=w.users.county)
    assert "1 din 2 școli atinse de campanie." in client.get(reverse("activities:campaign_map")).content.decode()


def test_schools_outside_the_programme_are_not_on_the_map(client, activities_world):
    w = activities_world
    w.programme.schools.remove(w.school_b)
    client.force_login(w.users.county)
    page = client.get(reverse("activities:campaign_map") + "?de=2026-09-01").content.decode()
    assert "1 din 1 școli atinse de campanie." in page


def test_the_campaign_list_comes_in_pages(client, activities_world):
    w = activities_world
    CampaignEventFactory.create_batch(55, school=w.school_a, created_by=w.users.county)
    client.force_login(w.users.school_coord)
    first = client.get(reverse("activities:campaign_list")).content.decode()
    assert "Pagina 1 din 2" in first and first.count("<tr><td>") == 50
    second = client.get(reverse("activities:campaign_list") + "?page=2").content.decode()
    assert second.count("<tr><td>") == 6  # 55 + the world's event of school a
