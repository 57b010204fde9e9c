"""The tick end to end: due follow-ups become signed webhooks at a real local receiver."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from standardwebhooks.webhooks import Webhook

from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker, TickReport
from tests.conftest import Clock, User
from tests.receiver import Receiver, Reply

REJECTED = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday; first touch due Mon 23rd 10:00


def run_tick(app: FastAPI, at: datetime) -> TickReport:
    async def go() -> TickReport:
        async with make_client() as client:
            ticker = Ticker(
                app.state.session_factory,
                client,
                allow_private=True,
                clock=lambda: at,
                rng=random.Random(7),
            )
            return await ticker.tick()

    return asyncio.run(go())


def seed(user: User, clock: Clock, receiver_url: str) -> tuple[dict, dict]:
    clock.set(REJECTED)
    hook = user.create("/v1/webhooks", {"url": receiver_url, "events": ["followup.due"]})
    org = user.create("/v1/organizations", {"name": "Acme", "rejected_on": "2026-11-20"})
    user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Ann Lee",
            "role": "hiring_manager",
            "email": "ann@acme.example",
        },
    )
    return hook, org


def test_a_due_follow_up_arrives_signed_once(app: FastAPI, user: User, clock: Clock) -> None:
    with Receiver() as receiver:
        hook, _ = seed(user, clock, receiver.url_for("/hooks"))
        before = run_tick(app, datetime(2026, 11, 23, 9, 59, tzinfo=UTC))
        assert (before.due, before.delivered) == (0, 0)
        report = run_tick(app, datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
        again = run_tick(app, datetime(2026, 11, 23, 10, 1, tzinfo=UTC))
        (request,) = receiver.wait_for(1)
    assert (report.due, report.delivered, again.due, again.delivered) == (1, 1, 0, 0)
    payload = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "followup.due"
    assert payload["data"]["organization"]["name"] == "Acme"
    calendar = payload["data"]["calendar"]
    assert calendar["start"] == "2026-11-23T10:00:00Z"
    assert calendar["end"] == "2026-11-23T10:15:00Z"
    assert "BEGIN:VEVENT" in calendar["ics"]
    action = user.get("/v1/next-actions").json()["data"][0]
    assert action["state"] == "due"
    deliveries = user.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"]
    assert [(d["event_type"], d["status_code"], d["attempt"]) for d in deliveries] == [
        ("followup.due", 200, 1)
    ]


def test_a_failing_receiver_gets_a_retry_with_the_same_webhook_id(
    app: FastAPI, user: User, clock: Clock
) -> None:
    with Receiver() as receiver:
        receiver.enqueue(Reply(500, body=b"oops"))
        hook, _ = seed(user, clock, receiver.url_for("/hooks"))
        due = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        first = run_tick(app, due)
        second = run_tick(app, due + timedelta(seconds=10))
        requests = receiver.wait_for(2)
    assert (first.failed, second.delivered) == (1, 1)
    assert requests[0].headers["webhook-id"] == requests[1].headers["webhook-id"]
    assert json.loads(requests[1].body)["type"] == "followup.due"
    log = user.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"]
    assert [(d["attempt"], d["status_code"]) for d in log] == [(2, 200), (1, 500)]
    assert log[1]["response_body"] == "oops"
