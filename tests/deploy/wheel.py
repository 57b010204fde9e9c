"""One wheel of what the Dockerfile copies, built once per run and shared by every xdist worker.

Both the image's tests and the packaged migrations' test install it: a build costs about 15 s
(pip sets up an isolated build environment), and the two built the same thing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.dockerfile import copy_sources, dockerfile_stages
from tests.deploy.image import IMAGE_COMMIT, build_requirements_installed
from tests.deploy.paths import ROOT


def _build(into: Path) -> subprocess.CompletedProcess[str]:
    context = into / "context"
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir()
    for source in copy_sources(dockerfile_stages()[0]):
        origin = ROOT / source
        if origin.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(origin, context / source, ignore=ignore)
        else:
            shutil.copy(origin, context / source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-deps", "-w", str(into / "dist"), "."]
    if build_requirements_installed():
        build.insert(-1, "--no-build-isolation")  # offline, with this venv's setuptools
    # As the Dockerfile's build argument gives it (the context has no .git).
    env = {**os.environ, "KEEPWARM_COMMIT": IMAGE_COMMIT}
    return subprocess.run(
        build, cwd=context, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def shared_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by whichever worker asks first; the others wait for it, then reuse it."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is inside the run's own directory, which they share.
    run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    place = run / "keepwarm-wheel"
    place.mkdir(exist_ok=True)
    with (run / "keepwarm-wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = sorted((place / "dist").glob("keepwarm-*.whl"))
        if not built:
            done = _build(place)
            if done.returncode != 0 and "satisfies the requirement setuptools" in done.stderr:
                pytest.skip(f"no package index to fetch the build backend from: {done.stderr}")
            assert done.returncode == 0, f"the Dockerfile's COPY set does not build:\n{done.stderr}"
            built = sorted((place / "dist").glob("keepwarm-*.whl"))
    (wheel,) = built
    return wheel
