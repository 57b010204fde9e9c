"""The hottest reads (by id, the next-actions page): same answers, same rules as every other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI

from tests.conftest import Clock, User, acme_and_ann, assert_problem

Row = dict[str, Any]
NOW = datetime(2026, 3, 2, 18, tzinfo=UTC)


@pytest.fixture
def seeded(user: User, clock: Clock) -> dict[str, Row]:
    clock.set(NOW)
    _, ann = acme_and_ann(user)
    call = user.create(
        "/v1/attempts",
        {
            "contact_id": ann["id"],
            "channel": "call",
            "outcome": "left_voicemail",
            "occurred_at": "2026-03-02T15:00:00Z",
        },
    )
    action = user.get("/v1/next-actions").json()["data"][0]
    return {"contact": ann, "attempt": call, "action": action}


def urls(seeded: dict[str, Row]) -> list[str]:
    return [
        f"/v1/contacts/{seeded['contact']['id']}",
        f"/v1/attempts/{seeded['attempt']['id']}",
        f"/v1/next-actions/{seeded['action']['id']}",
        "/v1/next-actions",
    ]


BAD_HEADERS = [
    {},
    {"Authorization": "Bearer kw_not-a-real-key"},
    {"Authorization": "Basic YWRhOnBhc3N3b3Jk"},
    {"Authorization": "Bearer "},
]


def test_a_bad_key_is_401_whether_or_not_the_row_exists(
    user: User, seeded: dict[str, Row], subtests: pytest.Subtests
) -> None:
    missing = "/v1/contacts/00000000-0000-4000-8000-000000000000"
    for url in [*urls(seeded), missing]:
        for headers in BAD_HEADERS:
            with subtests.test(url=url, headers=headers):
                response = user.client.get(url, headers=headers)
                assert_problem(response, 401)
                assert response.headers["www-authenticate"].lower().startswith("bearer")


def test_a_revoked_key_is_refused_by_the_very_next_read(user: User, seeded: dict[str, Row]) -> None:
    issued = user.create("/v1/api-keys", {"name": "phone"})
    other = {"Authorization": f"Bearer {issued['api_key']}"}
    for url in urls(seeded):
        assert user.client.get(url, headers=other).status_code == 200, url

    assert user.delete(f"/v1/api-keys/{issued['id']}").status_code == 204

    for url in urls(seeded):
        assert_problem(user.client.get(url, headers=other), 401)
        assert user.get(url).status_code == 200


def test_another_accounts_rows_are_404(
    user: User, other_user: User, seeded: dict[str, Row]
) -> None:
    for url in urls(seeded)[:3]:
        assert_problem(other_user.get(url), 404)
    assert other_user.get("/v1/next-actions").json() == {"data": [], "next_cursor": None}


def test_reads_show_a_change_at_once_with_its_etag(user: User, seeded: dict[str, Row]) -> None:
    url = f"/v1/contacts/{seeded['contact']['id']}"
    before = user.get(url)
    changed = user.patch(
        url, json={"title": "VP Engineering"}, headers={"If-Match": before.headers["etag"]}
    )
    assert changed.status_code == 200

    after = user.get(url)

    assert after.json() == changed.json() and after.json()["title"] == "VP Engineering"
    assert after.headers["etag"] == changed.headers["etag"] != before.headers["etag"]


def test_the_stored_body_is_what_the_columns_say(
    app: FastAPI, user: User, seeded: dict[str, Row], clock: Clock
) -> None:
    # A skip changes state, sequence and updated_at: the stored body follows each write.
    action = seeded["action"]
    clock.set(NOW + timedelta(hours=1))
    skipped = user.post(f"/v1/next-actions/{action['id']}/skip")
    assert skipped.status_code == 200, skipped.text
    listed = user.get("/v1/next-actions", params={"state": ["skipped"]}).json()["data"]
    shown = user.get(f"/v1/next-actions/{action['id']}")

    assert listed == [skipped.json()] and shown.json() == skipped.json()
    assert shown.json()["state"] == "skipped"
    assert shown.json()["updated_at"] == "2026-03-02T19:00:00Z"
    assert shown.headers["etag"] == skipped.headers["etag"]


def test_a_read_records_when_the_key_was_last_used(user: User, clock: Clock) -> None:
    clock.set(NOW)
    contact_url = "/v1/next-actions"
    assert user.get(contact_url).status_code == 200
    clock.set(NOW + timedelta(minutes=5))

    assert user.get(contact_url).status_code == 200

    keys = user.get("/v1/api-keys").json()["data"]
    assert keys[0]["last_used_at"] == "2026-03-02T18:05:00Z"


def test_a_dropped_database_connection_is_retried(
    app: FastAPI, user: User, seeded: dict[str, Row], database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to drop connections")
    url = f"/v1/contacts/{seeded['contact']['id']}"
    first = user.get(url)
    # The server ends every other session (as a restart or a failover would).
    conninfo = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )

    again = user.get(url)

    assert again.status_code == 200 and again.json() == first.json()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/v1/contacts/not-a-uuid", "contact_id"),
        ("/v1/attempts/123e4567-e89b-12d3-a456-42661417400", "attempt_id"),
        ("/v1/next-actions/%20", "action_id"),
    ],
)
def test_an_id_that_is_no_uuid_is_a_422_naming_it(user: User, url: str, field: str) -> None:
    response = user.get(url)
    assert_problem(response, 422, field=field)
    [error] = response.json()["errors"]
    assert error["location"] == "path" and error["type"] == "uuid_parsing"
    assert error["message"].startswith("Input should be a valid UUID")
