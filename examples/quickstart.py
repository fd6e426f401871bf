"""A case end to end on the embedded SQLite: report, notify, investigate, plan, evaluate, close.

Run from the repository root after installing: python examples/quickstart.py
It uses config.toml's demo school (Hellerud) and a throwaway database in a temporary folder. The clock is
a FixedClock that the script moves two weeks ahead for the evaluation (version 2026-12 closes a case only
after an evaluation of its plan, with the pupil heard since).
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aktivitetsplikt.engine import Actor, FixedClock, bootstrap, load_settings
from aktivitetsplikt.engine.cli.logs import configure_logging


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds")


def main() -> None:
    configure_logging(level=logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="aktivitetsplikt-"))
    os.environ["AKTIVITETSPLIKT_DATABASE__URL"] = f"sqlite:///{folder / 'quickstart.db'}"
    now = datetime.now(UTC).replace(microsecond=0)
    clock = FixedClock(now)
    engine = bootstrap(load_settings(Path(__file__).parents[1] / "config.toml"), clock=clock, upgrade=True)
    teacher = Actor(id="t-17", role="staff", school="hellerud")
    principal = Actor(id="rektor", role="principal", school="hellerud")
    handler = Actor(id="t-18", role="case_handler", school="hellerud")
    heard = {"at": iso(now - timedelta(minutes=30)), "feels_safe": False, "views": "Vil ha voksne ute."}
    best = "Elevens beste: trygghet i friminuttene veier tyngst."

    case = engine.report(
        workflow="aktivitetsplikt",
        school="hellerud",
        pupil="elev-4711",
        actor=teacher,
        document={
            "source": "pupil",
            "occurred_at": iso(now - timedelta(hours=2)),
            "description": "Utestengt i friminuttene.",
            "kinds": ["exclusion"],
        },
    )
    steps = [
        (
            "notify_principal",
            {
                "notified_at": iso(now - timedelta(hours=1)),
                "channel": "muntlig",
                "summary": "Melding om utestenging.",
            },
            teacher,
        ),
        (
            "start_investigation",
            {"responsible": "t-18", "plan": "Samtaler med eleven og klassen."},
            principal,
        ),
        ("assess_seriousness", {"serious": False, "reason": "Ingen vold; første melding."}, principal),
        (
            "conclude_investigation",
            {
                "pupil_heard": heard,
                "others_heard": ["kontaktlærer"],
                "findings": "Utestenging bekreftet.",
                "conclusion": "measures_needed",
                "best_interests": best,
            },
            handler,
        ),
        (
            "adopt_plan",
            {
                "problem": "Utestenging.",
                "measures": [{"description": "Voksen ute", "when": "Daglig", "responsible": "t-18"}],
                "evaluation_at": iso(now + timedelta(days=14)),
                "pupil_participation": "Eleven valgte tiltakene.",
                "best_interests": best,
            },
            handler,
        ),
    ]
    for trigger, document, actor in steps:
        case = engine.fire(case.id, trigger, document, actor)
        print(f"{case.number}: {trigger:<24} -> {case.state}")
    later = now + timedelta(days=14)
    clock.set(later + timedelta(hours=1))
    plan = (engine.get(case.id, actor=handler).events or [])[-1].document
    measures = [{"id": m["id"], "status": "carried_out"} for m in plan["measures"]]
    safe = {"at": iso(later), "feels_safe": True, "views": "Det er bra nå."}
    evaluation = {
        "held_at": iso(later),
        "pupil_heard": safe,
        "effect": "Ingen nye hendelser.",
        "measures": measures,
        "decision": "continue",
        "next_evaluation_at": iso(later + timedelta(days=14)),
    }
    closing = {"reason": "Eleven er trygg igjen.", "pupil_heard": safe, "best_interests": best}
    for trigger, document, actor in (("evaluate", evaluation, handler), ("close", closing, principal)):
        case = engine.fire(case.id, trigger, document, actor)
        print(f"{case.number}: {trigger:<24} -> {case.state}")
    verdict = engine.verify(case.id, actor=principal)  # a read: it takes the reader and is logged
    print(f"{case.number}: {verdict.events} events, hash chain intact: {verdict.intact}")
    print(f"database: {folder / 'quickstart.db'}")


if __name__ == "__main__":
    main()
