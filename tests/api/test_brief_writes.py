"""Brief writes on SQLite run in the event loop when the write lock is free, else in a thread."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from service.services import attempts
from tests.conftest import User, acme_and_ann, eventually, in_database_file

HELD = 1.0  # seconds another connection holds SQLite's write lock


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def where_logged(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each logged attempt: whether it ran in the event loop's thread."""
    seen: list[bool] = []
    log_attempt = attempts.log_attempt

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(_in_event_loop())
        return log_attempt(*args, **kwargs)

    monkeypatch.setattr(attempts, "log_attempt", spy)
    return seen


@pytest.fixture
def ann(user: User) -> dict[str, Any]:
    return acme_and_ann(user)[1]


def _log(user: User, contact: dict[str, Any]) -> Any:
    body = {"contact_id": contact["id"], "channel": "email", "outcome": "sent"}
    return user.post("/v1/attempts", json=body)


def _sqlite_only(app: FastAPI) -> str:
    if app.state.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    path = make_url(str(app.state.engine.url)).database
    assert path
    return path


@contextmanager
def write_lock_held(path: str, seconds: float) -> Iterator[threading.Thread]:
    """Another connection takes SQLite's write lock now and lets it go after `seconds`."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(seconds, other.execute, ("ROLLBACK",))
    release.start()
    try:
        yield release
    finally:
        release.join()
        other.close()


def test_a_logged_attempt_runs_in_the_event_loop_when_the_lock_is_free(
    app: FastAPI, user: User, ann: dict[str, Any], where_logged: list[bool]
) -> None:
    responses = [_log(user, ann) for _ in range(3)]

    assert [r.status_code for r in responses] == [201, 201, 201]
    on_sqlite = app.state.engine.dialect.name == "sqlite"
    # PostgreSQL's statements may wait on a row another transaction holds: always a thread.
    assert where_logged == [on_sqlite] * 3
    listed = user.get("/v1/attempts", params={"contact_id": ann["id"]}).json()["data"]
    assert {a["id"] for a in listed} == {r.json()["id"] for r in responses}


def test_a_held_lock_sends_the_write_to_a_thread_and_the_loop_keeps_answering(
    app: FastAPI, user: User, ann: dict[str, Any], where_logged: list[bool]
) -> None:
    path = _sqlite_only(app)
    answered: list[Any] = []
    with write_lock_held(path, HELD):
        started = time.monotonic()
        writer = threading.Thread(target=lambda: answered.append(_log(user, ann)))
        writer.start()
        time.sleep(0.1)  # the POST is waiting for the lock by now
        health = user.client.get("/healthz")
        contact = user.get(f"/v1/contacts/{ann['id']}")
        read_in = time.monotonic() - started
        writer.join()
        written_in = time.monotonic() - started

    assert health.status_code == 200 and contact.status_code == 200
    assert read_in < HELD, "the event loop was blocked while the write waited"
    assert [r.status_code for r in answered] == [201]
    assert written_in >= HELD, "the write did not wait for the lock"
    assert where_logged == [False]
    stored = user.get(f"/v1/attempts/{answered[0].json()['id']}")
    assert stored.status_code == 200 and stored.json()["contact_id"] == ann["id"]
    # With the lock free again, the next one is back in the event loop.
    assert _log(user, ann).status_code == 201
    assert where_logged == [False, True]


def test_a_logged_attempt_reaches_the_database_file_without_a_commit_copying_it(
    app: FastAPI, user: User, ann: dict[str, Any]
) -> None:
    # The app's connections leave the log to the checkpointing thread (service.db.checkpoint)
    # until it holds thousands of pages; one attempt is a few dozen.
    path = _sqlite_only(app)
    attempt = _log(user, ann).json()
    query, stored_id = "SELECT id FROM attempts WHERE id = ?", attempt["id"].replace("-", "")

    eventually(lambda: in_database_file(path, query, (stored_id,)) == [(stored_id,)])
