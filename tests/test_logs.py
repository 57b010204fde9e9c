"""Log lines (text or JSON), request ids, and one access line per request."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.config import LogFormat, Settings, Toggle
from service.db.migrate import upgrade
from service.logs import log_config
from service.main import create_app
from tests.conftest import LOOPBACK, PASSWORD

ROOT = Path(__file__).resolve().parents[1]
TEXT_LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARNING|ERROR) [\w.]+: .+")
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('logs') / 'logs.db'}"
    upgrade(url)
    return url


@contextmanager
def logging_as(log_format: LogFormat) -> Iterator[io.StringIO]:
    """keepwarm's logging set-up, writing to a buffer; the root logger restored after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    config = log_config(Settings(log_format=log_format))
    stream = io.StringIO()
    config["handlers"]["stderr"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def serve(database: str, **settings: Any) -> TestClient:
    app = create_app(Settings(database_url=database, scheduler=Toggle.OFF, **settings))
    return TestClient(app, client=LOOPBACK, raise_server_exceptions=False)


def access_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [record for record in records if record["logger"] == "keepwarm.access"]


def test_a_text_line_has_a_timestamp_level_logger_and_the_request(database: str) -> None:
    with logging_as(LogFormat.TEXT) as stream, serve(database) as client:
        response = client.get("/v1/server?probe=1")

    rid = response.headers["x-request-id"]
    lines = [line for line in stream.getvalue().splitlines() if " keepwarm.access: " in line]
    assert len(lines) == 1
    assert TEXT_LINE.fullmatch(lines[0]), lines[0]
    assert re.search(
        rf'"GET /v1/server\?probe=1 HTTP/1.1" 200 \d+\.\d ms request_id={rid}$', lines[0]
    )


def test_a_path_cannot_forge_a_text_line(database: str) -> None:
    with logging_as(LogFormat.TEXT) as stream, serve(database) as client:
        client.get("/v1/x%0A2026-01-01T00:00:00.000Z INFO keepwarm.access: forged")

    lines = stream.getvalue().splitlines()
    assert all(TEXT_LINE.fullmatch(line) for line in lines), lines
    access = [line for line in lines if line.split()[2] == "keepwarm.access:"]
    assert len(access) == 1
    assert '"GET /v1/x%0A2026-01-01T00%3A00%3A00.000Z%20INFO%20' in access[0]


def test_a_json_line_per_request_carries_its_id_and_duration(database: str) -> None:
    with logging_as(LogFormat.JSON) as stream, serve(database) as client:
        response = client.get("/v1/server")
        other = client.get("/v1/no-such-thing")

    rid = response.headers["x-request-id"]
    assert GENERATED_ID.fullmatch(rid)
    assert other.headers["x-request-id"] != rid
    first, second = access_lines(stream)
    assert datetime.fromisoformat(first["timestamp"]).utcoffset() is not None
    assert first["level"] == "INFO"
    assert first["message"].endswith(f"request_id={rid}")
    assert {k: first[k] for k in ("request_id", "method", "path", "status")} == {
        "request_id": rid,
        "method": "GET",
        "path": "/v1/server",
        "status": 200,
    }
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] > 0
    assert (second["path"], second["status"]) == ("/v1/no-such-thing", 404)


def test_every_line_is_one_json_object(database: str) -> None:
    with logging_as(LogFormat.JSON) as stream, serve(database) as client:
        client.get("/healthz")
        logging.getLogger("keepwarm").warning("two\nlines", exc_info=ValueError("and a trace"))

    for line in stream.getvalue().splitlines():
        record = json.loads(line)
        assert {"timestamp", "level", "logger", "message"} <= set(record)
    assert json.loads(stream.getvalue().splitlines()[-1])["exception"].endswith("and a trace")


@pytest.mark.parametrize("incoming", ["abc-123", "A" * 128, "trace=01/span:02;x"])
def test_a_well_formed_incoming_id_is_kept(database: str, incoming: str) -> None:
    with logging_as(LogFormat.JSON) as stream, serve(database) as client:
        response = client.get("/v1/server", headers={"X-Request-Id": incoming})

    assert response.headers["x-request-id"] == incoming
    assert [line["request_id"] for line in access_lines(stream)] == [incoming]


@pytest.mark.parametrize("incoming", ["", "two words", "A" * 129, "caf\u00e9", "tab\there"])
def test_a_malformed_incoming_id_is_replaced(database: str, incoming: str) -> None:
    with logging_as(LogFormat.JSON) as stream, serve(database) as client:
        response = client.get("/v1/server", headers={"X-Request-Id": incoming.encode("latin-1")})

    rid = response.headers["x-request-id"]
    assert GENERATED_ID.fullmatch(rid)
    assert [line["request_id"] for line in access_lines(stream)] == [rid]


def test_the_feed_token_is_kept_out_of_json_lines(database: str) -> None:
    with logging_as(LogFormat.JSON) as stream, serve(database) as client:
        signed = client.post(
            "/v1/accounts", json={"email": "feed-log@example.com", "password": PASSWORD}
        )
        key = signed.json()["api_key"]
        feed = client.get("/v1/calendar", headers={"Authorization": f"Bearer {key}"}).json()
        path = urlsplit(feed["feed_url"]).path
        assert client.get(f"{path}?alarm=1").status_code == 200

    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert token not in stream.getvalue()
    feed_line = access_lines(stream)[-1]
    assert feed_line["path"] == "/calendar/[redacted].ics?alarm=1"
    assert "/calendar/[redacted].ics?alarm=1" in feed_line["message"]


