"""Which keepwarm this is: the package's version and the commit it was built from."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

UNKNOWN = "unknown"
# Written into the package when a wheel (or the image) is built: setup.py's build step takes
# KEEPWARM_COMMIT (the Dockerfile's build argument) or asks git.
COMMIT_FILE = "COMMIT"


def package_version() -> str:
    """keepwarm's version, as installed (pyproject.toml's)."""
    return version("keepwarm")


@lru_cache
def commit() -> str:
    """The git commit this code was built from, or "unknown".

    A built package carries it in service/COMMIT; an editable install runs from its checkout,
    whose HEAD is asked (once) instead, so it follows new commits without reinstalling.
    """
    recorded = files("service").joinpath(COMMIT_FILE)
    if recorded.is_file():
        return recorded.read_text().strip() or UNKNOWN
    checkout = Path(__file__).resolve().parent.parent
    if not (checkout / ".git").exists():
        return UNKNOWN
    try:
        answer = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    head = answer.stdout.strip()
    return head if answer.returncode == 0 and head else UNKNOWN


def describe() -> str:
    """`0.2.0 (commit 0123abc…)`, as `keepwarm --version` prints it."""
    return f"{package_version()} (commit {commit()})"
