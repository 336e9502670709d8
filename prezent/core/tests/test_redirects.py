"""A `next` or `back` field sends the user only to a path of this site; anything else goes to the view's default."""

import pytest
from django.test import RequestFactory

from prezent.core.redirects import local_path_or

HOSTILE = [
    "https://phish.example/login",
    "//phish.example/",
    "/\\phish.example/",
    "\\\\phish.example",
    "javascript:alert(1)",
    "/copii/\r\nSet-Cookie: x=1",
    "/copii/\x00",
    "copii/",
    "",
    None,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_anything_but_a_local_path_falls_back(target):
    request = RequestFactory().get("/")
    assert local_path_or(request, target, "/acasa/") == "/acasa/"


@pytest.mark.parametrize("target", ["/", "/copii/12/", "/copii/?q=Ionescu&page=2"])
def test_a_local_path_is_kept(target):
    assert local_path_or(RequestFactory().get("/"), target, "/acasa/") == target
