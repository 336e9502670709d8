"""Notices to parents about unexcused absences: the written letter (PDF, Romanian) and SMS / e-mail.

Rules:
- the letter states the school, the child, the class, the unexcused hours of the school year so far, the legal basis
  (ROFUIP 2024, Statutul elevului, Law 198/2023) and the date, with signature lines; no other personal data;
- an SMS or e-mail goes out only when the guardian has an active consent for contact, and an SMS only to a
  verified number. Otherwise the notice is recorded as "refused" with the reason, and nothing is sent;
- the message is handed to the messaging backend after the transaction commits (never for a rolled-back notice).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.attendance.models import Absence
from prezent.children.models import Child, Consent, Enrolment, Guardian
from prezent.core.languages import document_language
from prezent.core.services import audit_record
from prezent.risk.messaging import Message, messaging_backend
from prezent.risk.models import Alert, AlertStatus, Notice
from prezent.schools.models import School
from prezent.schools.selectors import school_year_current

LETTER_CSS = """
@page { size: A4; margin: 22mm 20mm; }
body { font-family: "DejaVu Serif", "DejaVu Sans", serif; font-size: 11.5pt; line-height: 1.45; color: #000; }
.school { font-weight: bold; }
.muted { color: #333; font-size: 10pt; }
h1 { font-size: 15pt; text-align: center; margin: 14mm 0 2mm; letter-spacing: 0.05em; }
.subtitle { text-align: center; margin: 0 0 10mm; }
.hours { font-weight: bold; }
.legal { font-size: 10pt; }
.signatures { width: 100%; margin-top: 18mm; border-collapse: collapse; }
.signatures td { width: 50%; vertical-align: top; padding: 0 4mm; }
.line { margin-top: 14mm; border-top: 1px solid #000; width: 60mm; }
"""


def guardians_of(*, child: Child) -> list[Guardian]:
    """The child's parents / guardians, the primary contact first."""
    return list(
        Guardian.objects.filter(guardianship__child=child)
        .select_related("household__locality")
        .order_by("-guardianship__is_primary_contact", "last_name", "first_name", "pk")
    )


def unexcused_hours_for(*, child: Child, school: School, on: datetime.date) -> int:
    """Unexcused hours of the child in the school year that holds `on`, up to `on`."""
    year = school_year_current(county_code=school.county_code, on=on)
    if year is None:
        return 0
    total = Absence.objects.filter(child=child, excused=False, date__gte=year.start, date__lte=on).aggregate(
        total=Sum("hours")
    )["total"]
    return int(total or 0)


def consent_for_contact(*, child: Child, guardian: Guardian, on: datetime.date) -> bool:
    """An active consent of this guardian to be contacted by SMS / e-mail about this child."""
    return Consent.objects.filter(
        child=child,
        guardian=guardian,
        purpose=Consent.Purpose.CONTACT,
        given_on__lte=on,
        withdrawn_on__isnull=True,
    ).exists()


def refusal_reason(*, child: Child, guardian: Guardian, channel: str, on: datetime.date) -> str:
    """Why an SMS / e-mail may not be sent ("" when it may)."""
    if not consent_for_contact(child=child, guardian=guardian, on=on):
        return _("Nu s-a trimis: părintele nu și-a dat consimțământul pentru contact prin SMS / e-mail.")
    if channel == Notice.Channel.SMS and not (guardian.phone and guardian.phone_verified):
        return _("Nu s-a trimis: numărul de telefon al părintelui nu este verificat.")
    if channel == Notice.Channel.EMAIL and not guardian.email:
        return _("Nu s-a trimis: părintele nu are o adresă de e-mail.")
    return ""


def _current_class_label(*, child: Child, on: datetime.date) -> str:
    enrolment = (
        Enrolment.objects.filter(Q(child=child), Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))
        .select_related("class_group")
        .order_by("-start")
        .first()
    )
    return str(enrolment.class_group) if enrolment else ""


def letter_context(
    *, alert: Alert, hours: int, on: datetime.date, guardian: Guardian | None = None
) -> dict[str, object]:
    """What the letter says; it is addressed to `guardian` (the primary contact) by name, at the household's
    address, when the child has one recorded."""
    school = alert.school
    year = school_year_current(county_code=school.county_code, on=on)
    household = guardian.household if guardian is not None else None
    return {
        "guardian": guardian,
        "guardian_address": household.address if household is not None else "",
        "guardian_locality": household.locality if household is not None else None,
        "school": school,
        "locality": school.locality,
        "child_name": f"{alert.child.last_name} {alert.child.first_name}",
        "class_label": _current_class_label(child=alert.child, on=on),
        "hours": hours,
        "school_year": year.name if year else "",
        "date": on,
    }


def letter_pdf(*, context: dict[str, object]) -> bytes:
    """Render the letter with WeasyPrint (DejaVu fonts carry every Romanian diacritic: ă â î ș ț)."""
    from weasyprint import CSS, HTML

    html = render_to_string("risk/alerts/notice_letter.html", context)
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=LETTER_CSS)])
    return pdf


