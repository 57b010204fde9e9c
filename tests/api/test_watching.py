"""R17: a `watching` organization (people you know; nobody has said no) is not followed up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.api.test_calendar import events_of, feed_path
from tests.conftest import Clock, User, assert_problem

NOW = datetime(2026, 3, 4, 14, tzinfo=UTC)  # a Wednesday
ANN = {"name": "Ann Lee", "role": "hiring_manager", "email": "ann@contoso.example"}


def watched(user: User, clock: Clock) -> dict[str, Any]:
    clock.set(NOW)
    org = user.create("/v1/organizations", {"name": "Contoso, Inc.", "status": "watching"})
    user.create("/v1/contacts", {"organization_id": org["id"], **ANN})
    return org


def open_actions(user: User, org: dict[str, Any]) -> list[dict[str, Any]]:
    params = {"organization_id": org["id"]}
    actions: list[dict[str, Any]] = user.get("/v1/next-actions", params=params).json()["data"]
    return [action for action in actions if action["state"] in ("scheduled", "due")]


def test_a_watching_organization_has_no_follow_up_agenda_entry_or_calendar_event(
    user: User, clock: Clock
) -> None:
    org = watched(user, clock)
    empty = user.create("/v1/organizations", {"name": "Fabrikam", "status": "watching"})

    assert org["status"] == "watching" and org["rejected_on"] is None
    assert open_actions(user, org) == []
    agenda = user.get("/v1/agenda?days=60").json()
    assert agenda["items"] == []
    assert agenda["attention"] == [], "nobody to follow up is not a problem to fix"
    assert events_of(user.client.get(feed_path(user)).content) == {}
    listed = user.get("/v1/organizations?status=watching").json()["data"]
    assert {o["id"] for o in listed} == {org["id"], empty["id"]}


def test_watching_an_organization_cancels_its_open_follow_up(user: User, clock: Clock) -> None:
    clock.set(NOW)
    org = user.create("/v1/organizations", {"name": "Contoso, Inc."})
    user.create("/v1/contacts", {"organization_id": org["id"], **ANN})
    (action,) = open_actions(user, org)

    changed = user.patch(f"/v1/organizations/{org['id']}", json={"status": "watching"})

    assert changed.status_code == 200, changed.text
    assert open_actions(user, org) == []
    assert user.get(f"/v1/next-actions/{action['id']}").json()["state"] == "cancelled"
    assert events_of(user.client.get(feed_path(user)).content) == {}


def test_setting_rejected_on_moves_a_watching_organization_to_nurturing_at_r1(
    user: User, clock: Clock
) -> None:
    org = watched(user, clock)

    changed = user.patch(f"/v1/organizations/{org['id']}", json={"rejected_on": "2026-03-02"})

    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "nurturing"
    (action,) = open_actions(user, org)
    assert (action["phase"], action["due_at"]) == ("initial", "2026-03-03T10:00:00Z")
    assert [item["id"] for item in user.get("/v1/agenda").json()["items"]] == [action["id"]]


def test_setting_nurturing_starts_the_cadence_from_the_day_it_was_added(
    user: User, clock: Clock
) -> None:
    org = watched(user, clock)

    changed = user.patch(f"/v1/organizations/{org['id']}", json={"status": "nurturing"})

    assert changed.status_code == 200, changed.text
    (action,) = open_actions(user, org)
    assert (action["phase"], action["due_at"]) == ("initial", "2026-03-05T10:00:00Z")


def test_watching_with_a_no_is_refused_naming_the_field(user: User, clock: Clock) -> None:
    clock.set(NOW)
    both = {"name": "Contoso", "status": "watching", "rejected_on": "2026-03-02"}
    body = assert_problem(user.post("/v1/organizations", json=both), 422, field="rejected_on")
    assert "watching" in body["errors"][0]["message"]

    said_no = user.create("/v1/organizations", {"name": "Acme", "rejected_on": "2026-03-02"})
    patch = user.patch(f"/v1/organizations/{said_no['id']}", json={"status": "watching"})
    body = assert_problem(patch, 422, field="status")
    assert "rejected_on" in body["errors"][0]["message"]

    cleared = {"status": "watching", "rejected_on": None}
    assert user.patch(f"/v1/organizations/{said_no['id']}", json=cleared).status_code == 200


def test_the_status_is_in_the_api_document(user: User) -> None:
    schemas = user.client.get("/openapi.json").json()["components"]["schemas"]
    assert "watching" in schemas["OrganizationStatus"]["enum"]


def test_an_import_refuses_watching_with_a_no_and_keeps_watching_without_one(
    user: User, clock: Clock
) -> None:
    clock.set(NOW)
    org = {"id": str(uuid.uuid4()), "name": "Contoso", "status": "watching"}
    contact = {"id": str(uuid.uuid4()), "organization_id": org["id"], **ANN}
    document = {"format_version": 1, "organizations": [org], "contacts": [contact]}
    said_no = {**document, "organizations": [{**org, "rejected_on": "2026-03-02"}]}

    refused = user.post("/v1/import", json=said_no)
    imported = user.post("/v1/import", json=document)

    assert_problem(refused, 422, field="organizations.0.rejected_on")
    assert imported.status_code == 200, imported.text
    assert user.get(f"/v1/organizations/{org['id']}").json()["status"] == "watching"
    assert open_actions(user, org) == []
