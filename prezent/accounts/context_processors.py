from typing import Any

from django.conf import settings
from django.http import HttpRequest

from prezent.accounts.permissions import can_view_children
from prezent.accounts.scope import scope_for


def roles(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)  # none before the authentication middleware (error pages)
    return {
        "scope": scope_for(user),
        "can_view_children": can_view_children(user=user),
        "two_factor_on": settings.PREZENT_2FA,
    }
