"""Pages and files shown to a signed-in person are never kept by a browser or a proxy cache.

Almost every page behind the login carries a child's data (a roster, a register, a record, an export), and the
devices are often shared (a school's computer, a family's phone): `Cache-Control: no-store` keeps them out of the
browser's cache and its back button after sign-out. Static files are served before this middleware (WhiteNoise)
and keep their long cache."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
