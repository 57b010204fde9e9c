"""The deployment files: compose.yaml, the Dockerfile, deploy/, and the image's entry points.

No container runs here (no Docker daemon, no registry), so the files are read as Compose and
Docker would read them, and the image is simulated: the files the Dockerfile copies are built
into a wheel, installed outside the source tree and run from `/` as an unprivileged user.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from packaging.requirements import Requirement
from sqlalchemy.engine import make_url

from service.config import Settings
from service.db.urls import check_database_url
from tests.pg import _as_postgres, _pg_bin, postgres_cluster

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "compose.yaml"
INIT_SQL = ROOT / "deploy" / "initdb" / "10-keepwarm-roles.sql"
KEEPWARM_SERVICES = ("migrate", "api", "worker")
# ${NAME:-default}, ${NAME-default} or ${NAME}: Compose's interpolation.
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def interpolate(value: str) -> str:
    """The value Compose uses when nothing is set in the environment or in .env."""
    return INTERPOLATION.sub(lambda m: m.group(2) or "", value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return document


def service_env(compose: dict[str, Any], name: str) -> dict[str, str]:
    environment: dict[str, str] = compose["services"][name]["environment"]
    return environment


def database_user(compose: dict[str, Any], name: str) -> str:
    url = make_url(interpolate(service_env(compose, name)["KEEPWARM_DATABASE_URL"]))
    assert url.username
    return url.username


# ---- compose.yaml -------------------------------------------------------------------------


def test_compose_runs_postgres_a_migrate_two_api_replicas_and_a_worker(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", *KEEPWARM_SERVICES}
    assert {name: services[name]["command"] for name in KEEPWARM_SERVICES} == {
        "migrate": ["keepwarm", "migrate"],
        "api": ["keepwarm", "serve"],
        "worker": ["keepwarm", "worker"],
    }
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["migrate"]["restart"] == "no"
    assert {services[name]["image"] for name in KEEPWARM_SERVICES} == {"keepwarm:local"}
    assert all(services[name]["build"] == "." for name in KEEPWARM_SERVICES)


def test_compose_starts_the_api_and_worker_only_after_migrate_succeeded(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["postgres"] == {"condition": "service_healthy"}


def test_compose_postgres_is_15_with_a_volume_a_tcp_health_check_and_the_role_script(
    compose: dict[str, Any],
) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    volumes = dict(volume.split(":", 1) for volume in postgres["volumes"])
    assert volumes["postgres-data"] == "/var/lib/postgresql/data"
    assert "postgres-data" in compose["volumes"]
    mounted = next(source for source, target in volumes.items() if "initdb.d" in target)
    assert volumes[mounted] == "/docker-entrypoint-initdb.d:ro"
    assert (ROOT / mounted).resolve() == INIT_SQL.parent
    check = postgres["healthcheck"]["test"]
    # pg_isready over TCP: the init scripts run on a server that listens on its socket only.
    assert check[:2] == ["CMD", "pg_isready"] and check[check.index("-h") + 1] == "127.0.0.1"


def test_compose_sets_only_real_settings_as_strings(compose: dict[str, Any]) -> None:
    fields = {f"KEEPWARM_{name.upper()}" for name in Settings.model_fields}
    for name in KEEPWARM_SERVICES:
        environment = service_env(compose, name)
        # Unquoted, YAML reads `off` as false: every value must stay a string.
        assert all(isinstance(value, str) for value in environment.values()), environment
        assert set(environment) <= fields, set(environment) - fields
        values = {
            key.removeprefix("KEEPWARM_").lower(): interpolate(value)
            for key, value in environment.items()
        }
        settings = Settings.model_validate(values)
        check_database_url(settings.database_url)
        url = make_url(settings.database_url)
        assert (url.drivername, url.host, url.database) == (
            "postgresql+psycopg",
            "postgres",
            "keepwarm",
        )
        assert settings.log_format == "json"
        assert not settings.migrates_at_start()
    assert service_env(compose, "api")["KEEPWARM_SCHEDULER"] == "off"


def test_compose_migrates_as_the_owner_and_runs_as_the_app_role(compose: dict[str, Any]) -> None:
    sql = INIT_SQL.read_text()
    assert database_user(compose, "migrate") == "keepwarm_owner"
    assert database_user(compose, "api") == database_user(compose, "worker") == "keepwarm_app"
    assert re.search(r"CREATE DATABASE keepwarm OWNER keepwarm_owner;", sql)
    assert set(re.findall(r"CREATE ROLE (\w+) LOGIN", sql)) == {"keepwarm_owner", "keepwarm_app"}


def test_compose_gives_each_role_the_password_the_init_script_sets(
    compose: dict[str, Any],
) -> None:
    sql = INIT_SQL.read_text()
    read = dict(re.findall(r"^\\getenv (\w+) (\w+)$", sql, re.MULTILINE))
    postgres_env = compose["services"]["postgres"]["environment"]
    for role, variable in re.findall(r"CREATE ROLE (\w+) LOGIN PASSWORD :'(\w+)';", sql):
        in_postgres = postgres_env[read[variable]]
        user = next(name for name in KEEPWARM_SERVICES if database_user(compose, name) == role)
        url = make_url(service_env(compose, user)["KEEPWARM_DATABASE_URL"])
        assert url.password == in_postgres, role  # the same ${VARIABLE:-default}


def test_compose_publishes_each_api_replica_on_its_own_host_port(compose: dict[str, Any]) -> None:
    (port,) = compose["services"]["api"]["ports"]
    # host_ip::container_port: an ephemeral host port per replica (a fixed one would clash).
    host_ip, host_port, container_port = port.split(":")
    assert (host_ip, host_port, container_port) == ("127.0.0.1", "", "8000")
    assert all("ports" not in compose["services"][name] for name in ("worker", "migrate"))


def test_every_variable_compose_interpolates_is_in_the_env_example() -> None:
    used = {name for name, _ in INTERPOLATION.findall(COMPOSE.read_text())}
    example = (ROOT / "deploy" / "env.example").read_text()
    listed = set(re.findall(r"^#? ?(\w+)=", example, re.MULTILINE))
    assert used == listed


def test_docker_compose_accepts_the_file() -> None:
    docker = shutil.which("docker")
    version = subprocess.run(
        [docker or "docker", "compose", "version"], capture_output=True, check=False
    )
    if docker is None or version.returncode != 0:
        pytest.skip("the docker compose plugin is not installed here (YAML checks above instead)")
    checked = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


# ---- Dockerfile ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str]:
        words: list[str] = json.loads(self.arguments)
        return words


@dataclass(frozen=True)
class Stage:
    base: str
    name: str
    instructions: list[Instruction]

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


def dockerfile_stages() -> list[Stage]:
    """The Dockerfile's stages, continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    stages: list[Stage] = []
    for line in filter(str.strip, joined.splitlines()):
        keyword, _, arguments = line.strip().partition(" ")
        arguments = " ".join(arguments.split())
        if keyword.upper() == "FROM":
            base, as_, name = arguments.split()
            assert as_.upper() == "AS"
            stages.append(Stage(base, name, []))
        else:
            stages[-1].instructions.append(Instruction(keyword.upper(), arguments))
    return stages


