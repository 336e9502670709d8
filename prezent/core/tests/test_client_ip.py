"""The client's address behind a reverse proxy, for the access log and the login lock-out."""

import pytest
from django.test import RequestFactory

from prezent.core.services import client_ip


def _request(remote: str, forwarded: str = ""):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.PREZENT_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_client_is_the_last_untrusted_hop(settings):
    settings.PREZENT_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # a forged first hop sent by the client, then the real client as the proxy appended it
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 198.51.100.23")) == "198.51.100.23"
    assert client_ip(_request("127.0.0.1", "198.51.100.23, 10.1.2.3")) == "198.51.100.23"


def test_a_header_from_an_untrusted_peer_is_ignored(settings):
    settings.PREZENT_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("203.0.113.9", "198.51.100.23")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["not-an-address", "", "10.0.0.1"])
def test_a_malformed_or_all_trusted_header_falls_back_to_the_peer(settings, forwarded):
    settings.PREZENT_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(_request("127.0.0.1", forwarded)) == "127.0.0.1"
