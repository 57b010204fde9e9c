"""Webhooks: endpoint management, secrets, the URL guard, ping, redelivery, what events arrive."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from service.api.schemas.webhooks import FollowupEvent
from service.scheduler import ssrf
from tests.conftest import Clock, User, assert_problem
from tests.receiver import Receiver, Recorded
from tests.scheduler.test_delivery import deliveries, run_tick

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday afternoon
ALL_EVENTS = [
    "followup.scheduled",
    "followup.rescheduled",
    "followup.due",
    "followup.cancelled",
    "attempt.logged",
    "organization.opening",
    "webhook.ping",
]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def url(receiver: Receiver) -> str:
    return receiver.url_for("/hooks")


# Management


def test_create_shows_the_secret_once(user: User, url: str) -> None:
    response = user.post("/v1/webhooks", json={"url": url})

    assert response.status_code == 201, response.text
    hook = response.json()
    assert response.headers["location"] == f"https://testserver/v1/webhooks/{hook['id']}"
    assert hook["secret"].startswith("whsec_")
    assert hook["url"] == url
    assert hook["events"] == ALL_EVENTS
    assert (hook["enabled"], hook["description"], hook["disabled_reason"]) == (True, None, None)
    shown = user.get(f"/v1/webhooks/{hook['id']}")
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    assert shown.json() == {k: v for k, v in hook.items() if k != "secret"}
    listed = user.get("/v1/webhooks").json()
    assert [h["id"] for h in listed["data"]] == [hook["id"]]
    assert "secret" not in listed["data"][0]
    assert hook["secret"] not in shown.text + json.dumps(listed)


def test_rotate_secret_shows_a_new_one_and_signs_with_it(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver, url: str
) -> None:
    clock.set(T0)
    hook = user.create("/v1/webhooks", {"url": url})

    rotated = user.post(f"/v1/webhooks/{hook['id']}/rotate-secret")

    assert rotated.status_code == 200, rotated.text
    secret = rotated.json()["secret"]
    assert secret.startswith("whsec_") and secret != hook["secret"]
    assert "secret" not in user.get(f"/v1/webhooks/{hook['id']}").json()
    user.post(f"/v1/webhooks/{hook['id']}/ping")
    run_tick(app, T0)
    (request,) = receiver.wait_for(1)
    Webhook(secret).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(hook["secret"]).verify(request.body, request.headers)


def test_patch_changes_events_description_and_enabled(user: User, url: str) -> None:
    hook = user.create("/v1/webhooks", {"url": url, "description": "Zapier"})
    etag = user.get(f"/v1/webhooks/{hook['id']}").headers["etag"]

    response = user.patch(
        f"/v1/webhooks/{hook['id']}",
        json={"events": ["followup.due"], "description": "Calendar sync", "enabled": False},
        headers={"If-Match": etag},
    )

    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["events"] == ["followup.due"]
    assert changed["description"] == "Calendar sync"
    assert changed["enabled"] is False
    assert changed["url"] == url
    assert response.headers["etag"] != etag
    assert user.get(f"/v1/webhooks/{hook['id']}").json() == changed
    cleared = user.patch(f"/v1/webhooks/{hook['id']}", json={"description": None, "enabled": True})
    assert (cleared.json()["description"], cleared.json()["enabled"]) == (None, True)


def test_a_stale_if_match_answers_412(user: User, url: str) -> None:
    hook = user.create("/v1/webhooks", {"url": url})
    etag = user.get(f"/v1/webhooks/{hook['id']}").headers["etag"]
    user.patch(f"/v1/webhooks/{hook['id']}", json={"description": "first"})

    stale = user.patch(
        f"/v1/webhooks/{hook['id']}", json={"description": "second"}, headers={"If-Match": etag}
    )

    assert_problem(stale, 412)
    assert user.get(f"/v1/webhooks/{hook['id']}").json()["description"] == "first"
    gone = user.delete(f"/v1/webhooks/{hook['id']}", headers={"If-Match": etag})
    assert_problem(gone, 412)


def test_delete_answers_204_and_the_webhook_is_gone(user: User, url: str) -> None:
    hook = user.create("/v1/webhooks", {"url": url})

    response = user.delete(f"/v1/webhooks/{hook['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(user.get(f"/v1/webhooks/{hook['id']}"), 404)
    assert user.get("/v1/webhooks").json()["data"] == []


def test_another_accounts_webhook_is_not_found(user: User, other_user: User, url: str) -> None:
    hook = user.create("/v1/webhooks", {"url": url})
    base = f"/v1/webhooks/{hook['id']}"

    answers = [
        other_user.get(base),
        other_user.patch(base, json={"description": "mine now"}),
        other_user.delete(base),
        other_user.post(f"{base}/rotate-secret"),
        other_user.post(f"{base}/ping"),
        other_user.get(f"{base}/deliveries"),
    ]

    for answer in answers:
        body = assert_problem(answer, 404)
        assert url not in json.dumps(body)
    assert other_user.get("/v1/webhooks").json()["data"] == []
    assert user.get(base).json()["description"] is None


def names(problem: dict[str, Any], field: str) -> bool:
    """The problem's `errors` name the field (or an item of it, dotted: events.1)."""
    fields = [error["field"] for error in problem.get("errors") or []]
    return any(name == field or name.startswith(field + ".") for name in fields)


