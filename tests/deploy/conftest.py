"""The `image` fixture: a wheel of what the Dockerfile copies, installed away from the source."""

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

from tests.deploy.dockerfile import copy_sources, dockerfile_stages
from tests.deploy.image import (
    IMAGE_COMMIT,
    Image,
    build_requirements_installed,
    runnable_python,
)
from tests.deploy.paths import ROOT


@pytest.fixture(scope="module")
def image() -> Iterator[Image]:
    root = Path(tempfile.mkdtemp(prefix="keepwarm-image-"))
    try:
        root.chmod(0o755)
        context = root / "context"
        context.mkdir()
        for source in copy_sources(dockerfile_stages()[0]):
            origin = ROOT / source
            if origin.is_dir():
                ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
                shutil.copytree(origin, context / source, ignore=ignore)
            else:
                shutil.copy(origin, context / source)
        wheels, site = root / "wheels", root / "site"
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
        build = [*pip, "wheel", "--no-deps", "-w", str(wheels), "."]
        if build_requirements_installed():
            build.insert(-1, "--no-build-isolation")  # offline, with this venv's setuptools
        # As the Dockerfile's build argument gives it (the context has no .git).
        env = {**os.environ, "KEEPWARM_COMMIT": IMAGE_COMMIT}
        built = subprocess.run(
            build, cwd=context, env=env, capture_output=True, text=True, check=False
        )
        assert built.returncode == 0, f"the Dockerfile's COPY set does not build:\n{built.stderr}"
        (wheel,) = wheels.glob("keepwarm-*.whl")
        install = [*pip, "install", "--no-deps", "--target", str(site), str(wheel)]
        subprocess.run(install, check=True, capture_output=True)
        user = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
        python = runnable_python(user)
        if python is None:
            pytest.skip(f"no Python {sys.version_info[:2]} that {user and user.pw_name} may run")
        yield Image(root, site, python, user)
    finally:
        shutil.rmtree(root, ignore_errors=True)
