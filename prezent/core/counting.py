"""Counted words in Romanian: "o oră", "3 ore", "20 de ore". Romanian has three count forms (from 20 on, and
again from 120, the noun takes "de"), which gettext's two-form plurals of the catalogue do not hold; so each form
is its own message, marked with gettext_noop, and only the one the number needs is translated."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_


def count_form(n: float) -> int:
    """Romanian count forms: 0 → "o oră" (1), 1 → "3 ore" (2–19, and 101–119 …), 2 → "20 de ore" (20+)."""
    if not float(n).is_integer():
        return 1
    whole = abs(int(n))
    if whole == 1:
        return 0
    rest = whole % 100
    return 1 if whole == 0 or 0 < rest < 20 else 2


def counted(n: int, forms: tuple[str, str, str]) -> str:
    """`n` with its noun, in the form the number needs: `forms` are the three messages, each with %(n)s."""
    return _(forms[count_form(n)]) % {"n": n}


HOURS = (N_("%(n)s oră"), N_("%(n)s ore"), N_("%(n)s de ore"))


def hours_text(n: int) -> str:
    """ "1 oră", "2 ore", "20 de ore"."""
    return counted(n, HOURS)
