"""The keepwarm command: migrate, create-account, openapi."""

from __future__ import annotations

import http.server
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from service.cli import main
from service.config import Settings, Toggle, get_settings
from service.db.migrate import current_revisions, head_revisions
from service.db.session import make_engine
from service.main import create_app
from tests.conftest import LOOPBACK, PASSWORD

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def root_logger() -> Iterator[None]:
    """main() configures logging for the process: the root logger is given back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("KEEPWARM_DATABASE_URL", url)
    monkeypatch.setenv("KEEPWARM_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def keepwarm(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = shutil.which("keepwarm")
    prefix = [command] if command else [sys.executable, "-m", "service.cli"]
    return subprocess.run(
        [*prefix, *argv],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def me(url: str, key: str) -> dict[str, str]:
    app = create_app(Settings(database_url=url, scheduler=Toggle.OFF))
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        response = client.get("/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200, response.text
        body: dict[str, str] = response.json()
        return body


def test_migrate_upgrades_to_head_and_downgrades_to_base(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrate.db'}"
    env = {"KEEPWARM_DATABASE_URL": url}

    up = keepwarm("migrate", env=env)
    assert up.returncode == 0, up.stderr
    engine = make_engine(url)
    try:
        assert current_revisions(engine) == head_revisions(url)
        assert "organizations" in inspect(engine).get_table_names()

        down = keepwarm("migrate", "base", "--downgrade", "--yes", env=env)
        assert down.returncode == 0, down.stderr
        assert current_revisions(engine) == set()
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def test_create_account_prints_a_working_key(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        monkeypatch,
        capsys,
        "create-account",
        "Ada@Example.com",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )

    assert code == 0
    key = out.strip()
    assert len(out.splitlines()) == 1 and len(key) >= 43
    assert me(database, key)["email"] == "ada@example.com"
    app = create_app(Settings(database_url=database, scheduler=Toggle.OFF))
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        login = client.post("/v1/tokens", json={"email": "ada@example.com", "password": PASSWORD})
        assert login.status_code == 201


def test_create_account_refuses_a_password_made_of_the_email_s_name(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for password in ("lovelace-2026!", "abcdefghijkl"):
        code, out, err = run(
            monkeypatch,
            capsys,
            "create-account",
            "ada.lovelace@example.com",
            "--password-stdin",
            stdin=password + "\n",
        )
        assert (code, out) == (2, "")
        assert err.startswith("keepwarm: create-account: the password is too weak: "), err


def test_create_account_without_a_password_generates_one(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, "create-account", "ada@example.com")

    assert code == 0
    assert "generated password: " in err
    assert me(database, out.strip())["email"] == "ada@example.com"


def test_create_account_refuses_a_taken_email(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(monkeypatch, capsys, "create-account", "ada@example.com")

    code, out, err = run(monkeypatch, capsys, "create-account", "ADA@example.com")

    assert code == 1
    assert out == ""
    assert "\nkeepwarm: create-account: " in err and "already exists" in err


def test_create_account_refuses_a_short_password(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        monkeypatch,
        capsys,
        "create-account",
        "ada@example.com",
        "--password-stdin",
        stdin="short\n",
    )
    assert code == 2 and out == "" and "10 characters" in err
    assert err.startswith("keepwarm: create-account: the password is too weak")


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "@example.com", "a b@example.com"])
def test_create_account_refuses_what_sign_up_would_refuse(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], email: str
) -> None:
    code, out, err = run(monkeypatch, capsys, "create-account", email)

    assert code == 2
    assert out == "" and err.startswith("keepwarm: create-account: ") and "email" in err


def test_create_account_refusals_are_json_with_json_logs(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEEPWARM_LOG_FORMAT", "json")
    get_settings.cache_clear()
    run(monkeypatch, capsys, "create-account", "ada@example.com")
    password = "correct horse battery\n"
    refusals = [
        run(
            monkeypatch,
            capsys,
            "create-account",
            "ada@example.com",
            "--password-stdin",
            stdin=password,
        ),
        run(monkeypatch, capsys, "create-account", "not-an-email"),
        run(monkeypatch, capsys, "create-account", "bo@example.com", "--password-stdin"),
    ]

    for code, out, err in refusals:
        assert code in (1, 2) and out == ""
        (line,) = err.splitlines()
        record = json.loads(line)
        assert record["level"] == "ERROR" and record["message"].startswith("create-account: ")


def test_openapi_prints_the_apps_document() -> None:
    printed = keepwarm("openapi", env={})
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == create_app().openapi()


def test_no_command_shows_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "usage: keepwarm" in capsys.readouterr().err


class _Healthy(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_healthcheck_asks_this_machine_even_behind_a_proxy_setting(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Healthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("KEEPWARM_WORKER_PORT", str(server.server_address[1]))
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
        monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
        get_settings.cache_clear()
        assert run(monkeypatch, capsys, "healthcheck")[0] == 0
    finally:
        server.shutdown()
        server.server_close()
    code, _, err = run(monkeypatch, capsys, "healthcheck")
    assert code == 1
    assert "nothing answers /healthz" in err


def test_healthcheck_answers_1_not_2_for_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEEPWARM_DATABASE_URL", "postgresql://db.invalid/x?bogus=1")
    get_settings.cache_clear()
    try:
        assert run(monkeypatch, capsys, "healthcheck")[0] == 1
        assert run(monkeypatch, capsys, "migrate")[0] == 2
    finally:
        get_settings.cache_clear()


class _Stalled(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"status":"stalled","detail":"no tick has finished for 95 s (limit 90 s)"}'
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_healthcheck_says_what_a_stalled_worker_answered(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Stalled)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        monkeypatch.setenv("KEEPWARM_WORKER_PORT", str(port))
        get_settings.cache_clear()
        code, out, err = run(monkeypatch, capsys, "healthcheck")
    finally:
        server.shutdown()
        server.server_close()

    assert (code, out) == (1, "")
    assert err == (
        f"keepwarm: /healthz: port {port} answered 503: "
        "stalled: no tick has finished for 95 s (limit 90 s)\n"
    )
