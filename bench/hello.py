"""The yardstick: a FastAPI "hello" endpoint, served with the same uvicorn settings."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


def create_receiver() -> FastAPI:
    """A webhook receiver that acknowledges everything (for the delivery benchmark)."""
    app = FastAPI()

    @app.post("/hook")
    async def hook() -> dict[str, str]:
        return {"ok": "yes"}

    return app
