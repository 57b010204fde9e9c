"""Export and import: the whole account as one JSON document, and contacts from a CSV."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["export and import"])
