"""The calendar feed: secret URL, one VEVENT per open or recently done follow-up, the
webhook's UIDs, ETags; overdue ones move to the next slot still ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from icalendar import Calendar
from standardwebhooks.webhooks import Webhook

from tests.conftest import Clock, User, assert_problem
from tests.receiver import Receiver
from tests.scheduler.test_delivery import run_tick

REJECTED = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday; first touches due Monday


def add_organization(user: User, name: str) -> dict[str, Any]:
    """An organization that said No today, one contact there; returns its open next action."""
    org = user.create("/v1/organizations", {"name": name, "rejected_on": "2026-11-20"})
    user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": f"Ann at {name}",
            "role": "hiring_manager",
            "email": "ann@example.com",
        },
    )
    (action,) = user.get("/v1/next-actions", params={"organization_id": org["id"]}).json()["data"]
    return action


def feed_path(user: User) -> str:
    response = user.get("/v1/calendar")
    assert response.status_code == 200, response.text
    return urlsplit(response.json()["feed_url"]).path


def events_of(body: bytes) -> dict[str, Any]:
    """The feed's VEVENTs by UID."""
    calendar = Calendar.from_ical(body)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_urls_are_secret_and_stable(user: User) -> None:
    first = user.get("/v1/calendar").json()
    second = user.get("/v1/calendar").json()

    assert first == second
    feed = urlsplit(first["feed_url"])
    assert (feed.scheme, feed.netloc) == ("https", "testserver")
    assert feed.path.startswith("/calendar/") and feed.path.endswith(".ics")
    assert len(feed.path) > len("/calendar/.ics") + 40  # an unguessable token
    assert first["webcal_url"] == "webcal://" + first["feed_url"].split("://", 1)[1]
    assert_problem(user.client.get("/v1/calendar"), 401)


def test_one_vevent_per_open_next_action(
    app: FastAPI, user: User, other_user: User, clock: Clock
) -> None:
    clock.set(REJECTED)
    skipped = add_organization(user, "Skipped Co")
    fulfilled = add_organization(user, "Called Co")
    cancelled = add_organization(user, "Paused Co")
    due = add_organization(user, "Due Co")
    clock.set(REJECTED + timedelta(days=1))
    user.post(f"/v1/next-actions/{skipped['id']}/skip")
    contact = fulfilled["contact_id"]
    attempt = {"contact_id": contact, "channel": "email", "next_action_id": fulfilled["id"]}
    user.create("/v1/attempts", attempt)
    user.patch(f"/v1/organizations/{cancelled['organization_id']}", json={"status": "paused"})
    monday = datetime.fromisoformat(due["due_at"])
    run_tick(app, monday)  # turns the earliest ones due; due is still open
    open_actions = user.get("/v1/next-actions").json()["data"]

    response = user.client.get(feed_path(user))  # no Authorization header

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    events = events_of(response.content)
    done = f"{fulfilled['id']}@keepwarm"  # a done one stays, marked done (see below)
    assert set(events) == {f"{a['id']}@keepwarm" for a in open_actions} | {done}
    assert len(open_actions) == 3
    assert "due" in {a["state"] for a in open_actions}
    assert str(events[done]["summary"]).startswith("Done: ")
    for closed in (skipped, cancelled):
        assert f"{closed['id']}@keepwarm" not in events
    assert events_of(other_user.client.get(feed_path(other_user)).content) == {}


