"""Start a uvicorn server in its own process, and measure it with wrk from another."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

UVICORN_ARGS = [
    "--workers",
    "1",
    "--log-level",
    "warning",
    "--no-access-log",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def uvicorn_server(factory: str, env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """Serve `module:factory` on a free port; yield (base URL, pid)."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                factory,
                "--port",
                str(port),
                *UVICORN_ARGS,
            ],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(port, proc)
            yield f"http://127.0.0.1:{port}", proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


@dataclass(frozen=True)
class Figure:
    """One endpoint under load: requests per second, and the server's CPU per request."""

    rps: float
    cpu_ms: float

    def ratio(self, other: Figure) -> float:
        return self.rps / other.rps


def cpu_seconds(pid: int) -> float:
    """The process's user and system CPU time so far (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(
    url: str,
    *,
    pid: int,
    seconds: int,
    connections: int,
    script: Path | None = None,
    headers: dict[str, str] | None = None,
) -> Figure:
    """What wrk measured, and the server's CPU over the run divided by the requests answered
    (non-2xx answers count as errors: fail)."""
    cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script is not None:
        cmd += ["-s", str(script)]
    before = cpu_seconds(pid)
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    spent = cpu_seconds(pid) - before
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    answered = re.search(r"(\d+) requests in", out)
    if rate is None or answered is None:
        raise RuntimeError(out)
    return Figure(float(rate.group(1)), spent * 1000 / max(int(answered.group(1)), 1))


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
