"""Operations endpoints: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

import gc
import importlib.metadata
import logging
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from service.build import package_version
from service.config import Settings, Toggle
from service.db.migrate import upgrade
from service.db.session import make_engine
from service.main import create_app
from tests.conftest import BACKENDS, LOOPBACK, User, assert_problem, make_database
from tests.pg import create_database

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_needs_no_key(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "head"}


@contextmanager
def serve(url: str, **settings: Any) -> Iterator[TestClient]:
    app = create_app(Settings(**{"database_url": url, "scheduler": Toggle.OFF, **settings}))
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        yield client


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return make_database(request.param, request, tmp_path, "keepwarm_readyz")


def test_readyz_answers_503_until_the_schema_is_migrated(empty_database: str) -> None:
    with serve(empty_database) as client:
        behind = client.get("/readyz")
        assert behind.status_code == 503
        assert behind.json() == {"status": "unavailable", "database": "ok", "migrations": "behind"}
        assert client.get("/healthz").status_code == 200  # alive, just not ready

        upgrade(empty_database)

        assert client.get("/readyz").status_code == 200


def test_readyz_stays_ready_when_a_newer_release_has_migrated(empty_database: str) -> None:
    # Rolling upgrade: the new release migrates first (expand-only), the previous release's
    # replicas keep serving. A revision these scripts do not know stands for the new one.
    upgrade(empty_database)
    engine = make_engine(empty_database)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfacef00d'"))
    finally:
        engine.dispose()

    with serve(empty_database) as client:
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ahead"}


def test_readyz_answers_503_when_the_database_is_unreachable() -> None:
    with serve("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2") as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["database"] == "unreachable"


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_count_and_time_requests_per_route_template(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme"})
    before = samples(user.client)

    for _ in range(3):
        user.get(f"/v1/organizations/{org['id']}")
    user.get("/v1/organizations/00000000-0000-4000-8000-000000000000")
    user.get(f"/v1/no-such-thing/{org['id']}")
    for method in ("BREW", "WHEN", "PROPFIND"):
        user.client.request(method, f"/v1/organizations/{org['id']}")
    after = samples(user.client)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    route = "/v1/organizations/{organization_id}"
    assert delta("keepwarm_http_requests_total", method="GET", route=route, status="200") == 3
    assert delta("keepwarm_http_requests_total", method="GET", route=route, status="404") == 1
    assert delta("keepwarm_http_request_duration_seconds_count", method="GET", route=route) == 4
    assert delta("keepwarm_http_request_duration_seconds_sum", method="GET", route=route) > 0
    assert delta("keepwarm_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert delta("keepwarm_http_requests_total", method="other", route=route, status="405") == 3
    text = user.client.get("/metrics").text
    assert org["id"] not in text  # route templates, never raw paths: bounded label values
    assert "BREW" not in text  # nor the methods clients make up


def test_metrics_need_no_key(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert "keepwarm_http_requests_total" in response.text


def test_metrics_include_the_process(client: TestClient) -> None:
    names = {name for name, _ in samples(client)}

    assert {
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_start_time_seconds",
        "python_info",
        "python_gc_collections_total",
    } <= names


def test_metrics_answer_only_the_token_when_one_is_set(tmp_path: Path) -> None:
    with serve(f"sqlite:///{tmp_path / 'metrics.db'}", metrics_token="m3trics-t0ken") as client:
        missing = client.get("/metrics")
        wrong = client.get("/metrics", headers={"Authorization": "Bearer m3trics-t0ke"})
        other_scheme = client.get("/metrics", headers={"Authorization": "Basic m3trics-t0ken"})
        right = client.get("/metrics", headers={"Authorization": "Bearer m3trics-t0ken"})
        healthy = client.get("/healthz")

    for refused in (missing, wrong, other_scheme):
        assert_problem(refused, 401)
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert "keepwarm_http" not in refused.text
    assert right.status_code == 200
    assert "process_cpu_seconds_total" in right.text
    assert healthy.status_code == 200  # the token guards /metrics alone


@pytest.mark.parametrize("scheduler", [Toggle.ON, Toggle.OFF])
def test_metrics_carry_the_scheduler_only_where_it_runs(tmp_path: Path, scheduler: Toggle) -> None:
    url = f"sqlite:///{tmp_path / 'ticks.db'}"
    upgrade(url)
    with serve(url, scheduler=scheduler, tick_seconds=3600) as client:
        # The first tick runs at start; wait for it to be counted.
        for _ in range(100):
            body = client.get("/metrics").text
            if (
                scheduler == Toggle.OFF
                or 'keepwarm_scheduler_ticks_total{outcome="ok"} 1.0' in body
            ):
                break
            time.sleep(0.05)

    ticks = [line for line in body.splitlines() if line.startswith("keepwarm_scheduler_ticks")]
    if scheduler == Toggle.ON:
        assert 'keepwarm_scheduler_ticks_total{outcome="ok"} 1.0' in ticks
        assert "keepwarm_outbox_pending_deliveries 0.0" in body
    else:  # a replica that never ticks shows no zeros that would read as "no ticks"
        assert ticks == []
        assert "keepwarm_outbox" not in body


def test_the_document_says_metrics_may_answer_401(app: Any) -> None:
    operation = app.openapi()["paths"]["/metrics"]["get"]
    assert "401" in operation["responses"]
    assert "KEEPWARM_METRICS_TOKEN" in operation["description"]


@pytest.mark.parametrize(("toggle", "looks"), [(Toggle.OFF, False), (Toggle.ON, True)])
def test_requests_look_for_an_opentelemetry_provider_only_when_it_is_on(
    toggle: Toggle, looks: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked: list[str] = []
    real = trace.get_tracer_provider

    def provider() -> trace.TracerProvider:
        looked.append("tracer")
        return real()

    monkeypatch.setattr(trace, "get_tracer_provider", provider)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'otel.db'}", scheduler=Toggle.OFF, opentelemetry=toggle
    )
    with TestClient(create_app(settings), client=LOOPBACK) as client:
        looked.clear()  # startup may look once; what matters is every request
        assert client.get("/healthz").status_code == 200
    assert bool(looked) is looks


def test_what_startup_built_is_left_out_of_later_collections(tmp_path: Path) -> None:
    # A full collection walked everything SQLAlchemy, pydantic and FastAPI built at startup
    # (about 85 ms, inside some request); startup's objects are frozen out of it instead.
    database = f"sqlite:///{tmp_path / 'keepwarm_gc.db'}"
    upgrade(database)
    gc.unfreeze()
    with serve(database) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0  # given back at shutdown


def test_probes_log_at_debug_and_other_requests_at_info(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="keepwarm.access")
    for path in ("/healthz", "/readyz", "/metrics", "/v1/server"):
        assert client.get(path).status_code == 200
    at_info = [r.getMessage() for r in caplog.records if r.name == "keepwarm.access"]
    assert len(at_info) == 1 and '"GET /v1/server ' in at_info[0]

    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="keepwarm.access")
    client.get("/healthz")
    client.get("/readyz")
    client.get("/metrics")
    levels = [r.levelname for r in caplog.records if r.name == "keepwarm.access"]
    assert levels == ["DEBUG", "DEBUG", "DEBUG"]


def test_serve_does_not_tick_on_a_schema_that_is_behind(
    empty_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="keepwarm")
    upgrade(empty_database, "0009")  # tables enough for a tick, yet behind this release
    settings = {"scheduler": Toggle.ON, "tick_seconds": 0.2}
    with serve(empty_database, **settings):
        waited = time.monotonic() + 10
        while time.monotonic() < waited and not [
            r for r in caplog.records if r.name == "keepwarm.worker"
        ]:
            time.sleep(0.05)

        upgrade(empty_database)  # `keepwarm migrate`: the next interval ticks
        ticked = time.monotonic() + 10
        while time.monotonic() < ticked and "the database schema is migrated: ticking" not in [
            r.getMessage() for r in caplog.records
        ]:
            time.sleep(0.05)

    lines = [r.getMessage() for r in caplog.records if r.name.startswith("keepwarm.")]
    assert lines and lines[0].startswith(
        "not ticking: the database schema is behind this release (at 0009, needs "
    ), lines
    assert "the database schema is migrated: ticking" in lines
    assert not [line for line in lines if "tick failed" in line]


def test_a_failing_probe_logs_at_warning(
    tmp_path: Path, empty_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="keepwarm.access")
    with serve(empty_database, metrics_token="m3trics-t0ken") as client:
        assert client.get("/readyz").status_code == 503  # the schema is behind
        assert client.get("/metrics").status_code == 401  # no token
        assert client.get("/healthz").status_code == 200

    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "keepwarm.access"]
    assert [(level, '"GET /readyz ' in line) for level, line in logged[:1]] == [("WARNING", True)]
    assert [(level, '"GET /metrics ' in line) for level, line in logged[1:]] == [("WARNING", True)]


def test_the_server_metrics_and_version_name_the_same_build(client: TestClient) -> None:
    answer = client.get("/v1/server").json()
    assert answer["version"] == importlib.metadata.version("keepwarm") == package_version()
    if (ROOT / ".git").exists():  # a checkout (editable install): its HEAD
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert answer["commit"] == head
        assert re.fullmatch(r"[0-9a-f]{40}", answer["commit"])
    build = [key for key in samples(client) if key[0] == "keepwarm_build_info"]
    labels = (("commit", answer["commit"]), ("version", answer["version"]))
    assert build == [("keepwarm_build_info", labels)]
    assert samples(client)[build[0]] == 1


def test_the_pool_holds_keepwarm_db_pool_size_connections_and_half_again(pg_server: str) -> None:
    url = create_database(pg_server, "keepwarm_pool")
    upgrade(url)
    with serve(url, db_pool_size=4) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        assert engine.pool.size() == 4
        held = [engine.connect() for _ in range(6)]  # the pool, and a burst of 2 more
        try:
            assert all(c.execute(text("SELECT 1")).scalar() == 1 for c in held)
        finally:
            for connection in held:
                connection.close()
        assert engine.pool.checkedin() == 4  # the burst's connections were closed
        assert client.get("/readyz").status_code == 200
