"""A router made without UnitOfWorkRoute still checks the key and commits (at a hop's cost)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from service.api.deps import AccountDep, NowDep, SessionDep
from service.config import Settings, Toggle
from service.main import create_app
from service.services import organizations
from tests.conftest import LOOPBACK, PASSWORD, assert_problem


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    plain = APIRouter(prefix="/plain")  # no route_class: FastAPI's own routes

    @plain.get("/me")
    def whose_key(session: SessionDep, account: AccountDep) -> dict[str, str]:
        return {"id": str(account.id)}

    @plain.get("/ping")
    def never_asks_whose_key(session: SessionDep, account: AccountDep) -> dict[str, str]:
        return {"status": "ok"}

    @plain.post("/organizations", status_code=201)
    def add(session: SessionDep, account: AccountDep, now: NowDep) -> dict[str, str]:
        org = organizations.create_organization(session, account.id, {"name": "Initech"}, now=now)
        return {"id": str(org.id)}

    settings = Settings(database_url=database_url, scheduler=Toggle.OFF)
    app = create_app(settings)
    app.include_router(plain)
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        yield client


def test_its_key_is_read_and_its_session_committed(client: TestClient) -> None:
    email = f"grace-{uuid.uuid4().hex[:8]}@example.com"
    signed_up = client.post("/v1/accounts", json={"email": email, "password": PASSWORD}).json()
    key = {"Authorization": f"Bearer {signed_up['api_key']}"}
    wrong = {"Authorization": "Bearer kw_not-a-real-key"}

    assert client.get("/plain/me", headers=key).json() == {"id": signed_up["account"]["id"]}
    assert_problem(client.get("/plain/me", headers=wrong), 401)
    # The endpoint never asks whose key it is: the key is read all the same.
    assert_problem(client.get("/plain/ping", headers=wrong), 401)
    assert client.get("/plain/ping", headers=key).json() == {"status": "ok"}

    added = client.post("/plain/organizations", headers=key).json()
    listed = client.get("/v1/organizations", headers=key).json()["data"]
    assert [org["id"] for org in listed] == [added["id"]]
