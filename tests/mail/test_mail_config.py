"""The mail settings: a bad one is refused naming the variable; the SMTP URL as read."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.config import Settings
from service.scheduler.smtp import SmtpServer


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("smtp_url", "http://relay.example", "KEEPWARM_SMTP_URL"),
        ("smtp_url", "smtp://relay.example:port", "KEEPWARM_SMTP_URL"),
        ("mail_listen", "2525", "KEEPWARM_MAIL_LISTEN"),
        ("mail_listen", "0.0.0.0:99999", "KEEPWARM_MAIL_LISTEN"),
        ("mail_domain", "log@kw.example", "KEEPWARM_MAIL_DOMAIN"),
        ("mail_from", "keepwarm", "KEEPWARM_MAIL_FROM"),
    ],
)
def test_a_bad_mail_setting_names_its_variable(field: str, value: str, named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        Settings.model_validate({field: value})


def test_the_smtp_url_as_read() -> None:
    assert SmtpServer.from_url("smtp://relay.example") == SmtpServer(
        "relay.example", 25, False, False, None, None
    )
    assert SmtpServer.from_url("smtp://me%40x.example:p%3Ass@relay.example?starttls=true") == (
        SmtpServer(
            "relay.example",
            587,
            False,
            True,
            "me@x.example",
            "p:ss",
        )
    )
    assert SmtpServer.from_url("smtps://u:p@relay.example") == SmtpServer(
        "relay.example", 465, True, False, "u", "p"
    )
    assert SmtpServer.from_url("smtp://relay.example:2525").port == 2525
