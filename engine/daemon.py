"""The escalation daemon: an APScheduler 3.11 BlockingScheduler running the sweep and the dispatcher.

Both jobs run at start (catch-up after downtime) and then every ``sweep_every`` / ``dispatch_every``,
coalesced, never overlapping themselves. A failing job (database or SMTP down) is logged and tried again
at its next run; the process never needs a restart for that. SIGTERM/SIGINT stop it cleanly: the
dispatcher finishes the message it is sending and the sweep its transaction.

On SQLite a lock file next to the database keeps a second daemon out; on PostgreSQL any number may run,
since due cases (then their duties, the lock order of every write) and messages are claimed with
``SKIP LOCKED``. A database that is busy or gone fails a job with ``DatabaseBusy`` or
``DatabaseUnavailable`` in the log, and the next run tries again.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import IO, Any

import structlog

from aktivitetsplikt.engine.app.checkpoints import Publish, checkpoint_once
from aktivitetsplikt.engine.app.ports import Notifier
from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.errors import ConfigError

log = structlog.get_logger(__name__)


def sqlite_lock(url: str) -> IO[str] | None:
    """Hold an exclusive lock file beside a SQLite database; None for other databases."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database).resolve().with_suffix(".daemon.lock")
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        msg = (
            f"Another aktivitetsplikt daemon is already running on {parsed.database} (lock {path}); "
            "SQLite allows one daemon, use PostgreSQL to run several."
        )
        raise ConfigError(msg) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


class _ToStructlog(logging.Handler):
    """Hands APScheduler's standard-library records (e.g. "skipped: maximum number of running instances
    reached" while a long dispatch runs) to structlog, so stderr stays one JSON object a line. Printed by
    logging itself they were plain text, and could even land inside a structlog line."""

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        details = {"error": f"{type(error).__name__}: {error}"} if error is not None else {}
        log.log(record.levelno, "scheduler_said", logger=record.name, message=record.getMessage(), **details)


def _scheduler_logs_to_structlog() -> None:
    scheduler_log = logging.getLogger("apscheduler")
    scheduler_log.setLevel(logging.WARNING)
    scheduler_log.propagate = False
    if not any(isinstance(h, _ToStructlog) for h in scheduler_log.handlers):
        scheduler_log.addHandler(_ToStructlog())


Observer = Callable[[str, float, bool], None]
"""Told each job run: the job's name, how long it took in seconds, and whether it succeeded."""


def guarded(name: str, job: Callable[[], Any], observe: Observer | None = None) -> Callable[[], None]:
    """Run a job; log and swallow its failure so the next run tries again; tell ``observe`` how it went."""

    def run() -> None:
        started = time.perf_counter()
        try:
            result = job()
        except Exception as exc:
            log.error(f"{name}_failed", error=type(exc).__name__, detail=(str(exc).splitlines() or [""])[0][:300])
            if observe is not None:
                observe(name, time.perf_counter() - started, False)
            return
        if observe is not None:
            observe(name, time.perf_counter() - started, True)
        if isinstance(result, dict):
            summary = result
        else:
            summary = result.to_json() if hasattr(result, "to_json") else {"steps": len(result or [])}
        if any(summary.values()):
            log.info(f"{name}_done", **summary)

    return run


class Daemon:
    def __init__(
        self,
        engine: Engine,
        notifier: Notifier,
        observe: Observer | None = None,
        checkpoint_webhook: Publish | None = None,
    ) -> None:
        self.engine = engine
        self.observe = observe
        self.checkpoint_webhook = checkpoint_webhook
        """Where checkpoints go besides ``[checkpoint] folder`` (``[checkpoint] webhook = true``)."""
        self.dispatcher = engine.dispatcher(notifier)
        self.stopping = threading.Event()
        self._scheduler: Any = None

    def checkpoint(self) -> dict[str, int]:
        """Write one signed checkpoint (the ``[checkpoint]`` job); logs the count, never a case's content."""
        engine = self.engine
        content, _ = checkpoint_once(
            engine.uow, engine.settings.checkpoint, engine.clock.now(), self.checkpoint_webhook
        )
        return {"cases": int(content["count"])}

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        log.info("daemon_stopping", signal=signal.Signals(signum).name)
        self.stopping.set()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def run(self) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.blocking import BlockingScheduler

        daemon = self.engine.settings.daemon
        sweep_every = daemon.sweep_every.total_seconds()
        dispatch_every = daemon.dispatch_every.total_seconds()
        scheduler = BlockingScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers=2)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        start = datetime.now(UTC)
        scheduler.add_job(
            guarded("sweep", self.engine.sweep, self.observe),
            "interval",
            seconds=sweep_every,
            id="sweep",
            next_run_time=start,
            misfire_grace_time=max(int(sweep_every), 1),
        )
        scheduler.add_job(
            guarded("dispatch", lambda: self.dispatcher.dispatch(stop=self.stopping), self.observe),
            "interval",
            seconds=dispatch_every,
            id="dispatch",
            next_run_time=start,
            misfire_grace_time=max(int(dispatch_every), 1),
        )
        every = self.engine.settings.checkpoint.every
        if every is not None:
            seconds = every.total_seconds()
            scheduler.add_job(
                guarded("checkpoint", self.checkpoint, self.observe),
                "interval",
                seconds=seconds,
                id="checkpoint",
                next_run_time=start,
                misfire_grace_time=max(int(seconds), 1),
            )
        self._scheduler = scheduler
        _scheduler_logs_to_structlog()
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        log.info(
            "daemon_started",
            pid=os.getpid(),
            sweep_every=str(daemon.sweep_every),
            dispatch_every=str(daemon.dispatch_every),
            channels=list(self.engine.settings.notifiers.channels),
        )
        scheduler.start()
        log.info("daemon_stopped")
