"""Contacts from a LinkedIn connections export (POST /v1/contacts/import, text/csv)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI

from service.main import create_app
from tests.conftest import Clock, User, assert_problem

NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
CSV = {"Content-Type": "text/csv"}
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
# What LinkedIn writes above the header of Connections.csv.
PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\r\n'
    "\r\n"
)


def linkedin(*rows: str, preamble: str = PREAMBLE) -> bytes:
    """A Connections.csv as LinkedIn writes it: a BOM, notes, the header, CRLF lines."""
    return ("\ufeff" + preamble + "\r\n".join([HEADER, *rows]) + "\r\n").encode()


def upload(user: User, data: bytes, query: str = "", **headers: str) -> Any:
    return user.post(f"/v1/contacts/import{query}", content=data, headers={**CSV, **headers})


def contacts(user: User) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = user.get("/v1/contacts?limit=200").json()["data"]
    return found


def test_rows_become_contacts_at_organizations_found_or_added_by_company(
    user: User, clock: Clock
) -> None:
    clock.set(NOW)
    acme = user.create("/v1/organizations", {"name": "Acme Robotics"})
    data = linkedin(
        "Ann,Lee,https://www.linkedin.com/in/ann-lee,ann@acme.example,ACME robotics,"
        "Engineering Manager,12 Mar 2024",
        'Bob,Roe,https://www.linkedin.com/in/bob-roe,,"Globex, Inc.",'
        "Senior Technical Recruiter,01 Feb 2025",
        'Cy,Doe,,cy@globex.example,"Globex, Inc.",HR Business Partner,',
        'Dee,"Smith ""DJ""",https://www.linkedin.com/in/dee,,Initech,"Talent Acquisition",',
    )

    response = upload(user, data)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "dry_run": False,
        "created": {"organizations": 2, "contacts": 4},
        "new_organizations": ["Globex, Inc.", "Initech"],
        "skipped": [],
        "errors": [],
    }
    people = {c["name"]: c for c in contacts(user)}
    assert set(people) == {"Ann Lee", "Bob Roe", "Cy Doe", 'Dee Smith "DJ"'}
    ann = people["Ann Lee"]
    assert ann["organization_id"] == acme["id"]
    assert (ann["email"], ann["title"], ann["role"]) == (
        "ann@acme.example",
        "Engineering Manager",
        "other",
    )
    assert ann["profile_url"] == "https://www.linkedin.com/in/ann-lee"
    assert ann["notes"] == "LinkedIn connection since 12 Mar 2024."
    assert people["Bob Roe"]["role"] == "recruiter" and people["Bob Roe"]["email"] is None
    assert people["Cy Doe"]["role"] == "hr" and people["Cy Doe"]["notes"] is None
    assert people['Dee Smith "DJ"']["role"] == "recruiter"
    assert people["Bob Roe"]["organization_id"] == people["Cy Doe"]["organization_id"]
    names = {o["name"] for o in user.get("/v1/organizations").json()["data"]}
    assert names == {"Acme Robotics", "Globex, Inc.", "Initech"}
    actions = user.get("/v1/next-actions").json()["data"]
    assert len(actions) == 3, "every organization that got a contact is planned"


def test_bad_rows_are_reported_by_their_line_in_the_file_and_the_others_imported(
    user: User,
) -> None:
    data = linkedin(
        ",,https://www.linkedin.com/in/nobody,,Acme,Engineer,",  # line 5
        'Ann,Lee,,ann@acme.example,Acme,"Engineering\r\nManager",',  # lines 6-7
        "Bob,Roe,,not-an-email,Acme,,",  # line 8
        "Cy,Doe,linkedin dot com,,Acme,,",  # line 9
        "Dee,Ray,,,,,",  # line 10
        "",  # line 11: blank, ignored
        "Eve,Fox,,eve@acme.example,Acme,,",  # line 12
        "Fay,Nu\x00l,,,Acme,,",  # line 13: NUL, which PostgreSQL text cannot hold
    )

    response = upload(user, data)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["created"] == {"organizations": 1, "contacts": 2}
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (5, "First Name"),
        (8, "Email Address"),
        (9, "URL"),
        (10, "Company"),
        (13, "First Name"),
    ]
    assert "email" in body["errors"][1]["message"]
    assert "URL" in body["errors"][2]["message"]
    assert {c["name"] for c in contacts(user)} == {"Ann Lee", "Eve Fox"}
    ann = next(c for c in contacts(user) if c["name"] == "Ann Lee")
    assert ann["title"] == "Engineering\r\nManager"


