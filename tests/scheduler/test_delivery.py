"""Delivery outcomes as a user sees them: retries, Retry-After, redirects, 410, giving up."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker, TickReport
from tests.conftest import Clock, User
from tests.receiver import Receiver, Recorded, Reply

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def run_tick(app: FastAPI, at: datetime) -> TickReport:
    """One scheduler tick at `at`, with the app's database and its private-address setting."""

    async def go() -> TickReport:
        async with make_client() as client:
            ticker = Ticker(
                app.state.session_factory,
                client,
                allow_private=app.state.settings.webhook_allow_private,
                clock=lambda: at,
                rng=random.Random(7),
            )
            return await ticker.tick()

    return asyncio.run(go())


def deliveries(user: User, hook: dict[str, Any]) -> list[dict[str, Any]]:
    """The endpoint's delivery log, newest first."""
    response = user.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"limit": 200})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def pinged_hook(user: User, clock: Clock, receiver: Receiver) -> dict[str, Any]:
    """An endpoint at the receiver with a webhook.ping queued at T0."""
    clock.set(T0)
    hook = user.create("/v1/webhooks", {"url": receiver.url_for("/hooks")})
    assert user.post(f"/v1/webhooks/{hook['id']}/ping").status_code == 202
    return hook


def test_a_500_is_retried_five_seconds_later_with_the_same_webhook_id(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    receiver.enqueue(Reply(500, body=b"database down"))
    hook = pinged_hook(user, clock, receiver)

    first = run_tick(app, T0)
    early = run_tick(app, T0 + timedelta(seconds=3))
    second = run_tick(app, T0 + timedelta(seconds=6))

    assert (first.failed, early.failed + early.delivered, second.delivered) == (1, 0, 1)
    one, two = receiver.requests
    assert one.headers["webhook-id"] == two.headers["webhook-id"]
    assert one.body == two.body
    log = deliveries(user, hook)
    assert [(d["attempt"], d["status_code"]) for d in log] == [(2, 200), (1, 500)]
    assert log[1]["error"] and "500" in log[1]["error"]
    assert log[1]["response_body"] == "database down"
    assert log[0]["error"] is None


def test_retry_after_is_honoured(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    receiver.enqueue(Reply(503, headers={"Retry-After": "120"}))
    hook = pinged_hook(user, clock, receiver)

    run_tick(app, T0)
    too_soon = run_tick(app, T0 + timedelta(seconds=10))
    assert (too_soon.delivered, too_soon.failed, len(receiver.requests)) == (0, 0, 1)
    later = run_tick(app, T0 + timedelta(seconds=150))

    assert later.delivered == 1
    assert [(d["attempt"], d["status_code"]) for d in deliveries(user, hook)] == [
        (2, 200),
        (1, 503),
    ]


def test_a_redirect_is_a_failure_and_is_not_followed(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    elsewhere = receiver.url_for("/elsewhere")
    receiver.enqueue(Reply(302, headers={"Location": elsewhere}))
    hook = pinged_hook(user, clock, receiver)

    report = run_tick(app, T0)

    assert (report.delivered, report.failed) == (0, 1)
    assert [r.path for r in receiver.requests] == ["/hooks"]
    (logged,) = deliveries(user, hook)
    assert logged["status_code"] == 302
    assert "not followed" in logged["error"]
    # A failure like any other: retried on the schedule, at the hook's own URL.
    run_tick(app, T0 + timedelta(seconds=6))
    assert [r.path for r in receiver.requests] == ["/hooks", "/hooks"]


def test_410_disables_the_endpoint_and_says_why(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    receiver.enqueue(Reply(410))
    hook = pinged_hook(user, clock, receiver)

    report = run_tick(app, T0)

    assert report.failed == 1
    shown = user.get(f"/v1/webhooks/{hook['id']}").json()
    assert shown["enabled"] is False
    assert "410" in shown["disabled_reason"]
    # Nothing more reaches it: not the retry, not later events.
    org = user.create("/v1/organizations", {"name": "Acme", "rejected_on": "2026-11-20"})
    contact = {"organization_id": org["id"], "name": "Ann", "role": "hr", "email": "a@acme.example"}
    user.create("/v1/contacts", contact)
    user.patch(f"/v1/organizations/{org['id']}", json={"status": "opening"})
    for minutes in (1, 10, 60):
        run_tick(app, T0 + timedelta(minutes=minutes))
    assert len(receiver.requests) == 1
    assert len(deliveries(user, hook)) == 1
    assert user.post(f"/v1/webhooks/{hook['id']}/ping").status_code == 409

    enabled = user.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": True})
    assert (enabled.json()["enabled"], enabled.json()["disabled_reason"]) == (True, None)
    assert user.post(f"/v1/webhooks/{hook['id']}/ping").status_code == 202
    assert run_tick(app, T0 + timedelta(hours=2)).delivered == 1
    assert (
        receiver.wait_for(2)[1].headers["webhook-id"] != receiver.requests[0].headers["webhook-id"]
    )


def test_a_refused_connection_is_logged_and_retried(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(T0)
    with Receiver() as closed:
        gone_url = closed.url_for("/hooks")
    hook = user.create("/v1/webhooks", {"url": gone_url})
    user.post(f"/v1/webhooks/{hook['id']}/ping")

    first = run_tick(app, T0)
    user.patch(f"/v1/webhooks/{hook['id']}", json={"url": receiver.url_for("/hooks")})
    second = run_tick(app, T0 + timedelta(seconds=6))

    assert (first.failed, second.delivered) == (1, 1)
    log = deliveries(user, hook)
    assert [(d["attempt"], d["status_code"]) for d in log] == [(2, 200), (1, None)]
    assert log[1]["error"].startswith("could not connect")
    (request,) = receiver.requests
    assert json.loads(request.body)["type"] == "webhook.ping"


def test_failing_for_five_days_disables_the_endpoint(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    receiver.enqueue(*[Reply(500)] * 100)
    hook = pinged_hook(user, clock, receiver)

    # A ping a day, each retried on its schedule; every request fails.
    moments = []
    for day in range(6):
        start = T0 + timedelta(days=day, minutes=1 if day == 5 else 0)
        if day:
            clock.set(start)
            assert user.post(f"/v1/webhooks/{hook['id']}/ping").status_code == 202
        for delay in (0, 6, 400, 2400, 9000):
            moments.append(start + timedelta(seconds=delay))
    for at in sorted(moments):
        run_tick(app, at)
        if not user.get(f"/v1/webhooks/{hook['id']}").json()["enabled"]:
            break

    shown = user.get(f"/v1/webhooks/{hook['id']}").json()
    assert shown["enabled"] is False
    assert "5 days" in shown["disabled_reason"]
    assert at >= T0 + timedelta(days=5)
    sent = len(receiver.requests)
    run_tick(app, at + timedelta(days=1))
    assert len(receiver.requests) == sent


def test_a_delivery_gives_up_after_eight_attempts(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    receiver.enqueue(*[Reply(500)] * 10)
    hook = pinged_hook(user, clock, receiver)

    # Each tick at the latest the jittered schedule (+10 %) could ask for.
    at = T0
    for delay in (0, 5, 300, 1800, 7200, 18000, 36000, 36000):
        at += timedelta(seconds=delay * 1.11 + 1)
        run_tick(app, at)
    after = run_tick(app, at + timedelta(days=1))

    assert after.delivered + after.failed == 0
    assert len(receiver.requests) == 8
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    log = deliveries(user, hook)
    assert [d["attempt"] for d in log] == [8, 7, 6, 5, 4, 3, 2, 1]
    assert all(d["status_code"] == 500 for d in log)
    # Giving up on one event is not disabling the endpoint.
    assert user.get(f"/v1/webhooks/{hook['id']}").json()["enabled"] is True


def test_only_the_first_4_kib_of_an_answer_is_kept(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    receiver.enqueue(Reply(500, body=b"x" * 10_000))
    hook = pinged_hook(user, clock, receiver)

    run_tick(app, T0)

    (logged,) = deliveries(user, hook)
    assert logged["response_body"] == "x" * 4096


def test_an_answer_with_nul_bytes_is_logged_once(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    receiver.enqueue(Reply(200, body=b"ok\x00done"))
    hook = pinged_hook(user, clock, receiver)

    report = run_tick(app, T0)
    later = run_tick(app, T0 + timedelta(minutes=5))  # past any lease

    assert (report.delivered, later.delivered + later.failed) == (1, 0)
    assert len(receiver.requests) == 1
    (logged,) = deliveries(user, hook)
    assert (logged["status_code"], logged["response_body"]) == (200, "ok\ufffddone")


def test_an_address_refused_at_delivery_time_is_logged_and_not_sent(
    app: FastAPI,
    user: User,
    clock: Clock,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hook = pinged_hook(user, clock, receiver)
    monkeypatch.setattr(app.state.settings, "webhook_allow_private", False)

    report = run_tick(app, T0)

    assert report.failed == 1
    assert receiver.requests == []
    (logged,) = deliveries(user, hook)
    assert logged["status_code"] is None
    assert logged["error"].startswith("not sent")
    assert logged["event_type"] == "webhook.ping"


class InFlight:
    """A responder that answers slowly and remembers the most requests it held at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.most = 0

    def __call__(self, _request: Recorded) -> Reply:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.2)
        with self.lock:
            self.now -= 1
        return Reply(204)


def test_at_most_four_deliveries_are_in_flight_to_one_host(
    app: FastAPI, user: User, clock: Clock
) -> None:
    clock.set(T0)
    first, second = InFlight(), InFlight()
    with Receiver(first) as one, Receiver(second) as two:
        hooks = [user.create("/v1/webhooks", {"url": r.url_for("/hooks")}) for r in (one, two)]
        for hook in hooks:
            for _ in range(10):
                assert user.post(f"/v1/webhooks/{hook['id']}/ping").status_code == 202
        report = run_tick(app, T0)
        assert len(one.requests) == len(two.requests) == 10
    # Each receiver (its own host and port) had four at once, never more.
    assert (first.most, second.most) == (4, 4)
    assert [d["status_code"] for h in hooks for d in deliveries(user, h)] == [204] * 20
    assert (report.delivered, report.failed) == (20, 0)
