"""Who may act and who may read (issue 10): identities checked, each role's scope, every read logged.

On the in-memory fakes; ``tests/integration/test_access.py`` runs the same scope through SQL.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from aktivitetsplikt.engine import Actor, Engine, FixedClock, NotPermitted, Settings
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.core.model import Party
from tests.access_support import (
    DEPUTY,
    EVERY,
    FURUSET_PRINCIPAL,
    HOLDER,
    MEASURE,
    READERS,
    SEES,
    STRANGER,
    school_cases,
    seen,
)
from tests.conftest import ADMIN, OWNER, PRINCIPAL, TEACHER, drive_to, plan_doc, report_doc
from tests.fakes import InMemoryUnitOfWorkFactory, make_engine
from tests.units_support import load_unit_settings

IMPOSTOR = Actor(id="t-17", role="principal", school="hellerud")
NOT_CONFIGURED = (
    "t-17 is not the principal configured for school 'hellerud'; act as rektor@hellerud.example, "
    "or map t-17 to that address under [schools.hellerud.staff]"
)


@pytest.fixture
def wired(settings: Settings, clock: FixedClock) -> tuple[Engine, InMemoryUnitOfWorkFactory]:
    return make_engine(settings, clock)


@pytest.fixture
def engine(wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> Engine:
    return wired[0]


class TestDirectory:
    def test_a_staff_ref_and_its_address_are_one_person(self, settings: Settings) -> None:
        """The principal's address and the staff ref mapped to it resolve to the same key."""
        directory = ConfigDirectory(settings)
        expected = ("rektor", "rektor", "t-17", "t-17")
        assert expected == (
            directory.person("hellerud", "rektor@hellerud.example"),
            directory.person("hellerud", "rektor"),
            directory.person("hellerud", "laerer17@hellerud.example"),
            directory.person("hellerud", "t-17"),
        )

    def test_configured_ids_without_staff_entry_are_their_own_key(self, settings: Settings) -> None:
        """The owner and a deputy configured by address are people too; an unknown ref is nobody."""
        directory = ConfigDirectory(settings)
        expected = ("skoleeier@kommune.example", "nestleder@hellerud.example", None)
        assert expected == (
            directory.person("hellerud", "skoleeier@kommune.example"),
            directory.person("hellerud", "nestleder@hellerud.example"),
            directory.person("hellerud", "t-99"),
        )


class TestIdentitiesWhenActing:
    def test_a_principal_id_that_is_not_the_configured_one_is_refused(self, engine: Engine) -> None:
        """t-17 claiming to be the principal counts as staff; the refusal says how to configure it."""
        case_id = drive_to(engine, "principal_notified")
        message = f"Only the principal may fire 'start_investigation'; t-17 acts as principal ({NOT_CONFIGURED})."
        with pytest.raises(NotPermitted, match=f"^{re.escape(message)}$"):
            engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, IMPOSTOR)

    def test_the_principal_acts_by_address_as_well_as_by_staff_ref(self, engine: Engine) -> None:
        """The configured principal's address is the same person as the staff ref ``rektor``."""
        case_id = drive_to(engine, "principal_notified")
        by_address = Actor(id="rektor@hellerud.example", role="principal", school="hellerud")
        case = engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, by_address)
        assert "investigating" == case.state

    def test_the_leadership_claiming_to_be_staff_is_still_kept_out(self, engine: Engine) -> None:
        """On a case accusing the leadership, the principal cannot even add a note as staff."""
        case = engine.report(
            workflow="skjerpa_aktivitetsplikt",
            school="hellerud",
            pupil="elev-2",
            document=report_doc(accused_staff="t-20", accused_is_leadership=True),
            actor=TEACHER,
        )
        as_staff = Actor(id="rektor", role="staff", school="hellerud")
        with pytest.raises(NotPermitted, match=r"^The leadership is accused in this § 12-5 case"):
            engine.fire(case.id, "add_note", {"text": "T"}, as_staff)

    def test_an_it_admin_reads_but_never_acts(self, engine: Engine) -> None:
        """it_admin is for operations: a step by it is refused."""
        case_id = drive_to(engine, "reported")
        with pytest.raises(NotPermitted, match=r"^it-drift reads cases as an IT admin and acts on none"):
            engine.fire(case_id, "add_note", {"text": "T"}, ADMIN)


