"""A browser app on another origin can call the API when KEEPWARM_CORS_ORIGINS allows it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from service.config import Settings, Toggle
from service.main import create_app
from tests.conftest import LOOPBACK, PASSWORD

APP = "https://app.example"


@pytest.fixture
def cors_client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, scheduler=Toggle.OFF, cors_origins=(APP,))
    with TestClient(create_app(settings), client=LOOPBACK) as client:
        yield client


def _preflight(client: TestClient, origin: str, method: str = "PATCH") -> Any:
    return client.options(
        "/v1/organizations/00000000-0000-4000-8000-000000000000",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )


def test_a_preflight_from_an_allowed_origin_is_answered(cors_client: TestClient) -> None:
    response = _preflight(cors_client, APP)

    assert response.status_code == 200
    headers = response.headers
    assert headers["access-control-allow-origin"] == APP
    assert "PATCH" in headers["access-control-allow-methods"]
    allowed = headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "if-match"} <= set(allowed.split(", "))


def test_a_preflight_from_another_origin_is_refused(cors_client: TestClient) -> None:
    response = _preflight(cors_client, "https://evil.example")

    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_answers_let_the_app_read_etag_location_link_and_retry_after(
    cors_client: TestClient,
) -> None:
    signed = cors_client.post(
        "/v1/accounts",
        json={"email": "cors@example.com", "password": PASSWORD},
        headers={"Origin": APP},
    )
    assert signed.status_code == 201, signed.text
    key = signed.json()["api_key"]
    created = cors_client.post(
        "/v1/organizations",
        json={"name": "Acme"},
        headers={"Origin": APP, "Authorization": f"Bearer {key}"},
    )
    refused = cors_client.get("/v1/organizations", headers={"Origin": APP})

    assert created.status_code == 201
    assert created.headers["access-control-allow-origin"] == APP
    exposed = {
        h.strip().lower() for h in created.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "location", "link", "retry-after"} <= exposed
    # An error answer too: the app can show the problem document.
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == APP


def test_an_origin_not_allowed_gets_no_cors_headers(cors_client: TestClient) -> None:
    response = cors_client.get("/healthz", headers={"Origin": "https://evil.example"})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_without_the_setting_there_are_no_cors_headers_and_options_is_answered(
    client: TestClient,
) -> None:
    response = _preflight(client, APP)
    plain = client.get("/healthz", headers={"Origin": APP})

    assert response.status_code == 204
    allow = response.headers["allow"]
    assert set(allow.split(", ")) == {"DELETE", "GET", "OPTIONS", "PATCH"}
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in plain.headers


def test_the_setting_is_a_comma_separated_list_of_origins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KEEPWARM_CORS_ORIGINS", " https://app.example/, http://localhost:5173 ")
    assert Settings().cors_origins == ("https://app.example", "http://localhost:5173")
    monkeypatch.setenv("KEEPWARM_CORS_ORIGINS", "")
    assert Settings().cors_origins == ()


@pytest.mark.parametrize("origin", ["app.example", "https://app.example/path", "ftp://x.example"])
def test_something_that_is_no_origin_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, origin: str
) -> None:
    monkeypatch.setenv("KEEPWARM_CORS_ORIGINS", origin)
    with pytest.raises(ValidationError, match="KEEPWARM_CORS_ORIGINS"):
        Settings()
