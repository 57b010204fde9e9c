"""The `image` fixture: the wheel of what the Dockerfile copies, installed away from the source."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.image import Image, runnable_python
from tests.deploy.wheel import shared_wheel


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Image]:
    wheel = shared_wheel(tmp_path_factory)
    root = Path(tempfile.mkdtemp(prefix="keepwarm-image-"))
    try:
        root.chmod(0o755)
        site = root / "site"
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
        install = [*pip, "install", "--no-deps", "--target", str(site), str(wheel)]
        subprocess.run(install, check=True, capture_output=True)
        user = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
        python = runnable_python(user)
        if python is None:
            pytest.skip(f"no Python {sys.version_info[:2]} that {user and user.pw_name} may run")
        yield Image(root, site, python, user)
    finally:
        shutil.rmtree(root, ignore_errors=True)