def test_people_already_there_are_skipped_and_reported(user: User) -> None:
    acme = user.create("/v1/organizations", {"name": "Acme"})
    existing = {"name": "Ann Lee", "role": "hiring_manager", "email": "Ann@Acme.example"}
    user.create("/v1/contacts", {"organization_id": acme["id"], **existing})
    data = linkedin(
        "Ann,Lee,,ann@acme.example,Acme,,",  # line 5: her email is in the account
        "Bob,Roe,https://www.linkedin.com/in/bob/,,Acme,,",  # line 6
        "Robert,Roe,http://linkedin.com/in/bob,,Acme,,",  # line 7: the same profile
    )

    body = upload(user, data).json()

    assert body["created"] == {"organizations": 0, "contacts": 1}
    assert body["skipped"] == [
        {
            "line": 5,
            "name": "Ann Lee",
            "reason": "a contact with this email is already in your account",
        },
        {"line": 7, "name": "Robert Roe", "reason": "the same profile URL as line 6"},
    ]
    assert len(contacts(user)) == 2


def test_a_dry_run_answers_what_would_be_created_and_changes_nothing(user: User) -> None:
    data = linkedin("Ann,Lee,,ann@acme.example,Acme,,", "Bob,Roe,,,Globex,Recruiter,")

    response = upload(user, data, "?dry_run=true")

    assert response.json() == {
        "dry_run": True,
        "created": {"organizations": 2, "contacts": 2},
        "new_organizations": ["Acme", "Globex"],
        "skipped": [],
        "errors": [],
    }
    assert contacts(user) == []
    assert user.get("/v1/organizations").json()["data"] == []


def test_a_file_without_the_preamble_or_bom_is_read_too(user: User) -> None:
    data = (HEADER + "\nAnn,Lee,,,Acme,,\n").encode()
    assert upload(user, data).json()["created"] == {"organizations": 1, "contacts": 1}


def test_the_charset_given_is_honoured(user: User) -> None:
    data = (HEADER + "\nJosé,Núñez,,,Café Ltd,,\n").encode("latin-1")
    response = upload(user, data, **{"Content-Type": "text/csv; charset=ISO-8859-1"})
    assert response.json()["created"]["contacts"] == 1
    assert contacts(user)[0]["name"] == "José Núñez"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,email\nAnn,ann@acme.example\n", "no header row"),
        (b"", "no header row"),
        ("First Name,Last Name,Company\nJos\xe9,N,Acme\n".encode("latin-1"), "not utf-8"),
    ],
)
def test_a_file_that_is_not_a_connections_export_answers_422(
    user: User, data: bytes, message: str
) -> None:
    body = assert_problem(upload(user, data), 422, field="body")
    assert message in body["detail"].lower()


def test_another_media_type_answers_415(user: User) -> None:
    response = user.post("/v1/contacts/import", json={"First Name": "Ann"})
    body = assert_problem(response, 415)
    assert "text/csv" in body["detail"]


def test_the_body_is_documented_as_text_csv() -> None:
    operation = create_app().openapi()["paths"]["/v1/contacts/import"]["post"]
    assert list(operation["requestBody"]["content"]) == ["text/csv"]
    assert {"200", "401", "413", "415", "422"} <= set(operation["responses"])


def test_a_thousand_rows_import_quickly(user: User, app: FastAPI) -> None:
    user.create("/v1/organizations", {"name": "Company 7"})
    rows = [
        f"First{i},Last{i},https://www.linkedin.com/in/person-{i},person{i}@example.com,"
        f'"Company {i % 250}",{"Recruiter" if i % 5 == 0 else "Engineer"},01 Jan 2025'
        for i in range(1000)
    ]
    rows[10] = "First10,Last10,,broken@,Company 10,,"
    rows[20] = rows[19]
    data = linkedin(*rows)

    started = time.perf_counter()
    response = upload(user, data)
    elapsed = time.perf_counter() - started

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["created"] == {"organizations": 249, "contacts": 998}
    assert [e["line"] for e in body["errors"]] == [15]
    assert [s["line"] for s in body["skipped"]] == [25]
    print(f"\n1,000-row CSV import: {elapsed:.2f} s ({app.state.engine.dialect.name})")
    assert elapsed < 10, f"a 1,000-row import took {elapsed:.1f} s"
    assert len(user.get("/v1/next-actions?limit=200").json()["data"]) == 200
