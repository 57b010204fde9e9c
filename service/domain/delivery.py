"""What one webhook delivery attempt came to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class DeliveryResult:
    status_code: int | None
    duration_ms: int
    error: str | None
    response_body: str
    retry_after: timedelta | None
    succeeded: bool
    gone: bool
