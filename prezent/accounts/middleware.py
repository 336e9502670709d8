from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
