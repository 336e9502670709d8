"""The first page a person opens (the login page) with everything it loads weighs under 30 KB on the wire, as
production serves it: `collectstatic` with production's storage (hashed names, a .br and a .gz beside each file)
into a fresh STATIC_ROOT, WhiteNoise answering a browser that accepts `br, gzip`.

A phone on a rural school's weak mobile data opens this page first; htmx alone is 52 KB uncompressed."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

BUDGET_BYTES = 30 * 1024
ACCEPT = "br, gzip"
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture
def collected(settings, tmp_path):
    """Production's static storage and middleware over a STATIC_ROOT collected for this test."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_URL = "/static/"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The admin's files are not on the login page; leaving them out halves the compression time.
    call_command("collectstatic", "--noinput", "--ignore", "admin", verbosity=0)
    return settings.STATIC_ROOT


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_login_page_with_its_css_and_js_weighs_under_30_kb_compressed(client, collected):
    page = client.get(reverse("login"), HTTP_ACCEPT_ENCODING=ACCEPT)
    assert page.status_code == 200
    html = _body(page)
    assets = ASSET.findall(html.decode())
    assert {a.rsplit("/", 1)[-1].split(".", 1)[0] for a in assets} >= {"prezent", "htmx-2"}, assets

    sizes = {"HTML": len(html)}
    for url in assets:
        response = client.get(url, HTTP_ACCEPT_ENCODING=ACCEPT)
        assert response.status_code == 200, url
        # Hashed name, compressed copy, cached for good: what the manifest storage and WhiteNoise promise.
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), f"{url} is not the hashed name"
        assert response.headers.get("Content-Encoding") == "br", f"{url} was not served compressed"
        assert "immutable" in response.headers.get("Cache-Control", ""), url
        sizes[url] = len(_body(response))

    total = sum(sizes.values())
    assert total < BUDGET_BYTES, f"{total} bytes on the wire, over {BUDGET_BYTES}: {sizes}"
    # The budget is about compression: uncompressed, htmx alone is over it.
    assert (collected / "vendor" / "htmx-2.0.11.min.js").stat().st_size > BUDGET_BYTES
