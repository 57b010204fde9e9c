"""Limits: request bodies, request heads and slow or idle connections."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import User, assert_problem

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


# Bodies (in process)


def test_a_body_over_the_limit_answers_413(client: TestClient) -> None:
    body = b'{"email": "a@example.com", "password": "' + b"x" * MiB + b'"}'
    response = client.post(
        "/v1/accounts", content=body, headers={"Content-Type": "application/json"}
    )
    problem = assert_problem(response, 413)
    assert "1048576" in problem["detail"]


def test_an_absurd_content_length_answers_413(client: TestClient) -> None:
    # The server would wait for that many bytes: the answer comes first.
    for declared in ("9" * 5000, str(10**15)):
        response = client.post("/v1/accounts", content=b"{}", headers={"Content-Length": declared})
        assert_problem(response, 413)


def test_a_streamed_body_over_the_limit_answers_413(user: User) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "Acme", "notes": "'
        for _ in range(20):
            yield b"x" * 64 * 1024
        yield b'"}'

    response = user.post(
        "/v1/organizations", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413)
    assert user.get("/v1/organizations").json()["data"] == []


def test_a_body_at_the_limit_is_read(user: User) -> None:
    # Notes hold 10,000 characters: a body of exactly 1 MiB reaches validation, not 413.
    prefix, suffix = b'{"name": "Acme", "notes": "', b'"}'
    body = prefix + b"x" * (MiB - len(prefix) - len(suffix)) + suffix
    assert len(body) == MiB
    response = user.post(
        "/v1/organizations", content=body, headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 422, field="notes")


@pytest.mark.parametrize("path", ["/v1/import", "/v1/contacts/import"])
def test_imports_may_send_up_to_ten_mebibytes(user: User, path: str) -> None:
    big = user.post(path, content=b"x" * (2 * MiB), headers={"Content-Type": "text/csv"})
    assert big.status_code != 413
    huge = user.post(path, content=b"x" * (10 * MiB + 1), headers={"Content-Type": "text/csv"})
    assert_problem(huge, 413)


# A real server: what uvicorn and the app do on the wire


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    workdir = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "KEEPWARM_DATABASE_URL": f"sqlite:///{workdir / 'serve.db'}",
        "KEEPWARM_SCHEDULER": "off",
        "KEEPWARM_LOG_LEVEL": "WARNING",
        "KEEPWARM_REQUEST_TIMEOUT_SECONDS": "1",
        "KEEPWARM_KEEP_ALIVE_SECONDS": "1",
        "KEEPWARM_MAX_HEADER_BYTES": "8192",
    }
    command = shutil.which("keepwarm")
    prefix = [command] if command else [sys.executable, "-m", "service.cli"]
    with (workdir / "serve.log").open("w") as log:
        proc = subprocess.Popen(
            [*prefix, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 30
            while connect_ex(port) != 0:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.05)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def connect_ex(port: int) -> int:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port))


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(5)
    return sock


def answer(sock: socket.socket) -> bytes:
    """What the server sent until it closed the connection (or 5 s passed)."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return received


def closed_within(sock: socket.socket, seconds: float) -> bool:
    started = time.monotonic()
    answer(sock)
    return time.monotonic() - started < seconds


def test_a_declared_length_over_the_limit_is_refused_before_the_body(server: int) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000000\r\n\r\n"
        )
        head = answer(sock)
    assert head.startswith(b"HTTP/1.1 413 "), head[:200]
    assert b"application/problem+json" in head and b"nosniff" in head


def test_a_streamed_body_is_refused_at_the_limit_not_at_its_end(server: int) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"x" * 65536
        for _ in range(18):  # 1.1 MiB, and the body never ends
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        head = answer(sock)
    assert head.startswith(b"HTTP/1.1 413 "), head[:200]


def test_oversized_headers_are_refused(server: int) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * MiB + b"\r\n\r\n")
        head = answer(sock)
    assert not head.startswith(b"HTTP/1.1 200"), head[:200]
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        for _ in range(4):  # 12 KiB over the server's 8 KiB, in pieces
            sock.sendall(b"X-Part: " + b"a" * 3072 + b"\r\n")
        assert answer(sock).startswith(b"HTTP/1.1 431 ")
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Fine: " + b"a" * 4096 + b"\r\n")
        sock.sendall(b"Connection: close\r\n\r\n")
        assert answer(sock).startswith(b"HTTP/1.1 200 ")


def test_an_idle_connection_is_closed(server: int) -> None:
    with connect(server) as sock:
        assert closed_within(sock, 3)


def test_a_request_head_sent_slowly_is_cut_off(server: int) -> None:
    with connect(server) as sock:
        started = time.monotonic()
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            while time.monotonic() - started < 4:
                sock.sendall(b"X: y\r\n")
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert time.monotonic() - started < 3


def test_a_kept_alive_connection_is_closed_when_idle(server: int) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        assert closed_within(sock, 3)


def test_every_operation_with_a_body_declares_413(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operations = [op for path in document["paths"].values() for op in path.values()]
    with_body = [op for op in operations if "requestBody" in op]
    assert with_body
    for operation in with_body:
        answer = operation["responses"]["413"]
        assert "Problem" in answer["content"]["application/problem+json"]["schema"]["$ref"]
