"""Who must confirm each sign-in with a second factor."""

from django.conf import settings

from prezent.accounts.models import User
from prezent.accounts.permissions import can_view_children


def two_factor_required(user: User) -> bool:
    """With PREZENT_2FA on (production): every person whose roles see children, and every administrator (staff or
    superuser: the Django admin reaches every account). Not the M&E viewer or a trainer alone, who see counts."""
    if not getattr(settings, "PREZENT_2FA", False) or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or can_view_children(user=user)
