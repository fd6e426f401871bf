"""Files with case content (the dossier, the audit, the archive's copy): private, and never written
through someone else's path.

A new file is created readable and writable by its owner only (0600). Without ``force`` an existing
file, or a symbolic link (even a dangling one), is refused: ``O_CREAT | O_EXCL`` never follows a link.
With ``force`` the text goes to a new private file beside it, which then replaces the path: a link is
replaced, not followed, and a reader never sees half a file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from aktivitetsplikt.engine.errors import InvalidInput

__all__ = ["PRIVATE", "private_folder", "refuse_existing", "write_private"]

PRIVATE = 0o600
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _create(path: Path, data: bytes) -> None:
    fd = os.open(path, _CREATE, PRIVATE)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def refuse_existing(paths: list[Path]) -> None:
    """InvalidInput naming the first of ``paths`` that exists (or is a link): checked before a command
    writes several files, so a refusal writes none of them."""
    for path in paths:
        if os.path.lexists(path):
            msg = f"{path} already exists (or is a symbolic link); give a new file name, or --force to replace it."
            raise InvalidInput(msg)


def write_private(path: Path, content: str | bytes, *, force: bool = False) -> Path:
    """Write ``content`` (text as UTF-8) to a new 0600 file at ``path``; InvalidInput when it exists and
    not ``force``. Other OS errors (no such folder, no permission) are the caller's to explain."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if not force:
        try:
            _create(path, data)
        except FileExistsError:
            refuse_existing([path])
        return path
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        _create(temporary, data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def private_folder(folder: Path) -> Path:
    """``folder``, created (with its parents) readable by its owner only when it does not exist yet."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
