"""The agenda: what is overdue, due today and coming up, and the organizations that need you."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event

from tests.conftest import Clock, User, assert_problem

Row = dict[str, Any]
# A Wednesday, 09:00 in New York (EST, UTC-5): today there ends at 05:00 UTC tomorrow.
NOW = datetime(2026, 3, 4, 14, tzinfo=UTC)
HM = {"name": "Ann Lee", "role": "hiring_manager", "email": "ann@acme.example"}


def organization(user: User, name: str, **fields: Any) -> Row:
    return user.create("/v1/organizations", {"name": name, "rejected_on": "2026-02-02", **fields})


def person(user: User, org: Row, **fields: Any) -> Row:
    return user.create("/v1/contacts", {"organization_id": org["id"], **HM, **fields})


def the_action(user: User, org: Row) -> Row:
    (action,) = user.get("/v1/next-actions", params={"organization_id": org["id"]}).json()["data"]
    result: Row = action
    return result


def due_at(user: User, org: Row, when: datetime) -> Row:
    """The organization's open action, snoozed until `when`."""
    action = the_action(user, org)
    snoozed = user.post(f"/v1/next-actions/{action['id']}/snooze", json={"until": when.isoformat()})
    assert snoozed.status_code == 200, snoozed.text
    result: Row = snoozed.json()
    return result


def agenda(user: User, **params: Any) -> Row:
    response = user.get("/v1/agenda", params=params)
    assert response.status_code == 200, response.text
    result: Row = response.json()
    return result


@pytest.fixture
def in_new_york(user: User, clock: Clock) -> None:
    clock.set(NOW)
    changed = user.patch("/v1/settings", json={"timezone": "America/New_York"})
    assert changed.status_code == 200, changed.text


@pytest.mark.usefixtures("in_new_york")
def test_counts_split_overdue_today_and_upcoming_in_the_accounts_time_zone(user: User) -> None:
    late = organization(user, "Late Inc")
    ann = person(user, late, phone="+1 312 555 0100")
    tonight = organization(user, "Tonight LLC")
    person(user, tonight)
    tomorrow = organization(user, "Tomorrow Ltd")
    person(user, tomorrow)
    later = organization(user, "Later GmbH")
    person(user, later)
    hired = organization(user, "Hired Co")
    person(user, hired)
    user.patch(f"/v1/organizations/{hired['id']}", json={"status": "hired"})

    overdue = the_action(user, late)
    assert overdue["due_at"] == "2026-02-03T15:00:00Z"  # 10:00 in New York, long ago
    # 20:00 in New York: already tomorrow in UTC, still today for the user.
    today = due_at(user, tonight, datetime(2026, 3, 5, 1, tzinfo=UTC))
    upcoming = due_at(user, tomorrow, datetime(2026, 3, 5, 14, tzinfo=UTC))
    due_at(user, later, NOW + timedelta(days=10))

    week = agenda(user)
    assert week["now"] == "2026-03-04T14:00:00Z"
    assert week["counts"] == {"overdue": 1, "today": 1, "upcoming": 1}
    assert [item["id"] for item in week["items"]] == [
        overdue["id"],
        today["id"],
        upcoming["id"],
    ]
    first = week["items"][0]
    assert first.pop("organization") == {
        "id": late["id"],
        "name": "Late Inc",
        "status": "nurturing",
    }
    assert first.pop("contact") == {
        "id": ann["id"],
        "name": "Ann Lee",
        "role": "hiring_manager",
        "email": "ann@acme.example",
        "phone": "+1 312 555 0100",
        "profile_url": None,
        "timezone": None,
    }
    assert first == user.get(f"/v1/next-actions/{overdue['id']}").json()  # links included
    assert first["links"]["tel"] == "tel:+13125550100"

    fortnight = agenda(user, days=14)
    assert fortnight["counts"] == {"overdue": 1, "today": 1, "upcoming": 2}
    # Tomorrow's is due exactly a day from now: not before now + 1 day.
    assert agenda(user, days=1)["counts"] == {"overdue": 1, "today": 1, "upcoming": 0}


def test_today_ends_at_midnight_utc_by_default(user: User, clock: Clock) -> None:
    clock.set(NOW)
    tonight = organization(user, "Tonight LLC")
    person(user, tonight)
    due_at(user, tonight, datetime(2026, 3, 5, 1, tzinfo=UTC))
    assert agenda(user)["counts"] == {"overdue": 0, "today": 0, "upcoming": 1}


