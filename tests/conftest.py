"""Shared infrastructure fixtures: a loopback nats-server and a throw-away PostgreSQL."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest

from hjemmel.adapters.nats_server import EmbeddedNatsServer, free_port

PG_DBNAME = "hjemmel_test"


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[EmbeddedNatsServer]:
    """A real nats-server with JetStream on a free loopback port, its data in tmp_path."""
    server = EmbeddedNatsServer(tmp_path / "nats")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL: $HJEMMEL_TEST_PG, or a private cluster started for this session."""
    if url := os.environ.get("HJEMMEL_TEST_PG"):
        yield url
        return
    bindir = _pg_bindir()
    if bindir is None:
        reason = ("PostgreSQL binaries (initdb, pg_ctl) not found; "
                  "set HJEMMEL_TEST_PG or install postgresql")
        if os.environ.get("HJEMMEL_REQUIRE_PG") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    cluster = _PrivateCluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def _pg_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then Debian's newest version."""
    found = shutil.which("initdb")
    if found:
        bindir = Path(found).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                    key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(debian[-1]).parent if debian else None


class _PrivateCluster:
    """initdb + pg_ctl in a temp dir, loopback TCP only, trust auth; owned by a non-root user."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="hjemmel-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        # initdb refuses to run as root, so as root we run the server as an unprivileged user.
        self.as_root = os.geteuid() == 0
        self.user = _unprivileged_user() if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        self.started = False

    def start(self) -> str:
        if self.as_root:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.root} -c fsync=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "postgres.log"),
                  "-o", options, "-w", "-t", "60", "start")
        self.started = True
        base = f"postgresql://{self.user}@127.0.0.1:{self.port}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{PG_DBNAME}"')
        return f"{base}/{PG_DBNAME}"

    def stop(self) -> None:
        try:
            if self.started:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", self.user, "--", *command]
        # cwd: the unprivileged user may not be able to enter the current directory.
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True)
        if done.returncode != 0:
            log = self.root / "postgres.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"{program} failed ({done.returncode}):\n{done.stdout}{done.stderr}{tail}",
                        pytrace=False)


def _unprivileged_user() -> str:
    """`postgres` when the package created it, else `nobody`."""
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    pytest.fail("no unprivileged user (postgres or nobody) to run PostgreSQL as", pytrace=False)


@pytest.fixture(name="tom_database", params=["sqlite", "postgres"])
def _tom_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store on each backend: an SQLite file, or a PostgreSQL database of its own (so
    positions start at 1 and a rebuild reads only this test's log), dropped afterwards."""
    if request.param == "sqlite":
        yield str(tmp_path / "hjemmel.sqlite")
        return
    pg_url: str = request.getfixturevalue("pg_url")
    navn = f"hjemmel_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{navn}"')
    try:
        yield urlunparse(urlparse(pg_url)._replace(path=f"/{navn}"))
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{navn}" WITH (FORCE)')