BAD_EVENTS: list[object] = [
    ["followup.sent"],
    ["followup.due", "Followup.Due"],
    "followup.due",
    [42],
    [],  # subscribing to nothing is not "everything"; disable the endpoint instead
]


def test_an_unknown_event_type_is_refused(user: User, url: str) -> None:
    hook = user.create("/v1/webhooks", {"url": url})
    for events in BAD_EVENTS:
        created = user.post("/v1/webhooks", json={"url": url, "events": events})
        assert names(assert_problem(created, 422), "events"), events
        patched = user.patch(f"/v1/webhooks/{hook['id']}", json={"events": events})
        assert names(assert_problem(patched, 422), "events"), events
    assert [h["id"] for h in user.get("/v1/webhooks").json()["data"]] == [hook["id"]]
    assert user.get(f"/v1/webhooks/{hook['id']}").json()["events"] == ALL_EVENTS


def test_events_are_kept_once_and_null_resets_them_to_all(user: User, url: str) -> None:
    hook = user.create("/v1/webhooks", {"url": url, "events": ["followup.due"] * 2})
    assert hook["events"] == ["followup.due"]
    reset = user.patch(f"/v1/webhooks/{hook['id']}", json={"events": None})
    assert reset.json()["events"] == ALL_EVENTS


# The URL guard

UNSAFE_URLS = [
    "http://hooks.example.com/keepwarm",
    "https://127.0.0.1/hooks",
    "https://10.0.0.1/hooks",
    "https://[::1]/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://localhost/hooks",  # a host name that resolves to loopback
    "https://user:pass@hooks.example.com/",
    "ftp://hooks.example.com/",
    "not a url",
]


