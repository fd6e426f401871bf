"""Helpers for the daemon tests: an SMTP sink, a TCP proxy, config files, seeding, the daemon as a subprocess.

Waiting is always polling with a deadline (:func:`wait_until`), never a fixed sleep; a daemon started with
:class:`DaemonProcess` must be stopped in a ``finally`` (``stop()`` is safe to call twice).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from aktivitetsplikt.engine import Actor, Engine, FixedClock, Settings, bootstrap, load_settings
from aktivitetsplikt.engine.config.settings import NotifierSettings, SmtpSettings
from aktivitetsplikt.engine.core.documents import OSLO
from tests.conftest import TEACHER, TEST_CONFIG, report_doc

POLL = 0.1
DEADLINE = 60.0


def wait_until(check: Callable[[], Any], *, timeout: float = DEADLINE, what: str = "the condition") -> Any:
    """Poll ``check`` every 0.1 s until it returns something truthy; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            msg = f"timed out after {timeout:.0f} s waiting for {what} (last value: {result!r})"
            raise AssertionError(msg)
        time.sleep(POLL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# --- SMTP ---------------------------------------------------------------------------------------------


class Sink:
    """An aiosmtpd handler that records the Message-ID of every mail, then answers after ``delay`` s.

    The mail counts as received before the answer, like a real server that has queued it: a client killed
    while waiting for the answer sends it again, and that shows here as a duplicate.
    """

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.ids: list[str] = []
        self._parser = BytesHeaderParser(policy=policy.default)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        self.ids.append(str(self._parser.parsebytes(content)["Message-ID"]))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def received(self) -> int:
        return len(self.ids)

    def at_least(self, count: int) -> Callable[[], bool]:
        """A check for :func:`wait_until`: ``count`` mails have arrived."""
        return lambda: len(self.ids) >= count

    def distinct(self) -> set[str]:
        return set(self.ids)


def message_id(outbox_id: str) -> str:
    """The Message-ID header SmtpNotifier gives an outbox message."""
    return f"<{outbox_id}@aktivitetsplikt>"


def with_smtp(settings: Settings, port: int) -> Settings:
    """``settings`` with the one channel smtp, to 127.0.0.1:``port``."""
    config = SmtpSettings(host="127.0.0.1", port=port)
    return settings.model_copy(update={"notifiers": NotifierSettings(channels=["smtp"], smtp=config)})


def start_smtp(sink: Sink, port: int | None = None) -> Controller:
    controller = Controller(sink, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller


@contextmanager
def smtp_server(sink: Sink, port: int | None = None) -> Iterator[Controller]:
    controller = start_smtp(sink, port)
    try:
        yield controller
    finally:
        controller.stop()


# --- a TCP proxy that can cut the database off ------------------------------------------------------------


class TcpProxy:
    """Forwards 127.0.0.1:``port`` to 127.0.0.1:``target``. ``stop()`` closes the listener and every open
    connection (the database "goes away"); ``start()`` listens again on the same port."""

    def __init__(self, target: int, port: int | None = None) -> None:
        self.target = target
        self.port = port or free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(POLL)
        self._listener = listener
        self._stopping.clear()
        self._spawn(self._accept, listener)

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            open_sockets = list(self._sockets)
            self._sockets.clear()
        for sock in open_sockets:
            _close(sock)
        threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._stopping.is_set():
                    _close(client)
                    _close(upstream)
                    return
                self._sockets.update((client, upstream))
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    def _pump(self, source: socket.socket, dest: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                dest.sendall(data)
        except OSError:
            pass
        _close(source)
        _close(dest)


def _close(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


# --- config and seeding ------------------------------------------------------------------------------------


def write_config(
    folder: Path,
    *,
    database_url: str,
    smtp_port: int,
    claim_lease: str = "3s",
    batch_size: int | None = None,
    name: str = "daemon.toml",
) -> Path:
    """A config for a daemon that sweeps and dispatches every second and mails through 127.0.0.1."""
    batch = f"batch_size = {batch_size}\n" if batch_size is not None else ""
    path = folder / name
    path.write_text(
        f'[database]\nurl = "{database_url}"\n\n'
        f'[daemon]\nsweep_every = "1s"\ndispatch_every = "1s"\nclaim_lease = "{claim_lease}"\n{batch}\n'
        f'[notifiers]\nchannels = ["smtp"]\n[notifiers.smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\n' + TEST_CONFIG,
        encoding="utf-8",
    )
    return path


def seeding_engine(config: Path, at: datetime) -> Engine:
    """An engine in this process on the config's database (migrated), its clock stopped at ``at``."""
    return bootstrap(load_settings(config), clock=FixedClock(at), upgrade=True)


def oslo(at: datetime) -> str:
    """An instant as documentation writes it: Oslo time without offset."""
    return at.astimezone(OSLO).replace(tzinfo=None).isoformat(timespec="seconds")


def open_case(engine: Engine, *, pupil: str, notify: bool, reporter: Actor = TEACHER) -> str:
    """Report a case that happened 10 minutes before the engine's clock; with ``notify`` the principal is
    told 5 minutes later (one notice queued). Returns the case id."""
    now = engine.clock.now()
    doc = report_doc(occurred_at=oslo(now - timedelta(minutes=10)))
    case = engine.report(workflow="aktivitetsplikt", school="hellerud", pupil=pupil, document=doc, actor=reporter)
    if notify:
        notice = {"notified_at": oslo(now - timedelta(minutes=5)), "channel": "muntlig", "summary": "Melding."}
        engine.fire(case.id, "notify_principal", notice, reporter)
    return case.id


def db_of(engine: Engine) -> sa.Engine:
    bind: sa.Engine = engine.uow.engine  # type: ignore[attr-defined]
    return bind


def scalar(bind: sa.Engine, sql: str, **params: Any) -> Any:
    with bind.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def rows(bind: sa.Engine, sql: str, **params: Any) -> list[sa.Row[Any]]:
    with bind.connect() as conn:
        return list(conn.execute(sa.text(sql), params))


def outbox_status(bind: sa.Engine) -> dict[str, int]:
    return {status: int(n) for status, n in rows(bind, "SELECT status, count(*) FROM outbox GROUP BY status")}


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


# --- the daemon as a subprocess ---------------------------------------------------------------------------


class DaemonProcess:
    """``aktivitetsplikt --config CONFIG daemon`` in a child process, its JSON log lines in ``log``."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config = config
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self._stream: IO[bytes] | None = None
        self._terminated = False

    def start(self) -> DaemonProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
        self._stream = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aktivitetsplikt.engine.cli", "--config", str(self.config), "daemon"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stream,
            env=env,
            cwd=self.config.parent,
        )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def entries(self) -> list[dict[str, Any]]:
        """Every JSON log line written so far (a half-written last line is left for later)."""
        found = []
        decoder = json.JSONDecoder()
        for line in self.text().splitlines():
            try:
                # raw_decode: a line may carry text another thread wrote before its newline.
                entry, _ = decoder.raw_decode(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                found.append(entry)
        return found

    def not_json(self) -> list[str]:
        """The lines of the log that are not one JSON object each (there should be none)."""
        wrong = []
        for line in self.text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if not isinstance(entry, dict):
                wrong.append(line)
        return wrong

    def events(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.entries() if e.get("event") == name]

    def wait_for(self, *names: str, timeout: float = DEADLINE) -> list[dict[str, Any]]:
        """Wait until the log shows one of ``names``; fail early if the daemon dies."""

        def seen() -> list[dict[str, Any]]:
            found = [e for e in self.entries() if e.get("event") in names]
            if not found and not self.running():
                msg = f"the daemon exited ({self.returncode()}) before logging {names}:\n{self.text()[-3000:]}"
                raise AssertionError(msg)
            return found

        found: list[dict[str, Any]] = wait_until(seen, timeout=timeout, what=f"a log line {names}")
        return found

    def returncode(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or released by the daemon itself."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close()

    def sigterm(self) -> None:
        """Send SIGTERM once (a second one would only log ``daemon_stopping`` again)."""
        assert self.process is not None
        if not self._terminated:
            self._terminated = True
            self.process.send_signal(signal.SIGTERM)

    def terminate(self, timeout: float = 10) -> int:
        """SIGTERM and wait; returns the exit code."""
        assert self.process is not None
        self.sigterm()
        code = self.process.wait(timeout=timeout)
        self._close()
        return code

    def stop(self) -> None:
        """Make sure the child is gone (for ``finally``): SIGTERM, then SIGKILL after 5 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.sigterm()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._close()

    def _close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def stop_all(daemons: list[DaemonProcess]) -> None:
    """Stop every daemon (for ``finally``): all get SIGTERM at once, then each is waited for."""
    for daemon in daemons:
        if daemon.running():
            daemon.sigterm()
    for daemon in daemons:
        daemon.stop()
