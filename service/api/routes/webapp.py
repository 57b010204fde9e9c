"""The web app at /app/: static files shipped in the package (filled in by issue #17)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

router = APIRouter(include_in_schema=False)


def install(app: FastAPI) -> None:
    """Serve the web app on the application."""
    app.include_router(router)