def test_unsafe_urls_are_refused(
    app: FastAPI, user: User, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = user.create("/v1/webhooks", {"url": url})  # while private addresses are allowed
    monkeypatch.setattr(app.state.settings, "webhook_allow_private", False)

    for bad_url in UNSAFE_URLS:
        created = user.post("/v1/webhooks", json={"url": bad_url})
        assert_problem(created, 422, field="url")
        patched = user.patch(f"/v1/webhooks/{hook['id']}", json={"url": bad_url})
        assert_problem(patched, 422, field="url")

    assert [h["url"] for h in user.get("/v1/webhooks").json()["data"]] == [url]


def test_private_destinations_are_accepted_when_allowed(user: User, receiver: Receiver) -> None:
    hook = user.create("/v1/webhooks", {"url": receiver.url_for("/local")})
    assert hook["url"].startswith("http://127.0.0.1:")


def test_every_resolved_address_is_checked(
    app: FastAPI, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = {
        "hooks.example.com": ["93.184.215.14"],
        "mixed.example.com": ["93.184.215.14", "10.1.2.3"],
        "mapped.example.com": ["::ffff:127.0.0.1"],
    }

    async def resolver(host: str, port: int) -> list[str]:
        return answers[host]

    monkeypatch.setattr(ssrf, "lookup_host", resolver)
    monkeypatch.setattr(app.state.settings, "webhook_allow_private", False)

    hook = user.create("/v1/webhooks", {"url": "https://hooks.example.com/keepwarm"})
    for host in ("mixed.example.com", "mapped.example.com"):
        refused = user.post("/v1/webhooks", json={"url": f"https://{host}/keepwarm"})
        assert (
            "no public address" in assert_problem(refused, 422, field="url")["errors"][0]["message"]
        )
        patched = user.patch(f"/v1/webhooks/{hook['id']}", json={"url": f"https://{host}/"})
        assert_problem(patched, 422, field="url")


# Ping and redelivery


def test_ping_arrives_signed_and_is_logged(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver, url: str
) -> None:
    clock.set(T0)
    hook = user.create("/v1/webhooks", {"url": url, "events": ["followup.due"]})

    response = user.post(f"/v1/webhooks/{hook['id']}/ping")

    assert response.status_code == 202, response.text
    event_id = response.json()["event_id"]
    uuid.UUID(event_id)
    assert run_tick(app, T0).delivered == 1
    (request,) = receiver.wait_for(1)
    payload = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "webhook.ping"
    assert request.path == "/hooks"
    (logged,) = deliveries(user, hook)
    assert logged["event_id"] == event_id
    assert (logged["event_type"], logged["attempt"], logged["status_code"]) == (
        "webhook.ping",
        1,
        200,
    )
    assert logged["error"] is None and logged["duration_ms"] >= 0


def test_ping_to_a_disabled_endpoint_answers_409(user: User, url: str) -> None:
    hook = user.create("/v1/webhooks", {"url": url, "enabled": False})
    assert_problem(user.post(f"/v1/webhooks/{hook['id']}/ping"), 409)
    assert user.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"] == []


def test_redeliver_resends_with_the_same_webhook_id(
    app: FastAPI, user: User, other_user: User, clock: Clock, receiver: Receiver, url: str
) -> None:
    clock.set(T0)
    hook = user.create("/v1/webhooks", {"url": url})
    user.post(f"/v1/webhooks/{hook['id']}/ping")
    run_tick(app, T0)
    (logged,) = deliveries(user, hook)
    redeliver = f"/v1/webhooks/{hook['id']}/deliveries/{logged['id']}/redeliver"

    assert_problem(other_user.post(redeliver), 404)
    assert_problem(user.post(f"/v1/webhooks/{hook['id']}/deliveries/{uuid.uuid4()}/redeliver"), 404)
    other_hook = other_user.create("/v1/webhooks", {"url": url})
    assert_problem(
        other_user.post(f"/v1/webhooks/{other_hook['id']}/deliveries/{logged['id']}/redeliver"),
        404,
    )
    clock.set(T0 + timedelta(minutes=1))
    response = user.post(redeliver)

    assert response.status_code == 202, response.text
    assert response.json()["event_id"] == logged["event_id"]
    assert run_tick(app, T0 + timedelta(minutes=1)).delivered == 1
    first, again = receiver.wait_for(2)
    assert again.headers["webhook-id"] == first.headers["webhook-id"]
    assert again.body == first.body
    assert Webhook(hook["secret"]).verify(again.body, again.headers)["type"] == "webhook.ping"
    log = deliveries(user, hook)
    assert [(d["event_id"], d["status_code"]) for d in log] == [(logged["event_id"], 200)] * 2


def test_redeliver_to_a_disabled_endpoint_answers_409(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver, url: str
) -> None:
    clock.set(T0)
    hook = user.create("/v1/webhooks", {"url": url})
    user.post(f"/v1/webhooks/{hook['id']}/ping")
    run_tick(app, T0)
    (logged,) = deliveries(user, hook)
    user.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": False})

    response = user.post(f"/v1/webhooks/{hook['id']}/deliveries/{logged['id']}/redeliver")

    assert_problem(response, 409)
    run_tick(app, T0 + timedelta(minutes=1))
    assert len(receiver.requests) == 1


# Which events arrive


REJECTED = T0  # when the organizations below said No; first touches are due Monday 23rd


def subscribe(user: User, receiver: Receiver, event_type: str) -> tuple[dict, dict]:
    """An endpoint that wants `event_type` and one that wants every other type."""
    others = [t for t in ALL_EVENTS if t != event_type]
    wants = user.create("/v1/webhooks", {"url": receiver.url_for("/wants"), "events": [event_type]})
    rest = user.create("/v1/webhooks", {"url": receiver.url_for("/others"), "events": others})
    return wants, rest


def seed(user: User) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An organization that said No, a contact there, and its first follow-up."""
    org = user.create(
        "/v1/organizations",
        {"name": "Acme", "rejected_on": "2026-11-20", "website": "https://acme.example"},
    )
    contact = user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Ann Lee",
            "role": "hiring_manager",
            "email": "ann@acme.example",
        },
    )
    (action,) = user.get("/v1/next-actions").json()["data"]
    return org, contact, action


def received(app: FastAPI, receiver: Receiver, hook: dict, at: datetime) -> list[dict[str, Any]]:
    """Run a tick; the verified payloads that reached this endpoint's path."""
    run_tick(app, at)
    path = "/" + hook["url"].rsplit("/", 1)[1]
    mine: list[Recorded] = [r for r in receiver.requests if r.path == path]
    return [Webhook(hook["secret"]).verify(r.body, r.headers) for r in mine]


def types_at(receiver: Receiver, path: str) -> list[str]:
    return [json.loads(r.body)["type"] for r in receiver.requests if r.path == path]


def check_calendar(app: FastAPI, payload: dict[str, Any], action: dict[str, Any]) -> dict[str, Any]:
    """The followup.* payload matches the OpenAPI schema and its calendar object the action."""
    documented = app.openapi()["webhooks"][payload["type"]]["post"]["requestBody"]
    schema = documented["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/FollowupEvent"}
    event = FollowupEvent.model_validate(payload)
    calendar = payload["data"]["calendar"]
    assert calendar["uid"] == f"{action['id']}@keepwarm"
    assert event.data.next_action.id == uuid.UUID(action["id"])
    assert calendar["sequence"] == payload["data"]["next_action"]["sequence"]
    start = datetime.fromisoformat(calendar["start"])
    assert start == datetime.fromisoformat(payload["data"]["next_action"]["due_at"])
    assert datetime.fromisoformat(calendar["end"]) - start == timedelta(minutes=15)
    assert "Ann Lee" in calendar["summary"] and "Acme" in calendar["summary"]
    assert payload["data"]["next_action"]["reason"] in calendar["description"]
    assert payload["data"]["next_action"]["script"]["text"] in calendar["description"]
    assert calendar["ics"].startswith("BEGIN:VEVENT")
    assert f"UID:{calendar['uid']}" in calendar["ics"]
    assert f"SEQUENCE:{calendar['sequence']}" in calendar["ics"]
    assert payload["data"]["contact"]["name"] == "Ann Lee"
    assert payload["data"]["organization"]["name"] == "Acme"
    return calendar


def test_followup_scheduled_when_an_organization_gets_a_contact(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    wants, _ = subscribe(user, receiver, "followup.scheduled")
    _, _, action = seed(user)

    (payload,) = received(app, receiver, wants, REJECTED)

    assert payload["type"] == "followup.scheduled"
    calendar = check_calendar(app, payload, action)
    assert calendar["sequence"] == action["sequence"]
    assert datetime.fromisoformat(calendar["start"]) == datetime.fromisoformat(action["due_at"])
    assert "followup.scheduled" not in types_at(receiver, "/others")


def test_followup_rescheduled_after_an_attempt_keeps_the_uid(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    scheduled, _ = subscribe(user, receiver, "followup.scheduled")
    rescheduled = user.create(
        "/v1/webhooks",
        {"url": receiver.url_for("/rescheduled"), "events": ["followup.rescheduled"]},
    )
    _, contact, action = seed(user)
    later = REJECTED + timedelta(days=1)
    clock.set(later)
    user.create(
        "/v1/attempts",
        {
            "contact_id": contact["id"],
            "channel": "email",
            "outcome": "sent",  # no_answer fits only a call (a 422 on an email)
            "occurred_at": later.isoformat(),
        },
    )

    (first,) = received(app, receiver, scheduled, later)
    payloads = received(app, receiver, rescheduled, later)

    assert [p["type"] for p in payloads] == ["followup.rescheduled"]
    (now_action,) = user.get("/v1/next-actions").json()["data"]
    assert now_action["id"] == action["id"]
    calendar = check_calendar(app, payloads[0], now_action)
    assert calendar["uid"] == first["data"]["calendar"]["uid"]
    assert calendar["sequence"] > first["data"]["calendar"]["sequence"]
    assert calendar["sequence"] == now_action["sequence"]
    assert "followup.rescheduled" not in types_at(receiver, "/wants")


def test_followup_cancelled_when_the_organization_is_paused(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    wants, _ = subscribe(user, receiver, "followup.cancelled")
    org, _, action = seed(user)

    user.patch(f"/v1/organizations/{org['id']}", json={"status": "paused"})

    (payload,) = received(app, receiver, wants, REJECTED)
    assert payload["type"] == "followup.cancelled"
    check_calendar(app, payload, action)
    assert payload["data"]["next_action"]["state"] == "cancelled"
    assert "followup.cancelled" not in types_at(receiver, "/others")
    assert user.get("/v1/next-actions").json()["data"] == []
    # A calendar that imported the event replaces it with a cancelled, newer revision.
    calendar = payload["data"]["calendar"]
    assert calendar["sequence"] == action["sequence"] + 1
    assert "STATUS:CANCELLED" in calendar["ics"]


def test_followup_due_when_the_time_comes(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    wants, _ = subscribe(user, receiver, "followup.due")
    _, _, action = seed(user)
    due_at = datetime.fromisoformat(action["due_at"])

    assert received(app, receiver, wants, due_at - timedelta(seconds=1)) == []
    (payload,) = received(app, receiver, wants, due_at)

    assert payload["type"] == "followup.due"
    check_calendar(app, payload, action)
    assert payload["data"]["next_action"]["state"] == "due"
    assert "followup.due" not in types_at(receiver, "/others")


def test_attempt_logged_and_organization_opening(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    logged_hook, _ = subscribe(user, receiver, "attempt.logged")
    opening_hook = user.create(
        "/v1/webhooks", {"url": receiver.url_for("/opening"), "events": ["organization.opening"]}
    )
    org, contact, _ = seed(user)
    attempt = user.create(
        "/v1/attempts",
        {"contact_id": contact["id"], "channel": "call", "outcome": "opening_discussed"},
    )

    (logged,) = received(app, receiver, logged_hook, REJECTED)
    (opening,) = received(app, receiver, opening_hook, REJECTED)

    assert logged["type"] == "attempt.logged"
    assert logged["data"]["attempt"]["id"] == attempt["id"]
    assert logged["data"]["attempt"]["outcome"] == "opening_discussed"
    assert opening["type"] == "organization.opening"
    assert opening["data"]["organization"]["id"] == org["id"]
    assert opening["data"]["organization"]["status"] == "opening"
    assert "attempt.logged" not in types_at(receiver, "/others")
    assert "organization.opening" in types_at(receiver, "/others")
    assert types_at(receiver, "/opening") == ["organization.opening"]


def test_deleting_the_organization_cancels_its_follow_up(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    wants, _ = subscribe(user, receiver, "followup.cancelled")
    org, _, action = seed(user)

    assert user.delete(f"/v1/organizations/{org['id']}").status_code == 204

    (payload,) = received(app, receiver, wants, REJECTED)
    assert payload["data"]["calendar"]["uid"] == f"{action['id']}@keepwarm"


def test_deleting_the_contact_cancels_its_follow_up(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    wants, _ = subscribe(user, receiver, "followup.cancelled")
    _, contact, action = seed(user)

    assert user.delete(f"/v1/contacts/{contact['id']}").status_code == 204

    (payload,) = received(app, receiver, wants, REJECTED)
    assert payload["data"]["calendar"]["uid"] == f"{action['id']}@keepwarm"
