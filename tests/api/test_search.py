"""Search: `?q=` on the organization and contact lists."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from tests.conftest import Clock, User, assert_problem

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def names(user: User, url: str, **params: str) -> list[str]:
    response = user.get(url, params=params)
    assert response.status_code == 200, response.text
    return [row["name"] for row in response.json()["data"]]


def next_minute(clock: Clock) -> None:
    """Move the clock a minute on (to T0 the first time): rows are listed in this order."""
    clock.set(T0 if clock.fixed is None else clock.fixed + timedelta(minutes=1))


def organizations(user: User, clock: Clock, *bodies: dict[str, Any]) -> list[dict[str, Any]]:
    """Create organizations a minute apart, in this order (the list's order)."""
    created = []
    for body in bodies:
        next_minute(clock)
        created.append(user.create("/v1/organizations", body))
    return created


def contacts(
    user: User, clock: Clock, organization: dict[str, Any], *bodies: dict[str, Any]
) -> list[dict[str, Any]]:
    """Create contacts at an organization a minute apart, in this order."""
    created = []
    for body in bodies:
        next_minute(clock)
        fields = {"organization_id": organization["id"], "role": "hiring_manager", **body}
        created.append(user.create("/v1/contacts", fields))
    return created


def test_organizations_match_on_name_or_role_applied_in_any_case(user: User, clock: Clock) -> None:
    organizations(
        user,
        clock,
        {"name": "Acme Robotics", "role_applied": "Staff Engineer"},
        {"name": "Globex", "role_applied": "Robotics Lead"},
        {"name": "Initech", "role_applied": "Engineering Manager"},
        {"name": "Umbrella"},
    )

    assert names(user, "/v1/organizations", q="robotics") == ["Acme Robotics", "Globex"]
    assert names(user, "/v1/organizations", q="ENGINEER") == ["Acme Robotics", "Initech"]
    assert names(user, "/v1/organizations", q="  umbrella ") == ["Umbrella"]
    assert names(user, "/v1/organizations", q="Hooli") == []


def test_organization_search_combines_with_the_status_filter(user: User, clock: Clock) -> None:
    organizations(
        user,
        clock,
        {"name": "Acme East"},
        {"name": "Acme West", "status": "paused"},
        {"name": "Globex", "status": "paused"},
    )

    assert names(user, "/v1/organizations", q="acme", status="paused") == ["Acme West"]
    assert names(user, "/v1/organizations", q="acme", status="hired") == []


def test_contacts_match_on_name_email_or_title_in_any_case(user: User, clock: Clock) -> None:
    (acme,) = organizations(user, clock, {"name": "Acme"})
    contacts(
        user,
        clock,
        acme,
        {"name": "Ann Lee", "email": "ann@acme.example", "title": "Head of Data"},
        {"name": "Bo Chen", "email": "bo.chen@globex.example"},
        {"name": "Cy Data", "title": "Recruiter"},
        {"name": "Di Park", "title": "VP Engineering"},
    )

    assert names(user, "/v1/contacts", q="DATA") == ["Ann Lee", "Cy Data"]
    assert names(user, "/v1/contacts", q="Globex.EXAMPLE") == ["Bo Chen"]
    assert names(user, "/v1/contacts", q="vp eng") == ["Di Park"]
    assert names(user, "/v1/contacts", q="ann@") == ["Ann Lee"]


def test_contact_search_combines_with_every_filter(user: User, clock: Clock) -> None:
    acme, globex = organizations(user, clock, {"name": "Acme"}, {"name": "Globex"})
    contacts(user, clock, acme, {"name": "Sam Ortiz"}, {"name": "Sam Reyes", "role": "recruiter"})
    contacts(user, clock, globex, {"name": "Samira Khan", "status": "archived"}, {"name": "Lee"})

    assert names(user, "/v1/contacts", q="sam") == ["Sam Ortiz", "Sam Reyes", "Samira Khan"]
    assert names(user, "/v1/contacts", q="sam", organization_id=acme["id"]) == [
        "Sam Ortiz",
        "Sam Reyes",
    ]
    assert names(user, "/v1/contacts", q="sam", role="recruiter") == ["Sam Reyes"]
    assert names(user, "/v1/contacts", q="sam", status="archived") == ["Samira Khan"]
    assert names(user, "/v1/contacts", q="sam", organization_id=globex["id"], role="hr") == []


LITERAL = [
    ("%", ["100% Remote"]),
    ("_", ["Acme_Labs"]),
    ("\\", ["Back\\Slash"]),
    ("/", ["A/B Tests"]),
    ("0% r", ["100% Remote"]),
    ("e_l", ["Acme_Labs"]),
]


def test_percent_underscore_and_backslash_match_themselves(
    user: User, clock: Clock, subtests: pytest.Subtests
) -> None:
    organizations(
        user,
        clock,
        {"name": "100% Remote"},
        {"name": "1000 Remote"},
        {"name": "Acme_Labs"},
        {"name": "AcmeXLabs"},
        {"name": "Back\\Slash"},
        {"name": "A/B Tests"},
    )
    (org,) = organizations(user, clock, {"name": "People"})
    contacts(
        user,
        clock,
        org,
        {"name": "Pat", "title": "50% Sales"},
        {"name": "Max", "title": "50 Sales"},
    )

    for q, expected in LITERAL:
        with subtests.test(q=q):
            assert names(user, "/v1/organizations", q=q) == expected
    assert names(user, "/v1/contacts", q="%") == ["Pat"]
    assert names(user, "/v1/contacts", q="_") == []


def test_search_pages_follow_the_cursor_and_the_link(user: User, clock: Clock) -> None:
    bodies = [{"name": f"Acme {i}" if i % 2 == 0 else f"Globex {i}"} for i in range(10)]
    clock.set(T0)  # equal timestamps: the id breaks ties, the cursor must still hold
    for body in bodies:
        user.create("/v1/organizations", body)

    seen: list[str] = []
    url: str | None = "/v1/organizations?q=acme&limit=2"
    while url is not None:
        response = user.get(url)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [row["name"] for row in page["data"]]
        if page["next_cursor"] is None:
            url = None
        else:
            link = re.fullmatch(
                r'<https://testserver(/[^>]+)>; rel="next"', response.headers["link"]
            )
            assert link is not None and "q=acme" in link.group(1)
            url = link.group(1)

    assert sorted(seen) == [f"Acme {i}" for i in range(0, 10, 2)]
    assert len(seen) == len(set(seen))


def test_a_contact_search_page_continues_with_its_cursor(user: User, clock: Clock) -> None:
    (org,) = organizations(user, clock, {"name": "Acme"})
    contacts(user, clock, org, *({"name": f"Kim {i}"} for i in range(3)), {"name": "Lou"})

    first = user.get("/v1/contacts", params={"q": "kim", "limit": 2}).json()
    rest = user.get("/v1/contacts", params={"q": "kim", "limit": 2, "cursor": first["next_cursor"]})

    assert [c["name"] for c in first["data"]] == ["Kim 0", "Kim 1"]
    assert [c["name"] for c in rest.json()["data"]] == ["Kim 2"]
    assert rest.json()["next_cursor"] is None


BAD_QUERIES = ["", "   ", "x" * 201, "acme\x00"]


def test_a_query_must_be_1_to_200_characters_once_trimmed(
    user: User, subtests: pytest.Subtests
) -> None:
    user.create("/v1/organizations", {"name": "x" * 200})
    for q in BAD_QUERIES:
        for url in ("/v1/organizations", "/v1/contacts"):
            with subtests.test(url=url, q=q[:10]):
                assert_problem(user.get(url, params={"q": q}), 422, field="q")
    assert names(user, "/v1/organizations", q=f" {'X' * 200} ") == ["x" * 200]


def test_non_ascii_letters_match_in_any_case_on_postgresql(
    app: FastAPI, user: User, clock: Clock
) -> None:
    (org,) = organizations(user, clock, {"name": "Zoë Design", "role_applied": "Diseñador"})
    contacts(user, clock, org, {"name": "Zoë Ångström", "title": "Directrice Générale"})

    # Non-ASCII letters written as stored match on any database (SQLite folds ASCII alone).
    assert names(user, "/v1/organizations", q="zoë") == ["Zoë Design"]
    assert names(user, "/v1/contacts", q="ångström".replace("å", "Å")) == ["Zoë Ångström"]
    if app.state.engine.dialect.name == "postgresql":
        assert names(user, "/v1/organizations", q="ZOË") == ["Zoë Design"]
        assert names(user, "/v1/organizations", q="DISEÑADOR") == ["Zoë Design"]
        assert names(user, "/v1/contacts", q="ZOË ÅNGSTRÖM") == ["Zoë Ångström"]
        assert names(user, "/v1/contacts", q="générale") == ["Zoë Ångström"]


def test_search_never_finds_another_accounts_records(
    user: User, other_user: User, clock: Clock
) -> None:
    (mine,) = organizations(user, clock, {"name": "Acme"})
    (theirs,) = organizations(other_user, clock, {"name": "Acme"})
    contacts(user, clock, mine, {"name": "Ann"})
    contacts(other_user, clock, theirs, {"name": "Ann"})

    found = user.get("/v1/organizations", params={"q": "acme"}).json()["data"]
    people = user.get("/v1/contacts", params={"q": "ann"}).json()["data"]

    assert [o["id"] for o in found] == [mine["id"]]
    assert [c["organization_id"] for c in people] == [mine["id"]]