@pytest.mark.usefixtures("in_new_york")
def test_attention_names_each_organizations_most_specific_problem(user: User) -> None:
    organization(user, "Beta")  # nobody on file
    recruiters = organization(user, "alpha labs")
    person(user, recruiters, name="Rob Roe", role="recruiter")
    person(user, recruiters, name="Hana Ito", role="hr", email="hr@alpha.example")
    moved_on = organization(user, "Delta")
    gone = person(user, moved_on)
    user.patch(f"/v1/contacts/{gone['id']}", json={"status": "archived"})
    paused = organization(user, "Gamma")  # paused and without contacts: paused says it all
    user.patch(f"/v1/organizations/{paused['id']}", json={"status": "paused"})
    only_recruiter_left = organization(user, "Epsilon")
    person(user, only_recruiter_left, name="Rob Roe", role="recruiter", email="rob@e.example")
    stopped = person(user, only_recruiter_left, name="Zed Ox", role="other", email="z@e.example")
    user.patch(f"/v1/contacts/{stopped['id']}", json={"status": "do_not_contact"})
    fine = organization(user, "Fine", status="opening")
    person(user, fine)
    closed = organization(user, "Closed Co")
    user.patch(f"/v1/organizations/{closed['id']}", json={"status": "closed"})

    attention = agenda(user)["attention"]
    assert attention == [
        {"organization_id": recruiters["id"], "name": "alpha labs", "problem": "only_recruiters"},
        {
            "organization_id": attention[1]["organization_id"],
            "name": "Beta",
            "problem": "no_contacts",
        },
        {"organization_id": moved_on["id"], "name": "Delta", "problem": "no_plan"},
        {
            "organization_id": only_recruiter_left["id"],
            "name": "Epsilon",
            "problem": "only_recruiters",
        },
        {"organization_id": paused["id"], "name": "Gamma", "problem": "paused"},
    ]
    # Recruiters alone still get a plan, with the hint to find the hiring manager.
    assert "add_hiring_manager" in the_action(user, recruiters)["hints"]


@pytest.mark.parametrize("days", ["0", "61", "-1", "week", "1.5"])
def test_days_out_of_range_answer_422_naming_days(user: User, days: str) -> None:
    assert_problem(user.get("/v1/agenda", params={"days": days}), 422, field="days")


def test_days_bounds_are_accepted(user: User, clock: Clock) -> None:
    clock.set(NOW)
    for days in (1, 60):
        assert agenda(user, days=days) == {
            "now": "2026-03-04T14:00:00Z",
            "counts": {"overdue": 0, "today": 0, "upcoming": 0},
            "items": [],
            "attention": [],
        }


def test_another_accounts_data_never_shows(user: User, other_user: User, clock: Clock) -> None:
    clock.set(NOW)
    theirs = organization(other_user, "Theirs")
    person(other_user, theirs)
    organization(other_user, "Theirs too")  # no contacts: attention, for them
    mine = organization(user, "Mine")
    person(user, mine)

    seen = agenda(user, days=60)
    assert [item["organization"]["name"] for item in seen["items"]] == ["Mine"]
    assert seen["attention"] == []
    assert [a["name"] for a in agenda(other_user)["attention"]] == ["Theirs too"]
    assert "Mine" not in str(agenda(other_user, days=60))


@contextmanager
def statements(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs meanwhile."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(app.state.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count)


def test_the_agenda_takes_the_same_statements_for_any_number_of_organizations(
    app: FastAPI, user: User, clock: Clock
) -> None:
    clock.set(NOW)

    def add(count: int) -> None:
        for n in range(count):
            org = organization(user, f"Org {n}")
            if n % 3:
                person(user, org, role="recruiter" if n % 3 == 2 else "hiring_manager")

    add(3)
    agenda(user)  # warm: the first request may check more than later ones
    with statements(app) as few:
        small = agenda(user, days=60)
    add(12)
    with statements(app) as many:
        large = agenda(user, days=60)
    assert len(large["items"]) > len(small["items"]) and len(large["attention"]) > 1
    assert len(many) == len(few), (few, many)
