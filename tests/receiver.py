"""A real local HTTP(S) endpoint for webhook tests: records requests, answers as told."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self


@dataclass(frozen=True)
class Reply:
    """What the receiver answers to one request."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0


@dataclass(frozen=True)
class Recorded:
    """One request as the receiver saw it; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Responder = Callable[[Recorded], Reply]


class Receiver:
    """A threaded HTTP server on 127.0.0.1 (or TLS with `tls`), used as a context manager.

    Each request gets the next reply queued with `enqueue`, else what `respond` returns
    (a fixed Reply or a function of the request), else 200 with an empty body.
    """

    def __init__(
        self,
        respond: Reply | Responder | None = None,
        *,
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._respond = respond
        self._host = host
        self._tls = tls
        self._queue: deque[Reply] = deque()
        self._requests: list[Recorded] = []
        self._lock = threading.Condition()
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._server is None:
            raise RuntimeError("the receiver is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:54321 (no trailing slash)."""
        scheme = "https" if self._tls else "http"
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{scheme}://{host}:{self.port}"

    def url_for(self, path: str = "/") -> str:
        """The URL of a path on this receiver."""
        return self.url + path

    def enqueue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def requests(self) -> list[Recorded]:
        """Every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Recorded]:
        """Block until at least `count` requests arrived; raise TimeoutError otherwise."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._requests) >= count, timeout):
                raise TimeoutError(f"{len(self._requests)} of {count} requests after {timeout} s")
            return list(self._requests)

    def start(self) -> None:
        """Start serving in a background thread."""
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        server_class = type("_BoundServer", (_Server,), {"address_family": family})
        self._server = server_class((self._host, 0), _Handler, receiver=self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving, cut delayed replies and idle keep-alive connections short, join threads."""
        self._closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.hang_up()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _record(self, request: Recorded) -> Reply:
        with self._lock:
            self._requests.append(request)
            self._lock.notify_all()
            if self._queue:
                return self._queue.popleft()
        if self._respond is None:
            return Reply()
        if isinstance(self._respond, Reply):
            return self._respond
        return self._respond(request)


class _Server(ThreadingHTTPServer):
    # Joined on close, so no handler thread outlives the test.
    daemon_threads = False
    block_on_close = True
    # Many deliveries connect at once; the standard library's backlog of 5 would drop some.
    request_queue_size = 512

    def __init__(self, address: tuple[str, int], handler: Any, *, receiver: Receiver) -> None:
        self.receiver = receiver
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, address = self.socket.accept()
        tls = self.receiver._tls
        if tls is not None:
            # The handshake happens in the handler thread, on first read.
            conn = tls.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        with self._open_lock:
            self._open.add(conn)
        return conn, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def hang_up(self) -> None:
        """Wake handler threads blocked reading an idle keep-alive connection."""
        with self._open_lock:
            open_now = list(self._open)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (timeouts, failed TLS handshakes) are expected here."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10.0

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            # The sender went away mid-body: nothing was delivered, so nothing is recorded.
            self.close_connection = True
            return
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        receiver = self.server.receiver
        reply = receiver._record(Recorded(self.command, self.path, headers, body))
        if reply.delay and receiver._closing.wait(reply.delay):
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is for the tests."""
