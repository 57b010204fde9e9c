"""A snooze or a skip that waits while another session deletes the action's contact answers
404 once its turn comes, never 500 (PostgreSQL: two real sessions, one holding the lock)."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text

from service.db.models import Organization
from service.services.records import contacts
from tests.conftest import User, acme_and_ann, assert_problem

VERBS = {
    "snooze": lambda: {"until": (datetime.now(UTC) + timedelta(days=3)).isoformat()},
    "skip": lambda: None,
}


def waiting_for_a_lock(engine: Engine) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return int(found)


@pytest.mark.parametrize("verb", list(VERBS))
def test_snooze_or_skip_racing_the_contacts_deletion_answers_404(
    app: FastAPI, user: User, verb: str
) -> None:
    engine: Engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the two never overlap")
    acme, ann = acme_and_ann(user)
    (action,) = user.get("/v1/next-actions", params={"organization_id": acme["id"]}).json()["data"]
    deleting = app.state.session_factory()
    try:
        account_id = deleting.get_one(Organization, uuid.UUID(acme["id"])).account_id
        # Deleted but not committed: this session holds the organization's lock.
        contacts.delete_contact(
            deleting, account_id, uuid.UUID(ann["id"]), expected_version=None, now=datetime.now(UTC)
        )
        with ThreadPoolExecutor(1) as pool:
            url = f"/v1/next-actions/{action['id']}/{verb}"
            answer = pool.submit(lambda: user.post(url, json=VERBS[verb]()))
            deadline = time.monotonic() + 10
            while not waiting_for_a_lock(engine):
                assert time.monotonic() < deadline, "the request never waited for the lock"
                assert not answer.done(), answer.result().text
                time.sleep(0.02)
            deleting.commit()
            response: Any = answer.result(timeout=30)
    finally:
        deleting.close()
    assert_problem(response, 404)
    assert user.get(f"/v1/next-actions/{action['id']}").status_code == 404
