"""The SMTP listener (aiosmtpd): touches by BCC, logged before DATA is answered."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker

from service.db.session import session_scope
from service.domain import touches
from service.scheduler.jobs import in_thread, utcnow
from service.services.mail import addresses
from service.services.mail.touches import Logged, log_received

log = logging.getLogger("keepwarm.mail")
MAX_BYTES = 1024 * 1024
REFUSED = "refused"


class TouchHandler:
    """aiosmtpd's handler: refuse unknown addresses at RCPT, log at DATA, then answer."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        domain: str,
        *,
        clock: Callable[[], datetime] = utcnow,
        count: Callable[[str], None] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.domain = domain
        self.clock = clock
        self.count = count or (lambda outcome: None)

    def _account_exists(self, token: str) -> bool:
        with session_scope(self.session_factory) as session:
            return addresses.account_for(session, token) is not None

    async def handle_RCPT(
        self,
        server: SMTP,
        session: SmtpSession,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if len(envelope.rcpt_tos) >= touches.MAX_RECIPIENTS:
            self.count(REFUSED)
            return "452 4.5.3 Too many recipients"
        token = addresses.token_of(address, self.domain)
        if token is None or not await in_thread(self._account_exists, token):
            self.count(REFUSED)
            return "550 5.1.1 No such logging address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        received_at = self.clock()
        raw = envelope.original_content or b""
        try:
            received = touches.read(raw)
        except Exception:  # the email package is lenient; whatever it still refuses, we do
            log.warning("a message could not be read; refused", exc_info=True)
            self.count(REFUSED)
            return "554 5.6.0 This message could not be read"
        if len(received.recipients) > touches.MAX_RECIPIENTS:
            self.count(REFUSED)
            return "550 5.5.3 Too many recipients"
        tokens = [addresses.token_of(a, self.domain) for a in envelope.rcpt_tos]
        try:
            outcomes = await in_thread(self._log, [t for t in tokens if t], received, received_at)
        except Exception:
            # Nothing was committed: the sender keeps the message and tries again.
            log.exception("a received message could not be logged; answered 451")
            return "451 4.3.0 Could not log this message now; try again later"
        for outcome in outcomes:
            self.count(outcome.value)
        return "250 OK"

    def _log(
        self, tokens: list[str], received: touches.Received, received_at: datetime
    ) -> list[Logged]:
        # One transaction for every account the message was addressed to, committed before
        # DATA is answered: an accepted message is never lost.
        outcomes = []
        with session_scope(self.session_factory) as session:
            for token in dict.fromkeys(tokens):
                account_id = addresses.account_for(session, token)
                if account_id is not None:  # rotated since RCPT: nothing to log into
                    outcomes.append(log_received(session, account_id, received, now=received_at))
        return outcomes


async def start_listener(handler: TouchHandler, host: str, port: int) -> asyncio.Server:
    """Listen for SMTP on host:port in the running event loop."""
    loop = asyncio.get_running_loop()

    def protocol() -> SMTP:
        return SMTP(
            handler,
            data_size_limit=MAX_BYTES,
            hostname=handler.domain,
            ident="keepwarm",
            # Addresses and headers in UTF-8 (a contact named Zoë at an IDN domain).
            enable_SMTPUTF8=True,
            timeout=60,
            loop=loop,
        )

    return await loop.create_server(protocol, host, port)
