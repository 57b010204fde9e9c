"""R13-R16 and refused contradictions through the HTTP API, on SQLite and PostgreSQL.

Dates worked by hand on the 2026 calendar: Monday 12 January is the No.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.test_cadence_rules_api import FULL, LATER, log, open_actions, org, person, when
from tests.api.test_cadence_rules_api import the_action as action_of
from tests.conftest import Clock, User, assert_problem

Row = dict[str, Any]


@pytest.fixture
def acme(user: User, clock: Clock) -> Row:
    clock.set(LATER)
    return org(user, rejected_on="2026-01-12")


@pytest.fixture
def ann(user: User, acme: Row) -> Row:
    return person(user, acme, profile_url="https://www.linkedin.com/in/ann", **FULL)


@pytest.fixture
def bob(user: User, acme: Row) -> Row:
    return person(user, acme, "Bob Ray", role="recruiter", email="bob@acme.example")


def snapshot(user: User, acme: Row) -> tuple[Any, ...]:
    """What a refused request must leave as it was: attempts, contacts, organization, action."""
    attempts = user.get("/v1/attempts", params={"organization_id": acme["id"]}).json()["data"]
    contacts = user.get("/v1/contacts", params={"organization_id": acme["id"]}).json()["data"]
    organization = user.get(f"/v1/organizations/{acme['id']}")
    return (
        attempts,
        contacts,
        organization.json(),
        organization.headers["etag"],
        open_actions(user, acme),
    )


def test_r13_the_person_named_is_due_three_working_days_later(
    user: User, acme: Row, ann: Row
) -> None:
    cal = person(user, acme, "Cal Diaz", role="other", email="cal@acme.example")
    # Thursday 15 January: Friday 16, Monday 19, Tuesday 20; R7's ten days do not apply.
    log(
        user,
        ann,
        "2026-01-15T15:00:00Z",
        "call",
        outcome="referred",
        referred_to_contact_id=cal["id"],
    )
    action = action_of(user, acme)
    assert action["contact_id"] == cal["id"] and action["channel"] == "email"
    assert when(action) == ("2026-01-20T10:00:00Z", "2026-01-20", "2026-01-20")
    assert action["reason"].startswith("Ann Lee referred you to Cal Diaz")
    assert action["script"]["situation"] == "referral"

    assert user.patch("/v1/settings", json={"referral_days": 1}).status_code == 200
    assert when(action_of(user, acme)) == ("2026-01-16T10:00:00Z", "2026-01-16", "2026-01-16")


def test_r14_the_hiring_manager_asks_to_stop_the_organization_pauses(
    user: User, acme: Row, ann: Row, bob: Row
) -> None:
    # 15:00Z on 2 March is already 3 March in Auckland: the reason gives the account's date.
    assert user.patch("/v1/settings", json={"timezone": "Pacific/Auckland"}).status_code == 200
    before = action_of(user, acme)
    assert before["contact_id"] == ann["id"]

    stop = log(
        user, ann, "2026-03-02T15:00:00Z", "call", direction="inbound", outcome="asked_to_stop"
    )

    shown = user.get(f"/v1/organizations/{acme['id']}").json()
    assert shown["status"] == "paused"
    assert shown["paused_reason"] == "Ann Lee, the hiring manager, asked you to stop on 2026-03-03."
    assert user.get(f"/v1/contacts/{ann['id']}").json()["status"] == "do_not_contact"
    assert open_actions(user, acme) == []  # nobody else is contacted either
    assert user.get(f"/v1/next-actions/{before['id']}").json()["state"] == "cancelled"

    # Resumed by the user: the reason goes, Bob may be contacted, Ann stays stopped.
    resumed = user.patch(f"/v1/organizations/{acme['id']}", json={"status": "nurturing"})
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["paused_reason"] is None
    assert action_of(user, acme)["contact_id"] == bob["id"]
    assert user.get(f"/v1/contacts/{ann['id']}").json()["status"] == "do_not_contact"
    # Editing the old attempt does not pause it again.
    edited = user.patch(f"/v1/attempts/{stop['id']}", json={"notes": "She was kind about it."})
    assert edited.status_code == 200, edited.text
    assert user.get(f"/v1/organizations/{acme['id']}").json()["status"] == "nurturing"


def test_r14_from_anyone_else_only_that_contact_stops(
    user: User, acme: Row, ann: Row, bob: Row
) -> None:
    log(user, bob, "2026-03-02T15:00:00Z", "email", outcome="asked_to_stop")
    assert user.get(f"/v1/organizations/{acme['id']}").json()["status"] == "nurturing"
    assert user.get(f"/v1/contacts/{bob['id']}").json()["status"] == "do_not_contact"
    assert action_of(user, acme)["contact_id"] == ann["id"]


def test_r14_a_corrected_outcome_pauses_too(user: User, acme: Row, ann: Row, bob: Row) -> None:
    said = log(user, ann, "2026-03-02T15:00:00Z", "email", outcome="replied")
    patched = user.patch(f"/v1/attempts/{said['id']}", json={"outcome": "asked_to_stop"})
    assert patched.status_code == 200, patched.text
    shown = user.get(f"/v1/organizations/{acme['id']}").json()
    assert shown["status"] == "paused"
    assert shown["paused_reason"] == "Ann Lee, the hiring manager, asked you to stop on 2026-03-02."
    assert open_actions(user, acme) == []


def test_paused_reason_belongs_to_a_paused_organization(user: User, clock: Clock) -> None:
    clock.set(LATER)
    reason = "On holiday until July."
    refused = user.post("/v1/organizations", json={"name": "Acme", "paused_reason": reason})
    assert_problem(refused, 422, field="paused_reason")
    assert user.get("/v1/organizations").json()["data"] == []

    paused = org(user, status="paused", paused_reason=reason)
    assert paused["paused_reason"] == reason
    url = f"/v1/organizations/{paused['id']}"
    assert_problem(
        user.patch(url, json={"status": "opening", "paused_reason": "x"}),
        422,
        field="paused_reason",
    )
    assert user.get(url).json() == paused
    assert user.patch(url, json={"status": "nurturing"}).json()["paused_reason"] is None
    assert_problem(user.patch(url, json={"paused_reason": reason}), 422, field="paused_reason")


def test_r15_an_unanswered_call_keeps_the_action_open_and_retries(
    user: User, acme: Row, ann: Row
) -> None:
    # One warm touch, then maintenance: a counted no_answer would show at once.
    assert user.patch("/v1/settings", json={"warm_touches": 1}).status_code == 200
    log(user, ann, "2026-01-13T15:00:00Z", "email")
    action = action_of(user, acme)
    assert (action["phase"], action["channel"]) == ("warm", "call")
    assert when(action) == ("2026-02-03T10:00:00Z", "2026-01-27", "2026-02-10")

    # Tuesday 3 February, nobody answered: the same action, Thursday 5, by email.
    body = {"outcome": "no_answer", "next_action_id": action["id"]}
    log(user, ann, "2026-02-03T15:00:00Z", "call", **body)
    retried = action_of(user, acme)
    assert retried["id"] == action["id"] and retried["state"] == "scheduled"
    assert (retried["phase"], retried["channel"]) == ("warm", "email")
    assert when(retried) == ("2026-02-05T10:00:00Z", "2026-02-05", "2026-02-05")
    assert retried["reason"] == (
        "Your call to Ann Lee, the hiring manager, on Tuesday 3 February 2026 went unanswered: "
        "email them instead."
    )

    # Called again on Thursday 5, again no answer: retried from it, Monday 9.
    log(user, ann, "2026-02-05T15:00:00Z", "call", **body)
    assert when(action_of(user, acme)) == ("2026-02-09T10:00:00Z", "2026-02-09", "2026-02-09")
    assert user.patch("/v1/settings", json={"retry_days": 5}).status_code == 200
    assert when(action_of(user, acme)) == ("2026-02-12T10:00:00Z", "2026-02-12", "2026-02-12")

    # The email that answers it is the second touch: maintenance, 60 days from Monday 9.
    log(user, ann, "2026-02-09T15:00:00Z", "email", next_action_id=action["id"])
    assert user.get(f"/v1/next-actions/{action['id']}").json()["state"] == "done"
    after = action_of(user, acme)
    assert after["phase"] == "maintenance"
    assert when(after) == ("2026-04-10T10:00:00Z", "2026-03-26", "2026-04-25")

    # An unanswered call cannot name an action that is no longer open.
    late = {"contact_id": ann["id"], "channel": "call", "outcome": "no_answer"}
    refused = user.post("/v1/attempts", json={**late, "next_action_id": action["id"]})
    assert_problem(refused, 422, field="next_action_id")


def test_r16_the_channel_they_asked_for(user: User, acme: Row, ann: Row) -> None:
    asked = {"follow_up_on": "2026-03-02", "follow_up_channel": "message"}
    attempt = log(user, ann, "2026-01-13T15:00:00Z", "email", **asked)
    assert attempt["follow_up_channel"] == "message"
    action = action_of(user, acme)
    assert (action["channel"], action["due_at"]) == ("message", "2026-03-02T10:00:00Z")
    assert action["reason"] == (
        "Ann Lee asked you to message on or after Monday 2 March 2026, so message them then."
    )
    url = f"/v1/attempts/{attempt['id']}"
    assert user.patch(url, json={"follow_up_channel": "email"}).status_code == 200
    assert action_of(user, acme)["channel"] == "email"  # even the channel just used
    # Bob has no phone: a call is asked for, the usual choice is made.
    bob_only = org(user, "Globex", rejected_on="2026-01-12")
    bob = person(user, bob_only, "Bob Ray", role="recruiter", email="bob@globex.example")
    log(
        user,
        bob,
        "2026-01-13T15:00:00Z",
        "email",
        follow_up_on="2026-03-02",
        follow_up_channel="call",
    )
    assert action_of(user, bob_only)["channel"] == "email"


@pytest.mark.parametrize(
    ("channel", "outcome"),
    [
        ("email", "left_voicemail"),
        ("message", "left_voicemail"),
        ("in_person", "left_voicemail"),
        ("email", "no_answer"),
        ("voicemail", "no_answer"),
        ("in_person", "no_answer"),
        ("call", "sent"),
        ("in_person", "sent"),
    ],
)
def test_an_outcome_that_does_not_fit_the_channel_is_refused(
    user: User, acme: Row, ann: Row, channel: str, outcome: str
) -> None:
    before = snapshot(user, acme)
    body = {"contact_id": ann["id"], "channel": channel, "outcome": outcome}
    problem = assert_problem(user.post("/v1/attempts", json=body), 422, field="outcome")
    assert outcome in problem["detail"]
    assert snapshot(user, acme) == before


def test_outcomes_that_fit_their_channel_are_kept(user: User, acme: Row, ann: Row) -> None:
    fits = [
        ("call", "left_voicemail"),
        ("voicemail", "left_voicemail"),
        ("call", "no_answer"),
        ("email", "sent"),
        ("message", "sent"),
        ("voicemail", "sent"),
    ]
    for channel, outcome in fits:
        log(user, ann, "2026-02-02T15:00:00Z", channel, outcome=outcome)


def test_a_patch_validates_the_merged_attempt(user: User, acme: Row, ann: Row, bob: Row) -> None:
    call = log(
        user, ann, "2026-03-02T15:00:00Z", "call", outcome="no_answer", follow_up_on="2026-03-04"
    )
    url = f"/v1/attempts/{call['id']}"
    before = snapshot(user, acme)
    refused = [
        ({"channel": "email"}, "channel"),  # the stored no_answer does not fit an email
        ({"outcome": "sent"}, "outcome"),
        ({"occurred_at": "2026-03-05T15:00:00Z"}, "occurred_at"),  # after the date asked
        ({"follow_up_on": "2026-03-01"}, "follow_up_on"),
        ({"outcome": "referred"}, "referred_to_contact_id"),
        ({"follow_up_on": None, "follow_up_channel": "call"}, "follow_up_channel"),
        ({"outcome": "referred", "referred_to_contact_id": ann["id"]}, "referred_to_contact_id"),
    ]
    for body, field in refused:
        assert_problem(user.patch(url, json=body), 422, field=field)
    assert snapshot(user, acme) == before
    assert user.patch(url, json={"follow_up_channel": "email"}).status_code == 200
    cleared = user.patch(url, json={"follow_up_on": None})
    assert_problem(cleared, 422, field="follow_up_channel")


@pytest.mark.parametrize(
    ("timezone", "follow_up_on", "accepted"),
    [
        ("UTC", "2026-03-01", False),
        ("UTC", "2026-03-02", True),  # the same day: "call me this afternoon"
        ("Pacific/Auckland", "2026-03-02", False),  # 15:00Z is 3 March there
        ("Pacific/Auckland", "2026-03-03", True),
        ("America/Chicago", "2026-03-02", True),
    ],
)
def test_follow_up_on_not_before_the_attempts_local_date(
    user: User, acme: Row, ann: Row, timezone: str, follow_up_on: str, accepted: bool
) -> None:
    assert user.patch("/v1/settings", json={"timezone": timezone}).status_code == 200
    before = snapshot(user, acme)
    body = {
        "contact_id": ann["id"],
        "channel": "email",
        "occurred_at": "2026-03-02T15:00:00Z",
        "follow_up_on": follow_up_on,
    }
    response = user.post("/v1/attempts", json=body)
    if accepted:
        assert response.status_code == 201, response.text
        return
    assert_problem(response, 422, field="follow_up_on")
    assert snapshot(user, acme) == before


def test_a_follow_up_channel_needs_a_date(user: User, acme: Row, ann: Row) -> None:
    before = snapshot(user, acme)
    body = {"contact_id": ann["id"], "channel": "call", "follow_up_channel": "email"}
    assert_problem(user.post("/v1/attempts", json=body), 422, field="follow_up_channel")
    assert snapshot(user, acme) == before


def test_a_referral_names_someone_else_here(user: User, acme: Row, ann: Row, bob: Row) -> None:
    globex = org(user, "Globex")
    stranger = person(user, globex, "Ida Fox", role="other", email="ida@globex.example")
    before = snapshot(user, acme)
    for named in (None, stranger["id"], ann["id"]):
        body = {"contact_id": ann["id"], "channel": "call", "outcome": "referred"}
        response = user.post("/v1/attempts", json={**body, "referred_to_contact_id": named})
        assert_problem(response, 422, field="referred_to_contact_id")
    assert snapshot(user, acme) == before


def test_a_refused_stop_changes_nothing(user: User, acme: Row, ann: Row) -> None:
    """A hiring manager's stop that contradicts itself: no pause, no stopped contact."""
    before = snapshot(user, acme)
    body = {
        "contact_id": ann["id"],
        "channel": "email",
        "outcome": "asked_to_stop",
        "follow_up_channel": "call",
    }
    assert_problem(user.post("/v1/attempts", json=body), 422, field="follow_up_channel")
    assert snapshot(user, acme) == before
    assert before[2]["status"] == "nurturing"


