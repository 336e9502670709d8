"""Setting up, using and renewing the second factor. The audit holds what happened, never a secret or a code."""

import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.models import User
from prezent.accounts.twofactor.permissions import can_remove_two_factor
from prezent.accounts.twofactor.selectors import recovery_device_of, totp_device_of
from prezent.core.services import audit_record

RECOVERY_CODES = 10
DEVICE_NAME = "Aplicație de autentificare"
RECOVERY_NAME = "Coduri de rezervă"
TOTP_TOKEN = re.compile(r"^\d{6}$")


def totp_device_start(*, user: User) -> TOTPDevice:
    """The device being set up: an unconfirmed TOTP key, the same one until it is confirmed (reloading the page
    does not change the QR code the person already scanned)."""
    device = totp_device_of(user=user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code (drawn here, no image library, nothing from outside)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


def _recovery_codes_new(*, user: User) -> list[str]:
    device = recovery_device_of(user=user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with its first code; returns the ten new recovery codes (to show once), or None when the
    code is wrong. Any other device being set up is dropped."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_new(user=user)
    audit_record(actor=user, action="user.2fa_confirmed", target=user, details={"device_id": device.pk})
    return codes


@transaction.atomic
def totp_device_replace(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """A new phone: confirm the new device with its first code; only then is the old one removed (until then it
    still signs the person in) and ten new recovery codes made. Returns them (to show once), or None when the code
    is wrong. Audited with the devices' ids, never a key or a code."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token.strip()):
        return None
    old = list(TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).values_list("pk", flat=True))
    TOTPDevice.objects.filter(pk__in=old).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_new(user=user)
    audit_record(
        actor=user,
        action="user.2fa_replaced",
        target=user,
        details={"device_id": device.pk, "removed_device_ids": old, "recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = _recovery_codes_new(user=user)
    audit_record(actor=user, action="user.2fa_recovery_codes", target=user, details={"count": len(codes)})
    return codes


def two_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts `token`: six digits are the app's code, anything else a recovery code (used up).
    Each device waits longer after each wrong code (django-otp's throttling), so codes cannot be guessed in bulk.
    A wrong code and a recovery code used are audited."""
    token = token.strip().replace(" ", "").lower()
    device: Device | None
    if TOTP_TOKEN.match(token):
        device = totp_device_of(user=user)
        kind = "totp"
    else:
        device = recovery_device_of(user=user)
        kind = "recovery"
    with transaction.atomic():
        accepted = device is not None and device.verify_token(token)
        if not accepted:
            audit_record(actor=user, action="user.2fa_failed", target=user, details={"kind": kind})
            return None
        if kind == "recovery":
            left = device.token_set.count()  # type: ignore[union-attr]
            audit_record(actor=user, action="user.2fa_recovery_used", target=user, details={"left": left})
    return device


@transaction.atomic
def two_factor_reset(*, actor: User, person: User) -> int:
    """An administrator removes `person`'s authenticator and recovery codes (a lost phone, no code left). Their open
    sessions lose their verification with the device, and their next sign-in leads to the set-up. Audited: who,
    whose, how many devices; never a key or a code. Returns the number of devices removed."""
    if not can_remove_two_factor(user=actor, person=person):
        raise PermissionDenied
    totp_count, _ = TOTPDevice.objects.filter(user=person).delete()
    recovery_count = StaticDevice.objects.filter(user=person).count()
    StaticDevice.objects.filter(user=person).delete()
    audit_record(
        actor=actor,
        action="user.2fa_reset",
        target=person,
        details={"app_devices": totp_count, "recovery_devices": recovery_count},
    )
    return totp_count + recovery_count
