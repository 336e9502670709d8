"""Reads of children and families, always scoped to the user (see permissions.py for the rules)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.accounts.permissions import can_view_children
from prezent.accounts.scope import scope_for
from prezent.children.models import Child, Consent, Enrolment, EthnicityDeclaration, Guardianship, OutOfSchool
from prezent.children.permissions import (
    CHILD_WRITERS,
    OUTSIDE_VIEWERS,
    can_edit_child,
    can_view_child_ethnicity,
    enrolment_scope_q,
    outside_scope_q,
)
from prezent.core.text import fold
from prezent.schools.models import ClassGroup
from prezent.schools.selectors import class_list_visible_to, school_scope_q


def child_list_visible_to(*, user: User) -> QuerySet[Child]:
    """Every child the user may open. Out of scope is simply absent (so a detail view gives 404)."""
    if not can_view_children(user=user):
        return Child.objects.none()
    # EXISTS lets the database stop at the first matching enrolment and page by the name index, instead of
    # building the whole visible set first (bench/bench_county.py: ~95 ms → ~1 ms for page 1 at 100k pupils).
    enrolled = Exists(Enrolment.objects.filter(enrolment_scope_q(user), child=OuterRef("pk")))
    if not scope_for(user).has(*OUTSIDE_VIEWERS):
        return Child.objects.filter(enrolled)
    # A child outside school may have no enrolment at all: their record outside school makes them visible.
    outside = Exists(OutOfSchool.objects.filter(outside_scope_q(user), child=OuterRef("pk")))
    return Child.objects.filter(enrolled | outside)


def child_get_for_user_or_404(*, user: User, pk: int) -> Child:
    return get_object_or_404(child_list_visible_to(user=user).select_related("household"), pk=pk)


def class_list_writable_by(*, user: User) -> QuerySet[ClassGroup]:
    """The classes a child may be added to or moved into: those of the schools the user's writing roles reach."""
    return class_list_visible_to(user=user).filter(school_scope_q(user, *CHILD_WRITERS, prefix="school__"))


def child_get_writable_or_404(*, user: User, pk: int) -> Child:
    """A child the user may see and write for; anything else is 404, as if the child did not exist."""
    child = child_get_for_user_or_404(user=user, pk=pk)
    if not can_edit_child(user=user, child=child):
        raise Http404
    return child


def current_enrolment_prefetch(day: datetime.date | None = None) -> Prefetch:
    """Prefetch each child's enrolment open on `day` (with class and school) as `current_enrolments`."""
    on = day or timezone.localdate()
    queryset = Enrolment.objects.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on)).select_related(
        "class_group", "class_group__school"
    )
    return Prefetch("enrolments", queryset=queryset, to_attr="current_enrolments")


def child_search(
    *, user: User, query: str = "", school_id: int | None = None, class_id: int | None = None
) -> QuerySet[Child]:
    """The child list with its filters. One query for the page, one for the prefetched enrolments. `outside` marks
    a child with an open record outside school."""
    children = child_list_visible_to(user=user).annotate(
        outside=Exists(OutOfSchool.objects.filter(child=OuterRef("pk"), status=OutOfSchool.Status.OUTSIDE))
    )
    if query:
        for word in query.split():
            children = children.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    if school_id:
        children = children.filter(enrolments__class_group__school_id=school_id, enrolments__end__isnull=True)
    if class_id:
        children = children.filter(enrolments__class_group_id=class_id, enrolments__end__isnull=True)
    return children.prefetch_related(current_enrolment_prefetch()).order_by("last_name", "first_name", "pk")


def child_current_class_id(*, child: Child, day: datetime.date | None = None) -> int | None:
    """The class the child is enrolled in on `day` (today by default), or None."""
    on = day or timezone.localdate()
    enrolment = (
        child.enrolments.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on)).order_by("-start").first()
    )
    return enrolment.class_group_id if enrolment else None


