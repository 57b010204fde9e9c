"""Settings read from KEEPWARM_* environment variables."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Signup(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Toggle(StrEnum):
    ON = "on"
    OFF = "off"


class Settings(BaseSettings):
    """Process configuration; every field is KEEPWARM_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="KEEPWARM_", extra="ignore")

    database_url: str = "sqlite:///keepwarm.db"
    signup: Signup = Signup.OPEN
    scheduler: Toggle = Toggle.ON
    tick_seconds: float = Field(default=30.0, gt=0)
    webhook_allow_private: bool = False
    # How long a claimed delivery stays leased to one replica: keep it well above the 15 s
    # delivery timeout, or a slow send may be claimed and sent again by another replica.
    delivery_lease_seconds: float = Field(default=90.0, gt=0)
    log_level: str = "INFO"
    # FastAPI's own OpenTelemetry spans, metrics and logs, for a provider the deployment
    # configures. Off, FastAPI does not even look for one on each request.
    opentelemetry: Toggle = Toggle.OFF
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=900, ge=1)


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
