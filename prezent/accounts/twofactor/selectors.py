import math
import re

from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.models import User


def totp_device_of(*, user: User, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("id").first()


def recovery_device_of(*, user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def two_factor_wait_seconds(*, user: User, token: str) -> int:
    """How long the device this code is for (the app's for six digits, else the recovery codes') waits before it
    checks a code again after wrong ones (django-otp's throttling), in whole seconds; 0 when it checks now. A right
    code typed during the wait is refused too, so the page says to wait rather than that the code is wrong."""
    token = token.strip().replace(" ", "")
    device = totp_device_of(user=user) if re.fullmatch(r"\d{6}", token) else recovery_device_of(user=user)
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    locked_until = (data or {}).get("locked_until")
    if allowed or locked_until is None:
        return 0
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def recovery_codes_left(*, user: User) -> int:
    device = recovery_device_of(user=user)
    return device.token_set.count() if device else 0


def people_for_two_factor_reset(*, query: str, limit: int = 20) -> list[User]:
    """Active accounts whose user name, e-mail or name contains `query` (at least three characters), each with
    `has_app` (a confirmed authenticator), in one query; at most `limit` + 1, so the page can say there are more."""
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
        .annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            exact=Case(When(username__iexact=query, then=Value(0)), default=Value(1)),
        )
        .order_by("exact", "last_name", "first_name", "username")  # the user name typed in full comes first
    )
    return list(found[: limit + 1])
