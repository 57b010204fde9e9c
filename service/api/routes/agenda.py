"""The agenda: one call for a home screen (what is overdue, due today, coming up)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["agenda"])
