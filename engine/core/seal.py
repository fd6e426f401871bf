"""Each event's free text hashed on its own, so it can be erased and leave its hash behind.

An event's *seal* maps the path of every free-text value of its document (``findings``,
``others_heard.0``, ``measures.1.description``) to ``s:<salt>`` while the value is there, and to
``h:<leaf hash>`` once it is erased. The chain hashes the document's *skeleton*: the document with each
sealed value replaced by its leaf hash, ``sha256(salt || value)``. Erasing a value replaces it with
:data:`ERASED`, keeps its leaf hash in the seal and drops its salt, so the skeleton, and with it every
later link of the chain, stays what it was, and the hash left behind cannot be tried against guesses
(the salt is gone). What is not free text (dates, choices, staff refs)
stays in the document and is hashed as it stands.

Which values are free text is the documentation model's word: the :data:`FREE_TEXT` marker that
``documents.Text`` carries.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from aktivitetsplikt.engine.core.documents import FREE_TEXT

__all__ = [
    "ERASED",
    "canonical_json",
    "erase_document",
    "erase_legacy",
    "free_text_paths",
    "is_erased",
    "is_legacy",
    "new_salt",
    "parent_of",
    "seal_document",
    "skeleton",
    "string_paths",
]

ERASED = "(slettet)"
"""What an erased value reads as, wherever the document is shown (bokmål and nynorsk alike)."""
SALT = "s:"
HASH = "h:"
LEGACY = "v1:"
"""The mark of a value erased from an event recorded before seals (chain format 1): its hash is gone
with it, so the chain checks that event by its link and by the erasure event that lists its hash."""


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _mentions(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        return FREE_TEXT in metadata or _mentions(base)
    return any(_mentions(arg) for arg in get_args(annotation))


def _free(model: BaseModel, name: str) -> bool:
    info = type(model).model_fields[name]
    return FREE_TEXT in info.metadata or _mentions(info.annotation)


def _walk(value: Any, path: str, free: bool) -> Iterator[str]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), f"{path}{name}.", _free(value, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}{index}.", free)
    elif isinstance(value, str) and free:
        yield path[:-1]


def free_text_paths(document: BaseModel) -> list[str]:
    """The dotted path of every free-text value in a validated document (list items by index)."""
    return list(_walk(document, "", False))


def new_salt() -> str:
    """A fresh random salt (128 bits, hex)."""
    return secrets.token_hex(16)


def string_paths(value: Any, path: str = "") -> list[str]:
    """The path of every text value in a stored document, whatever it means."""
    if isinstance(value, dict):
        return [p for key, inner in value.items() for p in string_paths(inner, f"{path}{key}.")]
    if isinstance(value, list):
        return [p for index, inner in enumerate(value) for p in string_paths(inner, f"{path}{index}.")]
    return [path[:-1]] if isinstance(value, str) else []


def seal_document(document: BaseModel, salt: Callable[[], str] = new_salt) -> dict[str, str]:
    """A fresh seal for a validated document: a random salt for each of its free-text values."""
    return {path: SALT + salt() for path in free_text_paths(document)}


def parent_of(document: Any, path: str) -> tuple[Any, str | int]:
    """The list or object holding the value at ``path``, and its index or key there."""
    *head, last = path.split(".")
    node = document
    for part in head:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node, int(last) if isinstance(node, list) else last


def _leaf(salt: str, value: Any) -> str:
    """sha256 of the salt's bytes and the value's UTF-8 (its canonical JSON when it is not text)."""
    text = value if isinstance(value, str) else canonical_json(value)
    return hashlib.sha256(bytes.fromhex(salt) + text.encode("utf-8")).hexdigest()


def skeleton(document: dict[str, Any], seal: dict[str, str]) -> dict[str, Any]:
    """The document as the chain hashes it: each sealed value by its leaf hash (``h:<hex>``), the rest as
    it stands (the containers on the way copied once, the document untouched). A sealed path the
    document lacks (an edited document) raises ``KeyError``/``IndexError``/``TypeError``, which the
    chain's check reports as a changed event."""
    if not seal:
        return document
    shown = dict(document)
    copies: dict[str, Any] = {"": shown}
    for path, mark in seal.items():
        node: Any = shown
        *head, last = path.split(".")
        prefix = ""
        for part in head:
            prefix += part + "."
            child = copies.get(prefix)
            if child is None:
                key: Any = int(part) if isinstance(node, list) else part
                child = copies[prefix] = list(node[key]) if isinstance(node[key], list) else dict(node[key])
                node[key] = child
            node = child
        index: Any = int(last) if isinstance(node, list) else last
        node[index] = HASH + (mark[len(HASH) :] if mark.startswith(HASH) else _leaf(mark[len(SALT) :], node[index]))
    return shown


def erase_document(document: dict[str, Any], seal: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The document with every sealed value erased, and the seal keeping only their leaf hashes."""
    erased = copy.deepcopy(document)
    kept: dict[str, str] = {}
    for path, mark in seal.items():
        node, key = parent_of(erased, path)
        kept[path] = mark if mark.startswith(HASH) else HASH + _leaf(mark[len(SALT) :], node[key])
        node[key] = ERASED
    return erased, kept


def erase_legacy(document: dict[str, Any], paths: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """An event of chain format 1 (no seal) with the values at ``paths`` erased, and its new seal."""
    erased = copy.deepcopy(document)
    for path in paths:
        node, key = parent_of(erased, path)
        node[key] = ERASED
    return erased, dict.fromkeys(paths, LEGACY)


def is_legacy(seal: dict[str, str] | None) -> bool:
    """Whether the event was recorded before seals and has since been erased."""
    return bool(seal) and any(mark == LEGACY for mark in (seal or {}).values())


def is_erased(seal: dict[str, str] | None) -> bool:
    """Whether any value of the event was erased."""
    return any(mark.startswith((HASH, LEGACY)) for mark in (seal or {}).values())
