"""A client generated from openapi/openapi.json by openapi-python-client type-checks a short
end-to-end script under mypy --strict, and the script runs against a real server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.servers import uvicorn_server
from service.db.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "client" / "use_client.py"
BIN = Path(sys.executable).parent
MYPY_CONFIG = """\
[mypy]
strict = True

[mypy-kwclient.client]
# The generator's own template (httpx's __exit__ arguments), not keepwarm's contract.
ignore_errors = True
"""


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_generated_client_type_checks_and_works(tmp_path: Path) -> None:
    _run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            f"--path={ROOT / 'openapi' / 'openapi.json'}",
            "--meta=none",
            "--output-path=kwclient",
        ],
        tmp_path,
    )
    shutil.copy(SCRIPT, tmp_path / "use_client.py")
    (tmp_path / "mypy.ini").write_text(MYPY_CONFIG)

    checked = _run(
        [
            str(BIN / "mypy"),
            "--config-file=mypy.ini",
            "--no-incremental",
            "use_client.py",
            "kwclient",
        ],
        tmp_path,
    )
    assert "Success: no issues found" in checked.stdout

    url = f"sqlite:///{tmp_path / 'kw.db'}"
    upgrade(url)
    env = {"KEEPWARM_DATABASE_URL": url, "KEEPWARM_SCHEDULER": "off"}
    with uvicorn_server("service.main:create_app", env, tmp_path / "server.log") as (base, _):
        ran = _run(
            [sys.executable, "use_client.py", base, "client@example.com"],
            tmp_path,
            PYTHONPATH=str(tmp_path),
        )
    # The first touch after a No goes to the hiring manager, and the logged attempt parsed.
    assert ran.stdout.split() == ["email", "Hi", "Ann", "AttemptRead"], ran.stdout
