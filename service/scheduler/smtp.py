"""Sending one message through the configured SMTP server (smtplib), fenced before DATA."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from service.services.mail.outbox import Attempted, Claimed, SendOutcome

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpServer:
    """KEEPWARM_SMTP_URL, read."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        implicit = parts.scheme == "smtps"
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["false"])[-1].lower() in ("true", "1", "yes")
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if implicit else 587 if starttls else 25),
            implicit_tls=implicit,
            starttls=starttls and not implicit,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def _connect(server: SmtpServer, timeout: float) -> smtplib.SMTP:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if server.implicit_tls:
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=timeout)
    client.ehlo()
    if server.starttls:
        client.starttls(context=context)
        client.ehlo()
    if server.username:
        client.login(server.username, server.password or "")
    return client


def _reply(code: int, text: bytes | str) -> str:
    shown = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"{code} {shown}"


class Connection:
    """One SMTP connection for a run's messages (a new one per message cost more than the
    message); opened when first needed, closed after any failure, and at the end."""

    def __init__(self, server: SmtpServer, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.server = server
        self.timeout = timeout
        self.client: smtplib.SMTP | None = None

    def send(
        self, envelope_from: str, claimed: Claimed, start_data: Callable[[], bool]
    ) -> Attempted:
        """Send one reminder; `start_data` commits the fence just before DATA (False: stop).

        A kept connection the server has since closed fails before DATA: it is opened
        again once, at once, rather than the reminder waiting for its retry.
        """
        for reused in (self.client is not None, False):
            if self.client is None:
                try:
                    self.client = _connect(self.server, self.timeout)
                except (OSError, smtplib.SMTPException) as exc:
                    return Attempted(SendOutcome.RETRYING, f"could not connect: {exc}")
            try:
                return self._envelope_and_data(self.client, envelope_from, claimed, start_data)
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                if not reused:
                    return Attempted(SendOutcome.RETRYING, f"SMTP failed before DATA: {exc}")
        raise AssertionError("unreachable")

    def _envelope_and_data(
        self,
        client: smtplib.SMTP,
        envelope_from: str,
        claimed: Claimed,
        start_data: Callable[[], bool],
    ) -> Attempted:
        code, text = client.mail(envelope_from)
        if code != 250:
            self._reset(client)
            return Attempted(SendOutcome.RETRYING, f"MAIL FROM refused: {_reply(code, text)}")
        code, text = client.rcpt(claimed.recipient)
        if code not in (250, 251):
            self._reset(client)
            return Attempted(SendOutcome.RETRYING, f"RCPT TO refused: {_reply(code, text)}")
        if not start_data():
            self._reset(client)
            return Attempted(SendOutcome.LOST)
        try:
            code, text = client.data(claimed.message)
        except smtplib.SMTPDataError as exc:  # DATA itself refused: nothing was sent
            self._reset(client)
            return Attempted(
                SendOutcome.RETRYING, f"DATA refused: {_reply(exc.smtp_code, exc.smtp_error)}"
            )
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            return Attempted(SendOutcome.UNCERTAIN, f"no answer to the message: {exc}")
        if code != 250:  # a reply: the server did not take the message
            return Attempted(SendOutcome.RETRYING, f"message refused: {_reply(code, text)}")
        return Attempted(SendOutcome.SENT)

    def _reset(self, client: smtplib.SMTP) -> None:
        # After a refusal: the next message starts afresh (or on a new connection).
        try:
            client.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
