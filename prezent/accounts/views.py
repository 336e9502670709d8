from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from prezent.accounts.forms import ForgottenPasswordForm
from prezent.accounts.services import user_set_language
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
