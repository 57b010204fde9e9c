"""The event loop's reader returns exactly what SQLAlchemy would: same values, same types."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import literal_column, select, text

from service.db.cadence import NextAction
from service.db.models import Contact
from service.services import reads
from service.services.accounts import hash_key
from tests.conftest import ANN, Clock, User, acme_and_ann


def both(app: FastAPI, statement: Any, params: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    # The reader's connections belong to the app's event loop (the test client's portal).
    portal = app.state.test_portal
    mine = portal.call(app.state.reader.rows, statement, params)
    with app.state.engine.connect() as connection:
        theirs = connection.execute(statement, params).all()
    return [tuple(row) for row in mine], [tuple(row) for row in theirs]


def test_rows_match_sqlalchemy_value_for_value(app: FastAPI, user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 3, 2, 18, tzinfo=UTC))
    acme, ann = acme_and_ann(user, phone=None, timezone="Europe/London")
    key = hash_key(user.key)

    mine, theirs = both(app, reads._OWNED[Contact], {"key_hash": key, "id": uuid.UUID(ann["id"])})

    assert mine == theirs and len(mine) == 1
    assert [type(v) for v in mine[0]] == [type(v) for v in theirs[0]]
    assert mine[0][-2] is not None  # the key's id, and the contact's aware timestamps
    assert all(v.tzinfo is not None for v in mine[0] if isinstance(v, datetime))

    # An IN list (expanded per call), a limit and every column of a next action (JSON too).
    account_id = uuid.UUID(user.get("/v1/me").json()["id"])
    page = reads._action_page(frozenset({"organization_id"}), False, rendered=False)
    params = {
        "account_id": account_id,
        "states": ["scheduled", "due"],
        "limit": 5,
        "organization_id": uuid.UUID(acme["id"]),
    }
    mine, theirs = both(app, page, params)

    assert mine == theirs and len(mine) == 1
    assert [type(v) for v in mine[0]] == [type(v) for v in theirs[0]]
    assert isinstance(mine[0][list(NextAction.__table__.c.keys()).index("script")], dict)

    # Stored bodies only: nothing to convert, rows as the driver gave them.
    bodies = reads._action_page(frozenset({"organization_id"}), False, rendered=True)
    mine, theirs = both(app, bodies, params)

    assert mine == theirs and len(mine) == 1
    assert isinstance(mine[0][0], str) and mine[0][0].startswith("{")


def test_in_lists_of_every_length_select_what_sqlalchemy_selects(
    app: FastAPI, user: User, clock: Clock
) -> None:
    # The expanded SQL is kept per list length: lengths 1, 2, 3, 0 and then 1 again (other
    # values) must each select exactly what SQLAlchemy does.
    clock.set(datetime(2026, 3, 2, 18, tzinfo=UTC))
    acme_and_ann(user)
    account_id = uuid.UUID(user.get("/v1/me").json()["id"])
    page = reads._action_page(frozenset(), False, rendered=False)
    for states in (["scheduled"], ["scheduled", "due"], ["due", "done", "scheduled"], [], ["due"]):
        params = {"account_id": account_id, "states": states, "limit": 5}
        mine, theirs = both(app, page, params)
        assert mine == theirs
        assert len(mine) == (1 if "scheduled" in states else 0)


def test_a_connection_goes_back_to_the_pool_without_a_round_trip(
    app: FastAPI, database_url: str
) -> None:
    # asyncpg's default reset sends four statements on every release; reads change no
    # session state, so the last statement the reader's connection ran is the read itself.
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's reader has no pool")
    marker = select(literal_column("'the-reader-read-this'").label("marker"))

    [row] = app.state.test_portal.call(app.state.reader.rows, marker, {})

    assert row.marker == "the-reader-read-this"
    activity = text(
        "SELECT state, query FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND query LIKE '%the-reader-read-this%'"
    )
    with app.state.engine.connect() as connection:
        [(state, query)] = connection.execute(activity).all()
    assert state == "idle" and query.startswith("SELECT")


def test_the_key_and_its_page_in_one_row_match_sqlalchemy(
    app: FastAPI, user: User, clock: Clock, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite reads the key and the page in two statements (no round trips)")
    clock.set(datetime(2026, 3, 2, 18, tzinfo=UTC))
    acme_and_ann(user)
    initech = user.create("/v1/organizations", {"name": "Initech", "rejected_on": "2026-02-20"})
    user.create("/v1/contacts", {"organization_id": initech["id"], **ANN, "name": "Ines"})
    params = {"key_hash": hash_key(user.key), "states": ["scheduled", "due"], "limit": 5}

    mine, theirs = both(app, reads._keyed_action_page(frozenset(), False), params)

    assert mine == theirs and len(mine) == 1
    assert [type(v) for v in mine[0]] == [type(v) for v in theirs[0]]
    bodies = mine[0][-1]
    assert len(bodies) == 2 and all(body.startswith("{") for body in bodies)
    listed = user.get("/v1/next-actions").json()["data"]
    assert [json.loads(body)["id"] for body in bodies] == [action["id"] for action in listed]
