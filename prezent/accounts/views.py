from typing import Any

from django.conf import settings
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from prezent.accounts.forms import ForgottenPasswordForm
from prezent.accounts.services import user_password_set, user_set_language
from prezent.accounts.twofactor.permissions import two_factor_required
from prezent.accounts.twofactor.selectors import totp_device_of
from prezent.core.redirects import local_path_or


@login_not_required
def login_view(request: HttpRequest) -> HttpResponseBase:
    """Django's login; on success the session takes the user's own interface language."""
    response = auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True)(
        request
    )
    if request.method == "POST" and request.user.is_authenticated:
        request.session["prezent_language"] = request.user.language  # type: ignore[union-attr]
    return response


@require_POST
def language_view(request: HttpRequest) -> HttpResponseRedirect:
    language = request.POST.get("language", "ro")
    user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
    request.session["prezent_language"] = request.user.language  # type: ignore[union-attr]
    return redirect(local_path_or(request, request.POST.get("next"), "/"))


@login_not_required
def password_reset_view(request: HttpRequest) -> HttpResponseBase:
    """ "Am uitat parola": the same answer whether or not an account has the address; the e-mail (in Romanian)
    holds a set-password link valid PASSWORD_RESET_TIMEOUT."""
    return auth_views.PasswordResetView.as_view(
        form_class=ForgottenPasswordForm,
        template_name="registration/password_reset_form.html",
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
        extra_email_context={"days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)},
    )(request)


class PasswordChange(auth_views.PasswordChangeView):
    """ "Schimbă parola": the old password, the new one twice (the validators of the settings); the session stays
    signed in (and verified)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponseRedirect:
        user_password_set(user=form.user, password=form.cleaned_data["new_password1"], how="change")
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The set-password page of an invitation or of "Am uitat parola"; the new password is audited.

    A person who must sign in with two factors and has no authenticator yet (a new member of staff accepting their
    invitation) is signed in with the new password and taken straight to the set-up, in the same browser: the
    session is verified only once the app's first code confirms the device, so no page with children opens before.
    The link dies with the password it set (Django's token covers the password's hash), so it cannot set up a
    second device, and an expired or used link never reaches the set-up. Everyone else signs in as before."""

    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form: Any) -> HttpResponseRedirect:
        user = user_password_set(user=form.user, password=form.cleaned_data["new_password1"], how="reset")
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        if two_factor_required(user) and totp_device_of(user=user) is None:
            login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
            self.request.session["prezent_language"] = user.language
            return HttpResponseRedirect(reverse("two_factor_setup"))
        return HttpResponseRedirect(self.get_success_url())
