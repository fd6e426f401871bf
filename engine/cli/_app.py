"""The command line's shared parts: the Typer apps, the common options and the error plumbing.

Command modules import from here; ``aktivitetsplikt.engine.cli`` imports the command modules, so no
module imports the package that imports it.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from aktivitetsplikt.engine.core import i18n
from aktivitetsplikt.engine.core.i18n import N_, _
from aktivitetsplikt.engine.core.limits import MAX_DOC_BYTES, MAX_DOC_DEPTH, nesting_depth

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.config.settings import Settings
    from aktivitetsplikt.engine.core.model import Actor
    from aktivitetsplikt.engine.core.pack import Labels
    from aktivitetsplikt.engine.errors import AktivitetspliktError

EXIT_USAGE = 2
EXIT_CONFIG = 5

app = typer.Typer(
    name="aktivitetsplikt",
    help="The duty to act (aktivitetsplikt) in schools and kindergartens: cases, deadlines, documentation.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)
case_app = typer.Typer(help="Open, move and inspect cases.", no_args_is_help=True)
workflow_app = typer.Typer(help="The workflows: list, diagram, documentation schema.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(workflow_app, name="workflow")
app.add_typer(db_app, name="db")


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"aktivitetsplikt {version('aktivitetsplikt')}")
        raise typer.Exit


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of what people read: nb (bokmål) or nn (nynorsk). Default: the school's language "
        "when the command is about one school, else the language all units share, else nb.",
        envvar="AKTIVITETSPLIKT_LANG",
        show_default=False,
    ),
]
VersionOption = Annotated[
    bool,
    typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_print_version),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="config.toml to use (default ./config.toml, else $AKTIVITETSPLIKT_CONFIG, else built-in defaults).",
        envvar="AKTIVITETSPLIKT_CONFIG",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
ActorId = Annotated[str, typer.Option("--actor-id", help="Who acts: a staff ref.")]
ActorRole = Annotated[str, typer.Option("--actor-role", help="staff, case_handler, principal, deputy or school_owner.")]
DocOption = Annotated[str, typer.Option("--doc", help="The documentation as a JSON file; '-' reads standard input.")]
CaseRef = Annotated[str, typer.Argument(metavar="ID|NUMBER", help="The case's id or number.")]
ReaderId = Annotated[
    str | None,
    typer.Option(
        "--actor-id",
        help="Who reads: a staff ref or address. Without it, the operating-system user reads as it_admin.",
        show_default=False,
    ),
]
ReaderRole = Annotated[
    str | None,
    typer.Option(
        "--actor-role", help="staff, case_handler, principal, deputy, school_owner or it_admin.", show_default=False
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Replace files that exist (a symbolic link is replaced, never followed)."),
]
ReaderSchool = Annotated[
    str | None, typer.Option("--actor-school", help="The reader's school (not for school_owner or it_admin).")
]


class _State:
    config: Path | None = None
    lang: i18n.Language | None = None
    """The language ``--lang`` asked for; None: the configuration's."""
    words: Labels | None = None
    """The words of the workflow a command acts on, once known: a refusal names its steps by them."""


_state = _State()


@app.callback()
def _main(config: ConfigOption = None, lang: LangOption = None, version: VersionOption = False) -> None:
    _state.config = config
    if lang is not None and lang not in i18n.LANGUAGES:
        msg = N_("--lang '%(lang)s' is not a language of aktivitetsplikt; use nb (bokmål) or nn (nynorsk).")
        _fail(msg, EXIT_USAGE, as_json=False, lang=lang)
    _state.lang = i18n.language(lang) if lang else None
    i18n.set_language(_state.lang or i18n.DEFAULT)


def scope_language(engine: Engine, unit: str | None) -> None:
    """Speak ``unit``'s language, unless ``--lang`` chose one (a command about one school or kindergarten)."""
    if _state.lang is None and unit is not None:
        i18n.set_language(engine.settings.language(unit))


def use_words(engine: Engine, workflow: str) -> Labels:
    """The words of ``workflow`` in the current language; a refusal from now on names steps by them."""
    _state.words = engine.registry.pack(workflow).label(i18n.current())
    return _state.words


