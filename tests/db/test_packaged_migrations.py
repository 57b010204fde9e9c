"""The migrations ship in the wheel: `keepwarm migrate` works from an installed copy, anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from service.db.migrate import current_revisions, head_revisions
from service.db.session import make_engine
from tests.deploy.wheel import shared_wheel

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_every_module_and_migration(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The wheel the image's tests install too: what the Dockerfile copies, built by pip.
    wheel = shared_wheel(tmp_path_factory)
    shipped = set(zipfile.ZipFile(wheel).namelist())

    # The package list in pyproject.toml is written out by hand: hold it to the source tree.
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "service").rglob("*.py")}
    missing = {m for m in modules if "__pycache__" not in m} - shipped
    assert not missing, f"add their packages to [tool.setuptools] packages: {sorted(missing)}"
    scripts = {
        "service/" + p.relative_to(ROOT).as_posix()
        for p in (ROOT / "migrations").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert scripts and scripts <= shipped, sorted(scripts - shipped)
    assert not {name for name in shipped if name.startswith("migrations/")}

    # Installed elsewhere and run from /, the installed copy alone migrates a new database.
    site = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site)]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True, timeout=120)
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    env = {**os.environ, "PYTHONPATH": str(site), "KEEPWARM_DATABASE_URL": url}
    env.pop("KEEPWARM_AUTO_MIGRATE", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd="/", env=env, capture_output=True, text=True, timeout=60
        )

    migrated = run("-m", "service.cli", "migrate")
    assert migrated.returncode == 0, migrated.stderr

    where = run(
        "-c",
        "import service.cli\n"
        "from service.db.migrate import migrations_dir\n"
        "print(service.cli.__file__, migrations_dir(), sep='\\n')",
    )
    assert where.returncode == 0, where.stderr
    cli_file, scripts_dir = where.stdout.split()
    assert Path(cli_file).is_relative_to(site)
    assert Path(scripts_dir) == site / "service" / "migrations"

    engine = make_engine(url)
    try:
        assert current_revisions(engine) == head_revisions(url)
    finally:
        engine.dispose()