def copy_sources(stage: Stage) -> list[str]:
    """What the stage copies from the build context (not from another stage)."""
    sources: list[str] = []
    for copy in stage.all("COPY"):
        words = [w for w in copy.arguments.split() if not w.startswith("--")]
        if "--from=" not in copy.arguments:
            sources += words[:-1]
    return sources


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


# ---- the image, simulated -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Image:
    """keepwarm installed from a wheel of what the Dockerfile copies, away from the source."""

    root: Path  # world-readable, writable by its owner only: also HOME
    site: Path  # the wheel installed with pip --target
    python: str  # an interpreter of this version the unprivileged user may run
    user: pwd.struct_passwd | None  # nobody when we are root; None: ourselves, not root

    def command(self, *argv: str) -> list[str]:
        return as_user(self.user, [self.python, "-s", str(self.site / "bin" / "keepwarm"), *argv])

    def env(self, **settings: str) -> dict[str, str]:
        dependencies = sysconfig.get_paths()["purelib"]  # this venv's, the image's own venv
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TZ")}
        keepwarm = {f"KEEPWARM_{name.upper()}": value for name, value in settings.items()}
        return {
            **keep,
            "HOME": str(self.root),
            "PYTHONPATH": f"{self.site}:{dependencies}",
            "PYTHONDONTWRITEBYTECODE": "1",
            **keepwarm,
        }

    def run(self, *argv: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*argv),
            env=self.env(**settings),
            cwd="/",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def start(self, *argv: str, log: Path, **settings: str) -> subprocess.Popen[bytes]:
        with log.open("wb") as output:
            return subprocess.Popen(
                self.command(*argv),
                env=self.env(**settings),
                cwd="/",
                stdout=output,
                stderr=subprocess.STDOUT,
            )


