"""The ``barnehage`` tour of ``aktivitetsplikt demo``: three children at Solsikken barnehage, autumn 2026.

One case is handled well, one is never passed on to the director, and one (§ 43) accuses the
kindergarten's leadership. Friday 25 September is a planning day (the kindergarten is closed) and the
schools' autumn break (28.9.-2.10.) is not the kindergarten's: deadlines run in its working days.
"""

from __future__ import annotations

from typing import Any

from aktivitetsplikt.engine.core.tour import At, DemoTour, Fire, Report, Say, ShowStuck, Sweep, TourActor

KINDERGARTEN_CONFIG = """\
# The demo's configuration (written by `aktivitetsplikt demo --tour barnehage`).
[database]
url = "sqlite:///{db}"

[notifiers]
channels = ["console"]

[links]
case_url = "https://solsikken.example/saker/{{id}}"

[calendar]
timezone = "Europe/Oslo"
[[calendar.school_holidays]]
name = "Høstferie"
start = "2026-09-28"
end = "2026-10-02"

[kindergartens.solsikken]
name = "Solsikken barnehage"
code = "SOL"
director = "styrer@solsikken.example"
owner = "barnehageeier@oslo.kommune.example"
[kindergartens.solsikken.staff]
"styrer" = "styrer@solsikken.example"
"b-03" = "pedagogisk.leder@solsikken.example"
"b-11" = "barnehagelarer@solsikken.example"
[[kindergartens.solsikken.closed_days]]
name = "Planleggingsdag"
start = "2026-09-25"
end = "2026-09-25"

[access]
it_admins = ["{operator}"]
"""

STAFF = TourActor(id="b-03", role="staff", school="solsikken", described="pedagogisk leder b-03")
DIRECTOR = TourActor(id="styrer", role="principal", school="solsikken")
HANDLER = TourActor(id="b-11", role="case_handler", school="solsikken")


def _report(key: str, workflow: str, child: str, occurred: str, kinds: list[str], **extra: Any) -> Report:
    document = {
        "source": "staff_observation",
        "occurred_at": occurred,
        "kinds": kinds,
        "description": "(fritekst om hendelsen: vises aldri i varsler eller logger)",
    }
    return Report(key, workflow, "solsikken", child, STAFF, document | extra)


def _heard(at: str, how: str, safe: bool, expression: str) -> dict[str, Any]:
    return {"at": at, "how": how, "expression": expression, "feels_safe": safe}


def _notice(at: str, channel: str, summary: str) -> dict[str, Any]:
    return {"notified_at": at, "channel": channel, "summary": summary}


KINDERGARTEN_TOUR = DemoTour(
    name="barnehage",
    title="aktivitetsplikt i barnehagen: en omvisning",
    title_nn="aktivitetsplikt i barnehagen: ei omvising",
    config=KINDERGARTEN_CONFIG,
    start="2026-09-23T08:00",
    steps=(
        At(
            "2026-09-23T10:00",
            "onsdag: tre bekymringer i Solsikken barnehage",
            "onsdag: tre uroar i Solsikken barnehage",
        ),
        _report("well", "barnehage_aktivitetsplikt", "barn-A", "2026-09-23T09:40", ["exclusion"]),
        Fire("well", "notify_director", _notice("2026-09-23T09:55", "muntlig", "Varslet styrer i garderoben."), STAFF),
        _report("unreported", "barnehage_aktivitetsplikt", "barn-B", "2026-09-23T08:15", ["offensive_words"]),
        Say(
            "  (ingen varsler styreren om saken til barn-B)",
            "  (ingen varslar styraren om saka til barn-B)",
        ),
        _report(
            "leadership",
            "skjerpa_barnehage_aktivitetsplikt",
            "barn-C",
            "2026-09-23T09:00",
            ["violence"],
            accused_staff="styrer",
            accused_is_leadership=True,
        ),
        Say(
            "  § 43-saken gjelder barnehagens ledelse: styreren holdes utenfor, barnehageeieren overtar.",
            "  § 43-saka gjeld leiinga i barnehagen: styraren blir halden utanfor, barnehageeigaren tek over.",
        ),
        Sweep(),
        At("2026-09-23T14:00", "ettermiddag", "ettermiddag"),
        Fire("well", "start_investigation", {"responsible": "b-11", "plan": "Observasjon i leken."}, DIRECTOR),
        Fire(
            "leadership",
            "notify_director",
            _notice("2026-09-23T13:30", "e-post", "Varsel sendt direkte til barnehageeier."),
            STAFF,
        ),
        Sweep(),
        At(
            "2026-09-25T09:00",
            "fredag er planleggingsdag: barnehagen er stengt, og dagen teller ikke",
            "fredag er planleggingsdag: barnehagen er stengd, og dagen tel ikkje",
        ),
        Sweep(),
        At(
            "2026-09-29T09:00",
            "tirsdag: høstferie i skolen, men barnehagen er åpen, og dagene teller",
            "tysdag: haustferie i skulen, men barnehagen er open, og dagane tel",
        ),
        Sweep(),
        Fire(
            "well",
            "conclude_investigation",
            {
                "child_heard": _heard(
                    "2026-09-29T08:30", "observation", False, "Barnet leker alene og søker en voksen."
                ),
                "others_heard": ["foreldrene", "barnehagelærer"],
                "findings": "Barnet holdes utenfor leken av de samme barna.",
                "conclusion": "measures_needed",
            },
            HANDLER,
        ),
        Fire(
            "well",
            "adopt_plan",
            {
                "problem": "Barnet holdes utenfor leken ute.",
                "measures": [
                    {"description": "En voksen deltar i leken ute", "when": "Hver dag", "responsible": "b-11"},
                    {"description": "Samarbeid med foreldrene", "when": "Uke 40", "responsible": "b-03"},
                ],
                "evaluation_at": "2026-10-13T12:00",
                "child_participation": "Barnet viste hvem det liker å leke med.",
            },
            HANDLER,
        ),
        At(
            "2026-10-14T09:00",
            "evalueringen av planen til barn-A skulle vært holdt i går",
            "evalueringa av planen til barn-A skulle vore halden i går",
        ),
        Sweep(),
        Fire(
            "well",
            "evaluate",
            {
                "held_at": "2026-10-14T08:30",
                "child_heard": _heard("2026-10-14T08:15", "conversation", True, "«Jeg leker med Ola nå.»"),
                "effect": "Barnet er med i leken; ingen nye hendelser.",
                "decision": "continue",
                "next_evaluation_at": "2026-10-28T12:00",
            },
            HANDLER,
        ),
        At("2026-10-28T13:00", "ny evaluering: barnet er trygt", "ny evaluering: barnet er trygt"),
        Fire(
            "well",
            "close",
            {
                "reason": "Barnet har et trygt og godt barnehagemiljø.",
                "child_heard": _heard("2026-10-28T12:30", "observation", True, "Barnet leker med flere og ler."),
            },
            DIRECTOR,
        ),
        Sweep(),
        ShowStuck(),
    ),
    try_next=(
        "aktivitetsplikt cases --stuck",
        "aktivitetsplikt case show SOL-2026-0002",
        "aktivitetsplikt agenda",
        "aktivitetsplikt audit --school-year 2026-2027",
    ),
)
