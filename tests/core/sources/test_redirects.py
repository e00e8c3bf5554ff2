"""Issue 14 (5): redirects are followed at most 5 times, http(s) only, and never to loopback,
link-local or private addresses unless the source allows them; the source's own URL obeys the
same rule. Every refusal happens before anything is sent (the loopback guard of conftest.py
would record an attempt)."""

from __future__ import annotations

import ipaddress
from datetime import date

import httpx
import pytest

from core.sources import SourceError, collect
from core.sources.address import AddressPolicy, Refused, kind_of
from core.sources.spec import SourceSpec
from tests.core.sources.conftest import OPENAI, make_spec, spec_of
from tests.doubles.source_server import SourceServer

DAY = date(2025, 7, 28)
ONLY_THE_STAND_IN = ["127.0.0.1/32"]  # loopback 127.0.0.1 only: not localhost's ::1, not 10/8


def feed(server: SourceServer, **kw: object) -> SourceSpec:
    return make_spec(server, "feed", OPENAI, name="blog", **kw)


def test_a_source_on_loopback_is_refused_unless_allowed(
    server: SourceServer, client: httpx.Client
) -> None:
    with pytest.raises(
        SourceError,
        match=r"^blog: 127\.0\.0\.1:\d+/feeds/\S+: refused to connect: "
        r"127\.0\.0\.1 is a loopback address \(allow_private is not set\)",
    ):
        collect(client, feed(server, allow_private=False), DAY)
    assert server.count("/feeds/") == 0  # refused before connecting
    assert len(collect(client, feed(server, allow_private=True), DAY)) == 50


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("http://10.20.30.40/feed.xml", "10.20.30.40 is a private address"),
        ("http://192.168.1.1:8080/x", "192.168.1.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::ffff:10.0.0.1]/x", "10.0.0.1 is a private address"),
        ("http://100.64.0.1/x", "100.64.0.1 is a reserved address"),
        ("http://0.0.0.0/x", "0.0.0.0 is an? unspecified address"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    server: SourceServer,
    client: httpx.Client,
    loopback_only: list[str],
    target: str,
    why: str,
) -> None:
    server.set_fault("/feeds/", f"redirect:{target}")
    with pytest.raises(SourceError) as e:
        collect(client, feed(server, allow_private=ONLY_THE_STAND_IN), DAY)
    assert "redirected to " in str(e.value) and "refused to connect" in str(e.value)
    assert why.replace("an?", "a").split(" address")[0] in str(e.value)
    assert "not in allow_private" in str(e.value)
    assert loopback_only == [] and server.count("/feeds/") == 1


def test_at_most_five_redirects(server: SourceServer, client: httpx.Client) -> None:
    server.set_fault("/feeds/", "redirects:5")
    assert len(collect(client, feed(server, allow_private=True), DAY)) == 50
    assert server.count("/feeds/") == 6
    server.reset()
    server.set_fault("/feeds/", "redirects:6")
    with pytest.raises(SourceError, match="more than 5 redirects"):
        collect(client, feed(server, allow_private=True), DAY)
    assert server.count("/feeds/") == 6


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/"])
def test_a_redirect_to_another_scheme_is_refused(
    server: SourceServer, client: httpx.Client, target: str
) -> None:
    server.set_fault("/feeds/", f"redirect:{target}")
    with pytest.raises(SourceError, match=r"redirected to .*not a fetchable http"):
        collect(client, feed(server, allow_private=True), DAY)


def test_the_connected_peer_is_checked_too(server: SourceServer, client: httpx.Client) -> None:
    """A name may resolve to something else by the time the client connects (DNS rebinding):
    the socket's peer is checked before a byte is sent."""
    policy = AddressPolicy.of(False)
    with pytest.raises(Refused, match="loopback"):
        policy.check_ip("127.0.0.1")
    with pytest.raises(Refused, match="loopback"):
        policy.check_host("localhost", 80)
    policy.check_ip("93.184.216.34")  # a public address passes


def test_address_kinds() -> None:
    kinds = {
        "127.0.0.1": "loopback",
        "::1": "loopback",
        "10.1.2.3": "private",
        "172.16.0.1": "private",
        "192.168.0.1": "private",
        "fd00::1": "private",
        "169.254.169.254": "link-local",
        "fe80::1": "link-local",
        "::ffff:127.0.0.1": "loopback",
        "0.0.0.0": "unspecified",
        "224.0.0.1": "multicast",
        "100.64.0.1": "reserved",
        "8.8.8.8": None,
        "2606:4700::1111": None,
    }
    for text, kind in kinds.items():
        assert kind_of(ipaddress.ip_address(text)) == kind, text


def test_allow_private_takes_true_or_networks() -> None:
    spec = spec_of("feed", "http://feeds.corp/rss", allow_private=["10.1.0.0/16", "fd00::/8"])
    policy = AddressPolicy.of(spec.allow_private)
    policy.check_ip("10.1.200.3")
    with pytest.raises(Refused, match=r"10\.2\.0\.1 is a private address \(not in allow_private\)"):
        policy.check_ip("10.2.0.1")
    with pytest.raises(ValueError, match="'intranet' is not an address or network"):
        SourceSpec(name="x", type="feed", kind="news", url="u", allow_private=["intranet"])
