"""Next actions through the API: they follow every change, and the list, snooze and skip."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from service.db.outbox import Event
from tests.conftest import Clock, User, assert_problem

Row = dict[str, Any]
LATER = datetime(2026, 3, 2, 18, tzinfo=UTC)  # after every attempt below
ANN = {
    "name": "Ann Lee",
    "role": "hiring_manager",
    "email": "ann@acme.example",
    "phone": "+1 312 555 0100",
}


def org(user: User, name: str = "Acme", **fields: Any) -> Row:
    return user.create("/v1/organizations", {"name": name, "rejected_on": "2026-01-12", **fields})


def person(user: User, organization: Row, **fields: Any) -> Row:
    return user.create("/v1/contacts", {"organization_id": organization["id"], **ANN, **fields})


def log(user: User, contact: Row, occurred_at: str | None = None, **fields: Any) -> Row:
    body = {"contact_id": contact["id"], "channel": "email", "occurred_at": occurred_at}
    return user.create("/v1/attempts", {**body, **fields})


def listed(user: User, **params: Any) -> list[Row]:
    response = user.get("/v1/next-actions", params=params)
    assert response.status_code == 200, response.text
    data: list[Row] = response.json()["data"]
    return data


def the_action(user: User, organization: Row) -> Row:
    actions = listed(user, organization_id=organization["id"], state=["scheduled", "due"])
    assert len(actions) == 1, actions
    return actions[0]


def shown(user: User, action: Row) -> Row:
    response = user.get(f"/v1/next-actions/{action['id']}")
    assert response.status_code == 200, response.text
    result: Row = response.json()
    return result


@pytest.fixture
def acme(user: User, clock: Clock) -> Row:
    clock.set(LATER)
    return org(user)


def test_an_attempt_for_the_action_marks_it_done_and_plans_the_next(
    user: User, acme: Row, clock: Clock
) -> None:
    ann = person(user, acme)
    first = the_action(user, acme)
    assert (first["phase"], first["due_at"], first["state"]) == (
        "initial",
        "2026-01-13T10:00:00Z",
        "scheduled",
    )
    clock.set(datetime(2026, 1, 13, 15, tzinfo=UTC))
    attempt = log(user, ann, next_action_id=first["id"])
    assert attempt["next_action_id"] == first["id"]
    assert attempt["occurred_at"] == "2026-01-13T15:00:00Z"

    done = shown(user, first)
    assert done["state"] == "done"
    assert done["updated_at"] == "2026-01-13T15:00:00Z"
    following = the_action(user, acme)
    assert following["id"] != first["id"]
    assert (following["state"], following["phase"], following["channel"]) == (
        "scheduled",
        "warm",
        "call",
    )
    assert following["due_at"] == "2026-02-03T10:00:00Z"
    assert [a["id"] for a in listed(user, state="done")] == [first["id"]]

    again = user.post(
        "/v1/attempts",
        json={"contact_id": ann["id"], "channel": "call", "next_action_id": first["id"]},
    )
    assert_problem(again, 422, field="next_action_id")


def test_editing_an_attempt_moves_the_due_time(user: User, acme: Row) -> None:
    ann = person(user, acme)
    attempt = log(user, ann, "2026-01-13T15:00:00Z")
    before = the_action(user, acme)
    assert before["due_at"] == "2026-02-03T10:00:00Z"

    moved = user.patch(
        f"/v1/attempts/{attempt['id']}", json={"occurred_at": "2026-01-20T15:00:00+00:00"}
    )
    assert moved.status_code == 200, moved.text
    after = the_action(user, acme)
    assert after["id"] == before["id"]
    assert (after["due_at"], after["window_start"], after["window_end"]) == (
        "2026-02-10T10:00:00Z",
        "2026-02-03",
        "2026-02-17",
    )
    assert after["sequence"] == before["sequence"] + 1


def test_deleting_an_attempt_goes_back_to_the_previous_plan(user: User, acme: Row) -> None:
    ann = person(user, acme)
    first = the_action(user, acme)
    attempt = log(user, ann, "2026-01-13T15:00:00Z", next_action_id=first["id"])
    assert the_action(user, acme)["phase"] == "warm"

    assert user.delete(f"/v1/attempts/{attempt['id']}").status_code == 204
    again = the_action(user, acme)
    keys = ("contact_id", "due_at", "window_start", "window_end", "phase", "channel", "reason")
    assert {k: again[k] for k in keys} == {k: first[k] for k in keys}


def test_contacts_created_changed_and_deleted_move_the_action(user: User, acme: Row) -> None:
    assert listed(user, organization_id=acme["id"]) == []
    bob = person(user, acme, name="Bob Ray", role="recruiter", email="bob@acme.example", phone=None)
    for_bob = the_action(user, acme)
    assert for_bob["contact_id"] == bob["id"]
    assert "add_hiring_manager" in for_bob["hints"]

    ann = person(user, acme)
    for_ann = the_action(user, acme)
    assert for_ann["id"] == for_bob["id"]  # the same action, retargeted
    assert (for_ann["contact_id"], for_ann["channel"]) == (ann["id"], "email")
    assert "add_hiring_manager" not in for_ann["hints"]
    assert for_ann["sequence"] == for_bob["sequence"] + 1

    user.patch(f"/v1/contacts/{ann['id']}", json={"email": None})
    assert the_action(user, acme)["channel"] == "call"
    assert "single_channel" in the_action(user, acme)["hints"]
    user.patch(f"/v1/contacts/{ann['id']}", json={"timezone": "America/Chicago"})
    assert the_action(user, acme)["due_at"] == "2026-01-13T16:00:00Z"

    assert user.delete(f"/v1/contacts/{ann['id']}").status_code == 204
    assert the_action(user, acme)["contact_id"] == bob["id"]
    assert user.delete(f"/v1/contacts/{bob['id']}").status_code == 204
    assert listed(user, organization_id=acme["id"]) == []


def test_deleting_the_target_contact_tells_the_calendar(
    app: FastAPI, user: User, acme: Row
) -> None:
    # Events are kept for the endpoints that want them: subscribe one (never called here).
    user.create("/v1/webhooks", {"url": "http://127.0.0.1:9/hooks"})
    person(user, acme, name="Bob Ray", role="recruiter", email="bob@acme.example")
    ann = person(user, acme)
    action = the_action(user, acme)
    assert action["contact_id"] == ann["id"]

    told = events_about(app, action["id"])
    assert sorted(told) == ["followup.rescheduled", "followup.scheduled"]  # Bob, then Ann

    assert user.delete(f"/v1/contacts/{ann['id']}").status_code == 204
    assert len(events_about(app, action["id"])) > len(told)


def events_about(app: FastAPI, action_id: str) -> list[str]:
    """The followup.* events written for one next action (in no particular order)."""
    with app.state.engine.connect() as conn:
        rows = conn.execute(select(Event.type, Event.payload))
        return [kind for kind, p in rows if p["data"].get("next_action", {}).get("id") == action_id]


def test_the_organization_status_cancels_and_restarts(user: User, acme: Row) -> None:
    person(user, acme)
    first = the_action(user, acme)

    user.patch(f"/v1/organizations/{acme['id']}", json={"status": "paused"})
    assert listed(user, organization_id=acme["id"]) == []
    assert shown(user, first)["state"] == "cancelled"

    user.patch(f"/v1/organizations/{acme['id']}", json={"status": "nurturing"})
    again = the_action(user, acme)
    assert again["id"] != first["id"] and again["state"] == "scheduled"
    assert again["due_at"] == first["due_at"]

    user.patch(f"/v1/organizations/{acme['id']}", json={"rejected_on": "2026-01-15"})
    assert the_action(user, acme)["due_at"] == "2026-01-16T10:00:00Z"


def test_a_settings_change_moves_every_due_time(user: User, acme: Row) -> None:
    ann = person(user, acme)
    log(user, ann, "2026-01-13T15:00:00Z")
    before = the_action(user, acme)
    assert before["due_at"] == "2026-02-03T10:00:00Z"

    assert user.patch("/v1/settings", json={"warm_days": 14}).status_code == 200
    after = the_action(user, acme)
    assert after["id"] == before["id"]
    # 13 January + 14 = Tuesday 27 January; window ± 7, but opening no sooner than the
    # ten-day gap (23 January).
    assert (after["due_at"], after["window_start"], after["window_end"]) == (
        "2026-01-27T10:00:00Z",
        "2026-01-23",
        "2026-02-03",
    )


def test_snooze_keeps_the_action_until_the_next_touch(user: User, acme: Row, clock: Clock) -> None:
    ann = person(user, acme)
    log(user, ann, "2026-01-13T15:00:00Z")
    action = the_action(user, acme)
    etag = user.get(f"/v1/next-actions/{action['id']}").headers["etag"]
    clock.set(datetime(2026, 2, 2, 9, tzinfo=UTC))

    response = user.post(
        f"/v1/next-actions/{action['id']}/snooze", json={"until": "2026-02-05T08:30:00-06:00"}
    )
    assert response.status_code == 200, response.text
    snoozed = response.json()
    assert snoozed["id"] == action["id"]
    assert snoozed["due_at"] == "2026-02-05T14:30:00Z"
    assert snoozed["sequence"] == action["sequence"] + 1
    assert snoozed["state"] == "scheduled"
    assert the_action(user, acme) == snoozed
    assert user.get(f"/v1/next-actions/{action['id']}").headers["etag"] != etag

    # Not a touch: the snooze holds.
    user.patch(f"/v1/contacts/{ann['id']}", json={"title": "VP Engineering"})
    user.patch("/v1/settings", json={"warm_days": 28})
    assert the_action(user, acme)["due_at"] == "2026-02-05T14:30:00Z"

    # A touch ends it: 27 January + 28 = Tuesday 24 February.
    log(user, ann, "2026-01-27T15:00:00Z", direction="inbound", outcome="replied")
    after = the_action(user, acme)
    assert after["id"] == action["id"] and after["due_at"] == "2026-02-24T10:00:00Z"


def test_snooze_refuses_the_past_and_closed_actions(user: User, acme: Row, clock: Clock) -> None:
    ann = person(user, acme)
    action = the_action(user, acme)
    url = f"/v1/next-actions/{action['id']}/snooze"
    assert_problem(user.post(url, json={"until": "2026-03-01T10:00:00Z"}), 422, field="until")
    assert_problem(user.post(url, json={"until": "2026-04-01T10:00:00"}), 422, field="until")
    assert_problem(user.post(url, json={}), 422, field="until")
    assert_problem(user.post(url, json={"until": "9999-12-31T23:00:00-05:00"}), 422, field="until")

    log(user, ann, "2026-01-13T15:00:00Z", next_action_id=action["id"])
    assert_problem(user.post(url, json={"until": "2026-04-01T10:00:00Z"}), 409)


def test_skip_plans_the_next_as_if_touched_now(user: User, acme: Row, clock: Clock) -> None:
    ann = person(user, acme)
    log(user, ann, "2026-01-13T15:00:00Z")
    action = the_action(user, acme)
    clock.set(datetime(2026, 1, 27, 12, tzinfo=UTC))

    response = user.post(f"/v1/next-actions/{action['id']}/skip")
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["state"]) == (action["id"], "skipped")
    following = the_action(user, acme)
    assert following["id"] != action["id"]
    # Counted from now: 27 January + 21 = Tuesday 17 February.
    assert (following["phase"], following["due_at"]) == ("warm", "2026-02-17T10:00:00Z")
    assert (following["window_start"], following["window_end"]) == ("2026-02-10", "2026-02-24")
    assert [a["id"] for a in listed(user, state="skipped")] == [action["id"]]

    assert_problem(user.post(f"/v1/next-actions/{action['id']}/skip"), 409)
    until = {"until": "2026-03-01T10:00:00Z"}
    assert_problem(user.post(f"/v1/next-actions/{action['id']}/snooze", json=until), 409)


def test_skip_right_after_the_action_was_planned(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 1, 12, 18, tzinfo=UTC))
    acme = org(user)
    person(user, acme)
    action = the_action(user, acme)

    assert user.post(f"/v1/next-actions/{action['id']}/skip").status_code == 200
    following = the_action(user, acme)
    # Skipped on 12 January: the ten-day gap from now, Thursday 22 January.
    assert following["due_at"] == "2026-01-22T10:00:00Z"
    assert shown(user, action)["updated_at"] == "2026-01-12T18:00:00Z"


def test_news_is_woven_in_once(user: User, acme: Row) -> None:
    ann = person(user, acme)
    assert "find_news" in the_action(user, acme)["hints"]
    url = f"/v1/organizations/{acme['id']}/news"
    old = user.create(url, {"headline": "Acme ships the Roadrunner", "noticed_on": "2026-01-02"})
    new = user.create(url, {"headline": "Acme opens a Berlin office", "noticed_on": "2026-01-10"})

    action = the_action(user, acme)
    assert action["news_id"] == new["id"]
    assert "Acme opens a Berlin office" in action["script"]["text"]
    assert "find_news" not in action["hints"]

    log(user, ann, "2026-01-13T15:00:00Z", next_action_id=action["id"], news_id=new["id"])
    following = the_action(user, acme)
    assert following["news_id"] == old["id"]
    assert "Berlin" not in following["script"]["text"]
    assert "Acme ships the Roadrunner" in following["script"]["text"]

    assert user.delete(f"{url}/{old['id']}").status_code == 204
    last = the_action(user, acme)
    assert last["news_id"] is None and "find_news" in last["hints"]
    assert "Roadrunner" not in last["script"]["text"]


def test_the_list_filters_sorts_and_pages(user: User, clock: Clock) -> None:
    clock.set(LATER)
    # Created out of order; due 13, 15 and 16 January.
    c = org(user, "C", rejected_on="2026-01-15")
    a = org(user, "A", rejected_on="2026-01-12")
    b = org(user, "B", rejected_on="2026-01-14")
    d = org(user, "D", rejected_on="2026-01-09")  # due Monday 12 January
    contacts = {o["name"]: person(user, o) for o in (a, b, c, d)}
    cancelled = the_action(user, d)
    user.patch(f"/v1/organizations/{d['id']}", json={"status": "closed"})

    def names(**params: Any) -> list[str]:
        by_org = {o["id"]: o["name"] for o in (a, b, c, d)}
        return [by_org[action["organization_id"]] for action in listed(user, **params)]

    assert names() == ["A", "B", "C"]
    assert names(organization_id=b["id"]) == ["B"]
    assert names(contact_id=contacts["C"]["id"]) == ["C"]
    assert names(due_before="2026-01-15T10:00:00Z") == ["A"]
    assert names(due_after="2026-01-15T10:00:00Z") == ["B", "C"]
    assert names(due_after="2026-01-14T00:00:00Z", due_before="2026-01-16T00:00:00Z") == ["B"]
    assert names(due_before="2026-01-15T11:00:00+01:00") == ["A"]  # the same instant
    assert names(state="cancelled") == ["D"]
    assert names(state=["cancelled", "scheduled"]) == ["D", "A", "B", "C"]
    assert listed(user, state="cancelled")[0]["id"] == cancelled["id"]

    first = user.get("/v1/next-actions", params={"limit": 2})
    assert [x["organization_id"] for x in first.json()["data"]] == [a["id"], b["id"]]
    cursor = first.json()["next_cursor"]
    assert cursor and first.headers["link"].endswith('>; rel="next"')
    link = first.headers["link"][1:].split(">;")[0]
    assert f"cursor={cursor}" in link and "limit=2" in link
    second = user.get(link.removeprefix("https://testserver"))
    assert [x["organization_id"] for x in second.json()["data"]] == [c["id"]]
    assert second.json()["next_cursor"] is None and "link" not in second.headers

    # Ties on due_at page by id: one at a time, every action once, filters kept.
    twins = [org(user, f"Twin {n}", rejected_on="2026-01-14") for n in range(3)]
    for twin in twins:
        person(user, twin)
    seen: list[str] = []
    url: str | None = "/v1/next-actions?limit=1&due_after=2026-01-15T00:00:00Z"
    while url is not None:
        response = user.get(url)
        seen += [x["organization_id"] for x in response.json()["data"]]
        link = response.headers.get("link")
        url = link[1:].split(">;")[0].removeprefix("https://testserver") if link else None
    assert sorted(seen[:4]) == sorted([b["id"], *(t["id"] for t in twins)])
    assert seen[4:] == [c["id"]]

    for params, field in [
        ({"state": "open"}, "state.0"),
        ({"state": ["due", "open"]}, "state.1"),
        ({"due_before": "2026-01-15T10:00:00"}, "due_before"),
        ({"due_after": "soon"}, "due_after"),
        ({"due_before": "9999-12-31T23:00:00-05:00"}, "due_before"),
        ({"organization_id": "acme"}, "organization_id"),
        ({"limit": 0}, "limit"),
        ({"cursor": "bogus"}, "cursor"),
    ]:
        assert_problem(user.get("/v1/next-actions", params=params), 422, field=field)


def test_another_accounts_actions_are_not_found(user: User, other_user: User, acme: Row) -> None:
    person(user, acme)
    mine = the_action(user, acme)
    theirs_org = org(other_user, "Globex")
    theirs_contact = person(other_user, theirs_org)

    assert listed(other_user) == [the_action(other_user, theirs_org)]
    assert_problem(other_user.get(f"/v1/next-actions/{mine['id']}"), 404)
    assert_problem(other_user.post(f"/v1/next-actions/{mine['id']}/skip"), 404)
    until = {"until": "2026-04-01T10:00:00Z"}
    assert_problem(other_user.post(f"/v1/next-actions/{mine['id']}/snooze", json=until), 404)
    assert_problem(other_user.get(f"/v1/next-actions/{uuid.uuid4()}"), 404)

    stolen = other_user.post(
        "/v1/attempts",
        json={"contact_id": theirs_contact["id"], "channel": "email", "next_action_id": mine["id"]},
    )
    body = assert_problem(stolen, 422, field="next_action_id")
    assert mine["id"] not in body["detail"] and "Ann" not in stolen.text
    assert shown(user, mine)["state"] == "scheduled"


def test_an_action_of_another_organization_cannot_be_fulfilled(user: User, acme: Row) -> None:
    person(user, acme)
    globex = org(user, "Globex")
    gus = person(user, globex, name="Gus Roe")
    response = user.post(
        "/v1/attempts",
        json={
            "contact_id": gus["id"],
            "channel": "email",
            "next_action_id": the_action(user, acme)["id"],
        },
    )
    assert_problem(response, 422, field="next_action_id")
    assert the_action(user, acme)["state"] == "scheduled"


def post_together(user: User, url: str, bodies: list[Row]) -> list[int]:
    """POST every body at once, one thread each; answer the status codes."""
    start = threading.Barrier(len(bodies))
    statuses: list[int] = []

    def send(body: Row) -> None:
        start.wait()
        statuses.append(user.post(url, json=body).status_code)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_changes_to_one_organization_all_succeed(user: User, clock: Clock) -> None:
    clock.set(LATER)
    for round_ in range(3):
        acme = org(user, f"Acme {round_}")  # no contact yet: each request may create the action
        bodies = [
            {"organization_id": acme["id"], "name": f"P{n}", "role": "other", "email": f"p{n}@x.io"}
            for n in range(5)
        ]
        assert post_together(user, "/v1/contacts", bodies) == [201] * 5
        the_action(user, acme)
