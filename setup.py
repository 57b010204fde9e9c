"""Records the commit a package is built from in service/COMMIT (read by service/build.py).

Everything else is in pyproject.toml. The commit is KEEPWARM_COMMIT when set (the Dockerfile
passes its build argument: the image's build context has no .git), else the checkout's HEAD
(`git rev-parse HEAD`), else the COMMIT file an sdist carries, else "unknown". An editable
install records nothing: it asks its checkout at run time.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent


def built_from() -> str:
    given = os.environ.get("KEEPWARM_COMMIT", "").strip()
    if given:
        return given
    try:
        head = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if head.returncode == 0 and head.stdout.strip():
            return head.stdout.strip()
    except OSError:
        pass
    carried = HERE / "service" / "COMMIT"
    return carried.read_text().strip() if carried.is_file() else "unknown"


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            Path(self.build_lib, "service", "COMMIT").write_text(built_from() + "\n")


class Sdist(sdist):
    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        Path(base_dir, "service", "COMMIT").write_text(built_from() + "\n")


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
