"""The HTTP service's figures: one step over HTTP against the same step through the library, and the
throughput of steps with 16 concurrent clients.

The service runs as ``aktivitetsplikt serve`` in a process of its own (uvicorn, one worker, its JSON
access log on), in development mode: tokens are HS256, so the figures leave out an RS256 signature check
(tens of microseconds). Each client keeps its connection open, as a school tool's HTTP client does.
Every step is ``notify_principal`` on a case of its own, reported beforehand through the library.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from aktivitetsplikt.engine import Engine
from aktivitetsplikt.engine.config.http import AuthSettings
from aktivitetsplikt.engine.http.auth import dev_token
from bench import data
from bench.harness import Figure, Sample, measure

SECRET = "bench-" + "k" * 40
CLIENTS = 16


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(config: Path) -> Iterator[str]:
    """``aktivitetsplikt serve`` on ``config`` in development mode, until the block ends."""
    with config.open("a", encoding="utf-8") as file:
        file.write('\n[http.auth]\nmode = "development"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
    env["AKTIVITETSPLIKT_HTTP__AUTH__DEV_SECRET"] = SECRET
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "aktivitetsplikt.engine.cli",
        "--config",
        str(config),
        "serve",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _client(url: str) -> httpx.Client:
    auth = AuthSettings(mode="development", dev_secret=SECRET)
    token = dev_token(auth, actor_id="t-17", role="staff", units=["hellerud"])
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def _reported(engine: Engine, count: int) -> list[str]:
    return [
        engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil=f"elev-{i}", document=data.REPORT, actor=data.TEACHER
        ).id
        for i in range(count)
    ]


def _step(client: httpx.Client, case_id: str) -> None:
    response = client.post(f"/cases/{case_id}/steps/notify_principal", json=data.NOTIFY)
    if response.status_code != 200:
        msg = f"the step over HTTP answered {response.status_code}: {response.text[:300]}"
        raise RuntimeError(msg)


def step_vs_library(url: str, folder: Path, label: str, runs: int, target: float = 2.0) -> Figure:
    """notify_principal over HTTP (token, JSON, routing, the step, the answer) against engine.fire."""
    engine = data.open_engine(folder, url)
    total = runs + 3
    library_ids, http_ids = iter(_reported(engine, total)), iter(_reported(engine, total))
    floor = measure(lambda: engine.fire(next(library_ids), "notify_principal", data.NOTIFY, data.TEACHER), runs=runs)
    with served(folder / "config.toml") as base, _client(base) as client:
        value = measure(lambda: _step(client, next(http_ids)), runs=runs)
    engine.uow.engine.dispose()  # type: ignore[attr-defined]
    name = f"one step over HTTP vs the library ({label})"
    return Figure(name, value, "s", f"<= {target:g}x library", floor=floor, ratio_max=target)


def throughput(url: str, folder: Path, label: str, per_client: int) -> Figure:
    """Steps per second with 16 clients at once, each on cases of its own."""
    engine = data.open_engine(folder, url)
    ids = _reported(engine, CLIENTS * per_client)
    engine.uow.engine.dispose()  # type: ignore[attr-defined]
    batches = [ids[i::CLIENTS] for i in range(CLIENTS)]
    failures: list[BaseException] = []
    with served(folder / "config.toml") as base:
        clients = [_client(base) for _ in range(CLIENTS)]
        for client in clients:  # open each connection before the clock starts
            client.get("/healthz")
        start = threading.Barrier(CLIENTS + 1)

        def work(client: httpx.Client, batch: list[str]) -> None:
            start.wait()
            try:
                for case_id in batch:
                    _step(client, case_id)
            except BaseException as exc:  # reported after the run; a failed client must not hang the others
                failures.append(exc)

        threads = [threading.Thread(target=work, args=pair) for pair in zip(clients, batches, strict=True)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        for client in clients:
            client.close()
    if failures:
        raise failures[0]
    name = f"steps over HTTP, {CLIENTS} concurrent clients ({label})"
    return Figure(name, Sample.of([elapsed]), "s", "measured", items=len(ids))
