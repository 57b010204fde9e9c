"""Three `keepwarm worker` processes on one PostgreSQL: one event and one delivery per follow-up."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from service.db.outbox import DeliveryState
from tests.pg import create_database
from tests.receiver import Receiver
from tests.scheduler.seeding import (
    Seeder,
    count_open,
    read_outbox,
    verify_all,
    wide_backlog,
    workers,
)

BACKLOG = 150  # due before any worker starts: all three race for the same rows at start-up
TRICKLE = 150  # recorded while they run, in small commits, so every tick has something to race
CHUNK = 10
TOTAL = BACKLOG + TRICKLE


def test_three_replicas_deliver_each_due_follow_up_exactly_once(
    pg_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide_backlog(monkeypatch)
    url = create_database(pg_server, "replicas")
    with Receiver() as receiver, Seeder(url, receiver.url_for("/hooks")) as seeder:
        seeder.add_due(BACKLOG)
        with workers(url, tmp_path, 3) as replicas:
            for replica in replicas:
                replica.wait_ready()
            for _ in range(TRICKLE // CHUNK):
                seeder.add_due(CHUNK)
                time.sleep(0.05)
            receiver.wait_for(TOTAL, timeout=60)
            time.sleep(1.0)  # a quiet period: any duplicate would arrive now
            assert count_open(seeder) == (0, TOTAL, TOTAL)
            codes = [replica.stop() for replica in replicas]
            logs = [replica.log for replica in replicas]
            reports = [replica.reports() for replica in replicas]
        requests = receiver.requests
        outbox = read_outbox(seeder)

    assert codes == [0, 0, 0], logs
    for log in logs:
        assert "Traceback" not in log and "ERROR" not in log, log

    # Exactly one followup.due event per action, each delivered once, successfully.
    assert len(outbox.actions) == TOTAL
    due_events = outbox.due_events
    assert len(due_events) == TOTAL
    action_ids = Counter(e.payload["data"]["next_action"]["id"] for e in due_events)
    assert set(action_ids) == {str(a.id) for a in outbox.actions}
    assert set(action_ids.values()) == {1}
    assert len(outbox.deliveries) == TOTAL
    assert {d.state for d in outbox.deliveries} == {DeliveryState.SUCCEEDED}
    assert {d.attempts for d in outbox.deliveries} == {1}, outbox.failures()
    per_delivery = outbox.attempts_per_delivery()
    assert set(per_delivery) == {d.id for d in outbox.deliveries}
    assert set(per_delivery.values()) == {1}
    assert {(a.attempt, a.status_code) for a in outbox.attempts} == {(1, 200)}

    # The receiver saw each event once, signed, under the event's own webhook-id.
    assert len(requests) == TOTAL
    ids = [r.headers["webhook-id"] for r in requests]
    assert len(set(ids)) == TOTAL
    assert set(ids) == set(outbox.msg_ids)
    payloads = verify_all(requests, seeder.secret)
    for request, payload in zip(requests, payloads, strict=True):
        assert payload == outbox.msg_ids[request.headers["webhook-id"]].payload
    delivered_actions = Counter(p["data"]["next_action"]["id"] for p in payloads)
    assert delivered_actions == action_ids

    # The work was shared: more than one replica turned follow-ups due and delivered them,
    # and the replicas' own accounts add up to the totals.
    busy = [r for r in reports if sum(delivered for _, _, delivered, _ in r)]
    assert len(busy) >= 2, reports
    assert sum(due for r in reports for _, due, _, _ in r) == TOTAL
    assert sum(delivered for r in reports for _, _, delivered, _ in r) == TOTAL
    assert sum(failed for r in reports for _, _, _, failed in r) == 0
