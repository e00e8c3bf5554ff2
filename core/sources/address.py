"""Which addresses a source may reach: public ones only, unless the operator allows more.

A configured feed's server (or whoever controls its DNS, or an HN submitter's link) must not
make us fetch from loopback, link-local (cloud metadata at 169.254.169.254), private or other
non-public addresses. The check runs twice per connection: on the resolved host before
connecting (so nothing is sent to a refused address), and on the socket's peer once connected
(so DNS that changes between the two cannot slip through).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
AllowPrivate = bool | Sequence[str]


class Refused(Exception):
    """A connection this source may not make; the message names the address and why."""


def networks(allow: AllowPrivate) -> tuple[IPNetwork, ...]:
    """The networks of an allow_private list; ValueError names a bad entry."""
    if isinstance(allow, bool):
        return ()
    out = []
    for entry in allow:
        try:
            out.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as e:
            raise ValueError(f"allow_private: {entry!r} is not an address or network") from e
    return tuple(out)


def _unmapped(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip


def kind_of(ip: IPAddress) -> str | None:
    """Why `ip` is not a public address ("loopback", "private", …), or None if it is public."""
    ip = _unmapped(ip)
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"  # shared address space 100.64/10, documentation ranges, …
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses always; non-public ones when `everything` or inside `allowed`."""

    everything: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def of(cls, allow: AllowPrivate) -> AddressPolicy:
        return cls(everything=allow is True, allowed=networks(allow))

    def check_ip(self, text: str) -> None:
        """Raise Refused unless this source may connect to the address `text`."""
        try:
            ip = _unmapped(ipaddress.ip_address(text.split("%", 1)[0]))  # no IPv6 zone id
        except ValueError as e:
            raise Refused(f"{text!r} is not an IP address") from e
        why = kind_of(ip)
        if why is None or self.everything or any(ip in net for net in self.allowed):
            return
        hint = "allow_private is not set" if not self.allowed else "not in allow_private"
        raise Refused(f"{ip} is a {why} address ({hint})")

    def check_host(self, host: str, port: int) -> None:
        """Resolve `host` and raise Refused if any of its addresses is refused."""
        if self.everything:
            return
        try:
            ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
            self.check_ip(host.strip("[]"))
            return
        except ValueError:
            pass  # a name: resolve it
        # OSError (the name does not resolve) propagates: a connection failure, not a refusal.
        for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
            self.check_ip(str(info[4][0]))
