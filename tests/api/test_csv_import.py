"""Contacts from a LinkedIn connections export (POST /v1/contacts/import, text/csv)."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from service.api.routes import transfer
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
    body = response.json()
    orgs = {o["name"]: o for o in user.get("/v1/organizations").json()["data"]}
    assert set(orgs) == {"Acme Robotics", "Globex, Inc.", "Initech"}
    globex, initech = orgs["Globex, Inc."]["id"], orgs["Initech"]["id"]
    assert body == {
        "dry_run": False,
        "created": {"organizations": 2, "contacts": 4},
        "new_organizations": ["Globex, Inc.", "Initech"],
        "added": [
            {
                "line": 5,
                "name": "Ann Lee",
                "organization": "Acme Robotics",
                "organization_id": acme["id"],
                "new_organization": False,
            },
            {
                "line": 6,
                "name": "Bob Roe",
                "organization": "Globex, Inc.",
                "organization_id": globex,
                "new_organization": True,
            },
            {
                "line": 7,
                "name": "Cy Doe",
                "organization": "Globex, Inc.",
                "organization_id": globex,
                "new_organization": True,
            },
            {
                "line": 8,
                "name": 'Dee Smith "DJ"',
                "organization": "Initech",
                "organization_id": initech,
                "new_organization": True,
            },
        ],
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
    statuses = [orgs[name]["status"] for name in ("Acme Robotics", "Globex, Inc.", "Initech")]
    assert statuses == ["nurturing", "watching", "watching"]
    (action,) = user.get("/v1/next-actions").json()["data"]
    assert action["organization_id"] == acme["id"], "people, not rejections: no first touch"
    assert user.get("/v1/agenda").json()["attention"] == []


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


def test_people_already_there_are_skipped_saying_who_and_why(user: User) -> None:
    acme = user.create("/v1/organizations", {"name": "Acme Corp"})
    existing = {"name": "Ann Lee", "role": "hiring_manager", "email": "Ann@Acme.example"}
    ann = user.create("/v1/contacts", {"organization_id": acme["id"], **existing})
    carla = {"name": "Dr. Carla  Moss", "role": "other", "profile_url": "https://x.example/cm"}
    moss = user.create("/v1/contacts", {"organization_id": acme["id"], **carla})
    data = linkedin(
        "Ann,Lee,,ann@acme.example,Acme,,",  # line 5: her email is in the account
        "Bob,Roe,https://www.linkedin.com/in/bob/,,Acme corp,,",  # line 6
        "Robert,Roe,http://linkedin.com/in/bob,,Acme,,",  # line 7: the same profile
        "DR. CARLA,moss,,,  acme   CORP ,,",  # line 8: the same name at the same company
        "Carla,Moss,,,Globex,,",  # line 9: another company, another person
        "Bob,Roe,,,ACME CORP,,",  # line 10: the same name at the same company as line 6
    )

    body = upload(user, data).json()

    assert body["created"] == {"organizations": 1, "contacts": 2}
    assert body["skipped"] == [
        {
            "line": 5,
            "name": "Ann Lee",
            "reason": "Ann Lee at Acme Corp is already in your account (the same email)",
            "contact_id": ann["id"],
        },
        {
            "line": 7,
            "name": "Robert Roe",
            "reason": "the same profile URL as line 6",
            "contact_id": None,
        },
        {
            "line": 8,
            "name": "DR. CARLA moss",
            "reason": "Dr. Carla  Moss at Acme Corp is already in your account (the same name "
            "at the same company)",
            "contact_id": moss["id"],
        },
        {
            "line": 10,
            "name": "Bob Roe",
            "reason": "the same name at the same company as line 6",
            "contact_id": None,
        },
    ]
    assert [(row["line"], row["organization"]) for row in body["added"]] == [
        (6, "Acme Corp"),
        (9, "Globex"),
    ]
    assert len(contacts(user)) == 4


def test_a_company_is_found_case_and_spacing_aside_and_keeps_its_punctuation(
    user: User, clock: Clock
) -> None:
    clock.set(NOW)
    data = linkedin(
        'Ann,Lee,,ann@contoso.example,"Contoso, Inc.",Engineering Manager,',
        'Bob,Roe,,bob@contoso.example,"  contoso,   INC. ",Engineer,',
    )

    body = upload(user, data).json()

    assert body["new_organizations"] == ["Contoso, Inc."]
    (org,) = user.get("/v1/organizations").json()["data"]
    assert (org["name"], org["status"]) == ("Contoso, Inc.", "watching")
    again = upload(user, linkedin('Cy,Doe,,,"CONTOSO,  inc.",,')).json()
    assert again["created"] == {"organizations": 0, "contacts": 1}
    assert again["added"][0]["organization_id"] == org["id"]
    nurtured = user.patch(f"/v1/organizations/{org['id']}", json={"rejected_on": "2026-04-17"})
    assert nurtured.json()["status"] == "nurturing"
    (action,) = user.get("/v1/next-actions").json()["data"]
    script = action["script"]
    assert "Contoso, Inc." in script["text"] + (script["subject"] or "")
    assert "Inc.." not in str(action)


def test_refusals_speak_plainly(user: User) -> None:
    data = linkedin("Ann,Lee,,,,,", ",,,,Acme,,", "Bob,Roe,,bob@,Acme,,")
    body = upload(user, data).json()
    assert [(e["line"], e["field"], e["message"].split(":")[0]) for e in body["errors"]] == [
        (5, "Company", "this row has no company"),
        (6, "First Name", "this row has no name (First Name and Last Name are empty)"),
        (7, "Email Address", "this row's email address is not valid"),
    ]


def test_a_dry_run_lists_who_would_be_added_where_and_changes_nothing(user: User) -> None:
    acme = user.create("/v1/organizations", {"name": "Acme"})
    cy = user.create(
        "/v1/contacts", {"organization_id": acme["id"], "name": "Cy Doe", "role": "hr"}
    )
    data = linkedin(
        "Ann,Lee,,ann@acme.example,acme,,", "Bob,Roe,,,Globex,Recruiter,", "Cy,Doe,,,Acme,,"
    )

    response = upload(user, data, "?dry_run=true")

    assert response.json() == {
        "dry_run": True,
        "created": {"organizations": 1, "contacts": 2},
        "new_organizations": ["Globex"],
        "added": [
            {
                "line": 5,
                "name": "Ann Lee",
                "organization": "Acme",
                "organization_id": acme["id"],
                "new_organization": False,
            },
            {
                "line": 6,
                "name": "Bob Roe",
                "organization": "Globex",
                "organization_id": None,
                "new_organization": True,
            },
        ],
        "skipped": [
            {
                "line": 7,
                "name": "Cy Doe",
                "reason": "Cy Doe at Acme is already in your account (the same name at the "
                "same company)",
                "contact_id": cy["id"],
            }
        ],
        "errors": [],
    }
    assert [c["name"] for c in contacts(user)] == ["Cy Doe"]
    assert [o["name"] for o in user.get("/v1/organizations").json()["data"]] == ["Acme"]


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
    # Company 7 was there: it alone is planned; the 249 added are watching (R17).
    assert len(user.get("/v1/next-actions?limit=200").json()["data"]) == 1


class WriteMeanwhile:
    """At the import's first read of contacts, takes SQLite's write lock from another
    connection without waiting, and notes whether it could."""

    def __init__(self, path: str) -> None:
        self.path, self.outcomes = path, list[str]()

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM contacts" not in statement or self.outcomes:
            return
        other = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.outcomes.append("wrote")
        except sqlite3.OperationalError as exc:
            self.outcomes.append(str(exc))
        finally:
            other.close()


def test_a_dry_run_holds_no_write_lock(user: User, app: FastAPI) -> None:
    engine = app.state.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's readers never block its writers")
    rows = [f"First{i},Last{i},,p{i}@example.com,Company {i % 50},," for i in range(2000)]
    meanwhile = WriteMeanwhile(engine.url.database)
    event.listen(engine, "before_cursor_execute", meanwhile)
    try:
        response = upload(user, linkedin(*rows), "?dry_run=true")
    finally:
        event.remove(engine, "before_cursor_execute", meanwhile)

    assert response.status_code == 200, response.text
    assert response.json()["created"] == {"organizations": 50, "contacts": 2000}
    assert meanwhile.outcomes == ["wrote"], "the scheduler could write during the dry run"


class CheckedRows:
    """Notes each time the route checks a file's rows."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        check = transfer.linkedin.check_rows

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return check(*args, **kwargs)

        monkeypatch.setattr(transfer.linkedin, "check_rows", counted)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"\x00junk, not a file \xff", CSV),
        (b'{"First Name": "Ann"}', {"Content-Type": "application/json"}),
    ],
)
@pytest.mark.parametrize("key", [None, "kw_mistyped"])
def test_without_a_valid_key_junk_answers_401(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    body: bytes,
    headers: dict[str, str],
    key: str | None,
) -> None:
    checked = CheckedRows(monkeypatch)
    sent = {**headers, **({"Authorization": f"Bearer {key}"} if key else {})}
    response = client.post("/v1/contacts/import", content=body, headers=sent)
    assert_problem(response, 401)
    assert checked.calls == 0


