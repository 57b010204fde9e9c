"""The reminder job: queue the day's reminders, then send the due ones, one at a time."""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy.orm import Session, sessionmaker

from service.db.session import session_scope
from service.scheduler.jobs import in_thread, utcnow
from service.scheduler.smtp import Connection, SmtpServer
from service.services.mail import outbox
from service.services.mail.outbox import Claimed, SendOutcome
from service.services.mail.reminders import Sender, enqueue

log = logging.getLogger("keepwarm.mail")
# Accounts decided, and reminders sent, per run: a run stays short; the next one goes on.
BATCH = 200
SEND_BATCH = 50


class ReminderJob:
    """One run at a time in a process; any number of processes against one database."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        server: SmtpServer,
        sender: Sender,
        *,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        lease: timedelta = outbox.LEASE,
        count: Callable[[SendOutcome], None] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.server = server
        self.sender = sender
        self.envelope_from = parseaddr(sender.address)[1]
        self.clock = clock
        self.rng = rng or random.Random()
        self.lease = lease
        self.count = count or (lambda outcome: None)
        self.stopping = False

    async def run(self) -> Counter[SendOutcome]:
        """Queue what is owed now, then send what is due; what became of each."""
        outcomes: Counter[SendOutcome] = Counter()
        while await in_thread(self._enqueue) == BATCH:
            pass
        claimed = await in_thread(self._claim, outcomes)
        connection = Connection(self.server)
        try:
            for item in claimed:
                if self.stopping:
                    break  # its lease runs out and any replica sends it later
                # Sent and recorded in one thread: nothing else runs between the two.
                outcome = await in_thread(self._send_and_record, connection, item)
                outcomes[outcome] += 1
                self.count(outcome)
        finally:
            await in_thread(connection.close)
        if outcomes:
            log.info("reminders: %s", dict(outcomes))
        return outcomes

    def _enqueue(self) -> int:
        with session_scope(self.session_factory) as session:
            return enqueue(session, now=self.clock(), sender=self.sender, limit=BATCH)

    def _claim(self, outcomes: Counter[SendOutcome]) -> list[Claimed]:
        with session_scope(self.session_factory) as session:
            claimed, settled = outbox.claim(
                session, now=self.clock(), limit=SEND_BATCH, lease=self.lease
            )
        for outcome in settled:
            outcomes[outcome] += 1
            self.count(outcome)
        return claimed

    def _start_data(self, item: Claimed) -> bool:
        with session_scope(self.session_factory) as session:
            return outbox.start_data(session, item, now=self.clock())

    def _send_and_record(self, connection: Connection, item: Claimed) -> SendOutcome:
        attempted = connection.send(self.envelope_from, item, lambda: self._start_data(item))
        if attempted.error:
            log.warning("reminder %s: %s", item.message_id, attempted.error)
        with session_scope(self.session_factory) as session:
            (outcome,) = outbox.record(
                session, [(item, attempted)], now=self.clock(), rng=self.rng
            ) or [attempted.outcome]
        return outcome
