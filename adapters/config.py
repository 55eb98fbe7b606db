"""`Settings`: everything read from flags and the environment, once, into a frozen object."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import msgspec

from hjemmel.domain.regler import Regler


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    db: str  # an SQLite file path or a postgresql:// URL
    nats: str | None = None
    regler: Regler = Regler()
    stream: str = "HJEMMEL"

    @property
    def er_postgres(self) -> bool:
        return self.db.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_fil(self) -> Path:
        return Path(self.db.removeprefix("sqlite:///").removeprefix("sqlite://"))

    @property
    def datamappe(self) -> Path:
        """Where embedded services keep their data: beside the SQLite file (or in the cwd)."""
        return (self.sqlite_fil.parent if not self.er_postgres else Path.cwd()) / "hjemmel-data"

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's env, built here and passed to Application(env=...) (style.md: never os.environ)."""
        env = {"ORIGINATOR_ID_TYPE": "text", "MAPPER_TOPIC": "hjemmel.adapters.mapper:MsgspecMapper",
               "CREATE_TABLE": "y"}
        if not self.er_postgres:
            return env | {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(self.sqlite_fil),
                          "SQLITE_LOCK_TIMEOUT": "30"}
        url = urlparse(self.db)
        return env | {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.path.lstrip("/") or "hjemmel",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
        }


class ReglerUgyldige(ValueError):
    """The rules file cannot be read or names a key or value domain.md §8 does not have."""


def les_regler(fil: Path) -> Regler:
    """A JSON object of domain.md §8 keys; every key not named keeps its project default."""
    try:
        return msgspec.json.decode(fil.read_bytes(), type=Regler)
    except OSError as feil:
        raise ReglerUgyldige(f"Kan ikke lese regelfilen {fil}: {feil.strerror}") from None
    except (msgspec.ValidationError, msgspec.DecodeError) as feil:
        raise ReglerUgyldige(f"Regelfilen {fil} er ugyldig: {feil}") from None


def les_settings(db: str | None = None, nats: str | None = None, regler_fil: str | None = None) -> Settings:
    """Flags win over the environment; defaults per interface §2."""
    db = db or os.environ.get("HJEMMEL_DB") or "hjemmel.sqlite"
    nats = nats or os.environ.get("HJEMMEL_NATS") or None
    regler_fil = regler_fil or os.environ.get("HJEMMEL_REGLER")
    regler = Regler()
    if regler_fil:
        regler = les_regler(Path(regler_fil))
    return Settings(db=db, nats=nats, regler=regler, stream=os.environ.get("HJEMMEL_STREAM", "HJEMMEL"))
