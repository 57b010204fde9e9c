"""The unit of work of a UnitOfWorkRoute: the key read, the session committed, whatever the
endpoint asks for; a route made without one is refused, naming the fix."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from types import ModuleType

import pytest
from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import service.main  # noqa: F401  (imports every router module)
from service.api import routes
from service.api.deps import (
    AccountDep,
    NowDep,
    SessionDep,
    UnitOfWorkRoute,
    get_account,
    get_session,
)
from service.config import Settings, Toggle
from service.main import create_app
from service.services.records import organizations
from tests.conftest import LOOPBACK, PASSWORD, assert_problem


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    routes = APIRouter(prefix="/own", route_class=UnitOfWorkRoute)

    @routes.get("/ping")
    def never_asks_whose_key(session: SessionDep, account: AccountDep) -> dict[str, str]:
        return {"status": "ok"}

    @routes.post("/organizations", status_code=201)
    def add(session: SessionDep, account: AccountDep, now: NowDep) -> dict[str, str]:
        org = organizations.create_organization(session, account.id, {"name": "Initech"}, now=now)
        return {"id": str(org.id)}

    @routes.post("/organizations/async", status_code=201)
    async def add_in_the_loop(
        session: SessionDep, account: AccountDep, now: NowDep
    ) -> dict[str, str]:
        org = organizations.create_organization(session, account.id, {"name": "Hooli"}, now=now)
        return {"id": str(org.id)}

    plain = APIRouter(prefix="/plain")  # no route_class: FastAPI's own routes

    @plain.get("/me")
    def whose_key(session: SessionDep, account: AccountDep) -> dict[str, str]:
        return {"id": str(account.id)}

    settings = Settings(database_url=database_url, scheduler=Toggle.OFF)
    app = create_app(settings)
    app.include_router(routes)
    app.include_router(plain)
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        yield client


def _key(client: TestClient) -> dict[str, str]:
    email = f"grace-{uuid.uuid4().hex[:8]}@example.com"
    signed_up = client.post("/v1/accounts", json={"email": email, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {signed_up['api_key']}"}


def test_its_key_is_read_and_its_session_committed(client: TestClient) -> None:
    key = _key(client)
    wrong = {"Authorization": "Bearer kw_not-a-real-key"}

    # The endpoint never asks whose key it is: the key is read all the same.
    assert_problem(client.get("/own/ping", headers=wrong), 401)
    assert client.get("/own/ping", headers=key).json() == {"status": "ok"}

    added = client.post("/own/organizations", headers=key).json()
    in_the_loop = client.post("/own/organizations/async", headers=key).json()
    listed = client.get("/v1/organizations", headers=key).json()["data"]
    assert [org["id"] for org in listed] == [added["id"], in_the_loop["id"]]


def test_a_route_without_one_is_refused_naming_the_fix(client: TestClient) -> None:
    key = _key(client)

    with pytest.raises(RuntimeError, match="route_class=UnitOfWorkRoute"):
        client.get("/plain/me", headers=key)

    # Nothing was opened, so nothing is held: the others still answer.
    for _ in range(10):
        assert client.get("/own/ping", headers=key).status_code == 200


def _uses_the_database(dependant: Dependant) -> bool:
    return any(
        dependency.call in (get_session, get_account) or _uses_the_database(dependency)
        for dependency in dependant.dependencies
    )


def test_every_route_with_the_database_has_one() -> None:
    routers = [
        module.router
        for module in vars(routes).values()
        if isinstance(module, ModuleType) and isinstance(getattr(module, "router", None), APIRouter)
    ]
    with_database = [
        route
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and _uses_the_database(route.dependant)
    ]

    assert len(with_database) > 50
    assert [r.path for r in with_database if not isinstance(r, UnitOfWorkRoute)] == []
