"""Rule 6 of version 2026-12 (§ 12-5): the accused is kept out by identity, not by spelling.

In the test config, staff ref ``t-20`` is ``laerer20@hellerud.example``; the principal is
``rektor@hellerud.example`` and the deputy ``nestleder@hellerud.example``.
"""

from __future__ import annotations

import pytest

from aktivitetsplikt.engine import Actor, DocumentationMissing, FixedClock, NotPermitted, Settings
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from tests.conftest import HANDLER, OWNER, PRINCIPAL, TEACHER
from tests.law2026 import NOTIFIED, STARTED, Law2026, documentation, plan

ACCUSED_BY_ADDRESS = Actor(id="laerer20@hellerud.example", role="staff", school="hellerud")
SKJERPA = "skjerpa_aktivitetsplikt"


@pytest.fixture
def law(settings: Settings, clock: FixedClock) -> Law2026:
    return Law2026.of(settings, clock)


def accused(law: Law2026, state: str, who: str = "t-20", ticked: bool = False) -> str:
    return law.drive(state, SKJERPA, accused_staff=who, accused_is_leadership=ticked)


class TestTheDirectoryKnowsPeople:
    def test_a_staff_ref_and_its_address_are_one_person(self, settings: Settings) -> None:
        """person() gives one key for a staff ref and its address, the head by its id, None for a stranger."""
        # The head configured by address only (the test config also maps the staff ref "rektor" to it,
        # which would make that ref the head's key).
        unit = settings.schools["hellerud"]
        staff = {ref: address for ref, address in unit.staff.items() if ref != "rektor"}
        schools = settings.schools | {"hellerud": unit.model_copy(update={"staff": staff})}
        directory = ConfigDirectory(settings.model_copy(update={"schools": schools}))
        keys = [directory.person("hellerud", ref) for ref in ("t-20", "laerer20@hellerud.example", "ukjent")]
        expected = (["t-20", "t-20", None], "rektor@hellerud.example")
        assert expected == (keys, directory.person("hellerud", "rektor@hellerud.example"))


class TestTheAccusedTakesNoStep:
    def test_no_step_under_another_ref(self, law: Law2026) -> None:
        """The accused, acting by their address, is refused any step; nothing is stored."""
        case_id = accused(law, "investigating")
        message = (
            "laerer20@hellerud.example is the employee accused in case HEL-2026-0001, and the accused can take "
            "no step on it; someone else must."
        )
        with law.refused(NotPermitted, message):
            law.fire(case_id, "add_note", {"text": "Jeg vil forklare meg."}, ACCUSED_BY_ADDRESS)

    def test_the_accused_is_offered_nothing(self, law: Law2026) -> None:
        """allowed_triggers is empty for the accused under any of their refs."""
        case_id = accused(law, "investigating")
        assert [] == law.engine.allowed_triggers(case_id, ACCUSED_BY_ADDRESS)


class TestTheAccusedIsNeverResponsible:
    def test_not_appointed_responsible_by_address(self, law: Law2026) -> None:
        """The accused's address is refused as the case's responsible."""
        case_id = accused(law, "principal_notified")
        doc = STARTED | {"responsible": "laerer20@hellerud.example"}
        problem = ("responsible", "is the accused employee; appoint someone else")
        with law.refused(DocumentationMissing, documentation("start_investigation", problem)):
            law.fire(case_id, "start_investigation", doc, PRINCIPAL)

    def test_not_responsible_for_a_measure(self, law: Law2026) -> None:
        """A measure given to the accused (here by staff ref, accused by address) is refused, naming it."""
        case_id = accused(law, "planning", who="laerer20@hellerud.example")
        measures = [
            {"description": "Voksen i friminuttene", "when": "Hver dag", "responsible": "t-18"},
            {"description": "Samtale", "when": "I morgen", "responsible": "t-20"},
        ]
        problem = ("measures.1.responsible", "is the accused employee; appoint someone else")
        with law.refused(DocumentationMissing, documentation("adopt_plan", problem)):
            law.fire(case_id, "adopt_plan", plan(measures=measures), HANDLER)


class TestLeadershipByIdentity:
    @pytest.mark.parametrize("who", ["rektor@hellerud.example", "nestleder@hellerud.example"])
    def test_an_accused_head_or_deputy_goes_to_the_owner_whatever_was_ticked(self, law: Law2026, who: str) -> None:
        """The report said "not the leadership", but the accused is the principal or a deputy: the notice
        goes to the school owner, and the principal is kept out."""
        case_id = law.report(SKJERPA, accused_staff=who, accused_is_leadership=False)
        law.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        notices = [(m.recipient_role, m.address) for m in law.factory.store.messages(case_id)]
        assert ([("school_owner", "skoleeier@kommune.example")], True) == (
            notices,
            law.get(case_id).attributes["accused_is_leadership"],
        )


ROUTING = {"accused_is_leadership": True, "reason": "Avdelingslederen er en del av ledelsen."}


class TestOnlyTheOwnerRoutes:
    def test_the_principal_cannot_change_the_routing(self, law: Law2026) -> None:
        """change_leadership_routing is the school owner's alone."""
        case_id = accused(law, "investigating")
        message = "Only the school owner may fire 'change_leadership_routing'; rektor acts as principal."
        with law.refused(NotPermitted, message):
            law.fire(case_id, "change_leadership_routing", ROUTING, PRINCIPAL)

    def test_the_owner_routes_a_case_of_an_accused_department_head(self, law: Law2026) -> None:
        """The owner decides the accused belongs to the leadership: from then on the principal is out."""
        case_id = accused(law, "investigating")
        law.fire(case_id, "change_leadership_routing", ROUTING, OWNER)
        assert [] == law.engine.allowed_triggers(case_id, PRINCIPAL)

    def test_the_owner_cannot_unroute_an_accused_principal(self, law: Law2026) -> None:
        """An accused principal keeps the case with the owner: routing it back is refused."""
        case_id = law.report(SKJERPA, accused_staff="rektor@hellerud.example", accused_is_leadership=True)
        doc = ROUTING | {"accused_is_leadership": False}
        problem = (
            "accused_is_leadership",
            "cannot be false: the accused is the head of the unit or a deputy, so the owner acts",
        )
        with law.refused(DocumentationMissing, documentation("change_leadership_routing", problem)):
            law.fire(case_id, "change_leadership_routing", doc, OWNER)
