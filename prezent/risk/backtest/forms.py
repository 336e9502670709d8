from django import forms
from django.utils.translation import gettext_lazy as _


class BacktestForm(forms.Form):
    on = forms.DateField(
        label=_("Scorurile la data"),
        help_text=_("O zi din anul școlar; rezultatele se citesc până la sfârșitul lui (sau până azi)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
