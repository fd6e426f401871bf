"""The guided tours of ``aktivitetsplikt demo``: scripted cases of the built-in packs.

``skole``: three pupils at Hellerud, autumn 2026. One case is handled well, one is never passed on to
the principal, and one (§ 12-5) accuses the school's leadership. The clock moves across the autumn break
(28.9.-2.10., no school days), so the reminders and escalations show school days being counted. The cases
run on version 2026-12: seriousness is assessed in the investigation, the plan's measures are followed up
one by one, and the case closes only after an evaluation, with the pupil heard since.

``barnehage``: the same at Solsikken barnehage (barnehageloven §§ 42 and 43), see ``barnehage_tour.py``.
"""

from __future__ import annotations

from typing import Any

from aktivitetsplikt.engine.core.tour import At, DemoTour, Fire, Report, Say, ShowStuck, Sweep, TourActor
from aktivitetsplikt.workflows.barnehage_tour import KINDERGARTEN_TOUR

SCHOOL_CONFIG = """\
# The demo's configuration (written by `aktivitetsplikt demo`).
[database]
url = "sqlite:///{db}"

[notifiers]
channels = ["console"]

[links]
case_url = "https://hellerud.example/saker/{{id}}"

[calendar]
timezone = "Europe/Oslo"
[[calendar.school_holidays]]
name = "Høstferie"
start = "2026-09-28"
end = "2026-10-02"

[schools.hellerud]
name = "Hellerud videregående skole"
code = "HEL"
principal = "rektor@hellerud.example"
school_owner = "skoleeier@oslo.kommune.example"
deputies = []
[schools.hellerud.staff]
"rektor" = "rektor@hellerud.example"
"t-17" = "kontaktlarer@hellerud.example"
"t-18" = "miljoterapeut@hellerud.example"
"t-20" = "laerer20@hellerud.example"

[access]
it_admins = ["{operator}"]
"""

TEACHER = TourActor(id="t-17", role="staff", school="hellerud", described="kontaktlærer t-17")
PRINCIPAL = TourActor(id="rektor", role="principal", school="hellerud")
HANDLER = TourActor(id="t-18", role="case_handler", school="hellerud")


def _report(key: str, workflow: str, pupil: str, occurred: str, kinds: list[str], **extra: Any) -> Report:
    document = {
        "source": "staff_observation",
        "occurred_at": occurred,
        "kinds": kinds,
        "description": "(fritekst om hendelsen: vises aldri i varsler eller logger)",
    }
    return Report(key, workflow, "hellerud", pupil, TEACHER, document | extra)


BEST_INTERESTS = "Elevens beste: å være trygg og med i fellesskapet i friminuttene veier tyngst."


def _heard(at: str, safe: bool, views: str) -> dict[str, Any]:
    return {"at": at, "feels_safe": safe, "views": views}


