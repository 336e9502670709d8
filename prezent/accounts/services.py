from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.core.services import audit_record

LANGUAGES = ("ro", "en")


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Each user picks their interface language; anything unknown falls back to Romanian."""
    language = language if language in LANGUAGES else "ro"
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(actor=user, action="user.set_language", target=user, details={"language": language})
    return user


def invitation_link(*, user: User, base_url: str) -> str:
    """The set-password link of an invitation: Django's password-reset link (uid + token), valid
    PASSWORD_RESET_TIMEOUT seconds and only until the password is set."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def invitation_send(*, user: User, actor: User | None, base_url: str) -> None:
    """E-mail `user` an invitation to set their password (in Romanian) and note when it was sent. A person who has
    set a password is not invited again (they use "Am uitat parola")."""
    if not user.email:
        raise ValidationError(_("Persoana nu are o adresă de e-mail."))
    if user.has_usable_password():
        raise ValidationError(_("Persoana și-a setat deja parola."))
    context = {
        "user": user,
        "link": invitation_link(user=user, base_url=base_url),
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "site_url": base_url.rstrip("/"),
    }
    with translation.override(user.language or "ro"):
        subject = render_to_string("accounts/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    audit_record(actor=actor, action="user.invite", target=user)


@transaction.atomic
def user_password_set(*, user: User, password: str, how: str) -> User:
    """A new password, chosen by the person (`how`: "change" signed in, "reset" from an e-mailed link). The audit
    says when and how, never the password."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="user.password_changed", target=user, details={"how": how})
    return user
