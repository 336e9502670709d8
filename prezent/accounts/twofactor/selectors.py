from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.models import User


def totp_device_of(*, user: User, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("id").first()


def recovery_device_of(*, user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def recovery_codes_left(*, user: User) -> int:
    device = recovery_device_of(user=user)
    return device.token_set.count() if device else 0


def people_for_two_factor_reset(*, query: str, limit: int = 20) -> list[User]:
    """Active accounts whose user name, e-mail or name contains `query` (at least three characters), each with
    `has_app` (a confirmed authenticator) and `recovery_devices`, in one query."""
    query = query.strip()
    if len(query) < 3:
        return []
    found = (
        User.objects.filter(is_active=True)
        .filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
        .annotate(has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("last_name", "first_name", "username")
    )
    return list(found[:limit])
