"""A next action's stored body is what GET answers, with its contact's current links, after
every kind of write (requests, the scheduler, an import)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Contact
from service.db.session import session_scope
from service.services.planning import action_body, scheduling
from tests.conftest import Clock, User, acme_and_ann

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
EVERY_STATE = ["scheduled", "due", "done", "skipped", "cancelled"]


def stored(app: FastAPI, action_id: str) -> dict[uuid.UUID, tuple[str, uuid.UUID]]:
    """The stored body and contact of every action of this action's account, by id."""
    account = (
        select(NextAction.account_id).where(NextAction.id == uuid.UUID(action_id)).scalar_subquery()
    )
    statement = select(NextAction.id, NextAction.body, NextAction.contact_id).where(
        NextAction.account_id == account
    )
    with app.state.engine.connect() as connection:
        return {row.id: (row.body, row.contact_id) for row in connection.execute(statement)}


def expected_links(contact: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    digits = "".join(ch for ch in contact["phone"] or "" if ch.isdigit())
    plus = "+" if (contact["phone"] or "").startswith("+") else ""
    return contact["email"], f"tel:{plus}{digits}" if digits else None, contact["profile_url"]


def shown_links(links: dict[str, str | None]) -> tuple[str | None, str | None, str | None]:
    mailto = links["mailto"]
    address = unquote(urlsplit(mailto).path) if mailto else None
    return address, links["tel"], links["profile"]


def rendered_now(app: FastAPI, action_id: uuid.UUID) -> str:
    """The body the row's columns and its contact's details give now."""
    with Session(app.state.engine) as session:
        action = session.get_one(NextAction, action_id)
        return action_body.render(action, session.get_one(Contact, action.contact_id))


def assert_bodies_are_current(app: FastAPI, user: User) -> int:
    """Each stored body is GET's answer byte for byte, and the list's item; its links are
    those of its contact as GET /v1/contacts shows it now. How many actions there are."""
    listed = {
        item["id"]: item
        for item in user.get("/v1/next-actions", params={"state": EVERY_STATE}).json()["data"]
    }
    bodies = stored(app, next(iter(listed)))
    assert set(listed) == {str(action_id) for action_id in bodies}
    for action_id, (body, contact_id) in bodies.items():
        shown = user.get(f"/v1/next-actions/{action_id}")
        assert shown.status_code == 200, shown.text
        assert shown.text == body
        assert listed[str(action_id)] == json.loads(body)
        assert body == rendered_now(app, action_id), "the row changed, its body did not"
        contact = user.get(f"/v1/contacts/{contact_id}").json()
        assert shown_links(json.loads(body)["links"]) == expected_links(contact), action_id
    return len(bodies)


def open_action(user: User) -> dict[str, Any]:
    (action,) = user.get("/v1/next-actions").json()["data"]
    return action


def test_every_write_leaves_the_body_get_answers(app: FastAPI, user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme, ann = acme_and_ann(user, profile_url="https://www.linkedin.com/in/ann-lee")
    assert assert_bodies_are_current(app, user) == 1  # created with the organization's contact

    first = open_action(user)
    logged = {"contact_id": ann["id"], "channel": first["channel"], "next_action_id": first["id"]}
    user.create("/v1/attempts", logged | {"outcome": "conversation"})
    assert assert_bodies_are_current(app, user) == 2  # done, and the next one planned

    clock.set(NOW + timedelta(hours=1))
    action = open_action(user)
    until = (NOW + timedelta(days=30)).isoformat()
    snoozed = user.post(f"/v1/next-actions/{action['id']}/snooze", json={"until": until})
    assert snoozed.status_code == 200, snoozed.text
    assert assert_bodies_are_current(app, user) == 2

    skipped = user.post(f"/v1/next-actions/{action['id']}/skip")
    assert skipped.status_code == 200, skipped.text
    assert assert_bodies_are_current(app, user) == 3

    changed = user.patch(
        f"/v1/contacts/{ann['id']}", json={"email": "ann.lee+keepwarm@acme.example"}
    )
    assert changed.status_code == 200, changed.text
    assert assert_bodies_are_current(app, user) == 3  # past actions show the new address too
    user.patch(f"/v1/contacts/{ann['id']}", json={"phone": None, "profile_url": None})
    assert assert_bodies_are_current(app, user) == 3

    later = datetime.fromisoformat(open_action(user)["due_at"]) + timedelta(minutes=1)
    with session_scope(app.state.session_factory) as session:
        assert scheduling.mark_due(session, now=later, limit=100) == 1
    assert open_action(user)["state"] == "due"
    assert assert_bodies_are_current(app, user) == 3

    # An upgrade's new cadence rules: the tick plans the open action again.
    with app.state.engine.begin() as connection:
        connection.execute(text("UPDATE next_actions SET plan_version = 0"))
    clock.set(later)
    with session_scope(app.state.session_factory) as session:
        assert scheduling.recompute_stale(session, now=later, limit=100) == 1
    assert assert_bodies_are_current(app, user) == 3

    paused = user.patch(f"/v1/organizations/{acme['id']}", json={"status": "paused"})
    assert paused.status_code == 200, paused.text
    assert user.get("/v1/next-actions").json()["data"] == []  # cancelled
    assert assert_bodies_are_current(app, user) == 3


def test_imported_actions_are_stored_as_get_shows_them(
    app: FastAPI, user: User, other_user: User, clock: Clock
) -> None:
    clock.set(NOW)
    _, ann = acme_and_ann(user)
    first = open_action(user)
    logged = {"contact_id": ann["id"], "channel": first["channel"], "next_action_id": first["id"]}
    user.create("/v1/attempts", logged | {"outcome": "sent"})
    document = user.get("/v1/export").json()
    assert len(document["next_actions"]) == 2
    for action in document["next_actions"]:
        action["links"] = {"mailto": "mailto:someone@else.example", "tel": None, "profile": None}
    for contact in document["contacts"]:
        contact["email"] = "ann@imported.example"

    imported = other_user.post("/v1/import?ids=new", json=document)
    assert imported.status_code in (200, 201), imported.text

    # The document's links are ignored: the bodies are made from the imported contact.
    assert assert_bodies_are_current(app, other_user) == 2
