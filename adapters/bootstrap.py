"""The composition root: settings in, a wired `Register` out."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from hjemmel.adapters.config import Settings
from hjemmel.adapters.lager import Lager
from hjemmel.services.register import Register


def utc_na() -> datetime:
    return datetime.now(timezone.utc)


def bygg(settings: Settings, klokke: Callable[[], datetime] = utc_na, *, lag_tabeller: bool = True) -> Register:
    """`lag_tabeller=False` for worker processes of a parent that opened the store first: PostgreSQL
    refuses the library's table creation run by several processes at once ("tuple concurrently updated")."""
    if not settings.er_postgres:
        settings.sqlite_fil.parent.mkdir(parents=True, exist_ok=True)
    env = settings.eventsourcing_env() | ({} if lag_tabeller else {"CREATE_TABLE": "n"})
    return Register(env, settings.regler, klokke, Lager)
