"""Every connection parameter a database URL carries reaches the driver, or start refuses it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.config import Settings, Toggle
from service.db.urls import DatabaseUrlError, check_database_url
from service.main import create_app
from tests.conftest import LOOPBACK, PASSWORD, make_database

LIBPQ = (
    "connect_timeout=5&sslmode=disable&application_name=keepwarm-test"
    "&options=-c%20statement_timeout%3D5000"
)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///keepwarm.db",
        "sqlite:///keepwarm.db?timeout=5",
        "postgresql://kw@db/keepwarm",
        f"postgresql+psycopg://kw:secret@db:5432/keepwarm?{LIBPQ}",
    ],
)
def test_urls_whose_parameters_all_reach_the_driver_are_accepted(url: str) -> None:
    check_database_url(url)


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("sqlite:///keepwarm.db?bogus=1", "'bogus'"),
        ("postgresql+psycopg://kw@db/keepwarm?connect_timeout=5&bogus=1", '"bogus"'),
        ("postgresql+asyncpg://kw@db/keepwarm", "'postgresql+asyncpg'"),
        ("mysql://kw@db/keepwarm", "'mysql'"),
        ("not a url", "not usable"),
    ],
)
def test_a_url_keepwarm_cannot_use_as_written_is_refused_naming_why(url: str, named: str) -> None:
    with pytest.raises(DatabaseUrlError) as refused:
        check_database_url(url)
    assert "KEEPWARM_DATABASE_URL" in str(refused.value) and named in str(refused.value)


def test_the_command_refuses_such_a_url_before_it_starts(tmp_path: Path) -> None:
    env = {**os.environ, "KEEPWARM_DATABASE_URL": f"sqlite:///{tmp_path / 'kw.db'}?bogus=1"}
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "keepwarm: KEEPWARM_DATABASE_URL" in done.stderr and "'bogus'" in done.stderr
    assert not (tmp_path / "kw.db").exists()  # nothing was created


def test_libpq_parameters_reach_postgresql_on_every_request(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("postgresql", request, tmp_path, "kw_libpq")
    from service.db.migrate import upgrade

    upgrade(url)
    settings = Settings(database_url=f"{url}?{LIBPQ}", scheduler=Toggle.OFF)
    with TestClient(create_app(settings), client=LOOPBACK) as client:
        signed = client.post(
            "/v1/accounts", json={"email": "libpq@example.com", "password": PASSWORD}
        )
        assert signed.status_code == 201, signed.text
        headers = {"Authorization": f"Bearer {signed.json()['api_key']}"}
        created = client.post("/v1/organizations", json={"name": "Acme"}, headers=headers)
        assert created.status_code == 201, created.text

        listed = client.get("/v1/organizations", headers=headers)
        ready = client.get("/readyz")
        settings_seen = client.app.state.engine.connect()  # type: ignore[attr-defined]
        try:
            name = settings_seen.exec_driver_sql("SHOW application_name").scalar_one()
            timeout = settings_seen.exec_driver_sql("SHOW statement_timeout").scalar_one()
        finally:
            settings_seen.close()

    assert listed.status_code == 200 and listed.json()["data"][0]["name"] == "Acme"
    assert ready.status_code == 200 and ready.json()["status"] == "ok"
    assert (name, timeout) == ("keepwarm-test", "5s")
