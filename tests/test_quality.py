"""The code stays lint-clean, typed and layered (ruff, mypy, import-linter), checked in CI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "service", "tests", "bench", "migrations"),
        ("ruff", "format", "--check", "service", "tests", "bench", "migrations"),
        ("lint-imports",),
        (sys.executable, "-m", "mypy"),
    ],
    ids=["ruff-check", "ruff-format", "import-layers", "mypy"],
)
def test_the_code_passes(command: tuple[str, ...]) -> None:
    # Beside the interpreter first: CI runs .venv/bin/pytest without activating the venv.
    beside = Path(sys.executable).parent / command[0]
    executable = str(beside) if beside.exists() else shutil.which(command[0])
    if command[0] == sys.executable:
        executable = sys.executable
    assert executable is not None, f"{command[0]} is not installed (pip install -e '.[dev]')"
    result = run(executable, *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr
