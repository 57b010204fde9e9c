"""The web app at /app/: static files shipped in the package (filled in by issue #17)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
