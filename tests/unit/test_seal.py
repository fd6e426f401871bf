"""The seal of an event (chain format 2): which values are free text, and erasing them without
changing the hash the chain links."""

from __future__ import annotations

from typing import Any

import pytest

from aktivitetsplikt.engine import Engine, Event, TransitionNotAllowed
from aktivitetsplikt.engine.core.chain import event_hash
from aktivitetsplikt.engine.core.seal import ERASED, erase_document, is_erased, skeleton
from tests.conftest import ADMIN, HANDLER, OWNER, drive_to, plan_doc


def link(e: Event, document: dict[str, Any], seal: dict[str, str]) -> str:
    return event_hash(
        e.prev_hash,
        case_id=e.case_id,
        seq=e.seq,
        at=e.at,
        occurred_at=e.occurred_at,
        actor_id=e.actor_id,
        actor_role=e.actor_role,
        trigger=e.trigger,
        from_state=e.from_state,
        to_state=e.to_state,
        document=document,
        seal=seal,
    )


class TestSeal:
    def test_free_text_is_sealed_and_nothing_else(self, engine: Engine) -> None:
        """Texts, list items and nested texts are sealed; dates, choices and staff refs are not."""
        case = engine.get(drive_to(engine, "measures_active"), actor=ADMIN)
        plan = (case.events or [])[4]

        assert HANDLER.id == plan.document["measures"][0]["responsible"]
        assert {"problem", "measures.0.description", "measures.0.when", "pupil_participation"} == set(plan.seal or {})

    def test_erasing_keeps_the_link_and_hides_the_text(self, engine: Engine) -> None:
        """Erased text reads as (slettet), the seal keeps only hashes, and the event's hash is the same."""
        case = engine.get(drive_to(engine, "measures_active", description="Tekst som skal bort."), actor=ADMIN)
        report = (case.events or [])[0]

        document, seal = erase_document(report.document, report.seal or {})

        assert (ERASED, report.document["kinds"]) == (document["description"], document["kinds"])
        assert all(mark.startswith("h:") for mark in seal.values()) and is_erased(seal)
        assert report.hash == link(report, document, seal) == link(report, report.document, report.seal or {})
        assert skeleton(document, seal) == skeleton(report.document, report.seal or {})

    def test_a_changed_text_changes_the_link(self, engine: Engine) -> None:
        """The salted hash covers the text: changing it breaks the event's hash."""
        case = engine.get(drive_to(engine, "reported"), actor=ADMIN)
        report = (case.events or [])[0]

        changed = report.document | {"description": "Noe annet."}

        assert report.hash != link(report, changed, report.seal or {})

    @pytest.mark.parametrize("trigger", ["add_note", "reopen"])
    def test_an_erased_case_takes_no_more_steps(self, engine: Engine, trigger: str) -> None:
        """After erasure a new incident is a new case: every step is refused."""
        case_id = drive_to(engine, "closed")
        engine.erase(case_id, actor=OWNER, reason="Feil elev.")

        with pytest.raises(TransitionNotAllowed, match="is erased"):
            engine.fire(case_id, trigger, plan_doc(), OWNER)