def child_enrolment_history(*, child: Child) -> QuerySet[Enrolment]:
    return child.enrolments.select_related("class_group", "class_group__school", "class_group__school_year").order_by(
        "-start"
    )


def child_possible_duplicates(
    *, first_name: str, last_name: str, birth_date: datetime.date | None, cnp: str = ""
) -> list[Child]:
    """Children that are likely the same person: the same CNP, or the same name and birth date (ignoring case
    and diacritics, which are often missing when a name is typed on a phone).

    Looks across all records (not only the user's scope) so a child is not created twice; the caller shows only
    what the user may see, and a count of the rest. The birth date narrows the candidates to a few hundred even
    for the whole country, so names are compared in Python, the same way on SQLite and PostgreSQL.
    """
    found: dict[int, Child] = {}
    if cnp:
        found.update({c.pk: c for c in Child.objects.filter(cnp=cnp)})
    if birth_date and first_name and last_name:
        wanted = (fold(first_name), fold(last_name))
        for child in Child.objects.filter(birth_date=birth_date):
            if (fold(child.first_name), fold(child.last_name)) == wanted:
                found[child.pk] = child
    return list(found.values())


def ethnicity_for_child(*, user: User, child: Child) -> EthnicityDeclaration | None:
    """The child's self-declared ethnicity, only for a role that needs it held at the child's school
    (special-category data)."""
    if not can_view_child_ethnicity(user=user, child=child):
        return None
    return EthnicityDeclaration.objects.filter(child=child).first()


def household_county(child: Child) -> str:
    """The county of the child's current school (for the household's locality list), or of the child's newest
    record outside school when they were never enrolled."""
    enrolment = child.enrolments.select_related("class_group__school").order_by("-start").first()
    if enrolment is not None:
        return enrolment.class_group.school.county_code
    record = child.out_of_school.order_by("-recorded_on", "-pk").first()
    return record.county_code if record else ""


def consents_of(*, user: User, child: Child) -> QuerySet[Consent]:
    """A child's consents, newest first, with who gave, recorded and withdrew each. A consent for declaring the
    ethnicity says that one was declared, so it is listed only for who may see the child's ethnicity."""
    consents = child.consents.select_related("guardian", "recorded_by", "withdrawn_by").order_by("-given_on", "-pk")
    if not can_view_child_ethnicity(user=user, child=child):
        consents = consents.exclude(purpose=Consent.Purpose.ETHNICITY)
    return consents


def guardianship_get_for_child_or_404(*, child: Child, pk: int) -> Guardianship:
    """One of the child's guardians (with the guardian), for a child the caller has already found in scope; a
    guardian of another child is 404."""
    return get_object_or_404(Guardianship.objects.select_related("guardian"), child=child, pk=pk)


def consent_get_for_child_or_404(*, user: User, child: Child, pk: int) -> Consent:
    """One consent, of those the user sees, of a child the caller has already found in scope."""
    return get_object_or_404(consents_of(user=user, child=child), pk=pk)


@dataclass
class WithdrawalEffects:
    """What withdrawing one consent changes, in words for the person about to confirm it."""

    stops: list[str] = field(default_factory=list)
    stays: list[str] = field(default_factory=list)


def _same_purpose_active(consent: Consent, **match: object) -> Consent | None:
    return (
        Consent.objects.filter(child_id=consent.child_id, purpose=consent.purpose, withdrawn_on__isnull=True, **match)
        .exclude(pk=consent.pk)
        .order_by("-given_on", "-pk")
        .first()
    )


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "d.m.Y")


