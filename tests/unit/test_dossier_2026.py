"""The dossier of a 2026-12 case shows the new steps: where it happened, measures by id and status, the
closing reason, Statsforvaltaren's decision and the reports on its measures, the owner's decisions."""

from __future__ import annotations

import pytest

from aktivitetsplikt.engine import FixedClock, Settings
from aktivitetsplikt.engine.core.pack import LANGUAGES, Language, WorkflowPack
from aktivitetsplikt.engine.reports.export import export_json, render_html
from aktivitetsplikt.workflows import AKTIVITETSPLIKT_PACK, SKJERPA_PACK
from tests.conftest import ADMIN, OWNER, drive_to
from tests.fakes import make_engine
from tests.law2026 import DECISION, Law2026


@pytest.fixture
def law(settings: Settings, clock: FixedClock) -> Law2026:
    return Law2026.of(settings, clock)


def decided(law: Law2026) -> str:
    case_id = law.drive("evaluated")
    law.fire(case_id, "register_decision", DECISION)
    law.fire(case_id, "report_compliance", {"measure": "rutine", "reported_at": "2026-09-16T09:30", "summary": "S"})
    return case_id


class TestSections:
    def test_the_decision_and_the_reports_have_their_section(self, law: Law2026) -> None:
        """Statsforvaltaren's decision and each report on an imposed measure, in their groups."""
        sections = export_json(law.engine, law.get(decided(law)))["sections"]
        expected = (["register_decision"], ["report_compliance"])
        assert expected == tuple([i["trigger"] for i in sections["decisions"][g]] for g in ("decisions", "compliance"))

    def test_a_2024_08_case_keeps_its_own_layout(self, settings: Settings, clock: FixedClock) -> None:
        """The layout follows the case's version: a 2024-08 dossier has no decisions section."""
        engine, _ = make_engine(settings, clock)
        case = engine.get(drive_to(engine, "investigating"), actor=ADMIN)
        assert "decisions" not in export_json(engine, case)["sections"]

    def test_the_owners_decisions_under_12_5(self, law: Law2026) -> None:
        """Under § 12-5 the owner's decisions on the leadership have their section."""
        case_id = law.drive(
            "investigating", "skjerpa_aktivitetsplikt", accused_staff="t-20", accused_is_leadership=False
        )
        law.fire(
            case_id, "change_leadership_routing", {"accused_is_leadership": True, "reason": "Avdelingsleder."}, OWNER
        )
        sections = export_json(law.engine, law.get(case_id))["sections"]
        assert ["change_leadership_routing"] == [i["trigger"] for i in sections["leadership"]]


class TestPage:
    def test_the_page_shows_the_new_steps_in_words(self, law: Law2026) -> None:
        """The page names the decision, the imposed measures, the measures' status and where it happened."""
        html = render_html(law.engine, law.get(decided(law)))
        for text in (
            "Vedtak fra Statsforvalteren</h2>",
            "Ref. SF 2026/123",
            "Pålegg rutine gjennomført",
            "gjennomført",
            "Gjelder utestenging på skolen",
            "Vurdering av elevens beste",
        ):
            assert text in html

    @pytest.mark.parametrize("pack", [AKTIVITETSPLIKT_PACK, SKJERPA_PACK], ids=lambda p: p.id)
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_every_section_has_words(self, pack: WorkflowPack, language: Language) -> None:
        """The 2026-12 layout and each of its sections have their words in both languages."""
        layout = pack.dossier_for("2026-12")
        assert (True, []) == (language in layout.words, [s.key for s in layout.sections if language not in s.words])
