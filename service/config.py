"""Settings read from KEEPWARM_* environment variables."""

from __future__ import annotations

from email.utils import parseaddr
from enum import StrEnum
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Signup(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Toggle(StrEnum):
    ON = "on"
    OFF = "off"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class Settings(BaseSettings):
    """Process configuration; every field is KEEPWARM_<NAME> in the environment."""

    model_config = SettingsConfigDict(
        env_prefix="KEEPWARM_",
        extra="ignore",
        # inf or nan in a number of seconds would pass `> 0`, then fail the scheduler.
        allow_inf_nan=False,
    )

    database_url: str = "sqlite:///keepwarm.db"
    # PostgreSQL: the connections each process keeps open (a burst may open half as many
    # again, closed once returned). SQLite's pool is sized by its own rules.
    db_pool_size: int = Field(default=10, ge=1, le=500)
    # Where `keepwarm serve` listens (its --host and --port override them).
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # The proxies whose X-Forwarded-For / X-Forwarded-Proto `serve` believes (comma-separated
    # addresses or networks, or "*"): the client's address decides the per-client limits.
    forwarded_allow_ips: str = "127.0.0.1"
    signup: Signup = Signup.OPEN
    scheduler: Toggle = Toggle.ON
    tick_seconds: float = Field(default=30.0, gt=0)
    webhook_allow_private: bool = False
    # How long a claimed delivery stays leased to one replica: keep it well above the 15 s
    # delivery timeout, or a slow send may be claimed and sent again by another replica.
    delivery_lease_seconds: float = Field(default=90.0, gt=0)
    log_level: LogLevel = LogLevel.INFO
    # FastAPI's own OpenTelemetry spans, metrics and logs, for a provider the deployment
    # configures. Off, FastAPI does not even look for one on each request.
    opentelemetry: Toggle = Toggle.OFF
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=900, ge=1)
    # Per client address: enough for a household behind one address, not for a sign-up loop.
    signup_per_client_per_hour: int = Field(default=10, ge=1)
    # The base of every absolute URL the API writes (Location, feed URLs): the Host header
    # is the client's to choose, so without it only a loopback client's own host is used.
    public_url: str | None = None
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    max_import_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    # uvicorn (keepwarm serve): the request line and headers, the wait for the next request
    # on a kept-alive connection, and how long a request (head and body) may take to arrive.
    max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    keep_alive_seconds: int = Field(default=5, ge=1)
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    # Browser apps on other origins that may call the API (comma-separated, e.g.
    # https://app.example,http://localhost:5173; "*" for any). Empty: no CORS headers at all.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # Whether `serve` and `worker` upgrade the schema at start. Unset: on for SQLite (one
    # process owns the file), off for PostgreSQL (run `keepwarm migrate` first, with a role
    # that may change the schema; the runtime role then needs no DDL rights).
    auto_migrate: Toggle | None = None
    # One line per record: "text" for people, "json" for a log collector.
    log_format: LogFormat = LogFormat.TEXT
    # `keepwarm worker` answers /healthz, /readyz and /metrics on this port.
    worker_port: int = Field(default=8001, ge=1, le=65535)
    # When set, /metrics answers only `Authorization: Bearer <token>`.
    metrics_token: str | None = None
    # Delivered events and delivery attempts older than this are purged by the scheduler.
    retention_days: int = Field(default=90, ge=1)
    # Daily reminders go out through this SMTP server: smtp://user:pass@host:port, smtps://
    # for TLS from the first byte, smtp://...?starttls=true to upgrade. Unset: none are sent.
    smtp_url: str | None = None
    # The reminders' From, e.g. "keepwarm <reminders@kw.example>".
    mail_from: str | None = None
    # host:port where the worker (or serve with the scheduler) receives touches by BCC, at
    # log-<token>@KEEPWARM_MAIL_DOMAIN. Both unset: no listener, no logging addresses.
    mail_listen: str | None = None
    mail_domain: str | None = None

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        # Any case; what is not a level is left as written, for the error to name.
        fits = isinstance(value, str) and value.upper() in LogLevel.__members__
        return value.upper() if fits and isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError("KEEPWARM_CORS_ORIGINS is a comma-separated list of origins")
        origins = tuple(str(item).strip().rstrip("/") for item in items if str(item).strip())
        for origin in origins:
            parts = urlsplit(origin)
            plain = parts.scheme in ("http", "https") and parts.netloc and not parts.path
            if origin != "*" and not (plain and not parts.query and not parts.fragment):
                raise ValueError(
                    f"KEEPWARM_CORS_ORIGINS: {origin!r} is not an origin "
                    "(scheme://host[:port], e.g. https://app.example) or *"
                )
        return origins

    @field_validator("public_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("KEEPWARM_PUBLIC_URL must be an http(s) URL, e.g. https://kw.example")
        if parts.query or parts.fragment:
            raise ValueError("KEEPWARM_PUBLIC_URL may not carry a query or a fragment")
        return value.rstrip("/")

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                "KEEPWARM_SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://..."
            )
        try:
            parts.port  # noqa: B018 (raises on a port that is not a number)
        except ValueError as exc:
            raise ValueError(f"KEEPWARM_SMTP_URL: {exc}") from None
        return value

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str | None) -> str | None:
        if not value:
            return None
        _, address = parseaddr(value)
        if "@" not in address or any(c in value for c in "\r\n"):
            raise ValueError(
                "KEEPWARM_MAIL_FROM must be an address, e.g. keepwarm <reminders@kw.example>"
            )
        return value

    @field_validator("mail_listen")
    @classmethod
    def _listen(cls, value: str | None) -> str | None:
        if not value:
            return None
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("KEEPWARM_MAIL_LISTEN must be host:port, e.g. 0.0.0.0:2525")
        return value

    @field_validator("mail_domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip().lower()
        if "@" in value or ("." not in value.strip(".") and value != "localhost"):
            raise ValueError("KEEPWARM_MAIL_DOMAIN is a domain name, e.g. kw.example")
        return value

    def sends_reminders(self) -> bool:
        """Whether reminder emails go out: a relay, a From, and the public URL of their links."""
        return bool(self.smtp_url and self.mail_from and self.public_url)

    def migrates_at_start(self) -> bool:
        """Whether serve and worker run the migrations before they start."""
        if self.auto_migrate is not None:
            return self.auto_migrate == Toggle.ON
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
