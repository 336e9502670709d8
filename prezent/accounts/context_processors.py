from typing import Any

from django.conf import settings
from django.http import HttpRequest

from prezent.accounts.permissions import can_view_children
from prezent.accounts.scope import scope_for
from prezent.accounts.twofactor.permissions import two_factor_required


def roles(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)  # none before the authentication middleware (error pages)
    return {
        "scope": scope_for(user),
        "can_view_children": can_view_children(user=user),
        "two_factor_on": settings.PREZENT_2FA,
        "two_factor_pending": _two_factor_pending(user),
    }


def _two_factor_pending(user: Any) -> bool:
    """Signed in with the password, the second step still to do: the header shows no menu (every link would lead
    back to the code page)."""
    if not getattr(user, "is_authenticated", False) or not settings.PREZENT_2FA:
        return False
    return not getattr(user, "is_verified", lambda: True)() and two_factor_required(user)
