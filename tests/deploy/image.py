"""The image, simulated: keepwarm installed from a wheel and run as an unprivileged user."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from tests.deploy.paths import ROOT

# The commit the `image` fixture's wheel is built from, passed as the Dockerfile passes it.
IMAGE_COMMIT = "0123456789abcdef0123456789abcdef01234567"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Image:
    """keepwarm installed from a wheel of what the Dockerfile copies, away from the source."""

    root: Path  # world-readable, writable by its owner only: also HOME
    site: Path  # the wheel installed with pip --target
    python: str  # an interpreter of this version the unprivileged user may run
    user: pwd.struct_passwd | None  # nobody when we are root; None: ourselves, not root

    def command(self, *argv: str) -> list[str]:
        return as_user(self.user, [self.python, "-s", str(self.site / "bin" / "keepwarm"), *argv])

    def env(self, **settings: str) -> dict[str, str]:
        dependencies = sysconfig.get_paths()["purelib"]  # this venv's, the image's own venv
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TZ")}
        keepwarm = {f"KEEPWARM_{name.upper()}": value for name, value in settings.items()}
        return {
            **keep,
            "HOME": str(self.root),
            "PYTHONPATH": f"{self.site}:{dependencies}",
            "PYTHONDONTWRITEBYTECODE": "1",
            **keepwarm,
        }

    def run(self, *argv: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*argv),
            env=self.env(**settings),
            cwd="/",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def start(self, *argv: str, log: Path, **settings: str) -> subprocess.Popen[bytes]:
        with log.open("wb") as output:
            return subprocess.Popen(
                self.command(*argv),
                env=self.env(**settings),
                cwd="/",
                stdout=output,
                stderr=subprocess.STDOUT,
            )


def as_user(user: pwd.struct_passwd | None, command: list[str]) -> list[str]:
    if user is None:
        return command
    ids = [f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    return ["setpriv", *ids, "--", *command]


def runnable_python(user: pwd.struct_passwd | None) -> str | None:
    """This interpreter, or another of the same version, that `user` may execute."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable, f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]
    for candidate in candidates:
        if not Path(candidate).exists():
            continue
        probe = as_user(user, [candidate, "-c", "import sys; print(sys.version_info[:2])"])
        answer = subprocess.run(probe, capture_output=True, text=True, check=False)
        if answer.returncode == 0 and answer.stdout.strip() == str(sys.version_info[:2]):
            return candidate
    return None


def build_requirements_installed() -> bool:
    """Whether this venv has pyproject's build-system requirements (else pip fetches them)."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    for requirement in map(Requirement, requires):
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            return False
        if installed not in requirement.specifier:
            return False
    return True


def wait_healthy(image: Image, process: subprocess.Popen[bytes], log: Path, **ports: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        if image.run("healthcheck", **ports).returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"no healthy answer on {ports}:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> int:
    process.terminate()  # what `docker stop` sends
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
