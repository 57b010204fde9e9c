"""Webhooks and secrets under attack: slow DNS, SSRF wording, the cap, replays, logs."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from service.config import Settings, Toggle
from service.db.models import IdempotencyRecord
from service.db.outbox import WebhookEndpoint
from service.db.session import session_scope
from service.logs import CalendarTokenFilter, configure_logging
from service.main import create_app
from service.scheduler import ssrf
from service.scheduler.dispatcher import Outgoing, deliver, make_client
from tests.conftest import PASSWORD, User, assert_others_not_held, assert_problem

HOOK = "https://hooks.example.com/keepwarm"


class SlowResolver:
    """A resolver held until released (3 s at most), answering a public address."""

    def __init__(self, baseline_connections: int) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()
        self.baseline_connections = baseline_connections

    async def __call__(self, host: str, port: int) -> list[str]:
        self.entered.set()
        await asyncio.to_thread(self.released.wait, 3)
        return ["93.184.215.14"]


@pytest.fixture
def slow_dns(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowResolver]:
    resolver = SlowResolver(app.state.engine.pool.checkedout())
    monkeypatch.setattr(ssrf, "lookup_host", resolver)
    yield resolver
    resolver.released.set()


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14"]

    monkeypatch.setattr(ssrf, "lookup_host", resolver)


# Finding 1: the DNS look-up inside the unit of work


def test_creating_a_webhook_resolves_its_host_outside_any_transaction(
    app: FastAPI, user: User, other_user: User, slow_dns: SlowResolver
) -> None:
    headers = {"Idempotency-Key": "hook-1"}
    with ThreadPoolExecutor(max_workers=1) as pool:
        creating = pool.submit(user.post, "/v1/webhooks", json={"url": HOOK}, headers=headers)
        assert_others_not_held(app, other_user, slow_dns)
        assert creating.result().status_code == 201


def test_changing_a_webhook_url_resolves_it_outside_any_transaction(
    app: FastAPI, user: User, other_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = user.create("/v1/webhooks", {"url": "https://127.0.0.1/hooks"})
    resolver = SlowResolver(app.state.engine.pool.checkedout())
    monkeypatch.setattr(ssrf, "lookup_host", resolver)
    with ThreadPoolExecutor(max_workers=1) as pool:
        patching = pool.submit(user.patch, f"/v1/webhooks/{hook['id']}", json={"url": HOOK})
        assert_others_not_held(app, other_user, resolver)
        assert patching.result().status_code == 200


# Finding 8: SSRF refusals echo what a name resolves to


INTERNAL = {"db.corp.internal": ["10.1.2.3"], "cache.corp.internal": ["fd00::5", "10.9.9.9"]}
NAMES = ["db.corp.internal", "cache.corp.internal", "nothing.corp.internal"]


@pytest.fixture
def internal_dns(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two internal names with private addresses; any other name does not resolve."""

    async def resolver(host: str, port: int) -> list[str]:
        if host not in INTERNAL:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return INTERNAL[host]

    monkeypatch.setattr(ssrf, "lookup_host", resolver)
    monkeypatch.setattr(app.state.settings, "webhook_allow_private", False)


def test_a_name_that_does_not_resolve_and_an_internal_one_are_refused_alike(
    user: User, internal_dns: None
) -> None:
    said = set()
    for name in NAMES:
        refused = user.post("/v1/webhooks", json={"url": f"https://{name}/hook"})
        (error,) = assert_problem(refused, 422, field="url")["errors"]
        said.add(error["message"].replace(name, "<host>"))
        assert "Errno" not in refused.text and "10." not in refused.text
    assert len(said) == 1, said


def test_a_delivery_to_either_fails_with_the_same_error(internal_dns: None) -> None:
    async def attempt(url: str) -> str | None:
        outgoing = Outgoing(url, "whsec_" + "A" * 32, "msg_1", datetime.now(UTC), b"{}")
        async with make_client() as client:
            result = await deliver(client, outgoing, allow_private=False, now=datetime.now(UTC))
        return result.error

    errors = {
        str(asyncio.run(attempt(f"https://{name}/hook"))).replace(name, "<host>") for name in NAMES
    }
    assert len(errors) == 1 and "not sent" in next(iter(errors)), errors


