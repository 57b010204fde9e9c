"""Sign one webhook message and POST it to the checked address of its endpoint."""

from __future__ import annotations

import asyncio
import math
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from standardwebhooks.webhooks import Webhook

from service.domain.backoff import parse_retry_after
from service.domain.delivery import DeliveryResult
from service.scheduler.ssrf import ResolvedTarget, UnsafeURL, resolve_checked

DEFAULT_TIMEOUT = 15.0
MAX_RESPONSE_BYTES = 4096
USER_AGENT = "keepwarm-webhooks/1"
# Requests in flight per process, and to any one host. httpcore scans every pooled connection
# for each request, so a small pool is much faster than a large one (one host: 540 deliveries
# a second with 16 connections, 720 with 4), and a tick never floods one receiver.
IN_FLIGHT = 16
IN_FLIGHT_PER_HOST = 4


@dataclass(frozen=True)
class Outgoing:
    url: str
    secret: str
    msg_id: str
    timestamp: datetime
    body: bytes


def sign(secret: str, msg_id: str, timestamp: datetime, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers (id, timestamp, signature) and the content type."""
    if timestamp.tzinfo is None:
        raise ValueError("timestamp must be timezone-aware")
    # Whole seconds, in UTC: the library drops the zone instead of converting it.
    seconds = math.floor(timestamp.timestamp())
    signature = Webhook(secret).sign(
        msg_id, datetime.fromtimestamp(seconds, tz=UTC), body.decode("utf-8")
    )
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(seconds),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


def make_client(*, verify: ssl.SSLContext | bool = True) -> httpx.AsyncClient:
    """The shared client for deliveries; build it in the lifespan, close it on shutdown."""
    return httpx.AsyncClient(
        verify=verify,
        timeout=httpx.Timeout(DEFAULT_TIMEOUT),
        limits=httpx.Limits(
            max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT, keepalive_expiry=30
        ),
        # Only 4 KiB of a response is kept; a compressed body could inflate far beyond that.
        headers={"user-agent": USER_AGENT, "accept-encoding": "identity"},
        follow_redirects=False,
        # Environment proxies would connect somewhere other than the address we checked.
        trust_env=False,
    )


async def deliver(
    client: httpx.AsyncClient,
    outgoing: Outgoing,
    *,
    allow_private: bool,
    now: datetime,
    time_limit: float = DEFAULT_TIMEOUT,
) -> DeliveryResult:
    """Make one delivery attempt; network trouble becomes an error in the result, never raised."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(time_limit):
            target = await resolve_checked(outgoing.url, allow_private=allow_private)
            limits = httpx.Timeout(time_limit)
            return await _post(client, outgoing, target, now=now, limits=limits, started=started)
    except UnsafeURL as exc:
        error = f"not sent: {exc.reason}"
    except (TimeoutError, httpx.TimeoutException):
        error = f"timed out after {time_limit:g} s"
    except httpx.ConnectError as exc:
        error = f"could not connect: {_describe(exc)}"
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        error = f"request failed: {_describe(exc)}"
    return DeliveryResult(
        status_code=None,
        duration_ms=_elapsed_ms(started),
        error=error,
        response_body="",
        retry_after=None,
        succeeded=False,
        gone=False,
    )


async def _post(
    client: httpx.AsyncClient,
    outgoing: Outgoing,
    target: ResolvedTarget,
    *,
    now: datetime,
    limits: httpx.Timeout,
    started: float,
) -> DeliveryResult:
    url = httpx.URL(outgoing.url)
    headers = sign(outgoing.secret, outgoing.msg_id, outgoing.timestamp, outgoing.body)
    headers["host"] = url.netloc.decode("ascii")
    extensions: dict[str, str] = {}
    if url.scheme == "https":
        extensions["sni_hostname"] = target.host
        # The pool keys connections by IP, so a TLS session verified for one host
        # must not be reused for another host behind the same address.
        headers["connection"] = "close"
    async with client.stream(
        "POST",
        url.copy_with(host=target.ip),
        content=outgoing.body,
        headers=headers,
        extensions=extensions,
        timeout=limits,
        follow_redirects=False,
    ) as response:
        body = await _read_capped(response)
    status = response.status_code
    return DeliveryResult(
        status_code=status,
        duration_ms=_elapsed_ms(started),
        error=_status_error(response),
        response_body=body.decode("utf-8", errors="replace"),
        retry_after=parse_retry_after(response.headers.get("retry-after"), now),
        succeeded=200 <= status < 300,
        gone=status == 410,
    )


async def _read_capped(response: httpx.Response) -> bytes:
    received = bytearray()
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= MAX_RESPONSE_BYTES:
            break
    return bytes(received[:MAX_RESPONSE_BYTES])


def _status_error(response: httpx.Response) -> str | None:
    status = response.status_code
    if 200 <= status < 300:
        return None
    described = f"HTTP {status} {response.reason_phrase}".rstrip()
    if 300 <= status < 400:
        location = response.headers.get("location")
        target = f" to {location}" if location else ""
        return f"{described}: redirect{target} not followed"
    return described


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
