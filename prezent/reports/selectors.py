"""Where a county's set-up stands: the first day's steps, each with what is already there and where to do it."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prezent.accounts.models import Role, RoleAssignment
from prezent.attendance.models import AbsenceTotal
from prezent.children.models import Enrolment, OutOfSchool
from prezent.programme.models import Programme
from prezent.risk.models import EscalationStep, RuleSet
from prezent.schools.models import ClassGroup, School, SchoolYear


@dataclass
class SetupStep:
    """One step: done or not, a sentence of what is there, and the pages to go to (url name, label)."""

    title: str
    done: bool
    status: str
    links: list[tuple[str, str]] = field(default_factory=list)
    optional: bool = False


@dataclass
class CountySetup:
    county_code: str
    steps: list[SetupStep]

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps if not step.optional)

    @property
    def next_step(self) -> SetupStep | None:
        return next((step for step in self.steps if not step.done and not step.optional), None)


def county_setup(*, county_code: str, today: datetime.date) -> CountySetup:
    """The county's first-day steps in order. A fixed number of count queries, whatever the county's size."""
    schools = School.objects.filter(county_code=county_code).count()
    programmes = list(Programme.objects.filter(county_code=county_code).order_by("-start").values("pk", "code"))
    programme_schools = (
        Programme.schools.through.objects.filter(programme_id=programmes[0]["pk"]).count() if programmes else 0
    )
    year = SchoolYear.objects.filter(county_code=county_code, start__lte=today, end__gte=today).first()
    classes = ClassGroup.objects.filter(school_year=year).count() if year else 0
    pupils = (
        Enrolment.objects.filter(class_group__school_year=year, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .count()
        if year
        else 0
    )
    roles = (
        RoleAssignment.objects.active(today)
        .filter(county_code=county_code)
        .exclude(  # type: ignore[attr-defined]
            role=Role.COUNTY_COORDINATOR
        )
    )
    people = roles.values("user_id").distinct().count()
    # an account with no usable password yet has not accepted its invitation (Django marks it with this prefix)
    unaccepted = {"user__password__startswith": UNUSABLE_PASSWORD_PREFIX}
    pending = roles.filter(**unaccepted).values("user_id").distinct().count()
    totals = AbsenceTotal.objects.filter(school_year__county_code=county_code).count()
    outside = OutOfSchool.objects.filter(county_code=county_code, status=OutOfSchool.Status.OUTSIDE).count()
    rules = RuleSet.objects.filter(county_code=county_code).exists()
    ladder = EscalationStep.objects.filter(county_code=county_code).exists()

    steps = [
        SetupStep(
            _("Rețeaua școlară"),
            schools > 0,
            ngettext("O unitate în rețeaua județului.", "%(n)d unități în rețeaua județului.", schools) % {"n": schools}
            if schools
            else _("Încărcați exportul rețelei școlare al Ministerului."),
            [("schools:network_upload", _("Încarcă rețeaua școlară")), ("schools:list", _("Școlile"))],
        ),
        SetupStep(
            _("Programul și școlile lui"),
            bool(programmes) and programme_schools > 0,
            ngettext("Programul %(code)s: o școală.", "Programul %(code)s: %(n)d școli.", programme_schools)
            % {"code": programmes[0]["code"], "n": programme_schools}
            if programmes
            else _("Creați programul și alegeți-i școlile."),
            [("programme:manage_list", _("Programele")), ("results:dashboard", _("Ținte și cadrul de rezultate"))],
        ),
        SetupStep(
            _("Anul școlar"),
            year is not None,
            (
                _("Anul școlar %(name)s, cu modulele și zilele libere.") % {"name": year.name}
                + (" " + _("Are date presupuse, de confirmat.") if year.assumptions else "")
            )
            if year
            else _("Deschideți anul școlar în curs."),
            [("children:year_open", _("Deschide anul școlar")), ("schools:years", _("Anii școlari"))],
        ),
        SetupStep(
            _("Elevii, clasele și înscrierile"),
            pupils > 0,
            ngettext(
                "%(pupils)d elevi înscriși într-o clasă.", "%(pupils)d elevi înscriși în %(classes)d clase.", classes
            )
            % {"pupils": pupils, "classes": classes}
            if pupils
            else _("Încărcați exportul SIIIR al elevilor."),
            [("children:import", _("Import elevi din SIIIR")), ("children:list", _("Copiii"))],
        ),
        SetupStep(
            _("Personalul și conturile"),
            people > 0,
            ngettext(
                "O persoană cu rol; %(pending)d nu și-a setat încă parola.",
                "%(people)d persoane cu roluri; %(pending)d nu și-au setat încă parola.",
                people,
            )
            % {"people": people, "pending": pending}
            if people
            else _("Încărcați lista personalului: fiecare persoană primește o invitație."),
            [("schools:staff_import", _("Import personal")), ("schools:staff_list", _("Personalul"))],
        ),
        SetupStep(
            _("Regulile de avertizare"),
            rules and ladder,
            _("Regulile și treptele de alertă ale județului sunt stabilite.")
            if rules and ladder
            else _("Se folosesc regulile implicite până le modificați."),
            [("risk:rules", _("Regulile de risc"))],
            optional=True,
        ),
        SetupStep(
            _("Absențele din anul trecut"),
            totals > 0,
            _("%(n)d totaluri lunare sau pe module importate.") % {"n": totals}
            if totals
            else _("Opțional: totalurile anului trecut dau un punct de plecare."),
            [("attendance:totals_import", _("Import absențe anterioare"))],
            optional=True,
        ),
        SetupStep(
            _("Copiii în afara școlii"),
            outside > 0,
            _("%(n)d copii înregistrați în afara școlii.") % {"n": outside}
            if outside
            else _("Mediatorii îi înregistrează pe măsură ce îi găsesc."),
            [("children:outside_list", _("Copii în afara școlii"))],
            optional=True,
        ),
    ]
    return CountySetup(county_code=county_code, steps=steps)
