"""The dossier is laid out and worded by the workflow's pack: checked at registration, rendered for any ids.

``tests/machines/concern.py`` (``bekymring``) has no id or word of opplæringslova chapter 12; here it gets
a dossier layout of every kind of section and words of its own, and is exported through the same code as
the school workflows. The school packs' own words are checked for completeness in both languages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel, ValidationError

from aktivitetsplikt.engine import Actor, Engine, FixedClock, Settings, WorkflowDefinitionError
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection, DossierWords, SectionWords
from aktivitetsplikt.engine.core.pack import LANGUAGES, Language, WorkflowPack
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.reports.export import export_json, render_html
from aktivitetsplikt.workflows import AKTIVITETSPLIKT_PACK, BUILTIN_PACKS, SKJERPA_PACK
from tests.conftest import ADMIN, drive_to, unpinned
from tests.fakes import InMemoryUnitOfWorkFactory
from tests.machines.concern import CONCERN_PACK

HOSTILE = "<script>alert('x')</script>"
STAFF = Actor(id="m-1", role="staff", school="hellerud")
LEAD = Actor(id="m-2", role="principal", school="hellerud")
CHAPTER_12 = ("rektor", "skoleeier", "statsforvalt", "eleven", "aktivitetsplan", "§ 12")


@pytest.fixture
def config_file(config_file: Path) -> Path:
    """The test config with the lead m-2 as the principal's staff ref: the principal role is honoured only
    for the configured principal, and this dossier must not name a "rektor"."""
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace('"rektor" = ', '"m-2" = '), encoding="utf-8")
    return config_file


CONCERN_WORDS = DossierWords(
    title="Dokumentasjon av bekymringen",
    summaries={"raise_concern": "Gjelder: {what}", "follow_up": "Spurt {asked.at}: {asked.answer}"},
)
CONCERN_DOSSIER = DossierLayout(
    sections=(
        DossierSection(
            key="concerns",
            anchor="bekymring",
            triggers=("raise_concern",),
            words={"nb": SectionWords(title="Bekymringen", empty="Ingen bekymring er meldt.")},
        ),
        DossierSection(
            key="rounds",
            kind="pairs",
            triggers=("acknowledge", "resolve"),
            pair_keys=("acknowledged", "resolved"),
            words={"nb": SectionWords(title="Kvittering og løsning", entry="Runde {number}", unfinished="Ikke løst.")},
        ),
        DossierSection(
            key="follow_ups",
            kind="versions",
            triggers=("follow_up",),
            words={"nb": SectionWords(title="Oppfølging", headings={"follow_up": "Oppfølging {version}: {held_at}"})},
        ),
        DossierSection(
            key="ended", kind="closing", words={"nb": SectionWords(title="Slutt", entry="Løst {occurred_at}")}
        ),
    ),
    words={"nb": CONCERN_WORDS},
)
CONCERN_FIELDS = {"noticed_at": "Lagt merke til", "what": "Hva det gjelder", "asked": "Spurt", "answer": "Svar"}


def worded_concern() -> WorkflowPack:
    labels = {lang: words.model_copy(update={"fields": CONCERN_FIELDS}) for lang, words in CONCERN_PACK.labels.items()}
    return replace(CONCERN_PACK, dossier=CONCERN_DOSSIER, labels=labels)


def engine_for(pack: WorkflowPack, settings: Settings, clock: FixedClock) -> Engine:
    settings = unpinned(settings)
    registry = WorkflowRegistry()
    registry.register_pack(pack)
    uow = InMemoryUnitOfWorkFactory()
    return Engine(settings=settings, registry=registry, uow=uow, clock=clock, directory=ConfigDirectory(settings))


def asked(content: bool, answer: str) -> dict[str, Any]:
    return {"at": "2026-09-03T09:00", "answer": answer, "content": content}


def resolved_concern(engine: Engine, clock: FixedClock) -> str:
    """A concern raised, acknowledged, followed up twice and resolved; returns its id."""
    raised = {"noticed_at": "2026-09-02T09:00", "what": f"Noe bekymringsfullt. {HOSTILE}"}
    case = engine.report(workflow="bekymring", school="hellerud", pupil="p-1", document=raised, actor=STAFF)
    clock.advance(hours=1)
    engine.fire(case.id, "acknowledge", {"at": "2026-09-02T10:30", "lead": "m-3"}, LEAD)
    clock.advance(days=1)
    for held_at, answer in (("2026-09-03T09:30", "Litt bedre."), ("2026-09-03T10:30", "Mye bedre.")):
        follow = {"held_at": held_at, "asked": asked(False, answer), "next_at": "2026-09-10T12:00"}
        engine.fire(case.id, "follow_up", follow, LEAD)
    engine.fire(case.id, "resolve", {"asked": asked(True, "Bra nå."), "summary": "Løst."}, LEAD)
    return case.id


@pytest.fixture
def concern(settings: Settings, clock: FixedClock) -> Iterator[tuple[Engine, str]]:
    engine = engine_for(worded_concern(), settings, clock)
    yield engine, resolved_concern(engine, clock)


class TestRegistration:
    def test_a_group_naming_an_unknown_trigger_is_refused(self) -> None:
        """A dossier group for a step the spec lacks is a definition error at registration."""
        section = DossierSection(key="notices", kind="groups", groups={"head": ("notify_head",)})
        pack = replace(AKTIVITETSPLIKT_PACK, dossier=DossierLayout(sections=(section,)))
        expected = "dossier section 'notices' names the trigger 'notify_head', which the spec does not have"
        with pytest.raises(WorkflowDefinitionError, match=expected):
            WorkflowRegistry().register_pack(pack)

    def test_a_case_attribute_no_step_sets_is_refused(self) -> None:
        """A fact the dossier would show but no step sets on the case is a definition error."""
        pack = replace(AKTIVITETSPLIKT_PACK, dossier=SKJERPA_PACK.dossier)
        expected = "dossier.case_attributes names 'accused_staff', which no step sets on the case"
        with pytest.raises(WorkflowDefinitionError, match=expected):
            WorkflowRegistry().register_pack(pack)

    def test_a_flag_must_be_a_listed_case_attribute(self) -> None:
        """A flag on a fact names two case attributes the layout shows; anything else fails when declared."""
        with pytest.raises(ValidationError, match="flags names 'leader', which case_attributes does not list"):
            DossierLayout(case_attributes=("accused",), flags={"leader": "accused"})

    def test_a_pair_needs_two_steps(self) -> None:
        """A pairs section with one trigger cannot pair anything; it fails when declared."""
        with pytest.raises(ValidationError, match="section 'rounds' pairs two steps; give exactly two triggers, not 1"):
            DossierSection(key="rounds", kind="pairs", triggers=("acknowledge",))


class TestOtherIds:
    def test_sections_follow_the_layout(self, concern: tuple[Engine, str]) -> None:
        """JSON: the facts and timeline, the pack's sections by their keys, then escalations and duties."""
        engine, case_id = concern
        sections = json.loads(json.dumps(export_json(engine, engine.get(case_id, actor=ADMIN))))["sections"]

        assert ["facts", "timeline", "concerns", "rounds", "follow_ups", "ended", "escalations", "duties"] == list(
            sections
        )
        assert [("acknowledge", "resolve")] == [
            (r["acknowledged"]["trigger"], r["resolved"]["trigger"]) for r in sections["rounds"]
        ]
        assert [(1, False), (2, True)] == [(v["version"], v["current"]) for v in sections["follow_ups"]]
        assert ["resolve"] == [e["trigger"] for e in sections["ended"]]
        assert "Kvittere" == sections["rounds"][0]["acknowledged"]["trigger_label"]

    def test_the_page_speaks_the_packs_words(self, concern: tuple[Engine, str]) -> None:
        """Title, section titles, headings, summaries, field labels and nested objects come from the pack."""
        engine, case_id = concern
        html = render_html(engine, engine.get(case_id, actor=ADMIN))

        assert '<h1>Dokumentasjon av bekymringen <span class="nr">' in html
        titles = re.findall(r"<h2>([^<]+)</h2>", html)
        expected = ["3. Bekymringen", "4. Kvittering og løsning", "5. Oppfølging", "6. Slutt"]
        assert expected == titles[2:6]
        for text in (
            '<section id="bekymring">',
            "<h3>Runde 1</h3>",
            "Oppfølging 2: 03.09.2026 kl. 10:30",
            "Spurt 03.09.2026 kl. 09:00: Litt bedre.",
            "<dt>Hva det gjelder</dt>",
            '<dt>Svar</dt><dd><span class="text">Bra nå.</span></dd>',
            "<dt>Den det gjelder (referanse)</dt><dd>p-1</dd>",
            "<dt>Oppfølger</dt><dd>m-3</dd>",
        ):
            assert text in html

    def test_no_word_of_chapter_12_and_nothing_unescaped(self, concern: tuple[Engine, str]) -> None:
        """Nothing of opplæringslova chapter 12 slips in, and free text in a summary is escaped."""
        engine, case_id = concern
        html = render_html(engine, engine.get(case_id, actor=ADMIN))

        assert [] == [word for word in CHAPTER_12 if word in html.lower()]
        assert "<script" not in html
        assert "Gjelder: Noe bekymringsfullt. &lt;script&gt;" in html

    def test_a_pack_without_words_still_renders(self, settings: Settings, clock: FixedClock) -> None:
        """Without layout words the sections are titled by their keys and fields by their names."""
        engine = engine_for(CONCERN_PACK, settings, clock)
        case_id = resolved_concern(engine, clock)

        html = render_html(engine, engine.get(case_id, actor=ADMIN))

        assert "<h1>Dokumentasjon av saken" in html
        assert ["3. raised", "4. follow_ups", "5. resolution"] == re.findall(r"<h2>([^<]+)</h2>", html)[2:5]
        assert "<dt>answer</dt>" in html


