"""The dossier as one self-contained, printable HTML page (``templates/case.html.j2``).

The page's own words (headings of the parts every dossier has, the confidentiality note) are written in
bokmål and shown in the dossier's language (``page_words``); the words of the law come from the
workflow's pack through :class:`Words`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from aktivitetsplikt.engine.core.chain import ChainVerdict, verify_chain
from aktivitetsplikt.engine.core.decide import principal_replaced
from aktivitetsplikt.engine.core.model import Case
from aktivitetsplikt.engine.core.pack import Language
from aktivitetsplikt.engine.reports.export import fields
from aktivitetsplikt.engine.reports.export.access import access_log
from aktivitetsplikt.engine.reports.export.people import People
from aktivitetsplikt.engine.reports.export.sections import Dossier, Item, corrected
from aktivitetsplikt.engine.reports.export.words import Words, first_lower, first_upper

if TYPE_CHECKING:
    from jinja2 import Environment

    from aktivitetsplikt.engine.app.service import Engine

TEMPLATES = Path(__file__).parent.parent / "templates"
_CHAIN_PROBLEMS = {
    "the link to the previous event is broken": "koblingen til forrige hendelse er brutt",
    "the event was changed after it was recorded": "hendelsen er endret etter at den ble registrert",
    "events after the last one were removed": "hendelser etter den siste er fjernet",
}


def chain_verdict(case: Case) -> ChainVerdict:
    """The chain part of ``Engine.verify``, on the events already loaded with the case."""
    return verify_chain(case.id, case.events or [], case.head_hash)


def render_html(engine: Engine, case: Case, language: Language = "nb") -> str:
    """One self-contained, printable HTML page (inline CSS, no scripts, nothing fetched), escaped."""
    dossier = Dossier.of(engine, case, language)
    data = dossier.sections()
    verdict = chain_verdict(case)
    words = dossier.words
    layout = [(section, words.section(section)) for section in dossier.layout.sections]
    return (
        _environment(words, dossier.people)
        .get_template("case.html.j2")
        .render(
            s=data,
            f=data["facts"],
            w=words,
            language=language,
            layout=layout,
            homes=_homes(dossier, data),
            attributes=_attributes(dossier, data["facts"]),
            rerouted=_rerouted(dossier),
            escalated={item["seq"]: item for item in data["escalations"]},
            corrects={e.seq: corrected(e) for e in dossier.events if corrected(e) is not None},
            summaries={item["seq"]: words.summary(item) for item in map(dossier.item, dossier.events)},
            rows=lambda item: fields.rows(words, item["document"], person=dossier.people.names_a_person),
            verdict=verdict.to_json(),
            chain_problem=_chain_problem(verdict, words),
            reads=access_log(engine, case, words.labels),
        )
    )


def _items(value: Any) -> Iterator[Item]:
    """Every entry in a section's data, however it is grouped."""
    if isinstance(value, dict) and "seq" in value:
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _items(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _items(inner)


def _homes(dossier: Dossier, data: dict[str, Any]) -> dict[int, str]:
    """Where each event's anchor (``#h<seq>``) is: the first section that shows it."""
    homes: dict[int, str] = {}
    for key in [s.key for s in dossier.layout.sections] + ["escalations"]:
        for item in _items(data[key]):
            homes.setdefault(int(item["seq"]), key)
    return homes


def _attributes(dossier: Dossier, facts: dict[str, Any]) -> list[tuple[str, str | Markup, list[str]]]:
    """The case attributes among the facts: label, value and the flags shown on it."""
    layout, words = dossier.layout, dossier.words
    shown = []
    for name in layout.case_attributes:
        if name in layout.flags or name not in facts:
            continue
        flags = [first_lower(words.field(f)) for f, on in layout.flags.items() if on == name and facts.get(f) is True]
        value = facts[name]
        person = isinstance(value, str) and dossier.people.names_a_person(name)
        shown.append((words.field(name), dossier.people.show(value) if person else words.value(name, value), flags))
    return shown


def _rerouted(dossier: Dossier) -> set[int]:
    """The steps whose notice to the head of the unit went to the owner instead (the head is taken out)."""
    if not principal_replaced(dossier.spec, dossier.case.attributes):
        return set()
    notifying = {
        t.trigger
        for t in dossier.spec.transitions
        if any(n.recipient == "principal" for outcome in t.outcomes for n in outcome.notify)
    }
    return {e.seq for e in dossier.events if e.trigger in notifying}


def _chain_problem(verdict: ChainVerdict, words: Words) -> str | None:
    if verdict.problem is None:
        return None
    if verdict.problem.endswith(" is missing"):
        return words.t("hendelse {seq} mangler", seq=verdict.broken_at)
    problem = _CHAIN_PROBLEMS.get(verdict.problem)
    return words.t(problem) if problem is not None else verdict.problem


def _environment(words: Words, people: People) -> Environment:
    from jinja2 import ChainableUndefined, Environment, FileSystemLoader

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every free text may contain markup; it is shown, never interpreted
        undefined=ChainableUndefined,  # a field an older document lacks shows as empty, it does not fail
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = words.t
    env.filters.update(
        when=words.when,
        deadline=words.deadline,
        yesno=words.yesno,
        role=words.role,
        status=words.status,
        level=words.level,
        first_upper=first_upper,
        person=people.show,
        named=people.named,
        css_string=_css_string,
        number=lambda value: f"{value:g}".replace(".", ","),
    )
    return env


def _css_string(value: Any) -> Markup:
    """A CSS string literal (for ``@page`` margin boxes): every non-alphanumeric character escaped, so
    nothing in it can close the string or the ``<style>`` element."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in str(value))
    return Markup(f'"{escaped}"')  # only escaped characters, see above
