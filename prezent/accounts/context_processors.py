from typing import Any

from django.http import HttpRequest

from prezent.accounts.scope import scope_for


def roles(request: HttpRequest) -> dict[str, Any]:
    return {"scope": scope_for(getattr(request, "user", None))}
