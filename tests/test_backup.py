"""Backups: `keepwarm backup` while the service writes, and the README's restores, performed."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from service.config import Settings, Toggle
from service.db.backup import BackupError, backup_sqlite
from service.db.migrate import upgrade
from service.main import create_app
from tests.conftest import LOOPBACK
from tests.db.test_roles import role_urls  # noqa: F401  (a fixture)
from tests.pg import _pg_bin
from tests.scheduler.seeding import free_port, wait_until
from tests.test_cli import ROOT, keepwarm

README = (ROOT / "README.md").read_text()
PASSWORD = "tulip-Quarry-8841-vortex"


def readme_block(containing: str) -> list[str]:
    """The commands of the README's shell block that contains `containing`."""
    for block in re.findall(r"```(?:sh|console)\n(.*?)```", README, re.DOTALL):
        if containing in block:
            joined = block.replace("\\\n", " ")
            return [line.split("#")[0].strip() for line in joined.splitlines() if line.strip()]
    raise AssertionError(f"no block in the README holds {containing!r}")


def sh(lines: list[str], *, cwd: Path, **env: str) -> None:
    script = "set -eu\n" + "\n".join(lines)
    ran = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, f"{script}\n{ran.stderr}"


class Serve:
    """`keepwarm serve` on a SQLite file, as a process."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("ab")
        env = {
            **os.environ,
            "KEEPWARM_DATABASE_URL": url,
            "KEEPWARM_PORT": str(self.port),
            "KEEPWARM_SCHEDULER": "off",
        }
        self.process = subprocess.Popen(
            [*keepwarm_command(), "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

        def ready() -> bool:
            assert self.process.poll() is None, log.read_text()
            try:
                return httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(ready, timeout=30, what="keepwarm serve ready")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(15)
        self.log.close()


def keepwarm_command() -> list[str]:
    venv = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "keepwarm"
    return [str(venv)] if venv.exists() else ["python", "-m", "service.cli"]


def names_in(database: Path) -> set[str]:
    with sqlite3.connect(database) as copy:
        return {name for (name,) in copy.execute("SELECT name FROM organizations")}


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Serve, str, dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'keepwarm.db'}"
    server = Serve(url, tmp_path / "serve.log")
    try:
        signed = httpx.post(
            f"{server.base}/v1/accounts",
            json={"email": "ann@example.com", "password": PASSWORD},
            timeout=10,
        )
        assert signed.status_code == 201, signed.text
        yield server, url, {"Authorization": f"Bearer {signed.json()['api_key']}"}
    finally:
        if server.process.poll() is None:
            server.stop()


def test_a_backup_taken_while_the_service_writes_holds_a_consistent_prefix(
    serving: tuple[Serve, str, dict[str, str]], tmp_path: Path
) -> None:
    server, url, key = serving
    acknowledged: list[int] = []
    stop = threading.Event()

    def write() -> None:
        with httpx.Client(base_url=server.base, headers=key, timeout=10) as client:
            n = 0
            while not stop.is_set():
                made = client.post("/v1/organizations", json={"name": f"w-{n}"})
                assert made.status_code == 201, made.text
                acknowledged.append(n)
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        wait_until(lambda: len(acknowledged) >= 20, timeout=30, what="writes under way")
        before = len(acknowledged)
        backup = keepwarm("backup", str(tmp_path / "copy.db"), env={"KEEPWARM_DATABASE_URL": url})
        during = len(acknowledged)
        wait_until(lambda: len(acknowledged) >= during + 5, timeout=30, what="writes go on")
    finally:
        stop.set()
        writer.join(30)

    assert backup.returncode == 0, backup.stderr
    (line,) = backup.stdout.splitlines()
    assert line.startswith(f"Backed up {tmp_path / 'keepwarm.db'} to {tmp_path / 'copy.db'}: ")
    assert line.endswith("integrity ok")
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not (tmp_path / "copy.db-wal").exists()
    numbers = sorted(int(name.removeprefix("w-")) for name in names_in(tmp_path / "copy.db"))
    # One snapshot: every write committed before it began, and none half-way (a prefix).
    assert numbers == list(range(len(numbers)))
    assert before <= len(numbers) <= during + 1
    assert len(acknowledged) > len(numbers)  # the service went on writing


def test_a_backup_never_overwrites_and_refuses_postgresql(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keepwarm.db'}"
    upgrade(url)
    existing = tmp_path / "taken.db"
    existing.write_text("an earlier backup")

    again = keepwarm("backup", str(existing), env={"KEEPWARM_DATABASE_URL": url})
    postgres = keepwarm(
        "backup",
        str(tmp_path / "pg.db"),
        env={"KEEPWARM_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:1/kw"},
    )

    assert again.returncode == 2 and existing.read_text() == "an earlier backup"
    assert (
        again.stderr
        == f"keepwarm: {existing} exists; name a new file (a backup never overwrites one)\n"
    )
    assert postgres.returncode == 2 and len(postgres.stderr.splitlines()) == 1
    assert "pg_dump" in postgres.stderr and not (tmp_path / "pg.db").exists()
    # The URL pg_dump takes: libpq's, not keepwarm's SQLAlchemy one.
    assert '"postgresql://USER:PASSWORD@HOST/DATABASE"' in postgres.stderr
    assert "$DATABASE_URL" not in postgres.stderr


def test_the_readme_sqlite_restore_brings_back_the_backup(
    serving: tuple[Serve, str, dict[str, str]], tmp_path: Path
) -> None:
    server, url, key = serving
    for name in ("Acme", "Globex"):
        assert (
            httpx.post(
                f"{server.base}/v1/organizations", json={"name": name}, headers=key
            ).status_code
            == 201
        )
    backups = tmp_path / "backups"
    backups.mkdir()
    copy = backups / "keepwarm-2026-12-07.db"
    taken = keepwarm("backup", str(copy), env={"KEEPWARM_DATABASE_URL": url})
    assert taken.returncode == 0, taken.stderr
    lost = httpx.post(f"{server.base}/v1/organizations", json={"name": "After"}, headers=key)
    assert lost.status_code == 201

    server.stop()  # the README: stop serve and worker first
    sh(readme_block('cp "$BACKUP" keepwarm.db'), cwd=tmp_path, BACKUP=str(copy))
    restarted = Serve(url, tmp_path / "serve.log")
    try:
        listed = httpx.get(f"{restarted.base}/v1/organizations", headers=key).json()
        assert sorted(o["name"] for o in listed["data"]) == ["Acme", "Globex"]
        again = httpx.post(
            f"{restarted.base}/v1/organizations", json={"name": "Initech"}, headers=key
        )
        assert again.status_code == 201
    finally:
        restarted.stop()
    assert (tmp_path / "before-restore" / "keepwarm.db").exists()
    assert "After" in names_in(tmp_path / "before-restore" / "keepwarm.db")


def test_the_readme_pg_dump_and_pg_restore_bring_back_the_dump(
    role_urls: tuple[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    if os.environ.get("KEEPWARM_TEST_POSTGRES_URL"):
        pytest.skip("an external PostgreSQL: its pg_dump may not be at hand")
    owner, runtime = role_urls
    upgrade(owner)
    app = create_app(Settings(database_url=runtime, scheduler=Toggle.OFF))
    libpq = make_url(owner).set(drivername="postgresql").render_as_string(hide_password=False)
    env = {"OWNER": libpq, "PATH": f"{_pg_bin()}:{os.environ['PATH']}"}
    dump = [
        line for line in readme_block("pg_dump --format=custom") if not line.startswith("OWNER=")
    ]
    restore = readme_block("pg_restore ")
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        signed = client.post("/v1/accounts", json={"email": "bo@example.com", "password": PASSWORD})
        key = {"Authorization": f"Bearer {signed.json()['api_key']}"}
        assert (
            client.post("/v1/organizations", json={"name": "Acme"}, headers=key).status_code == 201
        )

        sh(dump, cwd=tmp_path, **env)
        assert (
            client.post("/v1/organizations", json={"name": "After"}, headers=key).status_code == 201
        )
        sh(restore, cwd=tmp_path, **env)

        listed = client.get("/v1/organizations", headers=key).json()
        assert [o["name"] for o in listed["data"]] == ["Acme"]
        # The runtime role's rights came back with the tables.
        assert (
            client.post("/v1/organizations", json={"name": "Globex"}, headers=key).status_code
            == 201
        )
        assert client.get("/readyz").json()["migrations"] == "head"


def test_a_backup_never_overwrites_a_file_created_while_it_copies(tmp_path: Path) -> None:
    source = tmp_path / "keepwarm.db"
    with sqlite3.connect(source) as database:  # large enough to take a while to copy
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("CREATE TABLE filler (body BLOB)")
        database.executemany(
            "INSERT INTO filler VALUES (?)", [(os.urandom(4096),) for _ in range(6000)]
        )
    database.close()
    target = tmp_path / "copy.db"
    partial = tmp_path / ".copy.db.partial"
    raced = threading.Event()

    def create_the_target_meanwhile() -> None:
        while not partial.exists():
            pass
        with target.open("x") as created:  # O_EXCL: only if the backup has not written it
            created.write("another process's file")
        raced.set()

    racer = threading.Thread(target=create_the_target_meanwhile, daemon=True)
    racer.start()
    with pytest.raises(BackupError, match="exists; name a new file"):
        backup_sqlite(source, target)
    racer.join(5)

    assert raced.is_set()
    assert target.read_text() == "another process's file"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copy.db", "keepwarm.db"]