def test_without_a_key_a_big_file_answers_401_unread(
    client: TestClient, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = CheckedRows(monkeypatch)
    data = linkedin(
        *(f"First{i},Last{i},,p{i}@example.com,Company {i % 500},," for i in range(40_000))
    )

    response = client.post("/v1/contacts/import?dry_run=true", content=data, headers=CSV)

    assert_problem(response, 401)
    assert checked.calls == 0, "the file was checked before the caller was known"
    small = upload(user, linkedin("Ann,Lee,,ann@acme.example,Acme,,"), "?dry_run=true")
    assert small.status_code == 200, small.text
    assert checked.calls == 1


def test_a_company_named_by_two_organizations_goes_to_the_one_spelled_alike(
    user: User,
) -> None:
    user.create("/v1/organizations", {"name": "ACME"})
    acme = user.create("/v1/organizations", {"name": "Acme"})
    busy = user.create("/v1/organizations", {"name": "Globex"})
    user.create("/v1/organizations", {"name": "GLOBEX"})
    user.create("/v1/contacts", {"organization_id": busy["id"], "name": "Zed Moe", "role": "other"})

    body = upload(
        user,
        linkedin("Ann,Lee,,,Acme,,", "Bob,Roe,,,globex,,", "Cy,Doe,,,  Acme ,,"),
        "?dry_run=true",
    ).json()

    assert [(row["name"], row["organization_id"]) for row in body["added"]] == [
        ("Ann Lee", acme["id"]),  # spelled alike, though ACME is older
        ("Bob Roe", busy["id"]),  # neither spelled alike: the one with contacts
        ("Cy Doe", acme["id"]),  # spacing aside
    ]
    assert body["created"]["organizations"] == 0


def test_the_same_name_at_a_namesake_spelled_otherwise_is_skipped(user: User) -> None:
    shouting = user.create("/v1/organizations", {"name": "ACME"})
    user.create("/v1/organizations", {"name": "Acme"})
    ann = user.create(
        "/v1/contacts", {"organization_id": shouting["id"], "name": "Ann Lee", "role": "other"}
    )

    body = upload(user, linkedin("Ann,Lee,,,Acme,,", "Bob,Roe,,,Acme,,"), "?dry_run=true").json()

    assert [(row["line"], row["contact_id"]) for row in body["skipped"]] == [(5, ann["id"])]
    assert [row["name"] for row in body["added"]] == ["Bob Roe"]
