"""The client address: X-Forwarded-For counts only when our own proxy sent the request."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from bastion.core.clientip import client_ip

PROXIES = ["10.0.0.0/8", "fd00::/8"]


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = PROXIES


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_forwarded_for_is_ignored_when_the_peer_is_not_a_trusted_proxy(behind_proxy):
    assert client_ip(_request("203.0.113.7", "198.51.100.1, 10.0.0.2")) == "203.0.113.7"


def test_rightmost_untrusted_hop_is_the_client(behind_proxy):
    # The client forged the leftmost hop; our proxies appended the rest.
    assert client_ip(_request("10.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2")) == "198.51.100.1"


def test_single_hop_from_trusted_proxy(behind_proxy):
    assert client_ip(_request("10.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_hops_are_trimmed_and_empty_ones_skipped(behind_proxy):
    assert client_ip(_request("10.0.0.1", " , 198.51.100.1 ,, 10.1.2.3 ")) == "198.51.100.1"


def test_ipv6_hop_is_normalised(behind_proxy):
    assert client_ip(_request("fd00::1", "2001:DB8:0:0::1")) == "2001:db8::1"


@pytest.mark.parametrize("garbage", ["not-an-ip", "198.51.100.1:5678", "999.1.1.1", "<script>"])
def test_garbage_rightmost_hop_falls_back_to_the_proxy_address(behind_proxy, garbage):
    assert client_ip(_request("10.0.0.1", f"198.51.100.1, {garbage}")) == "10.0.0.1"


def test_garbage_left_of_the_client_is_never_reached(behind_proxy):
    assert client_ip(_request("10.0.0.1", "garbage, 198.51.100.1")) == "198.51.100.1"


def test_no_forwarded_for_from_proxy_is_the_proxy(behind_proxy):
    assert client_ip(_request("10.0.0.1")) == "10.0.0.1"
    assert client_ip(_request("10.0.0.1", "")) == "10.0.0.1"


def test_client_inside_our_network_is_the_leftmost_hop(behind_proxy):
    # Every hop is one of ours: the leftmost was written by our first proxy about its own client.
    assert client_ip(_request("10.0.0.1", "10.5.5.5, 10.0.0.2")) == "10.5.5.5"


def test_missing_remote_addr_is_a_placeholder(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) == "0.0.0.0"
