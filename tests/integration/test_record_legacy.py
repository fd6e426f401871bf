"""Cases recorded before events carried their effects (before migration 0006): verify replays them as far
as the plain log shows, says so (``partial``), and finds no difference that is not one."""

from __future__ import annotations

import sqlalchemy as sa

from aktivitetsplikt.engine import Engine, FixedClock
from aktivitetsplikt.engine.core.chain import GENESIS, event_hash
from aktivitetsplikt.storage.repository import event_from_row
from aktivitetsplikt.storage.tables import CaseRow, EventRow
from tests.conftest import ADMIN, PRINCIPAL, drive_to


def as_before_0006(db: sa.Engine, case_id: str) -> None:
    """Drop every event's effects and hash the log as the engine did before: a legacy case."""
    with db.begin() as conn:
        prev = GENESIS
        for row in conn.execute(sa.select(EventRow).where(EventRow.case_id == case_id).order_by(EventRow.seq)).all():
            e = event_from_row(row)
            digest = event_hash(
                prev,
                case_id=case_id,
                seq=e.seq,
                at=e.at,
                occurred_at=e.occurred_at,
                actor_id=e.actor_id,
                actor_role=e.actor_role,
                trigger=e.trigger,
                from_state=e.from_state,
                to_state=e.to_state,
                document=e.document,
                seal=e.seal,
            )
            conn.execute(
                sa.update(EventRow).where(EventRow.id == row.id).values(effects=None, prev_hash=prev, hash=digest)
            )
            prev = digest
        conn.execute(sa.update(CaseRow).where(CaseRow.id == case_id).values(head_hash=prev))


class TestLegacyCases:
    def test_a_legacy_case_verifies_as_partial(self, engine: Engine, clock: FixedClock) -> None:
        """Escalated, then recorded as before 0006: intact, no difference, every event counted unsealed."""
        case_id = drive_to(engine, "investigating")
        clock.advance(days=30)
        engine.sweep()
        as_before_0006(engine.uow.engine, case_id)  # type: ignore[attr-defined]

        verdict = engine.verify(case_id, actor=ADMIN)

        assert (True, (), verdict.chain.events) == (verdict.intact, verdict.differences, verdict.unsealed)
        assert verdict.to_json()["partial"]

    def test_what_the_plain_log_shows_is_still_checked(self, engine: Engine, clock: FixedClock) -> None:
        """A legacy case's state and version come from its events: a changed state is still named."""
        case_id = drive_to(engine, "investigating")
        as_before_0006(engine.uow.engine, case_id)  # type: ignore[attr-defined]
        with engine.uow.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(sa.update(CaseRow).where(CaseRow.id == case_id).values(state="closed"))

        verdict = engine.verify(case_id, actor=ADMIN)

        assert ["cases.state"] == [d.field for d in verdict.differences]

    def test_a_legacy_case_that_goes_on_is_checked_from_then_on(self, engine: Engine, clock: FixedClock) -> None:
        """New steps on a legacy case carry effects: what they set is compared, the rest is not guessed."""
        case_id = drive_to(engine, "investigating")
        as_before_0006(engine.uow.engine, case_id)  # type: ignore[attr-defined]
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Vold."}, PRINCIPAL)
        assert engine.verify(case_id, actor=ADMIN).intact
        with engine.uow.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(sa.update(CaseRow).where(CaseRow.id == case_id).values(serious=False))

        verdict = engine.verify(case_id, actor=ADMIN)

        assert (["cases.serious"], 3) == ([d.field for d in verdict.differences], verdict.unsealed)
