"""Forms of the alert work list: the follow-up (a contact note of any kind), the filters, the SMS / e-mail notice."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.children.models import Guardian
from prezent.risk.models import ContactNote, Notice


class FollowUpForm(forms.Form):
    """Any contact counts as follow-up: a call, a meeting, a home visit, a letter or another contact."""

    kind = forms.ChoiceField(label=_("Tipul contactului"), choices=ContactNote.Kind.choices)
    date = forms.DateField(
        label=_("Data"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    outcome = forms.CharField(
        label=_("Rezultatul"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pe scurt: ce s-a discutat, ce s-a stabilit."),
    )
    parent_reached = forms.BooleanField(label=_("Părintele a fost contactat"), required=False, initial=True)


class WorklistFilterForm(forms.Form):
    mine = forms.ChoiceField(
        label=_("Alerte"),
        choices=[
            ("1", _("ale mele")),
            ("0", _("toate cele pe care le văd")),
            ("unreached", _("nepreluate: rolul pasului nu vede copilul")),
        ],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Stare"),
        choices=[("open", _("deschise")), ("closed", _("închise")), ("all", _("toate"))],
        required=False,
    )
    overdue = forms.BooleanField(label=_("doar cu termenul depășit"), required=False)


class NoticeSendForm(forms.Form):
    guardian = forms.ModelChoiceField(label=_("Părinte / tutore"), queryset=Guardian.objects.none())
    channel = forms.ChoiceField(
        label=_("Canal"), choices=[(Notice.Channel.SMS, _("SMS")), (Notice.Channel.EMAIL, _("e-mail"))]
    )

    def __init__(self, *args, guardians: list[Guardian], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["guardian"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Guardian.objects.filter(pk__in=[g.pk for g in guardians])
        if guardians:
            field.initial = guardians[0].pk
