"""Pages and files shown to a signed-in person are never kept by a browser or a proxy cache.

Almost every page behind the login carries a child's data (a roster, a register, a record, an export), and the
devices are often shared (a school's computer, a family's phone): `Cache-Control: no-store` keeps them out of the
browser's cache and its back button after sign-out. Static files are served before this middleware (WhiteNoise)
and keep their long cache."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, QueryDict
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class RefuseNulBytesMiddleware:
    """A request whose address or form fields carry a NUL character is refused with 400 before any view runs.

    No person types one; PostgreSQL refuses to store one (a server error in the middle of a save), and a form that
    reads a field without a Django form field (a hidden reason, a search box) would pass it through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.path or _carries_nul(request.GET) or _carries_nul(request.POST):
            return HttpResponseBadRequest(
                _("Cererea conține un caracter nepermis (NUL)."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


def _carries_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)
