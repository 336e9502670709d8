from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.accounts.models import User


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Codul"), max_length=32, strip=True)


class PasswordConfirmForm(forms.Form):
    """The person's own password again, before a change that a forgotten open session must not allow."""

    password = forms.CharField(label=_("Parola dumneavoastră"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Parola nu este corectă."))
        return password
