from collections.abc import Iterator
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from prezent.accounts.models import User


class ForgottenPasswordForm(PasswordResetForm):
    """Django's reset form, for every active account with that address: a person who never accepted their
    invitation (no password yet) may set one this way too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresa de e-mail")

    def get_users(self, email: str) -> Iterator[User]:
        return iter(User.objects.filter(email__iexact=email, is_active=True).exclude(email=""))
