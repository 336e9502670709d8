"""The second step of signing in, setting up the authenticator app, and renewing the recovery codes."""

import django_otp
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.models import Device

from prezent.accounts.models import User
from prezent.accounts.twofactor.forms import PasswordConfirmForm, TokenForm
from prezent.accounts.twofactor.permissions import can_manage_two_factor, can_remove_two_factor, two_factor_required
from prezent.accounts.twofactor.selectors import (
    people_for_two_factor_reset,
    recovery_codes_left,
    totp_device_of,
    two_factor_wait_seconds,
)
from prezent.accounts.twofactor.services import (
    recovery_codes_regenerate,
    totp_device_confirm,
    totp_device_replace,
    totp_device_start,
    totp_qr_svg,
    totp_secret,
    two_factor_reset,
    two_factor_verify,
)
from prezent.core.redirects import local_path_or

# A new phone: after the current code (or a recovery code) the session may show a new key for this long.
REPLACE_SESSION_KEY = "prezent_2fa_replace"
REPLACE_SECONDS = 10 * 60


def _next(request: HttpRequest) -> str:
    return local_path_or(request, request.POST.get("next") or request.GET.get("next"), "/")


def _verified_device(form: TokenForm, *, user: User) -> Device | None:
    """The device that accepts the form's code, or None with the reason on the form. After wrong codes the device
    waits a little longer each time and refuses even the right code meanwhile (django-otp's throttling): a code
    typed during the wait is told how long to wait, not that it is wrong. Every refusal is audited alike."""
    token = form.cleaned_data["token"]
    wait = two_factor_wait_seconds(user=user, token=token)
    device = two_factor_verify(user=user, token=token)
    if device is None and wait:
        form.add_error(
            "token",
            _("Prea multe coduri greșite: așteptați %(seconds)d s, apoi scrieți codul pe care îl arată aplicația.")
            % {"seconds": wait},
        )
    elif device is None:
        form.add_error("token", _("Codul nu este corect sau a expirat. Așteptați câteva secunde și încercați din nou."))
    return device


@never_cache
@sensitive_post_parameters("token")
def verify_view(request: HttpRequest) -> HttpResponseBase:
    """After the password: the app's six-digit code, or one recovery code."""
    user: User = request.user  # type: ignore[assignment]
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    if totp_device_of(user=user) is None:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verified_device(form, user=user)
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
    return render(request, "accounts/twofactor/verify.html", {"form": form, "next": _next(request)})


@never_cache
@sensitive_post_parameters("token")
def setup_view(request: HttpRequest) -> HttpResponseBase:
    """Set up the authenticator app: scan the QR code (or type the key), confirm with the first code; the ten
    recovery codes are shown once, on the answer to that confirmation."""
    user: User = request.user  # type: ignore[assignment]
    if totp_device_of(user=user) is not None:
        return redirect("two_factor_manage" if request.user.is_verified() else "two_factor_verify")  # type: ignore[union-attr]
    device = totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            django_otp.login(request, device)
            return render(request, "accounts/twofactor/codes.html", {"codes": codes, "next": _next(request)})
        form.add_error(
            "token",
            _("Codul nu este corect. Verificați ora telefonului, așteptați câteva secunde și încercați din nou."),
        )
    context = {
        "form": form,
        "qr": mark_safe(totp_qr_svg(device)),  # drawn here from the device's own otpauth address
        "secret": totp_secret(device),
        "next": _next(request),
        "required": two_factor_required(user),
    }
    return render(request, "accounts/twofactor/setup.html", context)


