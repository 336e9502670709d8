from django.db import transaction

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
