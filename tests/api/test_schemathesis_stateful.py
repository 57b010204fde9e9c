"""schemathesis's stateful phase on PostgreSQL: sequences of calls, linked by the ids and
Location headers the API answers, never get a 5xx.

Run with schemathesis's own command against a real server: its in-process state machine
replays sequences against a database the first run changed, and hypothesis then reports the
generation as flaky.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bench.servers import uvicorn_server
from service.db.migrate import upgrade
from tests.conftest import PASSWORD, make_database

EXAMPLES = os.environ.get("KEEPWARM_TEST_STATEFUL_EXAMPLES", "150")


def test_call_sequences_never_get_a_server_error(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("postgresql", request, tmp_path, "kw_stateful")
    upgrade(url)
    env = {
        "KEEPWARM_DATABASE_URL": url,
        "KEEPWARM_SCHEDULER": "off",
        "KEEPWARM_WEBHOOK_ALLOW_PRIVATE": "true",
        "KEEPWARM_LOG_LEVEL": "WARNING",
    }
    with uvicorn_server("service.main:create_app", env, tmp_path / "server.log") as (base, _):
        signed = httpx.post(
            f"{base}/v1/accounts",
            json={"email": "stateful@example.com", "password": PASSWORD},
        )
        assert signed.status_code == 201, signed.text
        key = signed.json()["api_key"]
        found = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                f"{base}/openapi.json",
                "--phases=stateful",
                "--checks=not_a_server_error",
                f"--max-examples={EXAMPLES}",
                f"--header=Authorization: Bearer {key}",
                # Signing up or in again, deleting the account or revoking the key ends the run.
                "--exclude-path-regex=^/v1/(accounts|tokens|api-keys|account)",
                f"--report-dir={tmp_path / 'report'}",
                "--seed=1",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,  # its cache, not the checkout's
            env={**os.environ, "NO_COLOR": "1"},
        )
    assert found.returncode == 0, found.stdout[-6000:] + found.stderr[-2000:]
    assert "stateful" in found.stdout.lower()
