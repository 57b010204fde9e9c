"""Logging an attempt stays a short write: few statements, indexed lookups, one transaction."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.migrate import upgrade
from service.db.models import Attempt, Contact
from service.db.outbox import Delivery, Event
from service.db.session import make_engine, make_session_factory, session_scope
from service.domain.model import Channel, Direction, Outcome
from service.services.accounts import access
from service.services.outbox import webhooks
from service.services.records import attempts, contacts, organizations
from tests.conftest import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'perf.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(engine: Engine) -> dict[str, Any]:
    with session_scope(make_session_factory(engine)) as session:
        account, _ = access.sign_up(session, email="p@example.com", password=PASSWORD, now=NOW)
        webhooks.create_endpoint(session, account.id, {"url": "https://hooks.example"}, now=NOW)
        contact_ids = []
        for n in range(3):
            org = organizations.create_organization(
                session, account.id, {"name": f"Org {n}", "rejected_on": date(2026, 2, 1)}, now=NOW
            )
            fields = {"organization_id": org.id, "name": f"Ann {n}", "role": "hiring_manager"}
            contact = contacts.create_contact(
                session, account.id, fields | {"email": f"a{n}@example.com"}, now=NOW
            )
            contact_ids.append(contact.id)
    return {"account_id": account.id, "contact_ids": contact_ids}


def driver_of(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under the session's transaction."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def statements_of(session: Session, run: Any) -> list[str]:
    """Every statement the run sends to SQLite, as SQLite saw it (values inlined).

    Traced by the driver: the hot path runs some statements on it directly, past
    SQLAlchemy's events.
    """
    seen: list[str] = []
    driver = driver_of(session)
    driver.set_trace_callback(seen.append)
    try:
        run()
    finally:
        driver.set_trace_callback(None)
    return seen


def log(session: Session, seeded: dict[str, Any], n: int = 0) -> None:
    body = {"contact_id": seeded["contact_ids"][n], "channel": "email", "outcome": "sent"}
    attempts.log_attempt(session, seeded["account_id"], body, now=NOW)


def test_an_attempt_is_written_in_a_bounded_number_of_statements(
    engine: Engine, seeded: dict[str, Any]
) -> None:
    with Session(engine) as session:
        seen = [
            " ".join(s.split()[:3]) for s in statements_of(session, lambda: log(session, seeded))
        ]
        session.rollback()
    writes = [s for s in seen if not s.startswith(("SELECT", "BEGIN", "SAVEPOINT", "RELEASE"))]
    # The attempt, the recomputed action, and the outbox (two events, their deliveries), a
    # row each.
    assert sorted(writes) == [
        "INSERT INTO attempts",
        "INSERT INTO deliveries",
        "INSERT INTO deliveries",
        "INSERT INTO events",
        "INSERT INTO events",
        "UPDATE next_actions SET",
    ]
    assert len(seen) - len(writes) <= 7


def add_history(engine: Engine, seeded: dict[str, Any], count: int) -> None:
    """`count` attempts with the first contact, in bulk: every channel and outcome but a stop."""
    outcomes = [o for o in (None, *Outcome) if o not in (Outcome.ASKED_TO_STOP, Outcome.REFERRED)]
    with Session(engine) as session, session.begin():
        contact = session.get_one(Contact, seeded["contact_ids"][0])
        session.execute(
            insert(Attempt),
            [
                {
                    "id": uuid.uuid4(),
                    "account_id": contact.account_id,
                    "organization_id": contact.organization_id,
                    "contact_id": contact.id,
                    "channel": list(Channel)[n % len(Channel)],
                    "direction": Direction.OUTBOUND if n % 3 else Direction.INBOUND,
                    "occurred_at": NOW - timedelta(days=count - n),
                    "outcome": outcomes[n % len(outcomes)],
                    "script_variant": f"v{n}" if n % 2 else None,
                    "version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for n in range(count)
            ],
        )


def test_a_long_history_is_read_along_indexes_in_as_many_statements(
    engine: Engine, seeded: dict[str, Any]
) -> None:
    with Session(engine) as session:
        fresh = statements_of(session, lambda: log(session, seeded))
        session.rollback()
    add_history(engine, seeded, 400)
    with Session(engine) as session:
        seen = statements_of(session, lambda: log(session, seeded))
        driver = driver_of(session)
        plans = [
            str(row[3])
            for statement in seen
            if statement.startswith("SELECT") and " attempts" in statement
            for row in driver.execute("EXPLAIN QUERY PLAN " + statement)
        ]
        session.rollback()
    # The history's reads (services/planning/history.py): one more, the attempts the recall keeps.
    assert len(seen) == len(fresh) + 1
    on_attempts = [line for line in plans if " attempts " in f"{line} "]
    assert len(on_attempts) >= 9 and all(
        line.startswith("SEARCH attempts USING") for line in on_attempts
    ), on_attempts
    # The partial indexes of migration 0015 serve the reads they were made for: their
    # conditions and the queries' are the same literals (db/models.py HISTORY_INDEXES).
    used = {word for line in on_attempts for word in line.split() if word.startswith("ix_")}
    partial = {"ix_attempts_contact_marks", "ix_attempts_scripted", "ix_attempts_outbound_touches"}
    assert partial <= used, used


def test_the_open_action_is_found_through_an_index_on_its_organization(
    engine: Engine, seeded: dict[str, Any]
) -> None:
    with Session(engine) as session:
        seen = statements_of(session, lambda: log(session, seeded))
        driver = driver_of(session)
        found = [
            str(row[3])
            for statement in seen
            if statement.startswith("SELECT") and "next_actions" in statement
            for row in driver.execute("EXPLAIN QUERY PLAN " + statement)
        ]
        session.rollback()
    # Through an index on the organization (the partial unique one, or the history index),
    # never a scan of every open action of every account.
    on_actions = [line for line in found if " next_actions " in f"{line} "]
    assert on_actions and all(
        line.startswith("SEARCH next_actions USING") and "(organization_id=?" in line
        for line in on_actions
    ), on_actions


def test_events_and_deliveries_share_the_attempt_s_transaction(
    engine: Engine, seeded: dict[str, Any]
) -> None:
    def outbox(session: Session) -> tuple[int, int]:
        events = session.scalar(select(func.count()).select_from(Event))
        deliveries = session.scalar(select(func.count()).select_from(Delivery))
        return events or 0, deliveries or 0

    with Session(engine) as session:
        before = outbox(session)
        log(session, seeded, 1)
        assert outbox(session) == (before[0] + 2, before[1] + 2)  # attempt.logged, followup.*
        session.rollback()
        assert outbox(session) == before


def test_the_action_update_sets_what_changed_and_the_row_reads_back_as_planned(
    engine: Engine, seeded: dict[str, Any]
) -> None:
    # SQLite rewrites the entries of every index on a column an UPDATE sets: columns that
    # did not change are left out, and the row must still hold the whole recomputed action.
    factory = make_session_factory(engine)
    with factory() as session:
        seen = statements_of(session, lambda: log(session, seeded, 2))
        written = next(s for s in seen if s.startswith("UPDATE next_actions"))
        action = session.scalars(select(NextAction)).all()
        planned = {
            a.id: {c: getattr(a, c) for c in NextAction.__table__.c.keys()}  # noqa: SIM118
            for a in action
        }
        session.commit()
    assigned = written.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    for unchanged in ("account_id", "organization_id", "state", "plan_version", "created_at"):
        assert f"{unchanged}=" not in assigned.replace(" ", ""), assigned
    # (updated_at too, but the seed was made at the same NOW: it is unchanged.)
    for changed in ("body", "version", "sequence", "script"):
        assert f"{changed}=" in assigned.replace(" ", ""), assigned
    with factory() as fresh:
        stored = {
            a.id: {c: getattr(a, c) for c in NextAction.__table__.c.keys()}  # noqa: SIM118
            for a in fresh.scalars(select(NextAction))
        }
    assert stored == planned
