"""compose.yaml, read as Compose reads it (PyYAML and its interpolation defaults)."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from service.config import Settings
from service.db.urls import check_database_url
from tests.deploy.paths import COMPOSE, INIT_SQL, ROOT

KEEPWARM_SERVICES = ("migrate", "api", "worker")
PASSWORDS = ("POSTGRES_PASSWORD", "DB_OWNER_PASSWORD", "DB_APP_PASSWORD")
# ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message} or ${NAME}.
INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


class Refused(Exception):
    """Compose would not start: a required variable is unset."""


def example_env() -> dict[str, str]:
    """What deploy/env.example sets (its uncommented lines): a .env copied from it."""
    text = (ROOT / "deploy" / "env.example").read_text()
    return dict(re.findall(r"^(\w+)=(.*)$", text, re.MULTILINE))


def filled_env() -> dict[str, str]:
    """A .env copied from deploy/env.example, its passwords then set as it asks."""
    return {**example_env(), **{name: f"{name.lower()}-0123456789" for name in PASSWORDS}}


def interpolate(value: str, env: dict[str, str] | None = None) -> str:
    """The value Compose uses with `env` as the environment and .env (by default, a .env
    copied from deploy/env.example, its passwords set); raises Refused where Compose would
    refuse to start."""
    given = filled_env() if env is None else env

    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        value = given.get(name)
        unset = value is None or (operator is not None and operator.startswith(":") and not value)
        if operator is None or not unset:
            return value or ""
        if operator.endswith("?"):
            raise Refused(f"{name}: {argument}")
        return argument

    return INTERPOLATION.sub(one, value)


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
    assert all(services[name]["build"]["context"] == "." for name in KEEPWARM_SERVICES)
    # The commit the image is built from reaches `keepwarm --version` and /v1/server.
    args = services["api"]["build"]["args"]
    assert args == {"KEEPWARM_COMMIT": "${KEEPWARM_COMMIT:-}"}


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
    assert "ports" not in compose["services"]["migrate"]
    # The worker publishes its SMTP listener (touches by BCC) only, never its health port.
    assert compose["services"]["worker"]["ports"] == ["${KEEPWARM_MAIL_PORT:-2525}:2525"]


def test_compose_refuses_to_start_without_the_passwords(compose: dict[str, Any]) -> None:
    text = COMPOSE.read_text()
    assert "local-only" not in text  # no password anyone could guess
    uses = [m for m in INTERPOLATION.finditer(text) if m.group(1) in PASSWORDS]
    assert {m.group(1) for m in uses} == set(PASSWORDS)
    for use in uses:
        name, operator, message = use.groups()
        assert operator == ":?", use.group(0)  # unset or empty: Compose stops, saying this
        assert name in message and ".env" in message, use.group(0)
    for missing in PASSWORDS:
        env = {name: value for name, value in filled_env().items() if name != missing}
        with pytest.raises(Refused, match=missing):
            for service in ("postgres", *KEEPWARM_SERVICES):
                for value in compose["services"][service]["environment"].values():
                    interpolate(value, env)
    # A .env copied from the example and left as it is: no password, so Compose refuses.
    assert all(example_env()[name] == "" for name in PASSWORDS)
    with pytest.raises(Refused, match="POSTGRES_PASSWORD"):
        interpolate(
            compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"], example_env()
        )
    # With the passwords set, every value is there.
    postgres = compose["services"]["postgres"]["environment"]
    assert interpolate(postgres["POSTGRES_PASSWORD"]) == filled_env()["POSTGRES_PASSWORD"]


def test_every_variable_compose_interpolates_is_in_the_env_example() -> None:
    used = {name for name, _, _ in INTERPOLATION.findall(COMPOSE.read_text())}
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
