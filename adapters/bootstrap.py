"""The composition root: settings in, a wired `Register` out."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from hjemmel.adapters.config import Settings
from hjemmel.adapters.lager import Lager
from hjemmel.services.register import Register


def utc_na() -> datetime:
    return datetime.now(timezone.utc)


def bygg(settings: Settings, klokke: Callable[[], datetime] = utc_na) -> Register:
    if not settings.er_postgres:
        settings.sqlite_fil.parent.mkdir(parents=True, exist_ok=True)
    return Register(settings.eventsourcing_env(), settings.regler, klokke, Lager)
