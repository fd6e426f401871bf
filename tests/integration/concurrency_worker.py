"""One OS process of the concurrency tests (run as a script by test_concurrency.py, never collected).

It builds its own Engine from the config file (the database URL comes from AKTIVITETSPLIKT_DATABASE__URL),
and waits at a file barrier until every process is ready, so that their writes really overlap.

Modes:
  once    read the case, wait at the barrier, fire one add_note with expected_version = the version read
  notes   wait at the barrier, then fire COUNT add_notes without expected_version
  reports wait at the barrier, then open COUNT cases at the same school

Prints one line "RESULT " + a JSON object: {"read_version": ..., "outcomes": ["ok" | "conflict" | "error: ..."],
"numbers": [case numbers opened], "conflicts": [the ConcurrencyConflict messages]}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from aktivitetsplikt.engine import Actor, ConcurrencyConflict, FixedClock, bootstrap, load_settings

TEACHER = Actor(id="t-17", role="staff", school="hellerud")
ADMIN = Actor(id="it-drift", role="it_admin")
REPORT = {
    "source": "pupil",
    "occurred_at": "2026-09-02T09:00",
    "description": "Eleven forteller om utestenging i friminuttene.",
    "kinds": ["exclusion"],
}
BARRIER_TIMEOUT_S = 60


def wait_at_barrier(folder: Path, index: int, parties: int) -> None:
    (folder / f"ready-{index}").write_text("ready", encoding="utf-8")
    deadline = time.monotonic() + BARRIER_TIMEOUT_S
    while len(list(folder.glob("ready-*"))) < parties:
        if time.monotonic() > deadline:
            msg = f"only {len(list(folder.glob('ready-*')))} of {parties} processes reached the barrier"
            raise TimeoutError(msg)
        time.sleep(0.002)


def attempt(call: Any, conflicts: list[str]) -> str:
    try:
        call()
    except ConcurrencyConflict as exc:
        conflicts.append(str(exc))
        return "conflict"
    except Exception as exc:  # anything else is what the test is looking for; report it, never hide it
        return "error: " + "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return "ok"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--mode", choices=["once", "notes", "reports"], required=True)
    parser.add_argument("--case", default="")
    parser.add_argument("--barrier", required=True)
    parser.add_argument("--index", type=int, required=True)
    parser.add_argument("--parties", type=int, required=True)
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args(argv)

    engine = bootstrap(load_settings(args.config), clock=FixedClock(datetime.fromisoformat(args.now)))
    result: dict[str, Any] = {"read_version": None, "outcomes": [], "numbers": [], "conflicts": []}
    barrier = Path(args.barrier)
    if args.mode == "once":
        version = engine.get(args.case, events=False, actor=ADMIN).version
        result["read_version"] = version
        wait_at_barrier(barrier, args.index, args.parties)
        note = {"text": f"Notat fra prosess {args.index}"}
        result["outcomes"].append(
            attempt(
                lambda: engine.fire(args.case, "add_note", note, TEACHER, expected_version=version),
                result["conflicts"],
            )
        )
    elif args.mode == "notes":
        wait_at_barrier(barrier, args.index, args.parties)
        for n in range(args.count):
            note = {"text": f"Notat {n} fra prosess {args.index}"}
            result["outcomes"].append(
                attempt(lambda note=note: engine.fire(args.case, "add_note", note, TEACHER), result["conflicts"])
            )
    else:
        wait_at_barrier(barrier, args.index, args.parties)
        for n in range(args.count):
            opened: list[str] = []

            def report(n: int = n, opened: list[str] = opened) -> None:
                case = engine.report(
                    workflow="aktivitetsplikt",
                    school="hellerud",
                    pupil=f"elev-{args.index}-{n}",
                    document=REPORT,
                    actor=TEACHER,
                )
                opened.append(case.number)

            result["outcomes"].append(attempt(report, result["conflicts"]))
            result["numbers"].extend(opened)
    engine.uow.engine.dispose()  # type: ignore[attr-defined]
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
