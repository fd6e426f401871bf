"""One school's cases as each role sees them (issue 10): the same scenario on the fakes and on SQL.

Four cases: ``ordinary`` (§ 12-4 at Hellerud, reported by t-17, investigated by t-18, a measure held by
t-20), ``leadership`` (§ 12-5 accusing the principal, with the leadership flag), ``principal_accused``
(§ 12-5 naming the principal by address, without the flag) and ``furuset`` (another school of the same
owner).
"""

from __future__ import annotations

from aktivitetsplikt.engine import Actor, Engine
from tests.conftest import ADMIN, HANDLER, OWNER, PRINCIPAL, TEACHER, plan_doc, pupil_heard, report_doc

DEPUTY = Actor(id="nestleder@hellerud.example", role="deputy", school="hellerud")
HOLDER = Actor(id="t-20", role="staff", school="hellerud")
STRANGER = Actor(id="t-99", role="staff", school="hellerud")
FURUSET_TEACHER = Actor(id="f-1", role="staff", school="furuset")
FURUSET_PRINCIPAL = Actor(id="rektor@furuset.example", role="principal", school="furuset")

READERS = {
    "it_admin": ADMIN,
    "school_owner": OWNER,
    "principal": PRINCIPAL,
    "deputy": DEPUTY,
    "case_handler": HANDLER,
    "reporting_staff": TEACHER,
    "measure_holder": HOLDER,
    "other_staff": STRANGER,
    "other_principal": FURUSET_PRINCIPAL,
}
EVERY = {"ordinary", "leadership", "principal_accused", "furuset"}
SEES = {
    "it_admin": EVERY,
    "school_owner": EVERY,
    "principal": {"ordinary"},
    "deputy": {"ordinary", "principal_accused"},
    "case_handler": {"ordinary"},
    "reporting_staff": {"ordinary", "leadership", "principal_accused"},
    "measure_holder": {"ordinary"},
    "other_staff": set(),
    "other_principal": {"furuset"},
}
"""Which of the four cases each reader sees: the issue's defaults."""

NOTIFIED = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"}
MEASURE = [{"description": "Voksen i friminuttene", "when": "Hver dag", "responsible": "t-20"}]


def school_cases(engine: Engine) -> dict[str, str]:
    """Open the four cases; returns their ids by name."""
    ordinary = engine.report(
        workflow="aktivitetsplikt", school="hellerud", pupil="elev-1", document=report_doc(), actor=TEACHER
    ).id
    engine.fire(ordinary, "notify_principal", NOTIFIED, TEACHER)
    engine.fire(ordinary, "start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, PRINCIPAL)
    concluded = {"pupil_heard": pupil_heard(), "others_heard": [], "findings": "F.", "conclusion": "measures_needed"}
    engine.fire(ordinary, "conclude_investigation", concluded, HANDLER)
    engine.fire(ordinary, "adopt_plan", plan_doc(measures=MEASURE), HANDLER)
    leadership = engine.report(
        workflow="skjerpa_aktivitetsplikt",
        school="hellerud",
        pupil="elev-2",
        document=report_doc(accused_staff="rektor", accused_is_leadership=True),
        actor=TEACHER,
    ).id
    engine.fire(leadership, "notify_principal", NOTIFIED, TEACHER)
    principal_accused = engine.report(
        workflow="skjerpa_aktivitetsplikt",
        school="hellerud",
        pupil="elev-3",
        document=report_doc(accused_staff="rektor@hellerud.example", accused_is_leadership=False),
        actor=TEACHER,
    ).id
    furuset = engine.report(
        workflow="aktivitetsplikt", school="furuset", pupil="elev-4", document=report_doc(), actor=FURUSET_TEACHER
    ).id
    return {"ordinary": ordinary, "leadership": leadership, "principal_accused": principal_accused, "furuset": furuset}


def seen(engine: Engine, reader: Actor, ids: dict[str, str]) -> set[str]:
    """The names of the cases ``reader`` finds in the list of every case, open or closed."""
    names = {case_id: name for name, case_id in ids.items()}
    return {names[case.id] for case in engine.list_cases(actor=reader)}
