from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from prezent.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware: `user` is always a signed-in User."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
