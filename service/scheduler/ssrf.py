"""Keep webhook deliveries away from private, loopback and other internal addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
log = logging.getLogger("keepwarm.webhooks")

# Named explicitly because `is_global` differs between Python patch releases.
_FORBIDDEN_V4 = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)
_FORBIDDEN_V6 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "::/96",  # unspecified, loopback and the deprecated IPv4-compatible form
        "::ffff:0:0/96",  # IPv4-mapped
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo among them
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local
        "ff00::/8",  # multicast
    )
)
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
# NAT64 (RFC 6052, RFC 8215): the IPv4 address sits in the last 32 bits of a /96.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


_HOSTNAME = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?")


class UnsafeURL(Exception):
    """A webhook URL that must not be called; `reason` says why, for humans."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ResolvedTarget:
    url: str
    host: str
    port: int
    ip: str


def check_url_syntax(url: str, *, allow_private: bool) -> None:
    """Raise UnsafeURL unless the URL is one we may call (scheme, host, port, no credentials)."""
    _parse(url, allow_private=allow_private)


def is_forbidden_address(ip: IPAddress) -> bool:
    """True for any address that is not plainly on the public internet."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _translated_ipv4(ip)
        if embedded is not None:
            return is_forbidden_address(embedded)
        if ip.teredo is not None or any(ip in net for net in _FORBIDDEN_V6):
            return True
    elif any(ip in net for net in _FORBIDDEN_V4):
        return True
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


async def lookup_host(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (literal IPs in any form included)."""
    try:
        return [str(ipaddress.ip_address(host))]  # a plain literal: no resolver round trip
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


async def resolve_checked(url: str, *, allow_private: bool) -> ResolvedTarget:
    """Resolve the URL's host and check every address; the first one is the one to connect to."""
    parsed = _parse(url, allow_private=allow_private)
    host = parsed.raw_host.decode("ascii")
    port = _port(parsed)
    try:
        addresses = await lookup_host(host, port)
    except (OSError, UnicodeError) as exc:
        log.info("webhook host %s could not be resolved: %s", host, exc)  # the operator's
        raise UnsafeURL(no_public_address(host)) from exc
    unique = list(dict.fromkeys(addresses))
    if not unique:
        raise UnsafeURL(no_public_address(host))
    if not allow_private and any(is_forbidden_address(_ip(address)) for address in unique):
        raise UnsafeURL(no_public_address(host))
    return ResolvedTarget(url=url, host=host, port=port, ip=unique[0])


def no_public_address(host: str) -> str:
    """The one refusal of a host name that does not resolve or resolves to an internal address.

    Telling them apart, or naming the address, would tell a caller which internal names exist
    and where they point.
    """
    return f"the host {host} has no public address (it does not resolve, or not to one)"


def _parse(url: str, *, allow_private: bool) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UnsafeURL(f"the URL is not valid ({exc})") from exc
    schemes = ("https", "http") if allow_private else ("https",)
    if parsed.scheme not in schemes:
        raise UnsafeURL(
            "the URL must use https" if not allow_private else "the URL must use http or https"
        )
    if not parsed.host:
        raise UnsafeURL("the URL has no host")
    host = parsed.raw_host.decode("ascii")
    if _literal_ip(host) is None and not _HOSTNAME.fullmatch(host):
        raise UnsafeURL(f"the URL's host {host} is not a valid host name")
    if parsed.userinfo:
        raise UnsafeURL("the URL must not contain a user name or password")
    if not 0 < _port(parsed) < 65536:
        raise UnsafeURL("the URL's port is out of range")
    if not allow_private:
        literal = _literal_ip(parsed.host)
        if literal is not None and is_forbidden_address(literal):
            raise UnsafeURL(f"the address {literal} is not a public one")
    return parsed


def _port(parsed: httpx.URL) -> int:
    if parsed.port is not None:
        return parsed.port
    return 443 if parsed.scheme == "https" else 80


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return _ip(host)
    except ValueError:
        pass
    try:
        # Legacy IPv4 spellings ("2130706433", "0x7f.1") that resolvers still accept.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def _ip(address: str) -> IPAddress:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id is not None:
        ip = ipaddress.IPv6Address(ip.packed)
    return ip


def _translated_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(ip.packed[-4:])
    return None
