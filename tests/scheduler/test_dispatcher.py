"""Signing and POSTing one webhook message to a real local receiver."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from service.domain.tokens import new_secret
from service.scheduler import ssrf
from service.scheduler.dispatcher import (
    DeliveryResult,
    Outgoing,
    deliver,
    make_client,
    sign,
)
from tests.receiver import Receiver, Recorded, Reply

PAYLOAD = {"type": "webhook.ping", "timestamp": "2025-01-01T09:00:00Z", "data": {"n": 1}}
BODY = json.dumps(PAYLOAD).encode()


def outgoing(url: str, secret: str, body: bytes = BODY) -> Outgoing:
    return Outgoing(
        url=url, secret=secret, msg_id="msg_2b3c", timestamp=datetime.now(UTC), body=body
    )


def send(
    message: Outgoing,
    *,
    allow_private: bool = True,
    time_limit: float = 5.0,
    verify: ssl.SSLContext | bool = True,
    now: datetime | None = None,
) -> DeliveryResult:
    (result,) = send_all(
        [message], allow_private=allow_private, time_limit=time_limit, verify=verify, now=now
    )
    return result


def send_all(
    messages: list[Outgoing],
    *,
    allow_private: bool = True,
    time_limit: float = 5.0,
    verify: ssl.SSLContext | bool = True,
    now: datetime | None = None,
) -> list[DeliveryResult]:
    """Deliver the messages one after the other through one client."""

    async def go() -> list[DeliveryResult]:
        async with make_client(verify=verify) as client:
            return [
                await deliver(
                    client,
                    message,
                    allow_private=allow_private,
                    now=now or datetime.now(UTC),
                    time_limit=time_limit,
                )
                for message in messages
            ]

    return asyncio.run(go())


def checks_signature(secret: str) -> Receiver:
    """A receiver answering 204 to correctly signed requests and 401 to anything else."""

    def respond(request: Recorded) -> Reply:
        try:
            Webhook(secret).verify(request.body, request.headers)
        except WebhookVerificationError:
            return Reply(status=401, body=b"bad signature")
        return Reply(status=204)

    return Receiver(respond)


@pytest.fixture
def secret() -> str:
    return new_secret()


def test_a_signed_delivery_verifies_with_the_standard_webhooks_library(secret: str) -> None:
    with checks_signature(secret) as receiver:
        result = send(outgoing(receiver.url_for("/hook?src=kw"), secret))
        (request,) = receiver.requests
    assert result.succeeded and result.status_code == 204 and result.error is None
    assert not result.gone and result.retry_after is None and result.duration_ms >= 0
    assert Webhook(secret).verify(request.body, request.headers) == PAYLOAD
    assert request.method == "POST" and request.path == "/hook?src=kw"
    assert request.headers["webhook-id"] == "msg_2b3c"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == "keepwarm-webhooks/1"
    assert request.headers["host"] == f"127.0.0.1:{receiver.port}"


def test_a_wrong_secret_is_caught_by_the_receiver(secret: str) -> None:
    with checks_signature(secret) as receiver:
        result = send(outgoing(receiver.url_for("/hook"), new_secret()))
    assert not result.succeeded and result.status_code == 401
    assert result.response_body == "bad signature"


@pytest.mark.parametrize("status", [200, 201, 202, 299])
def test_any_2xx_is_a_success(secret: str, status: int) -> None:
    with Receiver(Reply(status=status, body=b"thanks")) as receiver:
        result = send(outgoing(receiver.url_for("/"), secret))
    assert result.succeeded and result.status_code == status
    assert result.response_body == "thanks" and result.error is None


def test_a_server_error_is_a_failure_with_its_status_and_body(secret: str) -> None:
    with Receiver(Reply(status=500, body=b'{"error": "boom"}')) as receiver:
        result = send(outgoing(receiver.url_for("/"), secret))
    assert not result.succeeded and not result.gone
    assert result.status_code == 500
    assert result.error == "HTTP 500 Internal Server Error"
    assert result.response_body == '{"error": "boom"}'


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_failures_and_are_not_followed(secret: str, status: int) -> None:
    with Receiver() as receiver:
        elsewhere = receiver.url_for("/elsewhere")
        receiver.enqueue(Reply(status=status, headers={"Location": elsewhere}))
        result = send(outgoing(receiver.url_for("/hook"), secret))
        requests = receiver.requests
    assert not result.succeeded and result.status_code == status
    assert result.error is not None and f"redirect to {elsewhere} not followed" in result.error
    assert [r.path for r in requests] == ["/hook"]


def test_410_means_the_endpoint_is_gone(secret: str) -> None:
    with Receiver(Reply(status=410)) as receiver:
        result = send(outgoing(receiver.url_for("/"), secret))
    assert result.gone and not result.succeeded and result.status_code == 410


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", timedelta(minutes=2)),
        ("Wed, 21 Oct 2015 07:33:00 GMT", timedelta(minutes=5)),
        ("whenever", None),
    ],
)
def test_retry_after_is_reported(secret: str, header: str, expected: timedelta | None) -> None:
    now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    with Receiver(Reply(status=429, headers={"Retry-After": header})) as receiver:
        result = send(outgoing(receiver.url_for("/"), secret), now=now)
    assert result.status_code == 429 and result.retry_after == expected


def test_a_slow_receiver_times_out(secret: str) -> None:
    with Receiver(Reply(delay=3.0)) as receiver:
        result = send(outgoing(receiver.url_for("/"), secret), time_limit=0.2)
        assert len(receiver.requests) == 1
    assert result.status_code is None and not result.succeeded
    assert result.error == "timed out after 0.2 s"
    assert 150 <= result.duration_ms < 2000


def test_only_the_first_4_kib_of_the_response_is_kept(secret: str) -> None:
    with Receiver(Reply(body=b"x" * 1_000_000)) as receiver:
        result = send(outgoing(receiver.url_for("/"), secret))
    assert result.succeeded and result.response_body == "x" * 4096


def test_a_response_body_that_is_not_utf8_is_kept_readable(secret: str) -> None:
    # 4096 bytes end in the middle of a two-byte character.
    body = b"\xff" + "é".encode() * 3000
    with Receiver(Reply(status=400, body=body)) as receiver:
        result = send(outgoing(receiver.url_for("/"), secret))
    assert result.response_body == "\ufffd" + "é" * 2047 + "\ufffd"


def test_an_unsafe_url_is_refused_without_a_request(secret: str) -> None:
    with Receiver() as receiver:
        result = send(outgoing(receiver.url_for("/"), secret), allow_private=False)
        assert receiver.requests == []
    assert result.status_code is None and not result.succeeded
    assert result.error is not None and result.error.startswith("not sent: ")
    assert "https" in result.error


def test_an_unresolvable_host_is_reported(secret: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_dns(monkeypatch)
    result = send(outgoing("https://nowhere.example.test/", secret), allow_private=False)
    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("not sent: the host nowhere.example.test has no public address")


def test_a_refused_connection_is_reported(secret: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = send(outgoing(f"http://127.0.0.1:{port}/", secret))
    assert result.status_code is None and not result.succeeded
    assert result.error is not None and result.error.startswith("could not connect: ")


def test_the_connection_goes_to_the_checked_address_with_the_real_host(
    secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_dns(monkeypatch, "hooks.example.test")
    with checks_signature(secret) as receiver:
        result = send(outgoing(f"http://hooks.example.test:{receiver.port}/in", secret))
        (request,) = receiver.requests
    assert result.succeeded
    assert request.headers["host"] == f"hooks.example.test:{receiver.port}"


def test_the_receiver_can_be_awaited_from_another_thread(secret: str) -> None:
    with Receiver() as receiver:
        sender = threading.Thread(target=send, args=(outgoing(receiver.url_for("/"), secret),))
        sender.start()
        (request,) = receiver.wait_for(1)
        sender.join()
    assert request.headers["webhook-id"] == "msg_2b3c"


def test_sign_produces_the_standard_webhooks_test_vector() -> None:
    headers = sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        datetime.fromtimestamp(1614265330.9, tz=timezone(timedelta(hours=2))),
        b'{"test": 2432232314}',
    )
    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "content-type": "application/json",
    }


def test_sign_refuses_a_naive_timestamp() -> None:
    with pytest.raises(ValueError):
        sign(new_secret(), "msg_1", datetime(2025, 1, 1), b"{}")


def test_new_secrets_are_32_random_bytes_the_library_accepts() -> None:
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for value in secrets:
        assert value.startswith("whsec_")
        assert len(base64.b64decode(value.removeprefix("whsec_"), validate=True)) == 32
        Webhook(value)


# TLS: the connection is pinned to an IP, yet the certificate is checked against the hostname.


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed(directory: Path, hostname: str) -> Certificate:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = directory / f"{hostname}.pem", directory / f"{hostname}.key"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-nodes", "-days", "1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert)),
            *("-subj", f"/CN={hostname}", "-addext", f"subjectAltName=DNS:{hostname}"),
        ],
        check=True,
        capture_output=True,
    )
    return Certificate(cert, key)


def pin_dns(monkeypatch: pytest.MonkeyPatch, *hostnames: str, ip: str = "127.0.0.1") -> None:
    async def lookup_host(host: str, port: int) -> list[str]:
        if host not in hostnames:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [ip]

    monkeypatch.setattr(ssrf, "lookup_host", lookup_host)


@pytest.fixture
def certificate(tmp_path: Path) -> Iterator[Certificate]:
    yield self_signed(tmp_path, "hooks.example.test")


def test_https_verifies_the_hostname_while_connecting_to_the_pinned_ip(
    secret: str, certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_dns(monkeypatch, "hooks.example.test")
    with Receiver(Reply(status=202), tls=certificate.server_context()) as receiver:
        url = f"https://hooks.example.test:{receiver.port}/in"
        result = send(outgoing(url, secret), verify=certificate.client_context())
        (request,) = receiver.requests
    assert result.succeeded, result.error
    assert request.headers["host"] == f"hooks.example.test:{receiver.port}"
    assert Webhook(secret).verify(request.body, request.headers) == PAYLOAD


def test_https_refuses_a_certificate_for_another_host(
    secret: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_dns(monkeypatch, "hooks.example.test")
    other = self_signed(tmp_path, "other.example.test")
    with Receiver(tls=other.server_context()) as receiver:
        url = f"https://hooks.example.test:{receiver.port}/in"
        result = send(outgoing(url, secret), verify=other.client_context())
        assert receiver.requests == []
    assert result.status_code is None
    assert result.error is not None and "certificate" in result.error.lower()


def test_a_tls_connection_is_not_reused_for_another_host_on_the_same_ip(
    secret: str, certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_dns(monkeypatch, "hooks.example.test", "impostor.example.test")
    with Receiver(tls=certificate.server_context()) as receiver:
        first = outgoing(f"https://hooks.example.test:{receiver.port}/", secret)
        second = outgoing(f"https://impostor.example.test:{receiver.port}/", secret)
        results = send_all([first, second], verify=certificate.client_context())
        assert len(receiver.requests) == 1
    assert results[0].succeeded
    assert results[1].error is not None and "certificate" in results[1].error.lower()


def test_make_client_does_not_follow_redirects_or_use_environment_proxies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")

    async def go() -> httpx.AsyncClient:
        async with make_client() as client:
            return client

    client = asyncio.run(go())
    assert not client.follow_redirects and not client.trust_env
    assert client.timeout == httpx.Timeout(15.0)


def test_the_webhook_client_finds_its_async_library_without_searching_for_it() -> None:
    # httpcore imports sniffio inside every pooled request: when it is missing, each import
    # fails after a search of sys.path, and deliveries ran at two thirds of their rate.
    import httpcore._synchronization as synchronization

    async def library() -> str:
        return synchronization.current_async_library()

    assert asyncio.run(library()) == "asyncio"
    assert "sniffio" in sys.modules  # found, then answered from the module cache
