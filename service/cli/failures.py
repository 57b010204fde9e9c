"""What a command says when it cannot go on: one line, text or JSON (KEEPWARM_LOG_FORMAT)."""

from __future__ import annotations

import logging
import os
import sys
from enum import Enum
from types import NoneType, UnionType
from typing import Any, get_args

from annotated_types import Ge, Gt, Le, Lt
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from service.config import LogFormat, Settings
from service.logs import JsonFormatter

# Settings whose values are not repeated back: they may hold a password or a token.
SECRET_SETTINGS = frozenset({"database_url", "metrics_token"})
SHOWN_CHARACTERS = 40


def report(message: str, **fields: str) -> None:
    """One line on standard error: `keepwarm: message`, or a JSON object with the fields.

    Read from the environment itself: the settings may be what failed.
    """
    wanted = os.environ.get("KEEPWARM_LOG_FORMAT", "").strip().lower()
    if wanted == LogFormat.JSON:
        record = logging.makeLogRecord(
            {"name": "keepwarm", "levelno": logging.ERROR, "levelname": "ERROR", "msg": message}
        )
        record.__dict__.update(fields)
        print(JsonFormatter().format(record), file=sys.stderr)
    else:
        print(f"keepwarm: {message}", file=sys.stderr)


def database_reason(exc: BaseException) -> str:
    """The first line of what the database driver said (its later lines are hints)."""
    said = str(getattr(exc, "orig", None) or exc).strip()
    return said.splitlines()[0] if said else type(exc).__name__


def invalid_settings(error: ValidationError) -> tuple[str, list[str]]:
    """The line naming each KEEPWARM_… variable that does not fit, and what it accepts."""
    variables: list[str] = []
    problems: list[str] = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        variable = f"KEEPWARM_{field.upper()}"
        if variable in variables:
            continue
        variables.append(variable)
        info = Settings.model_fields.get(field)
        accepts = _accepts(info) if info is not None else None
        if accepts is None:  # a validator of ours: its message names the variable already
            problems.append(str(item["msg"]).removeprefix("Value error, "))
            continue
        value = item.get("input")
        shown = "" if field in SECRET_SETTINGS or not isinstance(value, str) else f"={value!r}"
        if len(shown) > SHOWN_CHARACTERS:
            shown = shown[:SHOWN_CHARACTERS] + "…"
        problems.append(f"{variable}{shown} is not valid: it takes {accepts}")
    return "; ".join(problems), variables


def _accepts(info: FieldInfo) -> str | None:
    kind = _plain_type(info.annotation)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "one of " + ", ".join(str(member.value) for member in kind)
    if kind is bool:
        return "true or false"
    if kind is int or kind is float:
        noun = "a whole number" if kind is int else "a number"
        return noun + _bounds(info.metadata)
    return None


def _plain_type(annotation: Any) -> Any:
    if isinstance(annotation, UnionType):
        kinds = [kind for kind in get_args(annotation) if kind is not NoneType]
        return kinds[0] if len(kinds) == 1 else None
    return annotation


def _bounds(metadata: list[Any]) -> str:
    low = next((f"{m.ge}" for m in metadata if isinstance(m, Ge)), None)
    above = next((f"{m.gt}" for m in metadata if isinstance(m, Gt)), None)
    high = next((f"{m.le}" for m in metadata if isinstance(m, Le)), None)
    below = next((f"{m.lt}" for m in metadata if isinstance(m, Lt)), None)
    if low is not None and high is not None:
        return f" from {low} to {high}"
    words = []
    if low is not None:
        words.append(f"of at least {low}")
    if above is not None:
        words.append(f"above {above}")
    if high is not None:
        words.append(f"of at most {high}")
    if below is not None:
        words.append(f"below {below}")
    return (" " + " and ".join(words)) if words else ""
