"""A worker killed with SIGKILL mid-delivery: after a restart every event arrives, none renamed."""

from __future__ import annotations

import signal
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.db.outbox import DeliveryState
from service.db.session import session_scope
from service.services.planning import scheduling
from tests.pg import create_database
from tests.receiver import Receiver, Reply
from tests.scheduler.seeding import (
    Seeder,
    count_open,
    read_outbox,
    split_complete,
    verify_all,
    wait_until,
    wide_backlog,
    workers,
)

ACKED = 40  # delivered and acknowledged before the crash
IN_FLIGHT = 20  # sent when the worker dies, the receiver still answering (0.5 s per reply)
OUTBOX = 20  # events stored with their deliveries, never sent (a crash right after the commit)
LATER = 20  # fall due while no worker runs: no event yet
TOTAL = ACKED + IN_FLIGHT + OUTBOX + LATER
LEASE = "3"  # seconds; the default 90 s would make the test wait a minute and a half


def test_a_killed_worker_loses_no_event_and_renames_none(
    pg_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide_backlog(monkeypatch)
    url = create_database(pg_server, "crash")
    with (
        Receiver(Reply(delay=0.5)) as receiver,
        Seeder(url, receiver.url_for("/hooks")) as seeder,
    ):
        seeder.add_due(ACKED)
        with workers(url, tmp_path / "first", 1, delivery_lease_seconds=LEASE) as (first,):
            first.wait_ready()
            wait_until(lambda: count_open(seeder)[2] == ACKED, timeout=30, what="first deliveries")
            seeder.add_due(IN_FLIGHT)
            receiver.wait_for(ACKED + 1, timeout=30)
            assert first.stop(signal.SIGKILL) == -signal.SIGKILL
        time.sleep(0.2)  # let the receiver's threads record what reached them
        sent_before, _ = split_complete(receiver.requests)
        seen_at_kill = {r.headers["webhook-id"] for r in sent_before}
        at_kill = read_outbox(seeder)
        acked = {
            msg_id
            for msg_id, event in at_kill.msg_ids.items()
            if any(
                d.event_id == event.id and d.state == DeliveryState.SUCCEEDED
                for d in at_kill.deliveries
            )
        }
        # Follow-ups keep falling due while no worker runs; some were turned into events
        # (outbox rows committed) by a worker that died before sending them.
        seeder.add_due(OUTBOX + LATER)
        with session_scope(seeder.sessions) as session:
            assert scheduling.mark_due(session, now=datetime.now(UTC), limit=OUTBOX) == OUTBOX

        with workers(url, tmp_path / "second", 1, delivery_lease_seconds=LEASE) as (second,):
            wait_until(
                lambda: count_open(seeder) == (0, TOTAL, TOTAL),
                timeout=40,
                what="every event acknowledged after the restart",
            )
            time.sleep(0.5)  # a quiet period: anything sent twice by the new worker shows now
            assert second.stop() == 0
            second_log = second.log
        requests, cut_short = split_complete(receiver.requests)
        outbox = read_outbox(seeder)

    assert "Traceback" not in second_log and "ERROR" not in second_log, second_log
    # The crash happened where it was meant to: some acknowledged, some in flight.
    assert len(acked) == ACKED
    in_flight = seen_at_kill - acked
    assert in_flight, "the worker was killed with nothing in flight"

    # One followup.due per follow-up, each delivered, acknowledged with a 2xx.
    assert len(outbox.actions) == TOTAL
    assert len(outbox.due_events) == TOTAL
    actions = Counter(e.payload["data"]["next_action"]["id"] for e in outbox.due_events)
    assert set(actions.values()) == {1}
    assert len(outbox.deliveries) == TOTAL
    assert {d.state for d in outbox.deliveries} == {DeliveryState.SUCCEEDED}
    successes = Counter(
        a.delivery_id for a in outbox.attempts if a.status_code and 200 <= a.status_code < 300
    )
    assert set(successes) == {d.id for d in outbox.deliveries}
    assert outbox.failures() == []
    # The killed worker never recorded its in-flight sends: each delivery has one attempt.
    assert set(outbox.attempts_per_delivery().values()) == {1}

    # Every event reached the receiver under its stored webhook-id, and no other id was used
    # (not even by a request the dying worker had only begun to send).
    stored = outbox.msg_ids
    assert {r.headers["webhook-id"] for r in cut_short} <= set(stored) - acked
    received = Counter(r.headers["webhook-id"] for r in requests)
    assert set(received) == set(stored)
    # Resends carry the same id and the same signed body as the first send.
    for request, payload in zip(requests, verify_all(requests, seeder.secret), strict=True):
        assert payload == stored[request.headers["webhook-id"]].payload
    # What was acknowledged before the crash is not sent again; what was in flight is.
    assert all(received[msg_id] == 1 for msg_id in acked)
    assert all(received[msg_id] >= 2 for msg_id in in_flight), {
        msg_id: received[msg_id] for msg_id in in_flight
    }
