"""A unit of work the database ended to break a deadlock runs again, body and all."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from service.api.deps import RetryUnitOfWork
from service.api.errors import install_error_handlers
from service.api.retry import ATTEMPTS, RetryConflicts


def _app(failures: int) -> tuple[FastAPI, list[bytes]]:
    seen: list[bytes] = []
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RetryConflicts)

    @app.post("/work")
    async def work(request: Request) -> dict[str, int]:
        seen.append(await request.body())
        assert getattr(request.state, "left_over", None) is None  # each run starts afresh
        request.state.left_over = True
        if len(seen) <= failures:
            raise RetryUnitOfWork()
        return {"runs": len(seen)}

    return app, seen


def test_a_deadlocked_unit_of_work_runs_again_with_the_same_body() -> None:
    app, seen = _app(failures=ATTEMPTS - 1)
    with TestClient(app) as client:
        response = client.post("/work", json={"name": "Acme"})

    assert response.status_code == 200 and response.json() == {"runs": ATTEMPTS}
    assert seen == [b'{"name":"Acme"}'] * ATTEMPTS


def test_one_that_keeps_colliding_answers_503_with_retry_after() -> None:
    app, seen = _app(failures=ATTEMPTS)
    with TestClient(app) as client:
        response = client.post("/work", json={"name": "Acme"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert "retry" in response.json()["detail"]
    assert len(seen) == ATTEMPTS
