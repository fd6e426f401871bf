"""A case end to end on the embedded SQLite: report, notify, investigate, plan, evaluate, close.

Run from the repository root after installing: python examples/quickstart.py
It uses config.toml's demo school (Hellerud) and a throwaway database in a temporary folder.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aktivitetsplikt.engine import Actor, bootstrap, load_settings
from aktivitetsplikt.engine.cli.logs import configure_logging


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="minutes")


def main() -> None:
    configure_logging(level=logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="aktivitetsplikt-"))
    os.environ["AKTIVITETSPLIKT_DATABASE__URL"] = f"sqlite:///{folder / 'quickstart.db'}"
    engine = bootstrap(load_settings(Path(__file__).parents[1] / "config.toml"), upgrade=True)
    now = engine.clock.now()
    teacher = Actor(id="t-17", role="staff", school="hellerud")
    principal = Actor(id="rektor", role="principal", school="hellerud")
    handler = Actor(id="t-18", role="case_handler", school="hellerud")
    heard = {"at": iso(now - timedelta(minutes=30)), "feels_safe": False, "views": "Vil ha voksne ute."}

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
        (
            "conclude_investigation",
            {
                "pupil_heard": heard,
                "others_heard": ["kontaktlærer"],
                "findings": "Utestenging bekreftet.",
                "conclusion": "measures_needed",
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
            },
            handler,
        ),
        (
            "close",
            {"reason": "Eleven er trygg igjen.", "pupil_heard": heard | {"feels_safe": True}},
            principal,
        ),
    ]
    for trigger, document, actor in steps:
        case = engine.fire(case.id, trigger, document, actor)
        print(f"{case.number}: {trigger:<24} -> {case.state}")
    verdict = engine.verify(case.id, actor=principal)  # a read: it takes the reader and is logged
    print(f"{case.number}: {verdict.events} events, hash chain intact: {verdict.intact}")
    print(f"database: {folder / 'quickstart.db'}")


if __name__ == "__main__":
    main()
