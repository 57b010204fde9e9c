"""`keepwarm worker` as a process: its /healthz, /readyz and /metrics, and a prompt SIGTERM."""

from __future__ import annotations

import re
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url

from service.db.migrate import upgrade
from service.db.outbox import DeliveryState
from tests.receiver import Receiver, Reply
from tests.scheduler.seeding import Seeder, Worker, read_outbox, wait_until, workers

TOKEN = "metrics-token-Zq8"
STOP_LIMIT = 10.0  # a container runtime's grace before SIGKILL
WAITING = "not ticking: the database schema is behind this release"


def get(worker: Worker, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{worker.port}{path}", headers=headers, timeout=5)


def timed_stop(worker: Worker) -> tuple[int, float]:
    started = time.monotonic()
    code = worker.stop(signal.SIGTERM, timeout=STOP_LIMIT + 5)
    return code, time.monotonic() - started


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'worker.db'}"


@pytest.fixture
def worker(sqlite_url: str, tmp_path: Path) -> Iterator[Worker]:
    with workers(sqlite_url, tmp_path / "logs", 1, metrics_token=TOKEN) as (running,):
        running.wait_ready()
        yield running


def test_the_worker_answers_health_readiness_and_metrics(worker: Worker) -> None:
    assert get(worker, "/healthz").json() == {"status": "ok"}
    ready = get(worker, "/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "migrations": "head"}

    assert get(worker, "/metrics").status_code == 401
    refused = get(worker, "/metrics", authorization="Bearer not-the-token")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 401
    assert TOKEN not in refused.text

    wait_until(lambda: ticks(scrape(worker)) > 0, timeout=5, what="a tick counted")
    body = scrape(worker)
    assert sample(body, "keepwarm_outbox_pending_deliveries") == 0
    assert sample(body, "keepwarm_webhook_deliveries_total", outcome="delivered") == 0
    assert "process_resident_memory_bytes" in body
    assert "python_info" in body
    assert "python_gc_collections_total" in body

    code, seconds = timed_stop(worker)
    assert code == 0, worker.log
    assert seconds < 3, seconds  # nothing in flight: no grace to wait for
    assert "Traceback" not in worker.log and "ERROR" not in worker.log, worker.log


def scrape(worker: Worker) -> str:
    response = get(worker, "/metrics", authorization=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def sample(body: str, name: str, **labels: str) -> float | None:
    for family in text_string_to_metric_families(body):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return None


def ticks(body: str) -> float:
    return sample(body, "keepwarm_scheduler_ticks_total", outcome="ok") or 0


def test_a_schema_behind_the_code_is_not_ready(sqlite_url: str, tmp_path: Path) -> None:
    upgrade(sqlite_url, "0008")
    with workers(sqlite_url, tmp_path, 1, auto_migrate="off") as (behind,):
        behind.wait_ready()
        assert get(behind, "/healthz").status_code == 200
        answer = get(behind, "/readyz")
        assert answer.status_code == 503
        assert answer.json() == {"status": "unavailable", "database": "ok", "migrations": "behind"}
        # Without a token set, metrics are open.
        assert get(behind, "/metrics").status_code == 200
        assert behind.stop() == 0


def test_sigterm_mid_delivery_exits_promptly_and_the_next_worker_resends_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    with Receiver() as receiver, Seeder(sqlite_url, receiver.url_for("/hooks")) as seeder:
        receiver.enqueue(Reply(delay=60))  # far longer than the stop may wait
        seeder.add_due(1)
        with workers(sqlite_url, tmp_path / "first", 1) as (first,):
            first.wait_ready()
            receiver.wait_for(1, timeout=20)
            code, seconds = timed_stop(first)
            first_log = first.log
        assert code == 0, first_log
        assert seconds < STOP_LIMIT - 2, seconds
        assert "cut short, released" in first_log
        assert "Traceback" not in first_log and "ERROR" not in first_log, first_log

        with workers(sqlite_url, tmp_path / "second", 1) as (second,):
            first_request, resent = receiver.wait_for(2, timeout=20)
            wait_until(
                lambda: (
                    {d.state for d in read_outbox(seeder).deliveries} == {DeliveryState.SUCCEEDED}
                ),
                timeout=10,
                what="the resend recorded",
            )
            assert second.stop() == 0
        outbox = read_outbox(seeder)
    assert first_request.headers["webhook-id"] == resent.headers["webhook-id"]
    assert set(outbox.msg_ids) == {resent.headers["webhook-id"]}
    assert [(a.attempt, a.status_code) for a in outbox.attempts] == [(1, 200)]


def test_a_worker_on_a_schema_behind_waits_saying_why_then_ticks_once_migrated(
    sqlite_url: str, tmp_path: Path
) -> None:
    upgrade(sqlite_url, "0008")
    with workers(sqlite_url, tmp_path, 1, auto_migrate="off") as (behind,):
        behind.wait_ready()
        started = time.monotonic()
        wait_until(lambda: behind.log.count(WAITING) >= 3, timeout=10, what="waiting, said")
        time.sleep(1)
        said, waited = behind.log.count(WAITING), time.monotonic() - started
        assert ticks(get(behind, "/metrics").text) == 0  # nothing ran on the old schema
        assert "at 0008, needs" in behind.log
        # Once per interval (0.2 s), not once per check of anything else.
        assert said <= waited / 0.2 + 2, (said, waited)
        assert get(behind, "/healthz").status_code == 200  # waiting is not stuck

        upgrade(sqlite_url)

        wait_until(lambda: ticks(get(behind, "/metrics").text) > 0, timeout=10, what="a tick")
        assert "the database schema is migrated: ticking" in behind.log
        assert get(behind, "/readyz").status_code == 200
        assert behind.stop() == 0
    assert "Traceback" not in behind.log


def test_the_worker_healthz_fails_while_no_tick_finishes_for_three_intervals(
    worker: Worker, sqlite_url: str
) -> None:
    wait_until(lambda: ticks(scrape(worker)) > 0, timeout=5, what="a tick counted")
    assert get(worker, "/healthz").status_code == 200
    # Another process holds SQLite's write lock: the next tick waits on it (busy timeout).
    holder = sqlite3.connect(make_url(sqlite_url).database or "", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        wait_until(
            lambda: get(worker, "/healthz").status_code == 503, timeout=5, what="healthz 503"
        )
        stalled = get(worker, "/healthz").json()
        assert stalled["status"] == "stalled"
        assert re.fullmatch(r"no tick has finished for \d+ s \(limit 0\.6 s\)", stalled["detail"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    wait_until(lambda: get(worker, "/healthz").status_code == 200, timeout=15, what="healthz 200")
    assert worker.stop() == 0
