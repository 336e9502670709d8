"""Notices to parents: the Romanian PDF letter, and SMS / e-mail only with consent and a verified number."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from prezent.children.models import Consent
from prezent.core.models import AuditEvent
from prezent.core.testing import pdf_text
from prezent.risk.alerts.notices import letter_context, notice_letter_create, notice_send
from prezent.risk.alerts.services import alert_dismiss
from prezent.risk.messaging import ConsoleBackend, FileBackend, Message, messaging_backend
from prezent.risk.models import Notice
from prezent.risk.tests import alert_fixtures
from prezent.risk.tests.alert_fixtures import TODAY, add_guardian

alerts_world = alert_fixtures.alerts_world
ladder = alert_fixtures.ladder


@pytest.fixture
def outbox(settings, tmp_path):
    settings.PREZENT_MESSAGING_BACKEND = "prezent.risk.messaging.FileBackend"
    settings.PREZENT_MESSAGING_OUTBOX = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def _files(outbox):
    return sorted(outbox.glob("*.txt")) if outbox.exists() else []


def test_letter_renders_in_romanian_with_the_facts(alerts_world):
    result = notice_letter_create(alert=alerts_world.alert_a1, actor=alerts_world.users.teacher, on=TODAY)
    assert result.pdf.startswith(b"%PDF")
    text = "".join(pdf_text(result.pdf).split())  # lines break anywhere: compare without spaces
    for words in ("anul școlar", "ÎNȘTIINȚARE", "până", "situația", "ROFUIP 2024", "Statutului elevului", "Director,"):
        assert "".join(words.split()) in text
    notice = result.notice
    assert (notice.channel, notice.status, notice.unexcused_hours) == ("letter", "created", 2)
    assert notice.guardian == alerts_world.guardian_a1
    html = render_to_string(
        "risk/alerts/notice_letter.html", letter_context(alert=alerts_world.alert_a1, hours=2, on=TODAY)
    )
    for words in ("școlar", "ÎNȘTIINȚARE", "ROFUIP 2024", "Statutului elevului", "28.11.2026", "Director,"):
        assert words in html
    assert alerts_world.child_a1.last_name in html
    assert alerts_world.school_a.name in html
    assert alerts_world.child_a1.cnp == "" or alerts_world.child_a1.cnp not in html
    assert alerts_world.guardian_a1.phone not in html


def test_letter_is_addressed_to_the_guardian_by_name_and_in_romanian_whatever_the_interface_language(
    client, alerts_world
):
    guardian = alerts_world.guardian_a1
    guardian.sex = "F"
    guardian.save()
    client.force_login(alerts_world.users.teacher)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("risk:alert_letter", kwargs={"pk": alerts_world.alert_a1.pk}))
    text = "".join(pdf_text(response.content).split())
    assert "".join(f"Către: {guardian.last_name} {guardian.first_name}".split()) in text
    assert "".join(f"Stimată doamnă {guardian.last_name},".split()) in text
    assert "ÎNȘTIINȚARE" in text and "NOTICE" not in text
    chosen = client.post(reverse("risk:alert_letter", kwargs={"pk": alerts_world.alert_a1.pk}), {"limba": "en"})
    assert "".join(f"Dear Ms {guardian.last_name},".split()) in "".join(pdf_text(chosen.content).split())


def test_letter_for_a_closed_alert_is_refused(alerts_world):
    alert_dismiss(alert=alerts_world.alert_a1, actor=alerts_world.users.county)
    with pytest.raises(ValidationError):
        notice_letter_create(alert=alerts_world.alert_a1, actor=alerts_world.users.teacher)
    assert not Notice.objects.exists()


def test_sms_without_consent_is_refused_and_nothing_is_written(
    alerts_world, outbox, django_capture_on_commit_callbacks
):
    guardian = add_guardian(alerts_world.child_a2, recorded_by=alerts_world.users.county, consent=False, verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = notice_send(
            alert=alerts_world.alert_a2, guardian=guardian, channel="sms", actor=alerts_world.users.county
        )
    assert not result.sent
    assert "consimțământ" in result.refusal
    assert result.notice.status == Notice.Status.REFUSED
    assert _files(outbox) == []
    assert AuditEvent.objects.filter(action="notice.refuse", target_id=str(result.notice.pk)).exists()


def test_sms_without_verified_number_is_refused(alerts_world, outbox, django_capture_on_commit_callbacks):
    guardian = add_guardian(alerts_world.child_a2, recorded_by=alerts_world.users.county, consent=True, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        result = notice_send(
            alert=alerts_world.alert_a2, guardian=guardian, channel="sms", actor=alerts_world.users.county
        )
    assert result.notice.status == Notice.Status.REFUSED
    assert "verificat" in result.refusal
    assert _files(outbox) == []


def test_withdrawn_consent_refuses(alerts_world, outbox, django_capture_on_commit_callbacks):
    Consent.objects.filter(guardian=alerts_world.guardian_a1).update(withdrawn_on=datetime.date(2026, 11, 1))
    with django_capture_on_commit_callbacks(execute=True):
        result = notice_send(
            alert=alerts_world.alert_a1,
            guardian=alerts_world.guardian_a1,
            channel="sms",
            actor=alerts_world.users.teacher,
        )
    assert result.notice.status == Notice.Status.REFUSED
    assert _files(outbox) == []


def test_sms_with_consent_and_verified_number_is_written_after_commit(
    alerts_world, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = notice_send(
            alert=alerts_world.alert_a1,
            guardian=alerts_world.guardian_a1,
            channel="sms",
            actor=alerts_world.users.teacher,
        )
    assert _files(outbox) == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert result.sent and result.notice.status == Notice.Status.SENT
    (written,) = _files(outbox)
    text = written.read_text(encoding="utf-8")
    assert "0722000111" in text
    assert "2 ore nemotivate" in text
    assert alerts_world.child_a1.first_name in text
    assert alerts_world.child_a1.last_name not in text  # the first name is enough for the parent
    event = AuditEvent.objects.get(action="notice.send")
    assert "0722000111" not in str(event.details)


def test_email_needs_an_address(alerts_world, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = notice_send(
            alert=alerts_world.alert_a1,
            guardian=alerts_world.guardian_a1,
            channel="email",
            actor=alerts_world.users.teacher,
        )
    assert result.notice.status == Notice.Status.REFUSED
    alerts_world.guardian_a1.email = "mama@example.ro"
    alerts_world.guardian_a1.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = notice_send(
            alert=alerts_world.alert_a1,
            guardian=alerts_world.guardian_a1,
            channel="email",
            actor=alerts_world.users.teacher,
        )
    assert result.sent
    assert "ROFUIP 2024" in _files(outbox)[0].read_text(encoding="utf-8")


def test_guardian_of_another_child_is_refused(alerts_world, outbox):
    with pytest.raises(ValidationError):
        notice_send(
            alert=alerts_world.alert_a2,
            guardian=alerts_world.guardian_a1,
            channel="sms",
            actor=alerts_world.users.county,
        )
    assert not Notice.objects.exists()


def test_backend_is_chosen_by_settings(settings, tmp_path):
    settings.PREZENT_MESSAGING_BACKEND = "prezent.risk.messaging.FileBackend"
    settings.PREZENT_MESSAGING_OUTBOX = str(tmp_path)
    assert isinstance(messaging_backend(), FileBackend)
    settings.PREZENT_MESSAGING_BACKEND = "prezent.risk.messaging.ConsoleBackend"
    assert isinstance(messaging_backend(), ConsoleBackend)


def test_file_backend_defaults_to_media_outbox(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PREZENT_MESSAGING_OUTBOX = ""
    FileBackend().send(Message(channel="sms", to="0722", subject="s", body="Școala: test"))
    (written,) = (tmp_path / "outbox").glob("*.sms.txt")
    assert "Școala: test" in written.read_text(encoding="utf-8")


def test_console_backend_prints(capsys):
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send(Message(channel="sms", to="0722", subject="s", body="corp"))
    assert "corp" in stream.getvalue()


def test_send_view_shows_the_refusal(client, alerts_world, outbox, django_capture_on_commit_callbacks):
    guardian = add_guardian(alerts_world.child_a2, recorded_by=alerts_world.users.county, consent=False, verified=True)
    client.force_login(alerts_world.users.school_coord)
    url = reverse("risk:alert_notice_send", kwargs={"pk": alerts_world.alert_a2.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"guardian": guardian.pk, "channel": "sms"}, follow=True)
    assert "nu și-a dat consimțământul" in response.content.decode()
    assert Notice.objects.get().status == Notice.Status.REFUSED
    assert _files(outbox) == []


def test_letter_view_downloads_a_pdf(client, alerts_world):
    client.force_login(alerts_world.users.teacher)
    response = client.post(reverse("risk:alert_letter", kwargs={"pk": alerts_world.alert_a1.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Notice.objects.get().channel == Notice.Channel.LETTER
