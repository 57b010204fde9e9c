"""Property-based tests from the app's own OpenAPI document (schemathesis), on SQLite.

Every operation gets generated requests, valid and invalid; no answer may be a 5xx, and every
answer must match the status codes, media types and schemas the document declares.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from service.config import Settings, Toggle
from service.db.migrate import upgrade
from service.main import create_app
from tests.conftest import LOOPBACK, PASSWORD, make_database

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, str]]:
    """An app of its own on a fresh database, and the API key of a real account.

    SQLite keeps the run short; KEEPWARM_TEST_FUZZ_BACKEND=postgresql fuzzes PostgreSQL instead
    (and KEEPWARM_TEST_FUZZ_EXAMPLES=200 digs deeper than the default 10 per operation; the
    repeatable hypothesis profile draws the same 10 on every run).
    """
    backend = os.environ.get("KEEPWARM_TEST_FUZZ_BACKEND", "sqlite")
    url = make_database(backend, request, tmp_path_factory.mktemp("fuzz"), "keepwarm_fuzz")
    upgrade(url)
    app = create_app(
        Settings(
            database_url=url,
            scheduler=Toggle.OFF,
            webhook_allow_private=True,
            public_url="https://testserver",
        )
    )
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        signed = client.post(
            "/v1/accounts", json={"email": "fuzz@example.com", "password": PASSWORD}
        )
        key = signed.json()["api_key"]
        # Something to find: generated ids rarely exist, but lists and filters then have rows.
        headers = {"Authorization": f"Bearer {key}"}
        org = client.post("/v1/organizations", json={"name": "Acme"}, headers=headers).json()
        contact = client.post(
            "/v1/contacts",
            json={
                "organization_id": org["id"],
                "name": "Ann",
                "role": "hiring_manager",
                "email": "ann@acme.example",
            },
            headers=headers,
        ).json()
        client.post(
            "/v1/attempts", json={"contact_id": contact["id"], "channel": "email"}, headers=headers
        )
        yield app, key


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: tuple[FastAPI, str]) -> Any:
    app, _ = fuzzed_app
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


def checks_for(app: FastAPI, method: str, path: str) -> list[Any]:
    """Every check, except where tests/test_openapi.py already reports a misdeclared problem."""
    responses = app.openapi()["paths"][path][method.lower()]["responses"]
    misdeclared = any(
        status.startswith("4") and list(answer.get("content", {})) != ["application/problem+json"]
        for status, answer in responses.items()
    )
    return [not_a_server_error, status_code_conformance] if misdeclared else CHECKS


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("KEEPWARM_TEST_FUZZ_EXAMPLES", "10")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_documented_contract(case: Any, fuzzed_app: tuple[FastAPI, str]) -> None:
    app, key = fuzzed_app
    checks = checks_for(app, case.operation.method, case.operation.path)
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=checks)


def test_the_fuzzer_covers_every_operation(
    api_schema: Any, fuzzed_app: tuple[FastAPI, str]
) -> None:
    app, _ = fuzzed_app
    fuzzed = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    documented = {
        (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
    }
    assert fuzzed == documented
    assert len(fuzzed) >= 40
