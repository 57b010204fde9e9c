"""The URL and address guard for webhook destinations."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from service.scheduler import ssrf
from service.scheduler.ssrf import (
    ResolvedTarget,
    UnsafeURL,
    check_url_syntax,
    is_forbidden_address,
    resolve_checked,
)

FORBIDDEN = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "198.18.0.1",
    "192.0.2.1",
    "198.51.100.7",
    "203.0.113.9",
    "192.0.0.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:8.8.8.8",
    "::7f00:1",
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",
    "64:ff9b:1::a9fe:a9fe",
    "2002:7f00:1::",
    "2002:a00:1::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:db8::1",
    "3fff::1",
    "100::1",
]
PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "2606:4700::1111",
    "2001:4860:4860::8888",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_internal_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_forbidden_address(ipaddress.ip_address(address))


def resolve(url: str, *, allow_private: bool = False) -> ResolvedTarget:
    return asyncio.run(resolve_checked(url, allow_private=allow_private))


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/",
        "https://172.16.0.1/",
        "https://192.168.0.10:8443/",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://[::1]/",
        "https://[fe80::1]/",
        "https://[fc00::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[64:ff9b::7f00:1]/",
        "https://[2002:7f00:1::]/",
        "https://224.0.0.1/",
        "https://2130706433/",
        "https://0x7f.1/",
        "https://0177.0.0.1/",
        "https://127.1/",
        "https://localhost/",
        "https://localhost./",
    ],
)
def test_urls_reaching_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL) as refused:
        resolve(url)
    assert refused.value.reason


@pytest.mark.parametrize("url", ["https://2130706433/", "https://0x7f.1/", "https://127.1/"])
def test_legacy_ipv4_spellings_are_caught_without_dns(url: str) -> None:
    with pytest.raises(UnsafeURL, match=r"127\.0\.0\.1"):
        check_url_syntax(url, allow_private=False)


@pytest.mark.parametrize(
    ("url", "ip", "port"),
    [
        ("https://8.8.8.8/hook", "8.8.8.8", 443),
        ("https://[2606:4700::1111]:8443/x", "2606:4700::1111", 8443),
    ],
)
def test_public_literal_addresses_are_allowed(url: str, ip: str, port: int) -> None:
    target = resolve(url)
    assert target == ResolvedTarget(url=url, host=ip, port=port, ip=ip)


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
    async def lookup_host(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError(f"unknown host {host}")
        return answers[host]

    monkeypatch.setattr(ssrf, "lookup_host", lookup_host)


def test_a_public_hostname_resolves_to_its_first_address(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07::1"]})
    target = resolve("https://hooks.example.com/in")
    assert target == ResolvedTarget(
        url="https://hooks.example.com/in", host="hooks.example.com", port=443, ip="93.184.215.14"
    )


def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"rebind.example.com": ["93.184.215.14", "10.0.0.5"]})
    with pytest.raises(UnsafeURL, match="no public address") as refused:
        resolve("https://rebind.example.com/")
    assert "10.0.0.5" not in refused.value.reason  # what a name resolves to is not told


def test_an_unresolvable_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {})
    with pytest.raises(UnsafeURL, match="no public address"):
        resolve("https://nowhere.example.com/")


def test_an_international_host_is_resolved_in_its_ascii_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_dns(monkeypatch, {"xn--bcher-kva.example": ["93.184.215.14"]})
    assert resolve("https://bücher.example/").host == "xn--bcher-kva.example"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://8.8.8.8/", "https"),
        ("ftp://example.com/", "https"),
        ("javascript:alert(1)", "https"),
        ("https:///path", "no host"),
        ("https://user:pass@example.com/", "user name"),
        ("https://user@example.com/", "user name"),
        ("https://example.com:99999/", "port"),
        ("https://example.com:0/", "port"),
        ("https://exa mple.com/", "not a valid host name"),
        ("https://a..b/", "not a valid host name"),
        ("not a url", "https"),
        ("https://[::1/", "not valid"),
    ],
)
def test_malformed_or_unsafe_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason):
        check_url_syntax(url, allow_private=False)


def test_a_plain_public_https_url_passes_the_syntax_check() -> None:
    check_url_syntax("https://hooks.example.com:8443/in?x=1", allow_private=False)


def test_allow_private_lets_http_and_loopback_through() -> None:
    check_url_syntax("http://127.0.0.1:8000/hook", allow_private=True)
    target = resolve("http://127.0.0.1:8000/hook", allow_private=True)
    assert (target.ip, target.port) == ("127.0.0.1", 8000)
    assert resolve("http://localhost:8000/", allow_private=True).ip in {"127.0.0.1", "::1"}
    assert resolve("http://2130706433/", allow_private=True).ip == "127.0.0.1"


def test_allow_private_still_refuses_other_schemes_and_credentials() -> None:
    with pytest.raises(UnsafeURL, match="http or https"):
        check_url_syntax("file:///etc/passwd", allow_private=True)
    with pytest.raises(UnsafeURL, match="user name"):
        check_url_syntax("http://a:b@127.0.0.1/", allow_private=True)