@pytest.mark.parametrize("log_format", [LogFormat.JSON, LogFormat.TEXT])
def test_the_feed_token_is_kept_out_of_lines_whatever_the_path_s_case_or_slashes(
    database: str, log_format: LogFormat
) -> None:
    with logging_as(log_format) as stream, serve(database) as client:
        signed = client.post(
            "/v1/accounts", json={"email": f"feed-{log_format}@example.com", "password": PASSWORD}
        )
        key = signed.json()["api_key"]
        feed = client.get("/v1/calendar", headers={"Authorization": f"Bearer {key}"}).json()
        token = urlsplit(feed["feed_url"]).path.removeprefix("/calendar/").removesuffix(".ics")
        for path in (
            f"/calendar/{token}.ICS",
            f"/calendar//{token}.ics",
            f"/Calendar/{token}.ics?alarm=1",
            f"/calendar/{token}",
            f"/calendar/{token}/extra.ics",
            f"/calendar%2F{token}.ics",
        ):
            client.get(path)

    written = stream.getvalue()
    assert token not in written
    assert written.count("/calendar/[redacted]") >= 6, written


def crashing(app: FastAPI) -> FastAPI:
    async def crash() -> None:
        logging.getLogger("keepwarm.test").info("about to fail")
        raise RuntimeError("a bug")

    app.router.add_api_route("/crash", crash)
    return app


def test_a_500_names_its_request_id_in_header_body_and_lines(database: str) -> None:
    with logging_as(LogFormat.JSON) as stream, serve(database) as client:
        crashing(client.app)  # type: ignore[arg-type]
        response = client.get("/crash", headers={"X-Request-Id": "crash-1"})

    assert response.status_code == 500
    assert response.headers["x-request-id"] == "crash-1"
    assert response.json()["request_id"] == "crash-1"
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    mine = [record for record in records if record.get("request_id") == "crash-1"]
    # A line logged while answering, the access line, the error with its traceback.
    assert [record["logger"] for record in mine] == ["keepwarm.test", "keepwarm.access", "keepwarm"]
    assert mine[1]["status"] == 500
    assert "RuntimeError: a bug" in mine[2]["exception"]


def test_a_browser_app_can_read_the_request_id(database: str) -> None:
    origin = "https://app.example"
    with serve(database, cors_origins=(origin,)) as client:
        response = client.get("/healthz", headers={"Origin": origin})

    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-request-id" in {name.strip() for name in exposed.split(",")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def keepwarm_serve(tmp_path: Path, **settings: str) -> Iterator[tuple[str, list[str]]]:
    """`keepwarm serve` on a free port, logging JSON: its base URL, then its stderr lines."""
    port = free_port()
    env = {
        **os.environ,
        "KEEPWARM_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "KEEPWARM_SCHEDULER": "off",
        "KEEPWARM_LOG_FORMAT": "json",
        "KEEPWARM_LOG_LEVEL": "INFO",
        **{f"KEEPWARM_{name.upper()}": value for name, value in settings.items()},
    }
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz", headers={"X-Request-Id": "probe"}, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.1)
        yield base, lines
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
        lines.extend(stderr.splitlines())


def test_keepwarm_serve_writes_one_json_line_per_request(tmp_path: Path) -> None:
    with keepwarm_serve(tmp_path) as (base, lines):
        ready = httpx.get(f"{base}/v1/server", headers={"X-Request-Id": "ready-1"})
        missing = httpx.get(f"{base}/calendar/s3cr3t-feed-token.ics")
    stderr = "\n".join(lines)

    assert ready.headers["x-request-id"] == "ready-1"
    records = [json.loads(line) for line in stderr.splitlines()]  # every line is JSON
    assert all(record["timestamp"] and record["level"] for record in records)
    assert not [record for record in records if record["logger"] == "uvicorn.access"]
    access = [record for record in records if record["logger"] == "keepwarm.access"]
    assert [
        (record["request_id"], record["status"])
        for record in access
        if record["request_id"] != "probe"
    ] == [
        ("ready-1", 200),
        (missing.headers["x-request-id"], 404),
    ]
    assert "s3cr3t-feed-token" not in stderr
    assert any(record["logger"] == "uvicorn.error" for record in records)  # uvicorn's own, as JSON


@pytest.mark.parametrize(
    ("trusted", "client"), [("127.0.0.1", "203.0.113.7"), ("192.0.2.1", "127.0.0.1")]
)
def test_the_client_behind_a_trusted_proxy_is_the_forwarded_one(
    tmp_path: Path, trusted: str, client: str
) -> None:
    # The client address decides the per-client limits: behind a proxy, every request would
    # otherwise come from the proxy's address.
    with keepwarm_serve(tmp_path, forwarded_allow_ips=trusted) as (base, lines):
        httpx.get(f"{base}/v1/server", headers={"X-Forwarded-For": "203.0.113.7"})
    access = [json.loads(line) for line in lines if '"keepwarm.access"' in line]
    assert access[-1]["client"].split(":")[0] == client
