"""A shortened soak on PostgreSQL: writers post attempts while the scheduler ticks behind a
delivery backlog. No write is lost, no follow-up gets two events, every organization keeps
one open action, and follow-ups are marked due on time."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bench.servers import uvicorn_server
from service.db.cadence import NextAction
from service.db.migrate import upgrade
from service.db.models import Attempt
from service.db.outbox import Delivery, DeliveryState, Event
from service.db.session import make_engine, make_session_factory, session_scope
from service.domain.model import OPEN_STATES
from service.services.outbox import events
from tests.conftest import PASSWORD, make_database
from tests.receiver import Receiver, Reply

pytestmark = pytest.mark.slow

TICK = 2.0
WRITERS = 6
SECONDS = 15.0
WATCHED = 10  # organizations whose follow-ups come due during the soak, one a second
BUSY = 4  # organizations the writers post attempts to
FLOOD = 2000  # deliveries pending before the writers start


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    created: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)

    def record(self, response: httpx.Response) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code == 201:
                self.created.add(response.json()["id"])


def organization(client: httpx.Client, n: int) -> tuple[str, str]:
    """An organization that said No today, and its hiring manager: (org id, contact id)."""
    org = client.post(
        "/v1/organizations", json={"name": f"Soak {n}", "rejected_on": date.today().isoformat()}
    )
    assert org.status_code == 201, org.text
    contact = client.post(
        "/v1/contacts",
        json={
            "organization_id": org.json()["id"],
            "name": f"Manager {n}",
            "role": "hiring_manager",
            "email": f"manager{n}@soak.example",
        },
    )
    assert contact.status_code == 201, contact.text
    return org.json()["id"], contact.json()["id"]


def snooze(client: httpx.Client, org_id: str, until: datetime) -> str:
    (action,) = client.get("/v1/next-actions", params={"organization_id": org_id}).json()["data"]
    snoozed = client.post(
        f"/v1/next-actions/{action['id']}/snooze", json={"until": until.isoformat()}
    )
    assert snoozed.status_code == 200, snoozed.text
    return str(action["id"])


def writer(
    base: str, headers: dict[str, str], contacts: list[str], seed: int, tally: Tally
) -> None:
    rng = random.Random(seed)
    stop = time.monotonic() + SECONDS
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        while time.monotonic() < stop:
            body = {
                "contact_id": rng.choice(contacts),
                "channel": "email",
                "outcome": "sent",
                "occurred_at": datetime.now(UTC).isoformat(),
            }
            tally.record(client.post("/v1/attempts", json=body))


def test_writers_and_a_backlog_lose_nothing_and_follow_ups_come_due_on_time(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("postgresql", request, tmp_path, "kw_soak")
    upgrade(url)
    env = {
        "KEEPWARM_DATABASE_URL": url,
        "KEEPWARM_TICK_SECONDS": str(TICK),
        "KEEPWARM_WEBHOOK_ALLOW_PRIVATE": "true",
        "KEEPWARM_LOG_LEVEL": "WARNING",
    }
    engine = make_engine(url)
    sessions = make_session_factory(engine=engine)
    tally = Tally()
    with (
        Receiver(Reply(delay=0.02)) as receiver,
        uvicorn_server("service.main:create_app", env, tmp_path / "server.log") as (base, _),
    ):
        signed = httpx.post(
            f"{base}/v1/accounts", json={"email": "soak@example.com", "password": PASSWORD}
        )
        assert signed.status_code == 201, signed.text
        headers = {"Authorization": f"Bearer {signed.json()['api_key']}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            hook = client.post("/v1/webhooks", json={"url": receiver.url_for("/hooks")})
            assert hook.status_code == 201, hook.text
            busy = [organization(client, n) for n in range(BUSY)]
            watched = [organization(client, BUSY + n)[0] for n in range(WATCHED)]
            start = datetime.now(UTC) + timedelta(seconds=4)
            actions = [
                snooze(client, org_id, start + timedelta(seconds=n))
                for n, org_id in enumerate(watched)
            ]
        with session_scope(sessions) as session:
            account_id = session.scalar(
                select(NextAction.account_id).where(NextAction.id == uuid.UUID(actions[0]))
            )
            assert account_id is not None
            flood = [
                events.Pending(account_id, "attempt.logged", {"n": n}, f"soak:{n}")
                for n in range(FLOOD)
            ]
            events.emit_many(session, flood, now=datetime.now(UTC))
        contacts = [contact for _, contact in busy]
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            for future in [
                pool.submit(writer, base, headers, contacts, seed, tally) for seed in range(WRITERS)
            ]:
                future.result()
        # The last follow-up may come due near the writers' end: give it its two ticks.
        last_due = start + timedelta(seconds=WATCHED - 1) + timedelta(seconds=2 * TICK + 0.5)
        time.sleep(max((last_due - datetime.now(UTC)).total_seconds(), 0))
        with session_scope(sessions) as session:
            pending = session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.state == DeliveryState.PENDING)
            )

    with session_scope(sessions) as session:
        stored = {str(i) for i in session.scalars(select(Attempt.id))}
        due_keys = Counter(
            session.scalars(select(Event.dedupe_key).where(Event.type == "followup.due"))
        )
        open_per_org = Counter(
            session.scalars(
                select(NextAction.organization_id).where(NextAction.state.in_(OPEN_STATES))
            )
        )
        watched_actions = {
            str(a.id): a
            for a in session.scalars(
                select(NextAction).where(NextAction.id.in_([uuid.UUID(a) for a in actions]))
            )
        }
        due_events = {
            key: created
            for key, created in session.execute(
                select(Event.dedupe_key, Event.created_at).where(Event.type == "followup.due")
            )
        }
    engine.dispose()

    late = []
    for action_id, action in watched_actions.items():
        created = due_events.get(f"followup.due:{action_id}:{action.sequence}")
        late.append((created - action.due_at).total_seconds() if created else float("inf"))
    print(
        f"attempts: {len(tally.created)} created, statuses {dict(tally.statuses)}; "
        f"pending deliveries at the end: {pending}; "
        f"marked due late by (s): {sorted(round(x, 2) for x in late)}"
    )
    assert set(tally.statuses) == {201}, tally.statuses
    assert tally.created and tally.created <= stored
    assert all(n == 1 for n in due_keys.values()), due_keys
    assert len(open_per_org) == BUSY + WATCHED and set(open_per_org.values()) == {1}, open_per_org
    assert max(late) <= 2 * TICK, late
    assert pending, "the backlog drained before the end: no starvation was tested"
