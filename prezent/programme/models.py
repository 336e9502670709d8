"""A programme (name, funder, dates, schools, targets) and its target group, whose members move
screened → proposed → included → exited, each step with date, reason and who did it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    code = models.CharField(_("cod"), max_length=40, unique=True)
    name = models.CharField(_("denumire"), max_length=200)
    funder = models.CharField(_("finanțator"), max_length=200, blank=True)
    county_code = models.CharField(_("județ"), max_length=2)
    start = models.DateField(_("început"))
    end = models.DateField(_("sfârșit"))
    schools = models.ManyToManyField("schools.School", related_name="programmes", blank=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programe")
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="programme_dates")]

    def __str__(self) -> str:
        return self.name


INDICATOR_LABELS = {
    "children": _("copii în grupul țintă"),
    "children_roma": _("copii romi în grupul țintă"),
    "parents": _("părinți sprijiniți"),
    "parents_roma": _("părinți romi sprijiniți"),
    "teachers": _("cadre didactice formate"),
}


class ProgrammeTarget(models.Model):
    """A target and its revisions: the newest `set_on` is in force; older ones stay as history."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=64)
    value = models.PositiveIntegerField(_("țintă"))
    set_on = models.DateField(_("stabilită la"))
    reason = models.CharField(_("motiv"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("țintă")
        verbose_name_plural = _("ținte")
        ordering = ["indicator", "-set_on"]

    def __str__(self) -> str:
        return f"{self.indicator}={self.value}"

    @property
    def label(self) -> str:
        return str(INDICATOR_LABELS.get(self.indicator, self.indicator))


class MembershipStatus(models.TextChoices):
    SCREENED = "screened", _("evaluat")
    PROPOSED = "proposed", _("propus")
    INCLUDED = "included", _("inclus")
    EXITED = "exited", _("ieșit")


MEMBERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    MembershipStatus.SCREENED: frozenset({MembershipStatus.PROPOSED}),
    MembershipStatus.PROPOSED: frozenset({MembershipStatus.INCLUDED, MembershipStatus.SCREENED}),
    MembershipStatus.INCLUDED: frozenset({MembershipStatus.EXITED}),
    MembershipStatus.EXITED: frozenset({MembershipStatus.INCLUDED}),
}


class TargetGroupMembership(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="memberships")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="target_memberships")
    status = models.CharField(_("stare"), max_length=16, choices=MembershipStatus.choices)
    since = models.DateField(_("din"))

    class Meta:
        verbose_name = _("membru al grupului țintă")
        verbose_name_plural = _("grupul țintă")
        constraints = [models.UniqueConstraint(fields=["programme", "child"], name="membership_unique")]
        indexes = [models.Index(fields=["programme", "status"], name="membership_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_status_display()}"


class MembershipStep(models.Model):
    """One step of a child's path through the target group."""

    membership = models.ForeignKey(TargetGroupMembership, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=16, choices=MembershipStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MembershipStatus.choices)
    date = models.DateField(_("data"))
    reason = models.CharField(_("motiv"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"