def test_each_vevent_matches_the_webhook_calendar_object(
    app: FastAPI, user: User, clock: Clock
) -> None:
    clock.set(REJECTED)
    with Receiver() as receiver:
        hook = user.create("/v1/webhooks", {"url": receiver.url_for("/")})
        action = add_organization(user, "Acme")
        clock.set(REJECTED + timedelta(hours=1))
        user.post(f"/v1/next-actions/{action['id']}/snooze", json={"until": "2026-11-24T09:30:00Z"})
        run_tick(app, REJECTED + timedelta(hours=1))
        payloads = [Webhook(hook["secret"]).verify(r.body, r.headers) for r in receiver.requests]
    by_type = {p["type"]: p["data"]["calendar"] for p in payloads}
    calendar = by_type["followup.rescheduled"]
    assert calendar["uid"] == by_type["followup.scheduled"]["uid"]
    action = user.get(f"/v1/next-actions/{action['id']}").json()

    body = user.client.get(feed_path(user)).content

    event = events_of(body)[calendar["uid"]]
    assert event["sequence"] == calendar["sequence"] == action["sequence"] >= 1
    start = event.decoded("dtstart")
    assert (
        start
        == datetime.fromisoformat(calendar["start"])
        == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    )
    assert event.decoded("dtend") == datetime.fromisoformat(calendar["end"])
    assert event.decoded("dtend") - start == timedelta(minutes=15)
    assert str(event["summary"]) == calendar["summary"]
    assert str(event["description"]) == calendar["description"]
    updated = datetime.fromisoformat(action["updated_at"]).replace(microsecond=0)
    assert event.decoded("dtstamp") == updated
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(minutes=10)
    assert b"TRIGGER:-PT10M" in body
    for line in body.decode().splitlines():
        assert not line.startswith(("ATTENDEE", "ORGANIZER")), line
    feed = Calendar.from_ical(body)
    assert feed.decoded("refresh-interval") == timedelta(hours=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body
    assert str(feed["x-published-ttl"]) == "PT1H"
    assert not feed.walk("VTODO")


def test_etag_and_304_and_byte_identical_bodies(user: User, clock: Clock) -> None:
    clock.set(REJECTED)
    action = add_organization(user, "Acme")
    path = feed_path(user)

    first = user.client.get(path)
    clock.set(REJECTED + timedelta(minutes=5))  # nothing changed; only time passed
    again = user.client.get(path)
    unchanged = user.client.get(path, headers={"If-None-Match": first.headers["etag"]})

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == first.headers["etag"]
    # A weakened tag (as compressing proxies send it back) and a list of tags match too.
    for sent in ("W/" + first.headers["etag"], '"other", ' + first.headers["etag"]):
        assert user.client.get(path, headers={"If-None-Match": sent}).status_code == 304, sent

    user.post(f"/v1/next-actions/{action['id']}/snooze", json={"until": "2026-11-25T10:00:00Z"})
    changed = user.client.get(path, headers={"If-None-Match": first.headers["etag"]})

    assert changed.status_code == 200
    assert changed.headers["etag"] != first.headers["etag"]
    assert changed.content != first.content


def test_rotating_the_token_retires_the_old_url(user: User, clock: Clock) -> None:
    clock.set(REJECTED)
    add_organization(user, "Acme")
    old = feed_path(user)
    body = user.client.get(old).content

    rotated = user.post("/v1/calendar/rotate-token")

    assert rotated.status_code == 200, rotated.text
    new = urlsplit(rotated.json()["feed_url"]).path
    assert new != old
    assert feed_path(user) == new
    assert_problem(user.client.get(old), 404)
    assert user.client.get(new).content == body


def test_the_bearer_feed_and_unknown_tokens(user: User, clock: Clock) -> None:
    clock.set(REJECTED)
    add_organization(user, "Acme")

    with_key = user.get("/v1/calendar.ics")

    assert with_key.status_code == 200, with_key.text
    assert with_key.headers["content-type"].startswith("text/calendar")
    assert with_key.content == user.client.get(feed_path(user)).content
    assert len(events_of(with_key.content)) == 1
    assert_problem(user.client.get("/v1/calendar.ics"), 401)
    assert_problem(user.client.get("/calendar/not-a-real-token.ics"), 404)


def test_an_overdue_follow_up_moves_to_the_next_slot_still_ahead(user: User, clock: Clock) -> None:
    clock.set(REJECTED)
    action = add_organization(user, "Acme")  # due Monday 23rd at 10:00 (UTC, the default)
    due_at = datetime.fromisoformat(action["due_at"])
    assert due_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    uid = f"{action['id']}@keepwarm"

    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # Tuesday before 10:00: today
    tuesday = events_of(user.client.get(feed_path(user)).content)[uid]
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))  # Friday after 10:00: Monday
    friday = events_of(user.client.get(feed_path(user)).content)[uid]

    assert tuesday.decoded("dtstart") == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert friday.decoded("dtstart") == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    for event in (tuesday, friday):
        assert str(event["summary"]) == "Overdue: Email Ann at Acme (Acme)"
        assert str(event["description"]).startswith("Overdue since 2026-11-23. ")
    # The action itself keeps its due time.
    assert user.get(f"/v1/next-actions/{action['id']}").json()["due_at"] == action["due_at"]


def test_the_overdue_slot_follows_the_accounts_time_zone_and_hour(user: User, clock: Clock) -> None:
    clock.set(REJECTED)
    etag = user.get("/v1/settings").headers["etag"]
    changed = user.patch(
        "/v1/settings",
        json={"timezone": "America/New_York", "preferred_hour": 9},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    action = add_organization(user, "Acme")
    due_at = datetime.fromisoformat(action["due_at"])

    clock.set(due_at + timedelta(days=1, hours=1))
    event = events_of(user.client.get(feed_path(user)).content)[f"{action['id']}@keepwarm"]

    start = event.decoded("dtstart")
    assert start > due_at + timedelta(days=1, hours=1)
    local = start.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0) and local.weekday() < 5


def test_a_done_follow_up_stays_thirty_days_at_the_time_it_was_done(
    user: User, clock: Clock
) -> None:
    clock.set(REJECTED)
    action = add_organization(user, "Acme")
    done_at = datetime(2026, 11, 23, 11, 7, tzinfo=UTC)
    clock.set(done_at)
    attempt = {
        "contact_id": action["contact_id"],
        "channel": "email",
        "next_action_id": action["id"],
    }
    user.create("/v1/attempts", attempt)
    uid = f"{action['id']}@keepwarm"

    clock.set(done_at + timedelta(days=29))
    kept = events_of(user.client.get(feed_path(user)).content)
    clock.set(done_at + timedelta(days=31))
    dropped = events_of(user.client.get(feed_path(user)).content)

    assert kept[uid].decoded("dtstart") == done_at
    assert str(kept[uid]["summary"]) == "Done: Email Ann at Acme (Acme)"
    assert uid not in dropped
