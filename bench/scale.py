"""The scheduler at scale: 100,000 organizations and 1,000,000 attempts, seeded in bulk."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, insert, select, update

from bench.seed import vacuum_analyze
from service.db.cadence import NextAction
from service.db.migrate import upgrade
from service.db.models import Account, Attempt, Contact, Organization
from service.db.outbox import WebhookEndpoint
from service.db.session import make_engine, make_session_factory
from service.domain.model import ActionState, Channel, ContactRole, Phase, ProfileFacts, Situation
from service.domain.scripts import ScriptRequest, build_script
from service.domain.tokens import new_secret
from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker
from service.scheduler.metrics import SchedulerMetrics
from service.services.planning import action_body
from service.services.planning.plans import PLAN_VERSION

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
CHUNK = 10_000
# A script as the planner writes it (the hook renders it into each action's body).
SCRIPT = build_script(
    ScriptRequest(
        situation=Situation.WARM,
        channel=Channel.CALL,
        organization_name="Acme",
        contact_name="Ann Lee",
        role_applied="Staff Engineer",
        profile=ProfileFacts(name="Sam Park"),
    )
).as_dict()


@dataclass
class ScaleFigures:
    organizations: int
    attempts: int
    seed_seconds: float
    idle_tick_ms: float
    due_tick_ms: float
    due_count: int
    events_written: int


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def seed(url: str, *, organizations: int, attempts_per_org: int) -> tuple[uuid.UUID, float]:
    """Insert accounts, organizations, contacts, attempts and scheduled actions in bulk."""
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    rng = random.Random(1)
    account_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            insert(Account),
            [
                {
                    "id": account_id,
                    "email": "scale@example.com",
                    "password_hash": "x",
                    "created_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(WebhookEndpoint),
            [
                {
                    "id": uuid.uuid4(),
                    "account_id": account_id,
                    "url": "https://hooks.example.com/kw",
                    "events": ["followup.due"],
                    "description": None,
                    "enabled": True,
                    "disabled_reason": None,
                    "secret": new_secret(),
                    "failing_since": None,
                    "version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ],
        )
    for start in range(0, organizations, CHUNK):
        orgs, contacts, attempts, actions = [], [], [], []
        for n in range(start, min(start + CHUNK, organizations)):
            org_id, contact_id = uuid.uuid4(), uuid.uuid4()
            orgs.append(
                {
                    "id": org_id,
                    "account_id": account_id,
                    "name": f"Org {n}",
                    "website": None,
                    "role_applied": None,
                    "rejected_on": date(2026, 1, 1),
                    "status": "nurturing",
                    "notes": None,
                    "version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            contacts.append(
                {
                    "id": contact_id,
                    "account_id": account_id,
                    "organization_id": org_id,
                    "name": f"Person {n}",
                    "role": ContactRole.HIRING_MANAGER,
                    "title": None,
                    "email": f"p{n}@example.com",
                    "phone": None,
                    "profile_url": None,
                    "timezone": None,
                    "status": "active",
                    "notes": None,
                    "version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            for k in range(attempts_per_org):
                attempts.append(
                    {
                        "id": uuid.uuid4(),
                        "account_id": account_id,
                        "organization_id": org_id,
                        "contact_id": contact_id,
                        "channel": Channel.EMAIL,
                        "direction": "outbound",
                        "occurred_at": NOW - timedelta(days=400 - 30 * k),
                        "outcome": "sent",
                        "referred_to_contact_id": None,
                        "next_action_id": None,
                        "news_id": None,
                        "script_variant": None,
                        "follow_up_on": None,
                        "notes": None,
                        "version": 1,
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                )
            due = NOW + timedelta(days=rng.randint(2, 60), hours=rng.randint(0, 23))
            action = {
                "id": uuid.uuid4(),
                "account_id": account_id,
                "organization_id": org_id,
                "contact_id": contact_id,
                "state": ActionState.SCHEDULED,
                "due_at": due,
                "window_start": due.date(),
                "window_end": due.date(),
                "phase": Phase.MAINTENANCE,
                "channel": Channel.CALL,
                "reason": "Two months since your email.",
                "hints": [],
                "script": SCRIPT,
                "news_id": None,
                "sequence": 0,
                "snoozed_until": None,
                "plan_version": PLAN_VERSION,  # planned by this release: nothing is stale
                "version": 1,
                "created_at": NOW,
                "updated_at": NOW,
            }
            body = action_body.render(
                SimpleNamespace(**action),  # type: ignore[arg-type]
                SimpleNamespace(**contacts[-1]),
            )
            actions.append(action | {"body": body})
        with engine.begin() as conn:
            conn.execute(insert(Organization), orgs)
            conn.execute(insert(Contact), contacts)
            for chunk in _chunks(attempts):
                conn.execute(insert(Attempt), chunk)
            conn.execute(insert(NextAction), actions)
    vacuum_analyze(engine)
    engine.dispose()
    return account_id, time.perf_counter() - started


def make_due(url: str, count: int) -> None:
    """Pull `count` actions' due time into the past."""
    engine = make_engine(url)
    with engine.begin() as conn:
        ids = list(conn.scalars(select(NextAction.id).order_by(NextAction.due_at).limit(count)))
        conn.execute(
            update(NextAction)
            .where(NextAction.id.in_(ids))
            .values(due_at=NOW - timedelta(minutes=5))
        )
    engine.dispose()


def timed_tick(engine: Engine) -> tuple[float, int]:
    """One tick at NOW (deliveries are left pending: no network in this measure).

    The engine is the caller's, as a worker keeps its own from tick to tick: its pooled
    connections are already open (opening one to PostgreSQL costs more than a whole tick).
    """

    async def go() -> tuple[float, int]:
        async with make_client() as client:
            ticker = Ticker(
                make_session_factory(engine),
                client,
                allow_private=False,
                clock=lambda: NOW,
                metrics=SchedulerMetrics(CollectorRegistry()),  # as in production
            )
            ticker.deliver_batch = _no_delivery  # type: ignore[method-assign]
            started = time.perf_counter()
            report = await ticker.tick()
            return (time.perf_counter() - started) * 1000, report.due

    return asyncio.run(go())


async def _no_delivery() -> tuple[int, int, bool]:
    return 0, 0, False


def count_events(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.exec_driver_sql("SELECT count(*) FROM events").scalar_one()
    engine.dispose()
    return int(value)


def run(url: str, *, organizations: int, attempts_per_org: int) -> ScaleFigures:
    _, seconds = seed(url, organizations=organizations, attempts_per_org=attempts_per_org)
    engine = make_engine(url)
    try:
        timed_tick(engine)  # warm the caches and the pool once
        idle = min(timed_tick(engine)[0] for _ in range(5))
        make_due(url, 1000)
        due_ms, due = timed_tick(engine)
    finally:
        engine.dispose()
    return ScaleFigures(
        organizations,
        organizations * attempts_per_org,
        seconds,
        idle,
        due_ms,
        due,
        count_events(url),
    )
