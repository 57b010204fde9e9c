"""The Dockerfile and .dockerignore: stages, layers, user, health check."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from service.config import Settings
from tests.deploy.dockerfile import copy_sources, dockerfile_stages
from tests.deploy.paths import ROOT


def test_dockerfile_builds_in_one_stage_and_runs_in_a_slim_one() -> None:
    builder, runtime = dockerfile_stages()
    assert (builder.base, builder.name) == ("python:3.11-slim", "builder")
    assert (runtime.base, runtime.name) == ("python:3.11-slim", "runtime")
    assert copy_sources(runtime) == []  # no source tree in the image, only the venv
    (venv,) = runtime.all("COPY")
    assert venv.arguments.split()[0] == "--from=builder"


def test_dockerfile_installs_the_dependencies_before_it_copies_the_code() -> None:
    builder = dockerfile_stages()[0]
    steps = builder.instructions
    copies = [i for i, step in enumerate(steps) if step.keyword == "COPY"]
    assert steps[copies[0]].arguments == "pyproject.toml ./"
    code = next(i for i in copies if steps[i].arguments.startswith("service "))
    installs = [
        i
        for i, step in enumerate(steps)
        if step.keyword == "RUN" and "pip install" in step.arguments and copies[0] < i < code
    ]
    assert installs, "no dependency layer between COPY pyproject.toml and COPY service"
    project = next(step for step in steps[code:] if step.keyword == "RUN")
    assert "--no-deps" in project.arguments  # the dependencies' layer stays as it is


def test_dockerfile_dependency_list_is_the_projects(tmp_path: Path) -> None:
    builder = dockerfile_stages()[0]
    (deps,) = [step for step in builder.all("RUN") if "pyproject.toml" in step.arguments]
    extract, _, install = deps.arguments.partition(" && ")
    assert install == "pip install -r /tmp/requirements.txt"
    assert extract.endswith("> /tmp/requirements.txt")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    listed = subprocess.run(
        ["sh", "-c", extract.removesuffix("> /tmp/requirements.txt")],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert listed.splitlines() == project["dependencies"]


def test_dockerfile_runs_as_a_user_with_a_health_check_for_both_roles() -> None:
    runtime = dockerfile_stages()[-1]
    (user,) = runtime.all("USER")
    assert user.arguments.split(":")[0] == "10001"
    (workdir,) = runtime.all("WORKDIR")
    assert workdir.arguments not in ("/", "/src", "/app")
    env = dict(
        pair.split("=", 1) for step in runtime.all("ENV") for pair in shlex.split(step.arguments)
    )
    assert env["KEEPWARM_HOST"] == "0.0.0.0"
    fields = {f"KEEPWARM_{name.upper()}" for name in Settings.model_fields}
    assert {name for name in env if name.startswith("KEEPWARM_")} <= fields
    (expose,) = runtime.all("EXPOSE")
    assert expose.arguments.split() == ["8000", "8001"]
    (health,) = runtime.all("HEALTHCHECK")
    assert health.arguments.split(" CMD ", 1)[1] == '["keepwarm", "healthcheck"]'
    (cmd,) = runtime.all("CMD")
    assert cmd.exec_form() == ["keepwarm", "serve"]


def test_dockerignore_keeps_out_what_the_image_does_not_need_but_not_what_it_copies() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {".git", ".venv", ".env", "tests"} <= set(patterns)
    for source in copy_sources(dockerfile_stages()[0]):
        assert not any(fnmatch(source.rstrip("/"), pattern) for pattern in patterns), source


def test_docker_buildx_checks_the_dockerfile() -> None:
    docker = shutil.which("docker")
    version = subprocess.run(
        [docker or "docker", "buildx", "version"], capture_output=True, check=False
    )
    if docker is None or version.returncode != 0:
        pytest.skip("docker buildx is not installed here (the parsing checks above instead)")
    checked = subprocess.run(
        [docker, "buildx", "build", "--check", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if "Cannot connect to the Docker daemon" in checked.stderr:
        pytest.skip("no Docker daemon here: docker buildx build --check needs one")
    assert checked.returncode == 0, checked.stderr
