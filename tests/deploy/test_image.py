"""The image's entry points from an installed wheel, and the PostgreSQL init script's roles."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import urllib.request
from importlib.metadata import version

import psycopg
import pytest
from sqlalchemy.engine import make_url

from service.db.migrate import head_revisions
from tests.deploy.image import IMAGE_COMMIT, Image, free_port, stop, wait_healthy
from tests.deploy.paths import INIT_SQL
from tests.pg import _as_postgres, _pg_bin, postgres_cluster


def test_the_image_migrates_serves_and_works_from_an_installed_wheel(image: Image) -> None:
    data = image.root / "data"
    data.mkdir()
    if image.user is not None:  # else we are an unprivileged user already
        os.chown(data, image.user.pw_uid, image.user.pw_gid)
    database = f"sqlite:///{data / 'keepwarm.db'}"

    named = image.run("--version")
    assert named.stdout == f"keepwarm {version('keepwarm')} (commit {IMAGE_COMMIT})\n"

    migrated = image.run("migrate", database_url=database, log_format="json")
    assert migrated.returncode == 0, migrated.stderr
    (head,) = head_revisions(database)
    assert migrated.stdout.splitlines()[-1] == f"Now at {head} (head)"
    with sqlite3.connect(data / "keepwarm.db") as db:
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM accounts").fetchone() == (0,)

    api_port, worker_port, nothing = free_port(), free_port(), free_port()
    common = {"database_url": database, "log_format": "json", "auto_migrate": "off"}
    api_ports = {"port": str(api_port), "worker_port": str(nothing)}
    worker_ports = {"port": str(nothing), "worker_port": str(worker_port)}
    serve_log, worker_log = image.root / "serve.log", image.root / "worker.log"
    serve = image.start("serve", log=serve_log, **api_ports, **common)
    worker = image.start("worker", log=worker_log, **worker_ports, **common)
    try:
        wait_healthy(image, serve, serve_log, **api_ports)
        wait_healthy(image, worker, worker_log, **worker_ports)
        # The web app's files come from the installed package, not the source tree.
        page = urllib.request.urlopen(f"http://127.0.0.1:{api_port}/app/", timeout=5)
        assert page.status == 200 and b'type="module"' in page.read()
        script = urllib.request.urlopen(f"http://127.0.0.1:{api_port}/app/js/app.js", timeout=5)
        assert script.status == 200 and script.headers["ETag"]
        silent = image.run("healthcheck", port=str(nothing), worker_port=str(free_port()))
        assert silent.returncode == 1, silent.stderr
        assert "nothing answers /healthz" in silent.stderr
    finally:
        serve_code, worker_code = stop(serve), stop(worker)
    # A clean stop on SIGTERM; uvicorn re-raises the signal once it has shut down.
    assert serve_code in (0, -signal.SIGTERM), serve_log.read_text()
    assert "Application shutdown complete" in serve_log.read_text()
    assert worker_code == 0, worker_log.read_text()


def test_the_init_script_gives_migrate_the_schema_and_the_app_only_rows(image: Image) -> None:
    if os.environ.get("KEEPWARM_TEST_POSTGRES_URL"):
        pytest.skip("an external PostgreSQL: this test creates roles, on a cluster of its own")
    with postgres_cluster() as url:
        server = make_url(url)
        superuser = server.set(drivername="postgresql", database="postgres")
        with psycopg.connect(superuser.render_as_string(), autocommit=True) as conn:
            conn.execute("DROP DATABASE keepwarm")  # as the postgres image's first start
        # As the postgres image runs its init scripts (docker_process_sql), with the passwords.
        psql = [
            str(_pg_bin() / "psql"),
            *("-v", "ON_ERROR_STOP=1", "--no-password", "--no-psqlrc"),
            *("-h", str(server.host), "-p", str(server.port), "-U", str(server.username)),
            *("--dbname", "postgres", "-f", str(INIT_SQL)),
        ]
        initialised = subprocess.run(
            _as_postgres(psql),
            env={
                **os.environ,
                "DB_OWNER_PASSWORD": "owner-secret",
                "DB_APP_PASSWORD": "app-secret",
            },
            capture_output=True,
            text=True,
            check=False,
        )
        assert initialised.returncode == 0, initialised.stderr

        password_of = {"keepwarm_owner": "owner-secret", "keepwarm_app": "app-secret"}

        def as_role(role: str) -> str:
            address = server.set(username=role, password=password_of[role])
            return address.render_as_string(hide_password=False) + "?application_name=keepwarm"

        migrated = image.run("migrate", database_url=as_role("keepwarm_owner"))
        assert migrated.returncode == 0, migrated.stderr
        app = as_role("keepwarm_app")
        created = image.run(
            "create-account", "ann@example.com", database_url=app, auto_migrate="off"
        )
        assert created.returncode == 0, created.stderr
        assert created.stdout.strip()  # the API key: rows written by the runtime role
        plain = make_url(app).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as conn:
            assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (1,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("CREATE TABLE intruder (id int)")
        refused = image.run("migrate", "base", "--downgrade", "--yes", database_url=app)
        assert refused.returncode != 0  # the runtime role cannot drop the schema
