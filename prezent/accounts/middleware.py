from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from prezent.accounts.twofactor.permissions import two_factor_required
from prezent.accounts.twofactor.selectors import totp_device_of


class UserLanguageMiddleware:
    """A signed-in user's own interface language wins over the browser's; Romanian is the default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get("prezent_language")
        if language:
            request.COOKIES["django_language"] = language
        elif "django_language" not in request.COOKIES:
            request.META["HTTP_ACCEPT_LANGUAGE"] = "ro"
        return self.get_response(request)


class TwoFactorMiddleware:
    """Where two-factor sign-in is required (PREZENT_2FA, the roles in `two_factor_required`), a person signed in
    with the password alone reaches only the second step: the code page, or the set-up page when they have no
    device yet. Signing in and out, the language, the password pages and the health check stay open. Placed after
    django-otp's OTPMiddleware, which says whether the session is verified."""

    OPEN = frozenset(
        {
            "login",
            "logout",
            "set_language",
            "healthz",
            "password_reset",
            "password_reset_done",
            "password_reset_confirm",
            "password_reset_complete",
            "two_factor_verify",
            "two_factor_setup",
        }
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN and not match.namespace:
            return None
        if not two_factor_required(user):
            return None
        step = "two_factor_verify" if totp_device_of(user=user) else "two_factor_setup"
        target = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
