"""Seed databases for the benchmarks: through the services (small) or in bulk (at scale)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from service.db.migrate import upgrade
from service.db.session import make_engine, make_session_factory, session_scope
from service.services.accounts import access
from service.services.outbox import webhooks
from service.services.records import contacts, organizations


def vacuum_analyze(engine: Engine) -> None:
    """Vacuum and gather PostgreSQL's table statistics, as autovacuum does on a live database.

    A database seeded seconds ago has no statistics yet, and the planner guesses: the
    next-actions page was read through a bitmap scan of every action of the account and a
    sort (2 ms of server time), instead of the first 51 entries of its index (0.1 ms). And
    autovacuum, left to it, would vacuum a million fresh rows during the measurements.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


@dataclass
class Seeded:
    api_key: str
    contact_ids: list[str]


def seed_account(url: str, *, organizations_count: int) -> Seeded:
    """One account with N organizations, each with a hiring manager (so N next actions).

    A webhook endpoint subscribed to every event makes writes pay for the outbox (events and
    deliveries are written; the benchmark's server runs no scheduler, so none is sent).
    """
    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    ids: list[str] = []
    try:
        with session_scope(make_session_factory(engine)) as session:
            account, issued = access.sign_up(
                session,
                email=f"bench-{uuid.uuid4().hex[:8]}@example.com",
                password="benchmark password",
                now=now,
            )
            webhooks.create_endpoint(
                session, account.id, {"url": "https://calendar.example.com/hook"}, now=now
            )
            for n in range(organizations_count):
                org = organizations.create_organization(
                    session,
                    account.id,
                    {"name": f"Org {n}", "rejected_on": date.today() - timedelta(days=n % 30)},
                    now=now,
                )
                contact = contacts.create_contact(
                    session,
                    account.id,
                    {
                        "organization_id": org.id,
                        "name": f"Person {n}",
                        "role": "hiring_manager",
                        "email": f"p{n}@example.com",
                        "phone": "+1 312 555 0100",
                    },
                    now=now,
                )
                ids.append(str(contact.id))
        vacuum_analyze(engine)
        return Seeded(issued.secret, ids)
    finally:
        engine.dispose()
