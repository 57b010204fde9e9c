"""Mail: the logging address."""

from __future__ import annotations

from pydantic import Field

from service.api.schemas.common import Output


class LoggingAddressRead(Output):
    address: str | None = Field(
        description="BCC (or forward) your emails with contacts to this private address and "
        "each is logged as an attempt; null when this server receives no mail "
        "(KEEPWARM_MAIL_DOMAIN unset)."
    )