# --- plumbing -------------------------------------------------------------------------------------------


def _fail(
    message: str,
    code: int,
    *,
    as_json: bool,
    error: str = "UsageError",
    fields: Any = None,
    text: str | None = None,
    **params: object,
) -> NoReturn:
    """Exit with ``code`` after one sentence on stderr: ``message`` (an English message id, filled with
    ``params``) in JSON for tools, translated for people (or ``text``, a sentence already translated)."""
    if as_json:
        body: dict[str, Any] = {"error": error, "message": message % params if params else message}
        if fields is not None:
            body["fields"] = fields
        typer.echo(json.dumps(body, ensure_ascii=False), err=True)
    else:
        shown = text if text is not None else (_(message) % params if params else _(message))
        prefix = _("Refused: %(message)s") if code == 1 else _("Error: %(message)s")
        typer.echo(prefix % {"message": shown}, err=True)
    raise typer.Exit(code)


def _person_text(exc: AktivitetspliktError) -> str:
    """The error's sentence for a person: translated, with the workflow's words for steps and states."""
    from aktivitetsplikt.engine.errors import DocumentationMissing, TransitionNotAllowed

    words = _state.words
    labelled: dict[str, object] = {}
    if words is not None:
        if isinstance(exc.params.get("trigger"), str):
            labelled["trigger"] = words.steps.get(str(exc.params["trigger"]), str(exc.params["trigger"]))
        if isinstance(exc.params.get("state"), str):
            labelled["state"] = words.states.get(str(exc.params["state"]), str(exc.params["state"]))
        if isinstance(exc, TransitionNotAllowed) and exc.allowed:
            labelled["allowed"] = ", ".join(words.steps.get(t, t) for t in exc.allowed)
    if isinstance(exc, DocumentationMissing):
        labelled["listed"] = "; ".join(f"{_field_name(p.field, words)}: {_(p.problem)}" for p in exc.fields)
    return exc.text(_, labelled)


def _field_name(path: str, words: Labels | None) -> str:
    """A documentation field as a person knows it, with the key to write in the file: ``Varsla (notified_at)``."""
    label = None if words is None else words.fields.get(path) or words.fields.get(path.rsplit(".", 1)[-1])
    return f"{label} ({path})" if label else path


