"""Who must confirm each sign-in with a second factor, and who may reset another person's."""

from django.conf import settings

from prezent.accounts.models import Role, User
from prezent.accounts.permissions import can_view_children
from prezent.accounts.scope import scope_for


def two_factor_required(user: User) -> bool:
    """With PREZENT_2FA on (production): every person whose roles see children, and every administrator (staff or
    superuser: the Django admin reaches every account; the administrator role: it resets other people's second
    factor). Not the M&E viewer or a trainer alone, who see counts."""
    if not getattr(settings, "PREZENT_2FA", False) or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or can_view_children(user=user):
        return True
    return scope_for(user).has(Role.ADMINISTRATOR)


def can_manage_two_factor(*, user: User) -> bool:
    """The page that finds a person whose authenticator must be reset: the administrator role."""
    return user.is_authenticated and scope_for(user).has(Role.ADMINISTRATOR)


def can_remove_two_factor(*, user: User, person: User) -> bool:
    """An administrator resets another person's second factor (a lost phone and no recovery code left); never
    their own, which they replace themselves after a code (`two_factor_replace`)."""
    return can_manage_two_factor(user=user) and person.pk != user.pk
