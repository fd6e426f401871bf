"""Bad pupil and actor refs on both stores (issue 12): PostgreSQL used to raise a raw DataError quoting the
ref (over 200 characters, or a NUL) while SQLite stored it; both now refuse it with InvalidInput, naming the
problem and never the ref, and store nothing. Also a bad case ref given to a step."""

from __future__ import annotations

import pytest

from aktivitetsplikt.engine import Actor, Engine
from aktivitetsplikt.engine.errors import InvalidInput
from tests.conftest import ADMIN, TEACHER, report_doc
from tests.integration.conftest import row_counts, sql_engine

SECRET = "ELEV-HEMMELIG-"
BAD_REFS = [SECRET + "x" * 200, SECRET + "\x00", SECRET + "\x1b[2J", SECRET + "\ud800"]
IDS = ["too-long", "nul", "esc", "lone-surrogate"]


@pytest.mark.parametrize("pupil", BAD_REFS, ids=IDS)
def test_a_bad_pupil_ref_is_refused_on_both_stores_and_stores_nothing(any_engine: Engine, pupil: str) -> None:
    before = row_counts(sql_engine(any_engine))
    with pytest.raises(InvalidInput) as raised:
        any_engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil=pupil, document=report_doc(), actor=TEACHER
        )
    assert SECRET not in str(raised.value)
    assert before == row_counts(sql_engine(any_engine))


@pytest.mark.parametrize("actor_id", BAD_REFS, ids=IDS)
def test_a_bad_actor_id_is_refused_before_it_reaches_a_store(actor_id: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        Actor(id=actor_id, role="staff", school="hellerud")
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize("ref", BAD_REFS, ids=IDS)
def test_a_bad_case_ref_is_invalid_input_on_both_stores(any_engine: Engine, ref: str) -> None:
    """A step on, or a read of, a case ref no case can have: InvalidInput, not the driver's DataError or
    UnicodeEncodeError, and the ref is not echoed."""
    with pytest.raises(InvalidInput, match="The case reference") as raised:
        any_engine.fire(ref, "add_note", {"text": "Notat"}, TEACHER)
    assert SECRET not in str(raised.value)
    with pytest.raises(InvalidInput, match="The case reference"):
        any_engine.get(ref, actor=ADMIN)
