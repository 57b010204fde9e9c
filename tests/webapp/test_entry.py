"""The way in: the server's bare address leads to the app, and `keepwarm serve` says where it is."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.webapp.conftest import _free_port


def test_the_root_address_opens_the_app(base_url: str, anonymous: Page) -> None:
    answer = httpx.get(f"{base_url}/")
    assert answer.status_code == 307
    assert httpx.URL(f"{base_url}/").join(answer.headers["Location"]).path == "/app/"
    anonymous.goto("/")
    expect(anonymous.get_by_role("heading", name="Sign in")).to_be_focused()
    assert anonymous.url.startswith(f"{base_url}/app/")


def test_serve_prints_the_apps_address(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "KEEPWARM_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "KEEPWARM_SCHEDULER": "off",
        "KEEPWARM_PORT": str(port),
    }
    env.pop("KEEPWARM_PUBLIC_URL", None)
    command = [sys.executable, "-m", "service.cli", "serve"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        url = f"http://127.0.0.1:{port}/app/"
        assert line == f"keepwarm: open the web app at {url}"
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(url)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.1)
        assert answer.status_code == 200
        assert "keepwarm" in answer.text
    finally:
        process.terminate()
        process.wait(timeout=15)
        assert process.stdout is not None
        process.stdout.close()