class TestIdentitiesWhenReading:
    @pytest.mark.parametrize(
        ("actor", "message"),
        [
            (IMPOSTOR, NOT_CONFIGURED + "."),
            (
                Actor(id="t-20", role="deputy", school="hellerud"),
                "t-20 is not listed under [schools.hellerud] deputies.",
            ),
            (
                Actor(id="annen@kommune.example", role="school_owner"),
                "annen@kommune.example is not the owner configured for any school or kindergarten; set "
                "school_owner under [schools.<id>] or owner under [kindergartens.<id>], or act as the configured "
                "owner.",
            ),
            (
                Actor(id="t-17", role="it_admin"),
                "t-17 is not an IT admin; add it to [access] it_admins to read cases for operations.",
            ),
            (
                Actor(id="daemon", role="system"),
                "The system role belongs to the engine's own sweep; act and read as a person with a role.",
            ),
            (
                Actor(id="t-17", role="staff"),
                "t-17 has no school; say which school the actor belongs to.",
            ),
        ],
        ids=["principal", "deputy", "owner", "it_admin", "system", "no_school"],
    )
    def test_a_role_the_id_does_not_hold_reads_nothing(self, engine: Engine, actor: Actor, message: str) -> None:
        """Every read refuses a role the directory does not know the id in, saying how to configure it."""
        drive_to(engine, "reported")
        with pytest.raises(NotPermitted, match=f"^{re.escape(message)}$"):
            engine.list_cases(actor=actor)

    def test_a_kindergartens_director_is_named_in_its_own_words_and_table(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FixedClock
    ) -> None:
        """At a kindergarten the refusal speaks of its director and [kindergartens.<id>]."""
        engine, _ = make_engine(load_unit_settings(tmp_path, monkeypatch, deadlines=""), clock)
        impostor = Actor(id="b-03", role="principal", school="solsikken")
        message = (
            "b-03 is not the director configured for kindergarten 'solsikken'; act as styrer@solsikken.example, "
            "or map b-03 to that address under [kindergartens.solsikken.staff]."
        )
        with pytest.raises(NotPermitted, match=f"^{re.escape(message)}$"):
            engine.list_cases(actor=impostor)


class TestScope:
    @pytest.mark.parametrize("reader", sorted(READERS))
    def test_each_role_lists_its_cases(self, engine: Engine, reader: str) -> None:
        """Owner and IT admin see everything; the leadership never an accused leadership's case; staff
        and case handlers only the cases they have a part in."""
        ids = school_cases(engine)
        assert SEES[reader] == seen(engine, READERS[reader], ids)

    def test_a_case_outside_the_scope_is_refused_and_says_nothing(self, engine: Engine) -> None:
        """The principal asking for the leadership case by id learns only that it is not theirs."""
        ids = school_cases(engine)
        message = (
            f"Case '{ids['leadership']}' is not among the cases rektor may read as principal; ask someone with "
            "a part in the case, the unit's leadership or its owner."
        )
        with pytest.raises(NotPermitted, match=f"^{re.escape(message)}$"):
            engine.get(ids["leadership"], actor=PRINCIPAL)

    def test_the_parties_are_people_not_strings(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """A report by address, a responsible and a measure holder are kept by their directory keys."""
        engine, factory = wired
        by_address = Actor(id="laerer17@hellerud.example", role="staff", school="hellerud")
        case = engine.report(
            workflow="skjerpa_aktivitetsplikt",
            school="hellerud",
            pupil="elev-2",
            document=report_doc(accused_staff="laerer20@hellerud.example", accused_is_leadership=False),
            actor=by_address,
        )
        expected = {Party("reporter", "t-17"), Party("accused", "t-20")}
        assert expected == factory.store.parties[case.id]

    def test_the_accused_never_reads_their_case(self, engine: Engine) -> None:
        """Even holding a measure in it, the accused employee does not see the case."""
        case_id = drive_to(
            engine,
            "measures_active",
            workflow="skjerpa_aktivitetsplikt",
            accused_staff="t-20",
            accused_is_leadership=False,
        )
        revised = plan_doc(measures=MEASURE, reason="Ny voksen ute.")
        engine.fire(case_id, "revise_plan", revised, PRINCIPAL)
        assert [] == engine.list_cases(actor=HOLDER)

    def test_the_scope_follows_the_owner_across_units(self, engine: Engine) -> None:
        """An owner of one school only sees that school's cases."""
        ids = school_cases(engine)
        owner_of_furuset = replace(FURUSET_PRINCIPAL, id="skoleeier@kommune.example", role="school_owner")
        assert {"furuset"} == seen(engine, owner_of_furuset, ids)


class TestAccessLog:
    def test_a_read_is_logged_with_who_what_and_how(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """get appends one record: the case, the reader, their person, the kind of read and the face."""
        engine, factory = wired
        case_id = drive_to(engine, "reported")
        engine.get(case_id, actor=DEPUTY, read="json")
        [record] = factory.store.access_log
        expected = (case_id, clock.now(), "nestleder@hellerud.example", "deputy", "nestleder@hellerud.example")
        assert expected == (record.case_id, record.at, record.actor_id, record.actor_role, record.person)
        assert ("json", "library") == (record.kind, record.face)

    def test_a_list_logs_each_entry_once(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """Every case a list returns is a read of it; a refused read logs nothing."""
        engine, factory = wired
        ids = school_cases(engine)
        engine.list_cases(actor=OWNER)
        with pytest.raises(NotPermitted):
            engine.get(ids["ordinary"], actor=STRANGER)
        logged = sorted(r.case_id for r in factory.store.access_log)
        assert sorted(ids[name] for name in EVERY) == logged

    def test_the_access_log_shows_every_read_including_its_own(self, engine: Engine) -> None:
        """access_log lists the reads oldest first, ending with the read of the log itself."""
        case_id = drive_to(engine, "reported")
        engine.get(case_id, actor=OWNER)
        log = engine.access_log(case_id, actor=PRINCIPAL)
        expected = [("skoleeier@kommune.example", "show"), ("rektor", "access_log")]
        assert expected == [(r.actor_id, r.kind) for r in log.reads]