class TestSchoolWords:
    @pytest.mark.parametrize("pack", BUILTIN_PACKS, ids=lambda p: p.id)
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_every_documentation_field_has_a_label(self, pack: WorkflowPack, language: Language) -> None:
        """Each field of each step's documentation, nested ones too, has a Norwegian label in both languages."""
        fields = pack.labels[language].fields
        spec = pack.latest
        paths = {p for t in spec.transitions for p in field_paths(pack.documents[t.document])}

        assert [] == sorted(p for p in paths if p not in fields and p.rpartition(".")[2] not in fields)

    @pytest.mark.parametrize("pack", BUILTIN_PACKS, ids=lambda p: p.id)
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_every_section_has_words(self, pack: WorkflowPack, language: Language) -> None:
        """The dossier and each of its sections have their words in both languages."""
        assert language in pack.dossier.words
        assert [] == [s.key for s in pack.dossier.sections if language not in s.words]

    def test_nynorsk(self, engine: Engine) -> None:
        """language="nn" takes the pack's nynorsk words: titles, empty sections, field and value labels."""
        case_id = drive_to(engine, "principal_notified")

        html = render_html(engine, engine.get(case_id, actor=ADMIN), "nn")

        for text in (
            "<h1>Dokumentasjon av aktivitetsplikta",
            "<h2>4. Varsel til rektor og skuleeigar</h2>",
            "Skuleeigar er ikkje varsla.",
            "<dt>Kjelde</dt><dd>eleven sjølv</dd>",
            "<dt>Skuleår</dt>",
        ):
            assert text in html


def field_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every dotted field path of a documentation model, through nested models and lists of them."""
    for name, info in model.model_fields.items():
        path = prefix + name
        yield path
        for nested in _models(info.annotation):
            yield from field_paths(nested, path + ".")


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models(arg)