def as_user(user: pwd.struct_passwd | None, command: list[str]) -> list[str]:
    if user is None:
        return command
    ids = [f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    return ["setpriv", *ids, "--", *command]


def runnable_python(user: pwd.struct_passwd | None) -> str | None:
    """This interpreter, or another of the same version, that `user` may execute."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable, f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]
    for candidate in candidates:
        if not Path(candidate).exists():
            continue
        probe = as_user(user, [candidate, "-c", "import sys; print(sys.version_info[:2])"])
        answer = subprocess.run(probe, capture_output=True, text=True, check=False)
        if answer.returncode == 0 and answer.stdout.strip() == str(sys.version_info[:2]):
            return candidate
    return None


def build_requirements_installed() -> bool:
    """Whether this venv has pyproject's build-system requirements (else pip fetches them)."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    for requirement in map(Requirement, requires):
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            return False
        if installed not in requirement.specifier:
            return False
    return True


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
        built = subprocess.run(build, cwd=context, capture_output=True, text=True, check=False)
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


def wait_healthy(image: Image, process: subprocess.Popen[bytes], log: Path, **ports: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        if image.run("healthcheck", **ports).returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"no healthy answer on {ports}:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> int:
    process.terminate()  # what `docker stop` sends
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def test_the_image_migrates_serves_and_works_from_an_installed_wheel(image: Image) -> None:
    data = image.root / "data"
    data.mkdir()
    if image.user is not None:  # else we are an unprivileged user already
        os.chown(data, image.user.pw_uid, image.user.pw_gid)
    database = f"sqlite:///{data / 'keepwarm.db'}"

    migrated = image.run("migrate", database_url=database, log_format="json")
    assert migrated.returncode == 0, migrated.stderr
    with sqlite3.connect(data / "keepwarm.db") as db:
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM accounts").fetchone() == (0,)

    api_port, worker_port, nothing = free_port(), free_port(), free_port()
    common = {"database_url": database, "log_format": "json", "auto_migrate": "off"}
    api_ports = {"port": str(api_port), "worker_port": str(nothing)}
    worker_ports = {"port": str(nothing), "worker_port": str(worker_port)}
    serve_log, worker_log = image.root / "serve.log", image.root / "worker.log"
    serve = image.start("serve", log=serve_log, **api_ports, **common)
    worker = image.start("worker", log=worker_log, **worker_ports, **common)
    try:
        wait_healthy(image, serve, serve_log, **api_ports)
        wait_healthy(image, worker, worker_log, **worker_ports)
        # The web app's files come from the installed package, not the source tree.
        page = urllib.request.urlopen(f"http://127.0.0.1:{api_port}/app/", timeout=5)
        assert page.status == 200 and b'type="module"' in page.read()
        script = urllib.request.urlopen(f"http://127.0.0.1:{api_port}/app/js/app.js", timeout=5)
        assert script.status == 200 and script.headers["ETag"]
        silent = image.run("healthcheck", port=str(nothing), worker_port=str(free_port()))
        assert silent.returncode == 1, silent.stderr
        assert "nothing answers /healthz" in silent.stderr
    finally:
        serve_code, worker_code = stop(serve), stop(worker)
    # A clean stop on SIGTERM; uvicorn re-raises the signal once it has shut down.
    assert serve_code in (0, -signal.SIGTERM), serve_log.read_text()
    assert "Application shutdown complete" in serve_log.read_text()
    assert worker_code == 0, worker_log.read_text()


def test_the_init_script_gives_migrate_the_schema_and_the_app_only_rows(image: Image) -> None:
    if os.environ.get("KEEPWARM_TEST_POSTGRES_URL"):
        pytest.skip("an external PostgreSQL: this test creates roles, on a cluster of its own")
    with postgres_cluster() as url:
        server = make_url(url)
        superuser = server.set(drivername="postgresql", database="postgres")
        with psycopg.connect(superuser.render_as_string(), autocommit=True) as conn:
            conn.execute("DROP DATABASE keepwarm")  # as the postgres image's first start
        # As the postgres image runs its init scripts (docker_process_sql), with the passwords.
        psql = [
            str(_pg_bin() / "psql"),
            *("-v", "ON_ERROR_STOP=1", "--no-password", "--no-psqlrc"),
            *("-h", str(server.host), "-p", str(server.port), "-U", str(server.username)),
            *("--dbname", "postgres", "-f", str(INIT_SQL)),
        ]
        initialised = subprocess.run(
            _as_postgres(psql),
            env={
                **os.environ,
                "DB_OWNER_PASSWORD": "owner-secret",
                "DB_APP_PASSWORD": "app-secret",
            },
            capture_output=True,
            text=True,
            check=False,
        )
        assert initialised.returncode == 0, initialised.stderr

        password_of = {"keepwarm_owner": "owner-secret", "keepwarm_app": "app-secret"}

        def as_role(role: str) -> str:
            address = server.set(username=role, password=password_of[role])
            return address.render_as_string(hide_password=False) + "?application_name=keepwarm"

        migrated = image.run("migrate", database_url=as_role("keepwarm_owner"))
        assert migrated.returncode == 0, migrated.stderr
        app = as_role("keepwarm_app")
        created = image.run(
            "create-account", "ann@example.com", database_url=app, auto_migrate="off"
        )
        assert created.returncode == 0, created.stderr
        assert created.stdout.strip()  # the API key: rows written by the runtime role
        plain = make_url(app).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as conn:
            assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (1,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("CREATE TABLE intruder (id int)")
        refused = image.run("migrate", "base", "--downgrade", database_url=app)
        assert refused.returncode != 0  # the runtime role cannot drop the schema


# ---- the README ---------------------------------------------------------------------------


def readme_section(heading: str) -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index(f"\n## {heading}\n")
    return text[start : text.index("\n## ", start + 1)]


def test_readme_configuration_lists_every_setting() -> None:
    rows = [
        line.split("|")[1]
        for line in readme_section("Configuration").splitlines()
        if line.startswith("| `")
    ]
    listed = {name for row in rows for name in re.findall(r"`(\w+)`", row)}
    assert listed == {name.upper() for name in Settings.model_fields}


def test_readme_deployment_names_the_roles_and_files_there_are() -> None:
    section = readme_section("Deployment on PostgreSQL, with several replicas")
    roles = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
    assert roles == set(re.findall(r"CREATE ROLE (\w+) LOGIN", INIT_SQL.read_text()))
    for path in re.findall(r"\]\(([\w./-]+)\)", section):
        assert (ROOT / path).exists(), path
    assert str(INIT_SQL.relative_to(ROOT)) in section
    assert "### Rolling out a release" in section
