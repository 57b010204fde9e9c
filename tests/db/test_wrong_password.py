"""A wrong database password is named as such, at start and by /readyz, not "unreachable"."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from service.config import Settings, Toggle
from service.db.migrate import upgrade
from service.main import create_app
from tests.conftest import LOOPBACK
from tests.test_cli import keepwarm

ROLE, SECRET = "kw_password_probe", "the-right-one-7Qx"


@pytest.fixture(scope="module")
def with_password(pg_server: str) -> Iterator[tuple[str, str]]:
    """URLs (right password, wrong one) of a role the server asks a password of, over TCP.

    The test cluster trusts every local connection; one line at the top of pg_hba.conf makes
    it ask this role for its password (scram-sha-256), as a production server does.
    """
    if os.environ.get("KEEPWARM_TEST_POSTGRES_URL"):
        pytest.skip("an external PostgreSQL: this test edits the cluster's pg_hba.conf")
    superuser = make_url(pg_server).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(superuser, autocommit=True) as conn:
        # Made again on this cluster (xdist may run this module's tests apart, with others in
        # between): the role holds a grant on the schema and the tables it migrated, so a bare
        # DROP ROLE refuses.
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone():
            conn.execute(f"DROP OWNED BY {ROLE}")
            conn.execute(f"DROP ROLE {ROLE}")
        conn.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{SECRET}'")
        conn.execute(f"GRANT ALL ON SCHEMA public TO {ROLE}")
        (hba_file,) = conn.execute("SHOW hba_file").fetchone() or ("",)
        with open(hba_file) as hba:
            before = hba.read()
        with open(hba_file, "w") as hba:
            hba.write(f"host all {ROLE} 127.0.0.1/32 scram-sha-256\n{before}")
        conn.execute("SELECT pg_reload_conf()")
    base = make_url(pg_server).set(username=ROLE)
    try:
        yield (
            base.set(password=SECRET).render_as_string(hide_password=False),
            base.set(password="not-the-password").render_as_string(hide_password=False),
        )
    finally:
        with psycopg.connect(superuser, autocommit=True) as conn:
            with open(hba_file, "w") as hba:
                hba.write(before)
            conn.execute("SELECT pg_reload_conf()")


def test_readyz_names_a_wrong_password(with_password: tuple[str, str]) -> None:
    right, wrong = with_password
    upgrade(right)
    for url, database in ((wrong, "wrong_password"), (right, "ok")):
        app = create_app(Settings(database_url=url, scheduler=Toggle.OFF))
        with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
            answer = client.get("/readyz")
        assert answer.json()["database"] == database
        assert answer.status_code == (200 if database == "ok" else 503)


@pytest.mark.parametrize("command", ["serve", "worker", "migrate", "create-account"])
def test_a_wrong_password_stops_a_command_at_start_in_one_line(
    with_password: tuple[str, str], command: str
) -> None:
    _, wrong = with_password
    argv = [command, "ann@example.com"] if command == "create-account" else [command]

    text = keepwarm(*argv, env={"KEEPWARM_DATABASE_URL": wrong})
    as_json = keepwarm(*argv, env={"KEEPWARM_DATABASE_URL": wrong, "KEEPWARM_LOG_FORMAT": "json"})

    assert text.returncode == as_json.returncode == 2
    assert text.stderr == (
        f"keepwarm: KEEPWARM_DATABASE_URL: the database refused the password of user "
        f"'{ROLE}' (password authentication failed)\n"
    )
    assert "not-the-password" not in text.stderr + as_json.stderr
    (line,) = as_json.stderr.splitlines()
    assert json.loads(line)["variable"] == "KEEPWARM_DATABASE_URL"


def test_an_unreachable_server_is_not_a_wrong_password(tmp_path: object) -> None:
    # Nothing listens on port 1: the command goes on (and fails its own way), unlike above.
    down = keepwarm(
        "migrate", env={"KEEPWARM_DATABASE_URL": "postgresql+psycopg://u:p@127.0.0.1:1/kw"}
    )
    assert down.returncode == 1
    assert "refused the password" not in down.stderr
    (line,) = down.stderr.splitlines()  # one line, no traceback
    assert line.startswith("keepwarm: KEEPWARM_DATABASE_URL: the database could not be used (")
