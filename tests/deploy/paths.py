"""Where the deployment files are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
INIT_SQL = ROOT / "deploy" / "initdb" / "10-keepwarm-roles.sql"