def _require_open(alert: Alert) -> None:
    if alert.status == AlertStatus.CLOSED:
        raise ValidationError(_("Alerta este închisă: nu se mai trimit notificări pentru ea."), code="closed")


@dataclass(frozen=True)
class LetterResult:
    notice: Notice
    pdf: bytes


@transaction.atomic
def notice_letter_create(
    *, alert: Alert, actor: User, on: datetime.date | None = None, language: str | None = None
) -> LetterResult:
    """Record a written notice for the alert's child and render the letter to print and sign, addressed to the
    primary contact, in the documents' language (`prezent.core.languages`) unless another is chosen."""
    _require_open(alert)
    day = on or timezone.localdate()
    hours = unexcused_hours_for(child=alert.child, school=alert.school, on=day)
    guardians = guardians_of(child=alert.child)
    notice = Notice.objects.create(
        child=alert.child,
        guardian=guardians[0] if guardians else None,
        alert=alert,
        channel=Notice.Channel.LETTER,
        status=Notice.Status.CREATED,
        unexcused_hours=hours,
        created_by=actor,
    )
    with document_language(language):
        pdf = letter_pdf(context=letter_context(alert=alert, hours=hours, on=day, guardian=notice.guardian))
    audit_record(actor=actor, action="notice.letter", target=notice, details={"alert": alert.pk, "hours": hours})
    return LetterResult(notice=notice, pdf=pdf)


@dataclass(frozen=True)
class SendResult:
    notice: Notice
    refusal: str

    @property
    def sent(self) -> bool:
        return not self.refusal


def message_for(*, alert: Alert, channel: str, hours: int) -> tuple[str, str]:
    """Subject and body of the SMS / e-mail: the school, the child's first name, the hours. Nothing else."""
    school = alert.school.short_name or alert.school.name
    params = {"school": school, "first_name": alert.child.first_name, "hours": hours}
    subject = _("Absențe nemotivate – %(school)s") % params
    if channel == Notice.Channel.SMS:
        body = (
            _(
                "%(school)s: %(first_name)s are %(hours)s ore nemotivate în acest an școlar. "
                "Vă rugăm să luați legătura cu dirigintele."
            )
            % params
        )
    else:
        body = (
            _(
                "Stimate părinte,\n\n%(first_name)s are %(hours)s ore de absență nemotivate în acest an școlar. "
                "Frecvența la cursuri este obligatorie (ROFUIP 2024, Statutul elevului). Absențele se pot motiva "
                "cu documente justificative în cel mult 7 zile de la revenirea la școală.\n\n"
                "Vă rugăm să luați legătura cu dirigintele cât mai curând.\n\n%(school)s"
            )
            % params
        )
    return subject, body


@transaction.atomic
def notice_send(*, alert: Alert, guardian: Guardian, channel: str, actor: User) -> SendResult:
    """Send an SMS or e-mail to a guardian of the alert's child, or record why it was not sent.

    Sent only with the guardian's active consent for contact and, for SMS, a verified number; the message goes to
    the messaging backend once the transaction commits.
    """
    if channel not in (Notice.Channel.SMS, Notice.Channel.EMAIL):
        raise ValidationError({"channel": _("Alegeți SMS sau e-mail.")})
    _require_open(alert)
    if not Guardian.objects.filter(pk=guardian.pk, guardianship__child=alert.child).exists():
        raise ValidationError({"guardian": _("Alegeți un părinte / tutore al copilului.")})
    day = timezone.localdate()
    hours = unexcused_hours_for(child=alert.child, school=alert.school, on=day)
    refusal = refusal_reason(child=alert.child, guardian=guardian, channel=channel, on=day)
    notice = Notice.objects.create(
        child=alert.child,
        guardian=guardian,
        alert=alert,
        channel=channel,
        status=Notice.Status.REFUSED if refusal else Notice.Status.SENT,
        unexcused_hours=hours,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="notice.send" if not refusal else "notice.refuse",
        target=notice,
        details={"alert": alert.pk, "guardian": guardian.pk, "channel": channel, "status": notice.status},
    )
    if not refusal:
        subject, body = message_for(alert=alert, channel=channel, hours=hours)
        to = guardian.phone if channel == Notice.Channel.SMS else guardian.email
        message = Message(channel=channel, to=to, subject=subject, body=body)
        transaction.on_commit(lambda: messaging_backend().send(message))
    return SendResult(notice=notice, refusal=refusal)
