"""The exported OpenAPI document matches the app, and declares what clients rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from service.main import create_app

EXPORTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"
REGENERATE = "regenerate it with: keepwarm openapi > openapi/openapi.json"
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/v1/server"),
    ("POST", "/v1/accounts"),
    ("POST", "/v1/tokens"),
    ("GET", "/calendar/{token}.ics"),  # the secret URL is the credential
    ("GET", "/mail/unsubscribe/{token}"),  # the one-click link is the credential
    ("POST", "/mail/unsubscribe/{token}"),
}
DOCUMENT = create_app().openapi()
ALL = [
    (method.upper(), path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
]
OPERATIONS = [pytest.param(*op, id=f"{op[0]} {op[1]}") for op in ALL]


def _differing(exported: dict[str, Any], current: dict[str, Any], prefix: str = "") -> list[str]:
    """Where two documents differ, two levels deep (paths, component schemas, webhooks...)."""
    found = []
    for key in sorted(set(exported) | set(current)):
        here, there = exported.get(key), current.get(key)
        if here == there:
            continue
        name = f"{prefix}{key}"
        if isinstance(here, dict) and isinstance(there, dict) and prefix.count("/") < 2:
            found += _differing(here, there, name + "/")
        else:
            found.append(name)
    return found


def test_the_exported_document_is_the_apps() -> None:
    assert EXPORTED.exists(), f"openapi/openapi.json is missing; {REGENERATE}"
    exported = json.loads(EXPORTED.read_text())
    if exported != DOCUMENT:
        changed = _differing(exported, DOCUMENT)
        pytest.fail(f"openapi/openapi.json is out of date (differing: {changed}); {REGENERATE}")


def test_operation_ids_are_stable_names_and_unique() -> None:
    ids = [operation["operationId"] for _, _, operation in ALL]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for operation_id in ids:
        # The handler's name, not FastAPI's generated "<name>_<path>_<method>".
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", operation_id), operation_id
        assert not re.search(r"_(get|post|put|patch|delete)$|_v1_", operation_id), operation_id


def _problem_responses(operation: dict[str, Any]) -> dict[str, Any]:
    return {
        status: answer
        for status, answer in operation["responses"].items()
        if status.startswith("4") or "Problem" in json.dumps(answer)
    }


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_problem_answers_are_declared_as_problem_json(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    for status, answer in _problem_responses(operation).items():
        content = answer.get("content", {})
        assert list(content) == ["application/problem+json"], (status, content)
        assert content["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }, status


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_each_operation_declares_the_errors_it_can_answer(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    responses = operation["responses"]
    public = (method, path) in PUBLIC
    assert (operation.get("security") == []) == public, "public iff security is []"
    if not public:
        assert operation.get("security") == [{"bearer": []}], "the API key's dependency says so"
    if not public:
        assert "401" in responses, "authenticated operations answer 401"
    if "{" in path:
        assert "404" in responses, "an id in the path can be unknown"
    if operation.get("parameters") or operation.get("requestBody"):
        assert "422" in responses, "parameters and bodies can be invalid"
    headers = {p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"}
    if method == "PATCH" and "{" in path:
        assert "if-match" in headers, "PATCH honours If-Match"
    if "if-match" in headers:
        assert "412" in responses, "a stale If-Match answers 412"
    else:
        assert "412" not in responses, "only an operation that reads If-Match answers 412"
    if method == "POST" and "201" in responses and not public:
        assert "idempotency-key" in headers, "creations can be retried safely"


def test_problem_is_an_rfc_9457_document() -> None:
    problem = DOCUMENT["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert "errors" in problem["properties"]


def test_there_is_one_security_scheme_bearer() -> None:
    assert DOCUMENT["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "description": "Your API key."}
    }
    assert "security" not in DOCUMENT  # each operation says whether it takes the key


def test_the_document_carries_the_packages_version() -> None:
    from importlib.metadata import version

    assert DOCUMENT["info"]["version"] == version("keepwarm")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_busy_and_throttled_answers_say_when_to_retry(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    responses = operation["responses"]
    if path not in ("/healthz", "/metrics", "/readyz"):
        assert "503" in responses, "every route that reads the database can answer 503"
        assert "Retry-After" in responses["503"]["headers"]
    if "429" in responses:
        assert "Retry-After" in responses["429"]["headers"]


def _patch_schemas() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path, item in DOCUMENT["paths"].items():
        body = item.get("patch", {}).get("requestBody", {})
        ref = body.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        if ref:
            found.append((path, DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[1]]))
    return found


def test_patch_fields_the_server_refuses_as_null_are_not_nullable() -> None:
    from service.api.schemas.cadence import SettingsUpdate
    from service.api.schemas.records import AttemptUpdate, ContactUpdate, OrganizationUpdate
    from service.api.schemas.webhooks import WebhookUpdate

    patches = dict(_patch_schemas())
    assert len(patches) >= 5
    for model in (SettingsUpdate, AttemptUpdate, ContactUpdate, OrganizationUpdate, WebhookUpdate):
        schema = DOCUMENT["components"]["schemas"][model.__name__]
        for name, field in schema["properties"].items():
            nullable = {"type": "null"} in field.get("anyOf", [])
            assert nullable == (name not in model.not_null), (model.__name__, name)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_every_write_declares_the_conflict_a_concurrent_write_can_cause(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    if method in ("POST", "PATCH", "DELETE"):
        assert "409" in operation["responses"]