@never_cache
@sensitive_post_parameters("password")
def manage_view(request: HttpRequest) -> HttpResponse:
    """One's second factor: whether the app is set up, how many recovery codes are left, ten new ones (after the
    password again)."""
    user: User = request.user  # type: ignore[assignment]
    device = totp_device_of(user=user)
    form = PasswordConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = recovery_codes_regenerate(user=user)
        messages.success(request, _("Codurile de rezervă vechi nu mai funcționează."))
        return render(request, "accounts/twofactor/codes.html", {"codes": codes, "next": "/"})
    context = {
        "form": form,
        "device": device,
        "codes_left": recovery_codes_left(user=user),
        "required": two_factor_required(user),
        "can_reset_others": can_manage_two_factor(user=user),
    }
    return render(request, "accounts/twofactor/manage.html", context)


RESET_LIST_LIMIT = 20


@require_GET
def reset_list_view(request: HttpRequest) -> HttpResponse:
    """ "Resetează autentificarea în doi pași": the administrator finds the person (user name, e-mail or name)."""
    user: User = request.user  # type: ignore[assignment]
    if not can_manage_two_factor(user=user):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    found = people_for_two_factor_reset(query=query, limit=RESET_LIST_LIMIT)
    people = [person for person in found[:RESET_LIST_LIMIT] if person.pk != user.pk]
    context = {"query": query, "people": people, "more": len(found) > RESET_LIST_LIMIT, "limit": RESET_LIST_LIMIT}
    return render(request, "accounts/twofactor/reset_list.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def reset_view(request: HttpRequest, user_id: int) -> HttpResponseBase:
    """Confirm, then remove one person's authenticator and recovery codes (audited); they set it up again at their
    next sign-in."""
    user: User = request.user  # type: ignore[assignment]
    person = get_object_or_404(User, pk=user_id, is_active=True)
    if not can_remove_two_factor(user=user, person=person):
        raise Http404
    if request.method == "POST":
        two_factor_reset(actor=user, person=person)
        messages.success(
            request,
            _("Verificarea în doi pași a fost resetată. %(name)s o configurează din nou la următoarea autentificare.")
            % {"name": person},
        )
        return redirect("two_factor_reset_list")
    context = {"person": person, "has_app": totp_device_of(user=person) is not None}
    return render(request, "accounts/twofactor/reset_confirm.html", context)


def _replace_step_open(request: HttpRequest) -> bool:
    step = request.session.get(REPLACE_SESSION_KEY)
    if not isinstance(step, dict) or step.get("user") != request.user.pk:
        return False
    return 0 <= timezone.now().timestamp() - float(step.get("at", 0)) <= REPLACE_SECONDS


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def replace_view(request: HttpRequest) -> HttpResponseBase:
    """ "Telefon nou": the current app's code (or a recovery code) first, then the new key; the old app keeps
    working until the new one's first code confirms it, then ten new recovery codes are shown once."""
    user: User = request.user  # type: ignore[assignment]
    if totp_device_of(user=user) is None:
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if not _replace_step_open(request):
        if request.method == "POST" and form.is_valid() and _verified_device(form, user=user) is not None:
            request.session[REPLACE_SESSION_KEY] = {"user": user.pk, "at": timezone.now().timestamp()}
            return redirect("two_factor_replace")
        return render(request, "accounts/twofactor/replace.html", {"form": form, "step": "verify"})
    device = totp_device_start(user=user)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_replace(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            request.session.pop(REPLACE_SESSION_KEY, None)
            django_otp.login(request, device)  # the old device is gone: this session stays verified by the new one
            messages.success(request, _("Telefonul nou este configurat; aplicația de pe telefonul vechi nu mai merge."))
            return render(
                request, "accounts/twofactor/codes.html", {"codes": codes, "next": reverse("two_factor_manage")}
            )
        form.add_error(
            "token",
            _("Codul nu este corect. Verificați ora telefonului, așteptați câteva secunde și încercați din nou."),
        )
    context = {
        "form": form,
        "step": "scan",
        "qr": mark_safe(totp_qr_svg(device)),  # drawn here from the device's own otpauth address
        "secret": totp_secret(device),
    }
    return render(request, "accounts/twofactor/replace.html", context)
