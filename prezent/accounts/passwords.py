"""The demo's published password, and the validator that refuses it where real children's data lives."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "prezent-demo"  # noqa: S105 - the published password of the demo logins (`make run` prints it)


def _folded(password: str) -> str:
    return re.sub(r"[^a-z0-9]", "", password.casefold())


class DemoPasswordValidator:
    """Refuses the demo's password, in any case and with any separators ("Prezent_Demo", "prezentdemo2026"): it is
    printed by `make run` and written in the README. In production settings only; the demo keeps it."""

    def validate(self, password: str, user: Any = None) -> None:
        if _folded(DEMO_PASSWORD) in _folded(password):
            raise ValidationError(
                _("Parola demonstrației este publică: alegeți o altă parolă."), code="password_is_demo"
            )

    def get_help_text(self) -> str:
        return _("Parola nu poate fi parola publică a demonstrației.")
