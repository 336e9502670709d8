"""Where a form may send its user back to: only a path of this site.

A `next` or `back` field comes from the browser and can be anything: another site (an open redirect that a phishing
mail would use), a scheme-relative `//host`, a backslash trick, or control characters that break the Location
header (a server error). Anything but a plain local path falls back to the page the view chooses."""

import re

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def local_path_or(request: HttpRequest, target: str | None, default: str) -> str:
    """`target` when it is a path on this site (starting with one "/"), else `default`."""
    if not target or _CONTROL.search(target) or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return default
    return target
