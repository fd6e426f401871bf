"""``aktivitetsplikt retention run`` and ``aktivitetsplikt case erase``: erasing what the law no longer
lets us keep (README, "Retention and erasure").

Registered on the apps of ``_app`` when ``aktivitetsplikt.engine.cli`` imports this module; the engine
loads when a command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from aktivitetsplikt.engine.cli import _app as cli
from aktivitetsplikt.engine.cli._app import ActorId, ActorRole, CaseRef, JsonOption, app, case_app, db_app

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine

retention_app = typer.Typer(help="Retention: erase closed cases past their period.", no_args_is_help=True)
app.add_typer(retention_app, name="retention")


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the cases due and change nothing.")] = False,
    no_compact: Annotated[
        bool,
        typer.Option(
            "--no-compact",
            help="Do not rebuild the database files afterwards (run again later in a quiet hour; on PostgreSQL "
            "the rebuild locks cases and case_events while it runs).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Erase the pupil ref and every free text of each closed case past its workflow's retention (the
    years of retention.<workflow> in the config after closing, no duty open), after writing its dossier
    to the archive folder (archive.folder) when the workflow's retention says archive (the default). Each
    erasure is an event of its case; the number, dates, steps and hashes stay, and every chain still
    verifies."""
    engine = cli._engine(as_json)

    def work() -> None:
        from aktivitetsplikt.engine.reports.retention import run_retention

        steps = run_retention(engine, dry_run=dry_run)
        compacted = bool(steps) and not dry_run and not no_compact and _compacted(engine, as_json)
        if as_json:
            cli._print_json({"dry_run": dry_run, "compacted": compacted, "cases": [s.to_json() for s in steps]})
            return
        verb = "ville blitt slettet" if dry_run else "er slettet"
        for step in steps:
            archived = f" (arkivert: {', '.join(step.archived)})" if step.archived else ""
            typer.echo(f"Sak {step.number} {verb}{archived}.")
        typer.echo(f"{len(steps)} saker {verb}." if steps else "Ingen saker har passert oppbevaringstiden.")

    cli._run(as_json, work)


@case_app.command("erase")
def case_erase(
    case_ref: CaseRef,
    reason: Annotated[str, typer.Option("--reason", help="Why the law allows erasing this case (kept, sealed).")],
    actor_id: ActorId,
    actor_role: ActorRole,
    actor_school: Annotated[str | None, typer.Option("--actor-school", help="The owner's school, if any.")] = None,
    no_compact: Annotated[
        bool, typer.Option("--no-compact", help="Do not rebuild the database files afterwards.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Erase a closed case on request: the pupil ref and every free text, leaving the tombstone (number,
    dates, steps, hashes) and an erasure event. Only the school or kindergarten owner decides it."""
    engine = cli._engine(as_json)
    actor = cli._actor(actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        case = engine.erase(case_ref, actor=actor, reason=reason)
        if not no_compact:
            _compacted(engine, as_json)
        if as_json:
            cli._print_json({"id": case.id, "number": case.number, "erased": True, "version": case.version})
            return
        typer.echo(f"Innholdet i sak {case.number} er slettet; saksnummer, datoer, steg og hasher står igjen.")

    cli._run(as_json, work)


def _compacted(engine: Engine, as_json: bool) -> bool:
    """Rebuild the database files; a warning on stderr when an open transaction held old rows back."""
    from aktivitetsplikt.engine.bootstrap import compact_database

    if compact_database(engine):
        return True
    warning = (
        "Advarsel: en åpen transaksjon holdt tilbake gamle radversjoner; kjør 'aktivitetsplikt db compact' "
        "når ingen lang transaksjon er åpen."
    )
    typer.echo(warning if not as_json else '{"warning": "compact_held_back"}', err=True)
    return False


@db_app.command("compact")
def db_compact(as_json: JsonOption = False) -> None:
    """Rebuild the database files so that erased or re-encrypted text is gone from them too (SQLite:
    VACUUM and an emptied WAL; PostgreSQL: VACUUM FULL of cases and case_events, which locks them while
    it runs). retention run, case erase and db reencrypt do it themselves."""
    engine = cli._engine(as_json)

    def work() -> None:
        done = _compacted(engine, as_json)
        if as_json:
            cli._print_json({"compacted": done})
        elif done:
            typer.echo("Databasefilene er bygd på nytt.")

    cli._run(as_json, work)


@db_app.command("reencrypt")
def db_reencrypt(as_json: JsonOption = False) -> None:
    """Re-encrypt every free text with the current key (AKTIVITETSPLIKT_ENCRYPTION__KEY), reading what
    older keys encrypted with AKTIVITETSPLIKT_ENCRYPTION__OLD_KEYS; with no current key, store it in plain
    text again. Then rebuild the database files, so the old ciphertext goes too. Safe to run again."""
    engine = cli._engine(as_json)

    def work() -> None:
        from aktivitetsplikt.engine.bootstrap import reencrypt_database

        changed = reencrypt_database(engine)
        if as_json:
            cli._print_json({"events_changed": changed})
            return
        typer.echo(f"{changed} hendelser er kryptert på nytt.")

    cli._run(as_json, work)