@contextmanager
def _errors(as_json: bool) -> Iterator[None]:
    """Turn every expected failure into one sentence on stderr and the spec's exit code."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from aktivitetsplikt.engine.errors import AktivitetspliktError, DocumentationMissing

    try:
        yield
    except AktivitetspliktError as exc:
        fields = [f.to_json() for f in exc.fields] if isinstance(exc, DocumentationMissing) else None
        text = _person_text(exc)
        _fail(exc.message, exc.exit_code, as_json=as_json, error=type(exc).__name__, fields=fields, text=text)
    except OperationalError as exc:
        # What is left after storage typed busy and unreachable databases: a SQLite file that cannot be
        # opened, and the like. SQLite's own text ("unable to open database file") quotes no values;
        # other drivers' may, so of theirs only the error's class is shown.
        orig = exc.orig
        sqlite = orig is not None and type(orig).__module__.startswith("sqlite3")
        reason = str(orig).strip().splitlines()[0] if sqlite and str(orig).strip() else type(orig or exc).__name__
        msg = N_("The database cannot be reached or used (%(reason)s); check database.url in the config.")
        _fail(msg, EXIT_CONFIG, as_json=as_json, error="DatabaseError", reason=reason)
    except SQLAlchemyError as exc:
        msg = N_("The database refused the operation (%(kind)s); run 'aktivitetsplikt db upgrade'.")
        _fail(msg, EXIT_CONFIG, as_json=as_json, error="DatabaseError", kind=type(exc).__name__)


def _settings(as_json: bool) -> Settings:
    from aktivitetsplikt.engine.cli.logs import configure_logging
    from aktivitetsplikt.engine.config.settings import load_settings

    configure_logging(level=logging.WARNING)  # people read tables; the daemon logs its steps

    with _errors(as_json):
        settings = load_settings(_state.config)
        if _state.lang is None:
            i18n.set_language(settings.language())
        return settings
    raise AssertionError  # pragma: no cover - _errors either returns or exits


def _engine(as_json: bool) -> Engine:
    from aktivitetsplikt.engine.bootstrap import bootstrap

    settings = _settings(as_json)
    with _errors(as_json):
        return bootstrap(settings, face="cli")
    raise AssertionError  # pragma: no cover


def _read_bytes(path: str, as_json: bool) -> bytes:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_DOC_BYTES + 1)
        else:
            with Path(path).open("rb") as stream:  # /dev/zero or a huge file: read no more than the bound
                raw = stream.read(MAX_DOC_BYTES + 1)
    except OSError as exc:
        msg = N_("Cannot read the documentation file %(path)s (%(reason)s); give an existing JSON file.")
        _fail(msg, EXIT_USAGE, as_json=as_json, path=path, reason=exc.strerror)
    if len(raw) > MAX_DOC_BYTES:
        msg = N_("The documentation in %(path)s is larger than %(size)s KiB; give only the step's fields.")
        _fail(msg, EXIT_USAGE, as_json=as_json, path=path, size=MAX_DOC_BYTES // 1024)
    return raw


_TOO_DEEP = N_("The documentation in %(path)s nests objects or lists too deeply; give only the step's fields.")


def _read_doc(path: str, as_json: bool) -> dict[str, Any]:
    raw = _read_bytes(path, as_json)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        _fail(
            "The documentation in %(path)s is not UTF-8 text; save it as UTF-8.", EXIT_USAGE, as_json=as_json, path=path
        )
    except json.JSONDecodeError as exc:
        msg = N_("The documentation in %(path)s is not valid JSON (line %(line)s: %(reason)s); fix it.")
        _fail(msg, EXIT_USAGE, as_json=as_json, path=path, line=exc.lineno, reason=exc.msg)
    except RecursionError:
        _fail(_TOO_DEEP, EXIT_USAGE, as_json=as_json, path=path)
    if not isinstance(data, dict):
        msg = N_("The documentation in %(path)s must be a JSON object of fields.")
        _fail(msg, EXIT_USAGE, as_json=as_json, path=path)
    if nesting_depth(data) > MAX_DOC_DEPTH:
        _fail(_TOO_DEEP, EXIT_USAGE, as_json=as_json, path=path)
    return data


def _actor(actor_id: str, role: str, school: str | None, as_json: bool) -> Actor:
    from aktivitetsplikt.engine.core.model import Actor

    try:
        # role is any text from the command line; Actor checks it against Role and raises ValueError.
        return Actor(id=actor_id, role=role, school=school)  # type: ignore[arg-type]
    except ValueError as exc:
        _fail(str(exc), EXIT_USAGE, as_json=as_json)


def _reader(engine: Engine, actor_id: str | None, role: str | None, school: str | None, as_json: bool) -> Actor:
    """Who reads: the actor the options name or, with none, the operating-system user as ``it_admin``,
    honoured only when ``[access] it_admins`` lists that user (the access log records the user)."""
    import getpass

    if (actor_id is None) != (role is None):
        _fail(N_("Give both --actor-id and --actor-role, or neither."), EXIT_USAGE, as_json=as_json)
    if actor_id is not None and role is not None:
        return _actor(actor_id, role, school, as_json)
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = ""
    if not user or user not in engine.settings.access.it_admins:
        msg = N_(
            "Without --actor-id and --actor-role the command reads as the IT admin '%(user)s' (the "
            "operating-system user), who is not listed under [access] it_admins; add the user there, "
            "or say who reads with --actor-id, --actor-role and --actor-school."
        )
        _fail(msg, 1, as_json=as_json, error="NotPermitted", user=user or "?")
    return _actor(user, "it_admin", None, as_json)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _run(as_json: bool, work: Callable[[], None]) -> None:
    with _errors(as_json):
        work()