def test_a_refusal_does_not_say_what_the_name_resolves_to(
    app: FastAPI, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.20.30.40"]

    monkeypatch.setattr(ssrf, "lookup_host", resolver)
    monkeypatch.setattr(app.state.settings, "webhook_allow_private", False)

    refused = user.post("/v1/webhooks", json={"url": HOOK})

    body = assert_problem(refused, 422, field="url")
    assert "no public address" in body["errors"][0]["message"]
    assert "10.20.30.40" not in refused.text and "93.184" not in refused.text


# Finding 10: no cap on webhooks


def test_an_account_has_at_most_twenty_webhooks(
    user: User, other_user: User, public_dns: None
) -> None:
    for n in range(20):
        user.create("/v1/webhooks", {"url": f"{HOOK}/{n}"})

    refused = user.post("/v1/webhooks", json={"url": f"{HOOK}/21"})

    assert "20" in assert_problem(refused, 409)["detail"]
    assert other_user.post("/v1/webhooks", json={"url": HOOK}).status_code == 201
    first = user.get("/v1/webhooks").json()["data"][0]["id"]
    assert user.delete(f"/v1/webhooks/{first}").status_code == 204
    assert user.post("/v1/webhooks", json={"url": f"{HOOK}/21"}).status_code == 201


# Finding 11: secrets kept for replays; concurrent retries


def current_secret(app: FastAPI, hook_id: str) -> str:
    with session_scope(app.state.session_factory) as session:
        endpoint = session.scalars(select(WebhookEndpoint)).all()
        return next(e.secret for e in endpoint if str(e.id) == hook_id)


def stored_replays(app: FastAPI) -> str:
    with session_scope(app.state.session_factory) as session:
        return "\n".join(r.body for r in session.scalars(select(IdempotencyRecord)))


def test_a_replayed_webhook_creation_never_answers_an_outdated_secret(
    app: FastAPI, user: User, public_dns: None
) -> None:
    headers = {"Idempotency-Key": "hook-once"}
    first = user.post("/v1/webhooks", json={"url": HOOK}, headers=headers)
    hook_id = first.json()["id"]
    assert first.json()["secret"] not in stored_replays(app)  # no secret kept for replays
    rotated = user.post(f"/v1/webhooks/{hook_id}/rotate-secret").json()["secret"]

    replay = user.post("/v1/webhooks", json={"url": HOOK}, headers=headers)

    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == hook_id
    assert replay.json()["secret"] not in {first.json()["secret"], rotated}
    assert replay.json()["secret"] == current_secret(app, hook_id)
    assert replay.headers["etag"] == user.get(f"/v1/webhooks/{hook_id}").headers["etag"]
    assert replay.json()["secret"] not in stored_replays(app)


def test_a_replay_after_the_webhook_was_deleted_answers_409(user: User, public_dns: None) -> None:
    headers = {"Idempotency-Key": "hook-gone"}
    first = user.post("/v1/webhooks", json={"url": HOOK}, headers=headers)
    user.delete(f"/v1/webhooks/{first.json()['id']}")

    assert_problem(user.post("/v1/webhooks", json={"url": HOOK}, headers=headers), 409)


def test_concurrent_retries_with_one_key_all_answer_the_first_response(user: User) -> None:
    for round_ in range(4):
        headers = {"Idempotency-Key": f"retry-{round_}"}

        def create(_: int, headers: dict[str, str] = headers) -> Any:
            return user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)

        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(create, range(6)))

        assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
        assert len({a.json()["id"] for a in answers}) == 1
        assert sum("idempotent-replayed" in a.headers for a in answers) == 5
    assert len(user.get("/v1/organizations").json()["data"]) == 4


# Finding 7: the calendar token and webhook URLs in logs


def access_record(path: str) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200),
        None,
    )


def test_the_filter_redacts_the_calendar_token_of_a_log_record() -> None:
    record = access_record("/calendar/s3cr3t-TOKEN_x.ics?alarm=1")

    assert CalendarTokenFilter().filter(record)

    message = record.getMessage()
    assert "s3cr3t-TOKEN_x" not in message
    assert "/calendar/[redacted].ics?alarm=1" in message
    other = access_record("/v1/calendar.ics")
    CalendarTokenFilter().filter(other)
    assert "/v1/calendar.ics" in other.getMessage()


def test_httpx_request_lines_are_quiet() -> None:
    configure_logging()
    configure_logging()  # idempotent: one filter, however often it is called

    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    access = logging.getLogger("uvicorn.access")
    assert sum(isinstance(f, CalendarTokenFilter) for f in access.filters) == 1


@pytest.fixture
def served(database_url: str) -> Iterator[str]:
    """The app behind a real uvicorn on a loopback port, logging access lines."""
    app = create_app(Settings(database_url=database_url, scheduler=Toggle.OFF))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_config=None, access_log=True, ws="none", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_a_real_access_log_line_hides_the_calendar_token(
    served: str, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging()
    with httpx.Client(base_url=served) as http:
        signed = http.post("/v1/accounts", json={"email": "log@example.com", "password": PASSWORD})
        key = signed.json()["api_key"]
        feed = http.get("/v1/calendar", headers={"Authorization": f"Bearer {key}"}).json()
        path = httpx.URL(feed["feed_url"]).path
        token = path.removeprefix("/calendar/").removesuffix(".ics")
        with caplog.at_level(logging.INFO, logger="uvicorn.access"):
            assert http.get(path).status_code == 200
            time.sleep(0.1)  # the access line is written once the response is sent

    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/calendar/[redacted].ics" in line for line in lines), lines
    assert token not in caplog.text
