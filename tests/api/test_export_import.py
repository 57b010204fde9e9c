"""Export and import of a whole account (GET /v1/export, POST /v1/import)."""

from __future__ import annotations

import copy
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.db.outbox import Event
from tests.conftest import PASSWORD, Clock, User, assert_problem

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
KINDS = ("organizations", "contacts", "attempts", "next_actions", "webhooks")
# What a round trip into another account changes besides the ids (see the endpoint's docs):
# webhooks come in disabled, and an open next action is recomputed, its script phrasings
# seeded by the ids, so its script (and the links made of it) may change, with its sequence.
WEBHOOK_CHANGES = ("enabled", "disabled_reason", "updated_at")
OPEN_ACTION_CHANGES = ("script", "links", "sequence", "updated_at")


class Steps:
    """The clock, moved on a second before each write: records get distinct times."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        clock.set(START)

    def __call__(self) -> None:
        self.clock.set(self.clock.now() + timedelta(seconds=1))


def fill(user: User, clock: Clock) -> None:
    """An account with a record of every kind, and history: done, skipped, snoozed actions."""
    step = Steps(clock)
    assert user.patch("/v1/settings", json={"timezone": "Europe/Berlin"}).status_code == 200
    profile = {"name": "Sam Park", "signature": "Sam Park\nsam@example.com"}
    assert user.patch("/v1/profile", json=profile).status_code == 200
    step()
    acme = user.create(
        "/v1/organizations",
        {"name": "Acme", "rejected_on": "2026-02-27", "role_applied": "Staff engineer"},
    )
    step()
    news = user.create(
        f"/v1/organizations/{acme['id']}/news",
        {"headline": "Acme opens a Berlin office", "noticed_on": "2026-02-28"},
    )
    step()
    user.create(
        f"/v1/organizations/{acme['id']}/news",
        {"headline": "Acme lays off 5%", "noticed_on": "2026-03-01", "tone": "difficult"},
    )
    step()
    ann = user.create(
        "/v1/contacts",
        {
            "organization_id": acme["id"],
            "name": "Ann Lee",
            "role": "hiring_manager",
            "email": "ann@acme.example",
            "phone": "+1 312 555 0100",
            "timezone": "America/Chicago",
        },
    )
    step()
    user.create(
        "/v1/contacts",
        {
            "organization_id": acme["id"],
            "name": "Bob Roe",
            "role": "recruiter",
            "profile_url": "https://www.linkedin.com/in/bob-roe",
        },
    )
    step()
    cy = user.create(
        "/v1/contacts",
        {"organization_id": acme["id"], "name": "Cy Doe", "role": "other", "email": "cy@x.example"},
    )
    step()
    first = user.get(f"/v1/next-actions?organization_id={acme['id']}").json()["data"][0]
    user.create(
        "/v1/attempts",
        {
            "contact_id": ann["id"],
            "channel": "email",
            "outcome": "sent",
            "occurred_at": "2026-03-02T09:00:05Z",
            "next_action_id": first["id"],
        },
    )
    step()
    user.create(
        "/v1/attempts",
        {
            "contact_id": ann["id"],
            "channel": "call",
            "direction": "inbound",
            "outcome": "referred",
            "referred_to_contact_id": cy["id"],
            "news_id": news["id"],
            "occurred_at": "2026-03-02T09:00:07Z",
            "follow_up_on": "2026-06-01",
            "follow_up_channel": "call",
        },
    )
    step()
    # Cy leaves: the referral stays in the history without its contact (SET NULL).
    assert user.delete(f"/v1/contacts/{cy['id']}").status_code == 204
    step()
    action = user.get(f"/v1/next-actions?organization_id={acme['id']}").json()["data"][0]
    assert user.post(f"/v1/next-actions/{action['id']}/skip").status_code == 200
    step()
    action = user.get(f"/v1/next-actions?organization_id={acme['id']}").json()["data"][0]
    until = (START + timedelta(days=30)).isoformat()
    snoozed = user.post(f"/v1/next-actions/{action['id']}/snooze", json={"until": until})
    assert snoozed.status_code == 200, snoozed.text
    step()
    globex = user.create(
        "/v1/organizations",
        {"name": "Globex", "status": "paused", "paused_reason": "Hiring freeze", "notes": "Q3"},
    )
    step()
    user.create(
        "/v1/contacts",
        {"organization_id": globex["id"], "name": "Dee", "role": "hr", "email": "d@g.example"},
    )
    step()
    initech = user.create("/v1/organizations", {"name": "Initech"})
    step()
    eve = {"name": "Eve", "role": "referrer", "phone": "+44 20 7946 0000"}
    user.create("/v1/contacts", {"organization_id": initech["id"], **eve})
    step()
    # Closed, then reopened: the open action is cancelled, and a new one planned.
    for status in ("closed", "nurturing"):
        changed = user.patch(f"/v1/organizations/{initech['id']}", json={"status": status})
        assert changed.status_code == 200, changed.text
        step()
    hook = {"url": "https://127.0.0.1:9/hook", "events": ["followup.due"], "description": "cal"}
    user.create("/v1/webhooks", hook)
    step()


def export(user: User) -> dict[str, Any]:
    response = user.get("/v1/export")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    document: dict[str, Any] = response.json()
    return document


def id_map(before: dict[str, Any], after: dict[str, Any]) -> dict[str, str]:
    """The id each record of `before` has in `after` (records are listed in the same order)."""
    found: dict[str, str] = {}
    for kind in KINDS:
        assert len(before[kind]) == len(after[kind]), kind
        for old, new in zip(before[kind], after[kind], strict=True):
            found[old["id"]] = new["id"]
    for old_org, new_org in zip(before["organizations"], after["organizations"], strict=True):
        for old, new in zip(old_org["news"], new_org["news"], strict=True):
            found[old["id"]] = new["id"]
    return found


def renamed(document: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    text = UUID.sub(lambda found: ids.get(found.group(0), found.group(0)), json.dumps(document))
    result: dict[str, Any] = json.loads(text)
    return result


def without(document: dict[str, Any], *, new_ids: bool = True) -> dict[str, Any]:
    """The document less what a round trip may change, besides the ids."""
    document = copy.deepcopy(document)
    document.pop("exported_at")
    for webhook in document["webhooks"]:
        for name in WEBHOOK_CHANGES:
            webhook.pop(name)
    for action in document["next_actions"]:
        if new_ids and action["state"] in ("scheduled", "due"):
            for name in OPEN_ACTION_CHANGES:
                action.pop(name)
    return document


def test_a_round_trip_into_an_empty_account_gives_the_same_document(
    user: User, other_user: User, clock: Clock
) -> None:
    fill(user, clock)
    clock.set(NOW)
    before = export(user)
    assert before["format_version"] == 1
    assert len(before["organizations"]) == 3 and len(before["organizations"][0]["news"]) == 2
    states = sorted(action["state"] for action in before["next_actions"])
    assert states == ["cancelled", "done", "scheduled", "scheduled", "skipped"], states
    assert any(action["snoozed_until"] for action in before["next_actions"])
    assert "secret" not in json.dumps(before["webhooks"])

    imported = other_user.post("/v1/import?ids=new", json=before)

    assert imported.status_code == 200, imported.text
    assert imported.json() == {
        "dry_run": False,
        "ids": "new",
        "imported": {
            "organizations": 3,
            "news": 2,
            "contacts": 4,
            "attempts": 2,
            "next_actions": 5,
            "webhooks": 1,
        },
        "dropped": [],
    }
    after = export(other_user)
    ids = id_map(before, after)
    assert not set(ids) & set(ids.values()), "every record got a new id"
    assert without(renamed(before, ids)) == without(after)
    for old, new in zip(before["next_actions"], after["next_actions"], strict=True):
        assert old["script"]["situation"] == new["script"]["situation"]
    webhook = after["webhooks"][0]
    assert webhook["enabled"] is False and "rotate" in webhook["disabled_reason"]


def test_ids_are_kept_when_they_are_free(user: User, other_user: User, clock: Clock) -> None:
    fill(user, clock)
    clock.set(NOW)
    before = export(user)
    password = {"password": PASSWORD}
    deleted = user.client.request("DELETE", "/v1/account", json=password, headers=user.headers)
    assert deleted.status_code == 204, deleted.text

    imported = other_user.post("/v1/import", json=before)

    assert imported.status_code == 200, imported.text
    assert imported.json()["ids"] == "kept"
    after = export(other_user)
    assert without(after, new_ids=False) == without(before, new_ids=False)
    acme = before["organizations"][0]["id"]
    assert other_user.get(f"/v1/organizations/{acme}").status_code == 200


def test_ids_taken_in_your_account_answer_409_naming_each_record_and_import_nothing(
    user: User, clock: Clock
) -> None:
    fill(user, clock)
    document = export(user)
    document["organizations"].append({"id": str(uuid.uuid4()), "name": "Fresh"})

    response = user.post("/v1/import", json=document)

    body = assert_problem(response, 409, field="organizations.0.id")
    fields = {error["field"] for error in body["errors"]}
    assert {"organizations.2.id", "organizations.0.news.1.id", "contacts.3.id"} <= fields
    assert {"attempts.1.id", "next_actions.4.id", "webhooks.0.id"} <= fields
    assert "organizations.3.id" not in fields
    assert "ids=new" in body["detail"]
    assert len(user.get("/v1/organizations").json()["data"]) == 3


def test_ids_of_another_account_are_never_reported_and_get_new_ones(
    user: User, other_user: User, clock: Clock
) -> None:
    fill(user, clock)
    clock.set(NOW)
    before = export(user)
    fresh = str(uuid.uuid4())
    latest = before["webhooks"][0]["created_at"]  # after every organization: listed last
    before["organizations"].append(
        {
            **before["organizations"][2],
            **{"id": fresh, "name": "Fresh", "created_at": latest, "updated_at": latest},
        }
    )

    response = other_user.post("/v1/import", json=before)

    assert response.status_code == 200, response.text
    assert response.json()["ids"] == "kept" and response.json()["dropped"] == []
    after = export(other_user)
    ids = id_map(before, after)
    assert ids.pop(fresh) == fresh, "a free id is kept"
    assert not set(ids) & set(ids.values()), "every id of the other account is replaced"
    assert without(renamed(before, ids)) == without(after)
    assert export(user)["organizations"] == before["organizations"][:3], "theirs untouched"


def test_a_reference_outside_the_document_is_dropped_and_reported(
    user: User, other_user: User, clock: Clock
) -> None:
    fill(user, clock)
    clock.set(NOW)
    theirs = export(user)
    org, ann, bob = (str(uuid.uuid4()) for _ in range(3))
    attempt, action = str(uuid.uuid4()), str(uuid.uuid4())
    referred = {
        "id": attempt,
        "contact_id": ann,
        "channel": "email",
        "outcome": "referred",
        "occurred_at": "2026-04-01T09:00:00Z",
        "referred_to_contact_id": theirs["contacts"][1]["id"],
        "news_id": theirs["organizations"][0]["news"][0]["id"],
        "next_action_id": theirs["next_actions"][0]["id"],
    }
    done = {
        **{k: v for k, v in theirs["next_actions"][0].items() if k != "snoozed_until"},
        "id": action,
        "organization_id": org,
        "contact_id": bob,
        "news_id": str(uuid.uuid4()),  # a news item nobody has
        "state": "done",
    }
    document = {
        "format_version": 1,
        "organizations": [{"id": org, "name": "Contoso", "rejected_on": "2026-03-30"}],
        "contacts": [
            {"id": ann, "organization_id": org, "name": "Ann", "role": "hiring_manager"},
            {"id": bob, "organization_id": org, "name": "Bob", "role": "other"},
        ],
        "attempts": [referred],
        "next_actions": [done],
    }
    reported = [
        {
            "field": "attempts.0.referred_to_contact_id",
            "message": "no contact with that id in the document",
        },
        {
            "field": "attempts.0.news_id",
            "message": "no news item with that id in the document",
        },
        {
            "field": "attempts.0.next_action_id",
            "message": "no next action with that id in the document",
        },
        {
            "field": "next_actions.0.news_id",
            "message": "no news item with that id in the document",
        },
    ]

    dry = other_user.post("/v1/import?dry_run=true", json=document)
    response = other_user.post("/v1/import", json=document)

    assert dry.status_code == 200, dry.text
    assert dry.json()["dropped"] == reported
    assert response.status_code == 200, response.text
    assert response.json()["dropped"] == reported
    stored = other_user.get(f"/v1/attempts/{attempt}").json()
    assert (stored["referred_to_contact_id"], stored["news_id"], stored["next_action_id"]) == (
        None,
        None,
        None,
    )
    assert other_user.get(f"/v1/next-actions/{action}").json()["news_id"] is None
    theirs_now = export(user)
    assert theirs_now["next_actions"][0]["state"] == theirs["next_actions"][0]["state"]


def test_bad_records_answer_422_naming_each_field_by_its_path(
    user: User, other_user: User, clock: Clock
) -> None:
    fill(user, clock)
    document = export(user)
    document["contacts"][1]["email"] = "not an email"
    document["contacts"][2]["organization_id"] = str(uuid.uuid4())
    document["attempts"][0]["outcome"] = "left_voicemail"
    document["organizations"][0]["news"][0]["headline"] = ""

    response = other_user.post("/v1/import?ids=new", json=document)

    body = assert_problem(response, 422, field="contacts.1.email")
    assert {error["field"] for error in body["errors"]} == {
        "contacts.1.email",
        "organizations.0.news.0.headline",
    }
    del document["contacts"][1]["email"]
    document["organizations"][0]["news"][0]["headline"] = "Back"

    response = other_user.post("/v1/import?ids=new", json=document)

    body = assert_problem(response, 422, field="contacts.2.organization_id")
    assert {error["field"] for error in body["errors"]} == {
        "contacts.2.organization_id",
        "attempts.0.outcome",
    }
    assert other_user.get("/v1/organizations").json()["data"] == []
    assert other_user.get("/v1/profile").json()["name"] is None


def test_rules_between_records_are_checked(other_user: User, clock: Clock) -> None:
    clock.set(NOW)
    org, contact = str(uuid.uuid4()), str(uuid.uuid4())
    action = {
        "organization_id": org,
        "contact_id": contact,
        "due_at": "2026-05-01T09:00:00Z",
        "window_start": "2026-04-24",
        "window_end": "2026-05-08",
        "phase": "warm",
        "channel": "email",
        "reason": "It has been a while.",
        "script": {
            "variant": "v",
            "situation": "warm",
            "subject": "Hello",
            "greeting": "Ann",
            "parts": {},
            "text": "Hello Ann",
            "voicemail": None,
            "responses": [],
            "word_count": 2,
        },
        "state": "scheduled",
    }
    document = {
        "format_version": 1,
        "organizations": [
            {"id": org, "name": "Acme", "paused_reason": "why", "rejected_on": "2026-04-21"}
        ],
        "contacts": [{"id": contact, "organization_id": org, "name": "Ann", "role": "other"}],
        "attempts": [
            {
                "id": str(uuid.uuid4()),
                "contact_id": contact,
                "channel": "email",
                "occurred_at": "2026-04-21T09:00:00Z",
                "referred_to_contact_id": contact,
            }
        ],
        "next_actions": [action | {"id": str(uuid.uuid4())}, action | {"id": str(uuid.uuid4())}],
    }

    response = other_user.post("/v1/import", json=document)

    body = assert_problem(response, 422)
    assert {(e["field"], e["message"]) for e in body["errors"]} == {
        ("organizations.0.paused_reason", "only allowed with status 'paused'"),
        ("organizations.0.rejected_on", "cannot be after today (2026-04-20)"),
        ("attempts.0.occurred_at", "an attempt cannot happen in the future"),
        ("attempts.0.referred_to_contact_id", "only allowed with outcome 'referred'"),
        (
            "next_actions.1.state",
            "an organization has at most one scheduled or due next action",
        ),
    }


def test_a_script_may_not_hold_nul(other_user: User) -> None:
    org, contact = str(uuid.uuid4()), str(uuid.uuid4())
    action = {
        "id": str(uuid.uuid4()),
        "organization_id": org,
        "contact_id": contact,
        "due_at": "2026-05-01T09:00:00Z",
        "window_start": "2026-04-24",
        "window_end": "2026-05-08",
        "phase": "warm",
        "channel": "email",
        "reason": "It has been a while.",
        "script": {
            "variant": "v",
            "situation": "warm",
            "subject": None,
            "greeting": "Ann",
            "parts": {"purpose": "Hi\x00"},
            "text": "Hi",
            "voicemail": None,
            "responses": [],
            "word_count": 1,
        },
        "state": "done",
    }
    document = {"format_version": 1, "next_actions": [action]}
    body = assert_problem(other_user.post("/v1/import", json=document), 422)
    assert [error["field"] for error in body["errors"]] == ["next_actions.0.script"]


def test_a_dry_run_checks_and_counts_but_writes_nothing(
    user: User, other_user: User, clock: Clock
) -> None:
    fill(user, clock)
    document = export(user)

    response = other_user.post("/v1/import?ids=new&dry_run=true", json=document)

    assert response.status_code == 200, response.text
    assert response.json()["dry_run"] is True
    assert response.json()["imported"]["contacts"] == 4
    assert other_user.get("/v1/organizations").json()["data"] == []
    assert other_user.get("/v1/settings").json()["timezone"] == "UTC"


def test_imported_organizations_get_their_next_action_announced(
    other_user: User, app: FastAPI, clock: Clock
) -> None:
    clock.set(NOW)
    hook = {"url": "https://127.0.0.1:9/hook", "events": ["followup.scheduled"]}
    other_user.create("/v1/webhooks", hook)
    org = str(uuid.uuid4())
    document = {
        "format_version": 1,
        "settings": {"preferred_hour": 8},
        "organizations": [{"id": org, "name": "Acme", "rejected_on": "2026-04-17"}],
        "contacts": [
            {
                "id": str(uuid.uuid4()),
                "organization_id": org,
                "name": "Ann",
                "role": "other",
                "email": "ann@acme.example",
            }
        ],
    }

    response = other_user.post("/v1/import", json=document)

    assert response.status_code == 200, response.text
    actions = other_user.get("/v1/next-actions").json()["data"]
    assert [(a["organization_id"], a["due_at"]) for a in actions] == [(org, "2026-04-20T08:00:00Z")]
    with app.state.engine.connect() as connection:
        kinds = connection.execute(select(Event.type)).scalars().all()
    assert kinds == ["followup.scheduled"]


def test_imported_webhooks_are_disabled_until_a_new_secret_is_taken(
    user: User, other_user: User, clock: Clock
) -> None:
    clock.set(NOW)
    user.create("/v1/webhooks", {"url": "https://127.0.0.1:9/hook"})
    document = export(user)

    assert other_user.post("/v1/import?ids=new", json=document).status_code == 200

    webhook = other_user.get("/v1/webhooks").json()["data"][0]
    assert webhook["enabled"] is False
    assert_problem(other_user.post(f"/v1/webhooks/{webhook['id']}/ping"), 409)
    rotated = other_user.post(f"/v1/webhooks/{webhook['id']}/rotate-secret")
    assert rotated.json()["secret"].startswith("whsec_")
    enabled = other_user.patch(f"/v1/webhooks/{webhook['id']}", json={"enabled": True})
    assert enabled.status_code == 200 and enabled.json()["disabled_reason"] is None


def test_no_more_than_twenty_webhooks_come_in(other_user: User) -> None:
    webhook = {"url": "https://127.0.0.1:9/hook"}
    webhooks = [webhook | {"id": str(uuid.uuid4())} for _ in range(21)]
    document = {"format_version": 1, "webhooks": webhooks}

    body = assert_problem(other_user.post("/v1/import", json=document), 409)

    assert "at most 20 webhooks" in body["detail"]
    assert other_user.get("/v1/webhooks").json()["data"] == []


def test_an_unsafe_webhook_url_is_refused(other_user: User) -> None:
    document = {
        "format_version": 1,
        "webhooks": [{"id": str(uuid.uuid4()), "url": "https://user:secret@127.0.0.1/x"}],
    }
    body = assert_problem(other_user.post("/v1/import", json=document), 422)
    assert [error["field"] for error in body["errors"]] == ["webhooks.0.url"]


@pytest.mark.parametrize(
    "document",
    [{}, {"format_version": 2}, {"format_version": 1, "organizations": [{"name": "No id"}]}],
)
def test_what_is_not_an_export_answers_422(other_user: User, document: dict[str, Any]) -> None:
    assert_problem(other_user.post("/v1/import", json=document), 422)


def test_export_and_import_need_a_key(client: TestClient) -> None:
    assert_problem(client.get("/v1/export"), 401)
    assert_problem(client.post("/v1/import", json={"format_version": 1}), 401)
