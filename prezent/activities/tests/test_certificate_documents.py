"""What the programme's certificates carry: set by the county coordinator, printed on every certificate of the
county's courses, in Romanian whatever the interface language."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from prezent.activities.courses.services import course_certificates_issue
from prezent.core.models import AuditEvent
from prezent.core.testing import pdf_text


def _flat(text: str) -> str:
    return "".join(text.split())


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (20, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def with_documents(client, activities_world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = activities_world
    client.force_login(w.users.county)
    response = client.post(
        reverse("programme:documents", args=[w.programme.pk]),
        {
            "issuers": "Inspectoratul Școlar Județean Iași\nAsociația Împreună",
            "signatories": "Inspector școlar general, Ion Popescu\nPreședinte, Ana Ionescu",
            "funder_mention": "Proiect finanțat prin granturile SEE 2014–2021.",
            "logo": SimpleUploadedFile("sigla.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    w.programme.refresh_from_db()
    return w


def test_the_coordinator_sets_issuers_signatories_mention_and_logo_audited(with_documents):
    w = with_documents
    assert w.programme.issuer_lines == ["Inspectoratul Școlar Județean Iași", "Asociația Împreună"]
    assert w.programme.logo.name.startswith("programme/sigla-")
    event = AuditEvent.objects.get(action="programme.documents")
    assert sorted(event.details["fields"]) == ["funder_mention", "issuers", "logo", "signatories"]


def test_certificates_carry_them_in_romanian_whatever_the_interface_language(client, with_documents):
    w = with_documents
    client.force_login(w.users.trainer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("activities:certificate", kwargs={"pk": w.course_t.pk, "enrolment_id": w.enrolment_t.pk})
    response = client.get(url)
    assert response.status_code == 200
    text = _flat(pdf_text(response.content))
    for words in (
        "Inspectoratul Școlar Județean Iași",
        "Asociația Împreună",
        "Inspector școlar general, Ion Popescu",
        "Președinte, Ana Ionescu",
        "Proiect finanțat prin granturile SEE",
        "CERTIFICAT DE ABSOLVIRE",
        "(semnătura și ștampila)",
    ):
        assert _flat(words) in text, words
    assert b"/Subtype /Image" in response.content or b"/Subtype/Image" in response.content  # the logo
    english = client.get(url + "?limba=en")
    assert _flat("CERTIFICATE OF COMPLETION") in _flat(pdf_text(english.content))


def test_a_logo_that_is_not_an_image_is_refused_and_the_text_kept(client, activities_world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = activities_world
    client.force_login(w.users.county)
    response = client.post(
        reverse("programme:documents", args=[w.programme.pk]),
        {"issuers": "ISJ Iași", "logo": SimpleUploadedFile("sigla.png", b"not an image", content_type="image/png")},
    )
    assert response.status_code == 400
    assert "ISJ Iași" in response.content.decode()
    w.programme.refresh_from_db()
    assert w.programme.issuers == "" and not w.programme.logo
    assert not AuditEvent.objects.filter(action="programme.documents").exists()


def test_without_a_programme_the_certificate_still_prints(activities_world):
    w = activities_world
    w.course_t.county_code = "VS"  # a county with no programme
    w.course_t.save()
    pdf = course_certificates_issue(course=w.course_t, enrolment=w.enrolment_t, actor=w.users.trainer)
    assert _flat("CERTIFICAT DE ABSOLVIRE") in _flat(pdf_text(pdf))
