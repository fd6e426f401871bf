"""Commands that keep the record honest from outside the database: checkpoint, checkpoint keygen and
verify --checkpoint.

Exit codes of ``verify --checkpoint``: 0 nothing was rewritten, removed or added back-dated since the
checkpoint; 1 findings (listed); 2 the file is not a checkpoint; 5 no key (configuration).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aktivitetsplikt.engine.cli._app import JsonOption, _engine, _print_json, _run, _settings, app

checkpoint_app = typer.Typer(
    help="Write a signed checkpoint of every case's head outside the database ('checkpoint keygen': a key).",
    invoke_without_command=True,
)
app.add_typer(checkpoint_app, name="checkpoint")


@checkpoint_app.callback()
def checkpoint(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Sign every case's head (Merkle root, count and per-case heads) with the Ed25519 key of [checkpoint]
    and write it to its folder and/or the webhook."""
    if ctx.invoked_subcommand is not None:
        return
    from aktivitetsplikt.engine.app.checkpoints import checkpoint_once
    from aktivitetsplikt.notifiers.checkpoint import checkpoint_webhook

    engine = _engine(as_json)

    def work() -> None:
        hook = checkpoint_webhook(engine.settings)
        publish = hook.publish if hook is not None else None
        content, path = checkpoint_once(engine.uow, engine.settings.checkpoint, engine.clock.now(), publish)
        summary = {"count": content["count"], "root": content["root"], "created_at": content["created_at"]}
        if as_json:
            _print_json(summary | {"path": None if path is None else str(path), "webhook": hook is not None})
            return
        where = f" til {path}" if path is not None else ""
        typer.echo(f"Sjekkpunkt over {content['count']} saker (rot {str(content['root'])[:16]}…) er skrevet{where}.")

    _run(as_json, work)


@checkpoint_app.command("keygen")
def keygen(
    out: Annotated[Path, typer.Option("--out", help="Where to write the private key (PEM, 0600; never overwritten).")],
    as_json: JsonOption = False,
) -> None:
    """Make an Ed25519 signing key (same as 'openssl genpkey -algorithm ed25519 -out FILE') and print its
    public key; keep the private key away from the database and its backups."""
    from aktivitetsplikt.engine.app.checkpoints import keygen as make_key

    def work() -> None:
        public = make_key(out)
        if as_json:
            _print_json({"private_key_file": str(out), "public_key": public})
        else:
            typer.echo(public, nl=False)

    _run(as_json, work)


@app.command("verify")
def verify(
    checkpoint_file: Annotated[
        Path, typer.Option("--checkpoint", help="A checkpoint file written by 'aktivitetsplikt checkpoint'.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Prove that no case was rewritten, removed or added back-dated since a signed checkpoint: exit 0 when
    none was, 1 with the findings (which case, what), 2 when the file is no checkpoint, 5 without a key."""
    from aktivitetsplikt.engine.app import checkpoints

    settings = _settings(as_json)
    engine = _engine(as_json)

    def work() -> None:
        content = checkpoints.load(checkpoint_file)
        findings = checkpoints.verify(engine.uow, content, checkpoints.public_key(settings.checkpoint))
        if as_json:
            _print_json({"count": content.get("count"), "findings": [f.to_json() for f in findings]})
        else:
            from aktivitetsplikt.engine.cli.record_views import print_checkpoint_findings

            print_checkpoint_findings(findings, int(content.get("count") or 0))
        if findings:
            raise typer.Exit(1)

    _run(as_json, work)
