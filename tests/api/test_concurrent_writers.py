"""Many clients writing to the same organizations at once, on PostgreSQL: every answer is a
normal one (a 2xx, or a 404/409/412 that says another client got there first), never a 5xx
such as the 503 a database deadlock would give.

Runs against a real uvicorn server, as a client sees it: each thread has its own connection.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from bench.servers import uvicorn_server
from service.db.migrate import upgrade
from tests.conftest import PASSWORD, make_database

ORGANIZATIONS = 2
THREADS = 32
SECONDS = 8.0
# The answers a client may get when another client changed the same thing first.
RACE_LOST = frozenset({404, 409, 412})
MIN_ATTEMPTS_LOGGED = 50


@dataclass
class Org:
    id: str
    contacts: list[str]


@dataclass
class Tally:
    """What every thread saw: (operation, status) counts, 5xx samples, attempts created."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    attempts_created: set[str] = field(default_factory=set)

    def record(self, op: str, response: httpx.Response) -> None:
        with self.lock:
            self.statuses[(op, response.status_code)] += 1
            if response.status_code >= 500 and len(self.server_errors) < 10:
                self.server_errors.append(f"{op} {response.status_code}: {response.text[:300]}")
            if op == "log attempt" and response.status_code == 201:
                self.attempts_created.add(response.json()["id"])


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _log_attempt(client: httpx.Client, org: Org, rng: random.Random, tally: Tally) -> None:
    channel, outcome = rng.choice([("email", "sent"), ("call", "no_answer")])
    body = {
        "contact_id": rng.choice(org.contacts),
        "channel": channel,
        "outcome": outcome,
        "occurred_at": _now(),
    }
    tally.record("log attempt", client.post("/v1/attempts", json=body))


def _patch_fresh(
    client: httpx.Client, op: str, url: str, body: dict[str, Any], tally: Tally
) -> None:
    current = client.get(url)
    tally.record(f"{op} (get)", current)
    if current.status_code != 200:
        return
    changed = client.patch(url, json=body, headers={"If-Match": current.headers["etag"]})
    tally.record(op, changed)


def _edit_contact(client: httpx.Client, org: Org, rng: random.Random, tally: Tally) -> None:
    title = f"Engineering Manager {rng.randrange(1000)}"
    url = f"/v1/contacts/{rng.choice(org.contacts)}"
    _patch_fresh(client, "edit contact", url, {"title": title}, tally)


def _edit_organization(client: httpx.Client, org: Org, rng: random.Random, tally: Tally) -> None:
    body = rng.choice(
        [{"notes": f"Met at meetup {rng.randrange(1000)}"}, {"role_applied": "Backend engineer"}]
    )
    _patch_fresh(client, "edit organization", f"/v1/organizations/{org.id}", body, tally)


def _open_action(client: httpx.Client, org: Org, tally: Tally) -> str | None:
    found = client.get("/v1/next-actions", params={"organization_id": org.id})
    tally.record("find next action", found)
    if found.status_code != 200 or not found.json()["data"]:
        return None
    action_id: str = found.json()["data"][0]["id"]
    return action_id


def _snooze(client: httpx.Client, org: Org, rng: random.Random, tally: Tally) -> None:
    action_id = _open_action(client, org, tally)
    if action_id is not None:
        until = datetime.now(UTC) + timedelta(days=rng.randint(1, 30))
        snoozed = client.post(
            f"/v1/next-actions/{action_id}/snooze", json={"until": until.isoformat()}
        )
        tally.record("snooze", snoozed)


def _skip(client: httpx.Client, org: Org, rng: random.Random, tally: Tally) -> None:
    action_id = _open_action(client, org, tally)
    if action_id is not None:
        tally.record("skip", client.post(f"/v1/next-actions/{action_id}/skip"))


# Attempts weigh most: they are what the assertions on lost work count.
OPERATIONS = [_log_attempt] * 3 + [_edit_contact, _edit_organization, _snooze, _skip]


def _writer(
    base: str, headers: dict[str, str], orgs: list[Org], seed: int, stop: float, tally: Tally
) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        while time.monotonic() < stop:
            rng.choice(OPERATIONS)(client, rng.choice(orgs), rng, tally)


def _all_attempt_ids(client: httpx.Client) -> set[str]:
    ids: set[str] = set()
    params: dict[str, Any] = {"limit": 200}
    while True:
        page = client.get("/v1/attempts", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        ids.update(item["id"] for item in body["data"])
        if not body["next_cursor"]:
            return ids
        params = {"limit": 200, "cursor": body["next_cursor"]}


def _deadlocks(url: str) -> int:
    """How many deadlocks PostgreSQL detected in the database (for the report only)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
            ).scalar_one()
    finally:
        engine.dispose()
    return int(found)


def _setup(client: httpx.Client) -> list[Org]:
    orgs = []
    rejected_on = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    for n in range(ORGANIZATIONS):
        created = client.post(
            "/v1/organizations", json={"name": f"Acme {n}", "rejected_on": rejected_on}
        )
        assert created.status_code == 201, created.text
        org_id = created.json()["id"]
        contact_ids = []
        for name, role in (("Ann Lee", "hiring_manager"), ("Raj Patel", "recruiter")):
            contact = client.post(
                "/v1/contacts",
                json={
                    "organization_id": org_id,
                    "name": name,
                    "role": role,
                    "email": f"{name.split()[0].lower()}{n}@acme.example",
                },
            )
            assert contact.status_code == 201, contact.text
            contact_ids.append(contact.json()["id"])
        orgs.append(Org(org_id, contact_ids))
    return orgs


def test_concurrent_writers_on_the_same_organizations_get_no_server_error(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("postgresql", request, tmp_path, "kw_concurrent")
    upgrade(url)
    env = {
        "KEEPWARM_DATABASE_URL": url,
        "KEEPWARM_SCHEDULER": "off",
        "KEEPWARM_LOG_LEVEL": "WARNING",
    }
    with uvicorn_server("service.main:create_app", env, tmp_path / "server.log") as (base, _):
        signed = httpx.post(
            f"{base}/v1/accounts",
            json={"email": "concurrent@example.com", "password": PASSWORD},
        )
        assert signed.status_code == 201, signed.text
        headers = {"Authorization": f"Bearer {signed.json()['api_key']}"}
        tally = Tally()
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            orgs = _setup(client)
            stop = time.monotonic() + SECONDS
            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                futures = [
                    pool.submit(_writer, base, headers, orgs, seed, stop, tally)
                    for seed in range(THREADS)
                ]
                for future in futures:
                    future.result()
            stored = _all_attempt_ids(client)

    deadlocks = _deadlocks(url)
    statuses: Counter[int] = Counter()
    for (_, status), n in tally.statuses.items():
        statuses[status] += n
    summary = (
        f"statuses: {dict(sorted(statuses.items()))}\n"
        f"by operation: {dict(sorted(tally.statuses.items()))}\n"
        f"5xx samples: {tally.server_errors}\n"
        f"deadlocks PostgreSQL broke (retried or not): {deadlocks}"
    )
    print(summary)
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    assert server_errors == 0, summary
    unexpected = {s: n for s, n in statuses.items() if not (200 <= s < 300 or s in RACE_LOST)}
    assert not unexpected, summary
    assert len(tally.attempts_created) >= MIN_ATTEMPTS_LOGGED, summary
    assert stored == tally.attempts_created, summary