SCHOOL_TOUR = DemoTour(
    name="skole",
    title="aktivitetsplikt: en omvisning",
    title_nn="aktivitetsplikt: ei omvising",
    config=SCHOOL_CONFIG,
    start="2026-09-23T08:00",
    steps=(
        At("2026-09-23T10:00", "onsdag: tre bekymringer", "onsdag: tre uroar"),
        _report("well", "aktivitetsplikt", "elev-A", "2026-09-23T09:40", ["bullying", "offensive_words"]),
        Fire(
            "well",
            "notify_principal",
            {
                "notified_at": "2026-09-23T09:55",
                "channel": "muntlig",
                "summary": "Kontaktlærer varslet rektor i gangen.",
            },
            TEACHER,
        ),
        _report("unreported", "aktivitetsplikt", "elev-B", "2026-09-23T08:15", ["exclusion"]),
        Say("  (ingen varsler rektor om saken til elev-B)", "  (ingen varslar rektor om saka til elev-B)"),
        _report(
            "leadership",
            "skjerpa_aktivitetsplikt",
            "elev-C",
            "2026-09-23T09:00",
            ["offensive_words"],
            accused_staff="rektor",
            accused_is_leadership=True,
        ),
        Say(
            "  § 12-5-saken gjelder skolens ledelse: rektor holdes utenfor, skoleeier overtar.",
            "  § 12-5-saka gjeld leiinga på skulen: rektor blir halden utanfor, skuleeigaren tek over.",
        ),
        Sweep(),
        At("2026-09-23T14:00", "etter skoletid", "etter skuletid"),
        Fire(
            "well", "start_investigation", {"responsible": "t-18", "plan": "Samtaler med eleven og klassen."}, PRINCIPAL
        ),
        Fire(
            "well",
            "assess_seriousness",
            {"serious": False, "reason": "Ingen vold; første melding om eleven."},
            PRINCIPAL,
        ),
        Fire(
            "leadership",
            "notify_principal",
            {"notified_at": "2026-09-23T13:30", "channel": "e-post", "summary": "Varsel sendt direkte til skoleeier."},
            TEACHER,
        ),
        Sweep(),
        At(
            "2026-09-25T09:00",
            "fredag: fristen for å varsle rektor om elev-B har gått ut",
            "fredag: fristen for å varsle rektor om elev-B har gått ut",
        ),
        Sweep(),
        At(
            "2026-10-05T08:00",
            "mandag etter høstferien (28.9.-2.10. teller ikke som skoledager)",
            "måndag etter haustferien (28.9.-2.10. tel ikkje som skuledagar)",
        ),
        Fire(
            "well",
            "conclude_investigation",
            {
                "pupil_heard": _heard("2026-10-05T07:45", False, "Eleven vil ha en voksen ute i friminuttene."),
                "others_heard": ["kontaktlærer", "to medelever"],
                "findings": "Gjentatt utfrysing og kallenavn.",
                "conclusion": "measures_needed",
                "best_interests": BEST_INTERESTS,
            },
            HANDLER,
        ),
        Fire(
            "well",
            "adopt_plan",
            {
                "problem": "Eleven blir frosset ut og kalt stygge ting i friminuttene.",
                "measures": [
                    {
                        "id": "voksen-ute",
                        "description": "Voksen ute i alle friminutt",
                        "when": "Fra i dag",
                        "responsible": "t-18",
                    },
                    {
                        "id": "klassemote",
                        "description": "Klassemøte om språkbruk",
                        "when": "Uke 41",
                        "responsible": "t-17",
                    },
                ],
                "evaluation_at": "2026-10-19T12:00",
                "pupil_participation": "Eleven valgte selv hvilke friminutt som er vanskeligst.",
                "best_interests": BEST_INTERESTS,
            },
            HANDLER,
        ),
        Sweep(),
        At(
            "2026-10-06T09:00",
            "tirsdag: elev-B-saken har stått i en skoledag etter fristen",
            "tysdag: elev-B-saka har stått i ein skuledag etter fristen",
        ),
        Sweep(),
        At(
            "2026-10-20T09:00",
            "evalueringen av elev-A sin plan skulle vært holdt i går",
            "evalueringa av planen til elev-A skulle vore halden i går",
        ),
        Sweep(),
        Fire(
            "well",
            "evaluate",
            {
                "held_at": "2026-10-20T08:30",
                "pupil_heard": _heard("2026-10-20T08:15", True, "Det er bedre nå."),
                "effect": "Ingen nye hendelser; eleven leker med andre.",
                "measures": [
                    {"id": "voksen-ute", "status": "carried_out"},
                    {"id": "klassemote", "status": "carried_out"},
                ],
                "decision": "continue",
                "next_evaluation_at": "2026-11-03T12:00",
            },
            HANDLER,
        ),
        At("2026-11-03T13:00", "ny evaluering: eleven er trygg", "ny evaluering: eleven er trygg"),
        Fire(
            "well",
            "close",
            {
                "reason": "Eleven opplever skolemiljøet som trygt og godt.",
                "pupil_heard": _heard("2026-11-03T12:30", True, "Jeg har det bra på skolen."),
                "best_interests": BEST_INTERESTS,
            },
            PRINCIPAL,
        ),
        Sweep(),
        ShowStuck(),
    ),
    try_next=(
        "aktivitetsplikt cases --stuck",
        "aktivitetsplikt case show HEL-2026-0002",
        "aktivitetsplikt agenda",
        "aktivitetsplikt audit --school-year 2026-2027",
    ),
)

TOURS = {tour.name: tour for tour in (SCHOOL_TOUR, KINDERGARTEN_TOUR)}