@pytest.mark.parametrize(
    ("timezone", "rejected_on", "accepted"),
    [
        ("UTC", "2026-03-02", True),
        ("UTC", "2026-03-03", False),
        ("Pacific/Auckland", "2026-03-03", True),  # 20:00Z is 09:00 on 3 March there
        ("Pacific/Auckland", "2026-03-04", False),
        ("America/Chicago", "2026-03-02", True),
    ],
)
def test_rejected_on_not_after_today_in_the_accounts_zone(
    user: User, clock: Clock, timezone: str, rejected_on: str, accepted: bool
) -> None:
    clock.set(datetime(2026, 3, 2, 20, tzinfo=UTC))
    assert user.patch("/v1/settings", json={"timezone": timezone}).status_code == 200
    response = user.post("/v1/organizations", json={"name": "Acme", "rejected_on": rejected_on})
    if accepted:
        assert response.status_code == 201, response.text
        return
    assert_problem(response, 422, field="rejected_on")
    assert user.get("/v1/organizations").json()["data"] == []

    kept = org(user, rejected_on="2026-02-27")
    url = f"/v1/organizations/{kept['id']}"
    assert_problem(user.patch(url, json={"rejected_on": rejected_on}), 422, field="rejected_on")
    assert user.get(url).json() == kept


def test_settings_where_warm_is_not_shorter_than_maintenance(user: User) -> None:
    before = user.get("/v1/settings")
    refused = [
        ({"warm_days": 60}, "warm_days"),
        ({"warm_days": 90, "maintenance_days": 60}, "warm_days"),
        ({"maintenance_days": 21, "maintenance_window_days": 5}, "maintenance_days"),
    ]
    for body, field in refused:
        assert_problem(user.patch("/v1/settings", json=body), 422, field=field)
    after = user.get("/v1/settings")
    assert (after.json(), after.headers["etag"]) == (before.json(), before.headers["etag"])
    ok = user.patch("/v1/settings", json={"warm_days": 59, "maintenance_days": 60})
    assert ok.status_code == 200, ok.text