def consent_withdrawal_effects(*, consent: Consent) -> WithdrawalEffects:
    """What stops when this consent is withdrawn, derived from the checks that read consents:

    - programme: opening a case on the basis "consent" needs an active programme consent given by a guardian
      with that legal basis (`cases.services.consent_for_case`); without one, a case needs another legal basis
      and a written justification. Open cases and the target group are not changed by a withdrawal;
    - contact: an SMS or e-mail about absences goes to a guardian only with that guardian's active contact consent
      for the child (`risk.alerts.notices.consent_for_contact`); otherwise it is recorded as not sent. The printed
      letter needs no consent;
    - ethnicity, personal data, photos: no check in Prezent reads them, so nothing stops by itself; what the
      person has to do by hand is said instead.

    Another active consent that satisfies the same check keeps the function going; the effects say so.
    """
    effects = WithdrawalEffects()
    purpose = consent.purpose
    if purpose == Consent.Purpose.PROGRAMME:
        if consent.legal_basis != Consent.LegalBasis.CONSENT or consent.guardian_id is None:
            effects.stays.append(
                _(
                    "Această înregistrare nu este consimțământul unui părinte cu temeiul „consimțământ”, deci "
                    "deschiderea unui caz nu depindea de ea."
                )
            )
        elif other := _same_purpose_active(consent, legal_basis=Consent.LegalBasis.CONSENT, guardian__isnull=False):
            effects.stays.append(
                _(
                    "Copilul are și un alt consimțământ activ pentru participarea în program (din %(day)s): un caz "
                    "se poate deschide în continuare pe baza lui."
                )
                % {"day": _day(other.given_on)}
            )
        else:
            effects.stops.append(
                _(
                    "Un caz nou pentru copil nu se mai poate deschide pe baza consimțământului: va cere alt temei "
                    "legal (interes public, obligație legală sau interes vital) și o justificare scrisă."
                )
            )
        effects.stays.append(
            _(
                "Un caz deschis deja nu se închide automat: cine conduce cazul decide dacă îl închide sau îl continuă "
                "pe alt temei legal."
            )
        )
        effects.stays.append(
            _("Copilul rămâne în grupul țintă până când coordonatorul îl scoate; Prezent nu îl scoate automat.")
        )
    elif purpose == Consent.Purpose.CONTACT:
        guardian = consent.guardian
        if guardian is None:
            effects.stays.append(
                _(
                    "Consimțământul nu este al unui părinte anume; SMS-urile și e-mailurile cer consimțământul "
                    "părintelui căruia i se scrie, deci nu depindeau de el."
                )
            )
        elif other := _same_purpose_active(consent, guardian=guardian):
            effects.stays.append(
                _(
                    "%(guardian)s are și un alt consimțământ activ pentru contact (din %(day)s): mesajele se trimit "
                    "în continuare."
                )
                % {"guardian": guardian, "day": _day(other.given_on)}
            )
        else:
            effects.stops.append(
                _(
                    "SMS-urile și e-mailurile despre absențe către %(guardian)s nu se mai trimit: o încercare se "
                    "înregistrează ca „netrimisă”, cu motivul."
                )
                % {"guardian": guardian}
            )
        effects.stays.append(
            _(
                "Înștiințarea scrisă (scrisoarea tipărită pentru părinți) se poate emite în continuare: nu cere "
                "consimțământ."
            )
        )
    else:
        effects.stays.append(_("Prezent nu verifică automat acest consimțământ: nicio funcție nu se oprește singură."))
        if purpose == Consent.Purpose.ETHNICITY:
            effects.stays.append(
                _(
                    "Etnia declarată, dacă a fost înregistrată, rămâne în fișa copilului și în cifrele agregate; "
                    "Prezent nu o șterge la retragere."
                )
            )
        elif purpose == Consent.Purpose.PHOTOS:
            effects.stays.append(
                _(
                    "Fotografiile încărcate deja la evenimentele campaniei nu se șterg automat; le poate șterge, de pe "
                    "pagina evenimentului, cine poate adăuga dovezi acolo."
                )
            )
        else:
            effects.stays.append(_("Datele copilului rămân înregistrate; Prezent nu le șterge și nu le ascunde."))
    effects.stays.append(
        _("Ce s-a făcut înainte de retragere pe baza consimțământului rămâne valabil (GDPR art. 7 alin. 3).")
    )
    return effects
