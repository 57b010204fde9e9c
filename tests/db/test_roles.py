"""Two PostgreSQL roles, as deploy/initdb sets them up (docs/rollout.md): the owner migrates,
the service runs with rights on rows only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from service.config import Settings, Toggle
from service.db.migrate import upgrade
from service.main import create_app
from tests.conftest import LOOPBACK, PASSWORD
from tests.pg import PG_BIN_CANDIDATES

ROOT = Path(__file__).resolve().parents[2]
ROLES_SQL = ROOT / "deploy" / "initdb" / "10-keepwarm-roles.sql"
# The script's names, renamed: the test cluster has a database `keepwarm` already, and the
# roles are the cluster's, so a shared server (KEEPWARM_TEST_POSTGRES_URL) keeps its own.
NAMES = {"keepwarm": "kwroles", "keepwarm_owner": "kwroles_owner", "keepwarm_app": "kwroles_app"}


def _psql() -> str:
    for directory in PG_BIN_CANDIDATES:
        if Path(directory, "psql").exists():
            return str(Path(directory, "psql"))
    return shutil.which("psql") or pytest.skip("psql not found (apt-get install postgresql-15)")


def _run(url: str, statements: list[str]) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def role_urls(pg_server: str, tmp_path: Path) -> tuple[str, str]:
    """URLs of the owner and the runtime role, set up by deploy/initdb's script (with psql)."""
    _run(pg_server, [f"DROP DATABASE IF EXISTS {NAMES['keepwarm']}"])
    _run(pg_server, [f"DROP ROLE IF EXISTS {NAMES[role]}" for role in NAMES if role != "keepwarm"])
    script = tmp_path / "roles.sql"
    script.write_text(
        re.sub(r"\b(keepwarm(?:_owner|_app)?)\b", lambda m: NAMES[m[1]], ROLES_SQL.read_text())
    )
    server = make_url(pg_server)
    env = {**os.environ, "DB_OWNER_PASSWORD": "owner secret", "DB_APP_PASSWORD": "app secret"}
    connect = ["-h", str(server.host), "-p", str(server.port), "-U", str(server.username)]
    ran = subprocess.run(
        [_psql(), "-X", "-q", *connect, "-d", "postgres", "-f", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    base = server.set(database=NAMES["keepwarm"])
    owner = base.set(username=NAMES["keepwarm_owner"], password="owner secret")
    runtime = base.set(username=NAMES["keepwarm_app"], password="app secret")
    return (
        owner.render_as_string(hide_password=False),
        runtime.render_as_string(hide_password=False),
    )


def test_the_owner_migrates_and_the_runtime_role_serves(role_urls: tuple[str, str]) -> None:
    owner, runtime = role_urls
    with pytest.raises(ProgrammingError, match="permission denied for schema public"):
        upgrade(runtime)
    upgrade(owner)

    app = create_app(Settings(database_url=runtime, scheduler=Toggle.OFF))
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        account = {"email": "roles@example.com", "password": PASSWORD}
        signed_up = client.post("/v1/accounts", json=account)
        assert signed_up.status_code == 201, signed_up.text
        wrong = {**account, "password": "not the password at all"}
        assert client.post("/v1/tokens", json=wrong).status_code == 401
        assert client.post("/v1/tokens", json=account).status_code == 201
        auth = {"Authorization": f"Bearer {signed_up.json()['api_key']}"}
        org = client.post("/v1/organizations", json={"name": "Acme"}, headers=auth)
        assert org.status_code == 201, org.text
        ann = {"organization_id": org.json()["id"], "name": "Ann Lee", "role": "hiring_manager"}
        contact = client.post("/v1/contacts", json=ann, headers=auth)
        assert contact.status_code == 201, contact.text
        attempt = {"contact_id": contact.json()["id"], "channel": "email", "outcome": "sent"}
        assert client.post("/v1/attempts", json=attempt, headers=auth).status_code == 201
        assert client.get("/v1/next-actions", headers=auth).status_code == 200
        confirm = {"password": account["password"]}
        deleted = client.request("DELETE", "/v1/account", headers=auth, json=confirm)
        assert deleted.status_code == 204, deleted.text
        assert client.get("/readyz").json()["migrations"] == "head"

    with pytest.raises(ProgrammingError, match="permission denied"):
        _run(runtime, ["CREATE TABLE intruder (id integer)"])
