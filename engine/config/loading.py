"""Reading ``config.toml`` and explaining what is wrong with it, key by key as it is written in TOML.

:func:`aktivitetsplikt.engine.config.settings.load_settings` reads the file through here and turns a
pydantic ``ValidationError`` into one :class:`ConfigError` message with :func:`describe`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from aktivitetsplikt.engine.errors import ConfigError

__all__ = ["CONFIG_ENV", "ENV_PREFIX", "config_file", "describe", "read_toml", "refuse_in_file"]

ENV_PREFIX = "AKTIVITETSPLIKT_"
CONFIG_ENV = "AKTIVITETSPLIKT_CONFIG"
"""Environment variable naming the config file when ``load_settings`` is given no path."""

# Secrets allowed only from the environment: (table path in TOML, key).
_ENV_ONLY_SECRETS = (
    (("notifiers", "smtp"), "password"),
    (("notifiers", "webhook"), "secret"),
    (("http", "auth"), "dev_secret"),
    (("checkpoint",), "key"),
    (("http",), "metrics_token"),
    (("encryption",), "key"),
    (("encryption",), "old_keys"),
)


def config_file(path: str | Path | None) -> Path | None:
    origin = ""
    if path is None:
        from_env = os.environ.get(CONFIG_ENV, "")
        if not from_env:
            default = Path("config.toml")
            return default.resolve() if default.is_file() else None
        path, origin = from_env, f" in {CONFIG_ENV}"
    file = Path(path)
    if not file.exists():
        msg = (
            f"Config file {file} does not exist; check the path{origin}, "
            "or give none to use ./config.toml or the built-in defaults."
        )
        raise ConfigError(msg)
    return file.resolve()


def read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        found = re.fullmatch(r"(.*) \(at (line \d+, column \d+|end of document)\)", str(exc))
        where = f"{found.group(1)} at {found.group(2)}" if found else str(exc)
        msg = f"Config file {file} is not valid TOML: {where}; fix that line."
        raise ConfigError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"Config file {file} is not UTF-8 text; save it as UTF-8."
        raise ConfigError(msg) from exc
    except OSError as exc:
        msg = f"Config file {file} cannot be read ({exc.strerror}); check that it is a readable file."
        raise ConfigError(msg) from exc


def refuse_in_file(data: Mapping[str, Any], file: Path | None) -> None:
    # A leading underscore would reach BaseSettings' own keyword arguments (e.g. _env_file).
    for key in data:
        if key.startswith("_"):
            msg = f"Config file {file} has the unknown key '{key}' at the top level; remove it."
            raise ConfigError(msg)
    for table, key in _ENV_ONLY_SECRETS:
        section: Any = data
        for part in table:
            section = section.get(part) if isinstance(section, Mapping) else None
        if isinstance(section, Mapping) and key in section:
            env = ENV_PREFIX + "__".join((*table, key)).upper()
            msg = (
                f"Config file {file} sets {key} in [{'.'.join(table)}], but secrets never go in the file; "
                f"remove it and set the environment variable {env} instead."
            )
            raise ConfigError(msg)


_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected a text in quotes",
    "list_type": 'expected a list like ["a", "b"]',
    "dict_type": "expected a table of keys",
    "model_type": "expected a table of keys",
    "model_attributes_type": "expected a table of keys",
    "date_type": "expected a date like 2026-09-28",
    "date_parsing": "expected a date like 2026-09-28",
    "date_from_datetime_parsing": "expected a date like 2026-09-28",
    "date_from_datetime_inexact": "expected a date like 2026-09-28",
    "string_too_short": "expected a non-empty text",
}
_SCALARS = (str, int, float, bool, date)
_SECRET_KEYS = frozenset(key for _, key in _ENV_ONLY_SECRETS)


def describe(exc: ValidationError, file: Path | None) -> str:
    origin = f"{file} and the {ENV_PREFIX}* environment" if file else f"the {ENV_PREFIX}* environment"
    problems = "\n".join(f"- {_problem(error)}" for error in exc.errors(include_url=False))
    which = "this key" if problems.count("\n") == 0 else "these keys"
    return f"The configuration from {origin} is invalid; fix {which}:\n{problems}"


def _problem(error: ErrorDetails) -> str:
    loc = error["loc"]
    if not loc:  # a check across tables names the keys itself
        return _expected(error)
    if error["type"] == "extra_forbidden":
        where = f"in {_table(loc[:-1])}" if len(loc) > 1 else "at the top level"
        return f"unknown key '{loc[-1]}' {where}; remove it or check the spelling"
    if error["type"] == "missing":
        return f"{_location(loc)} is missing; add it"
    given = error.get("input")
    # A problem with a whole entry of an array of tables ([[calendar.school_holidays]]) names the entry.
    where = _table(loc) if loc and isinstance(loc[-1], int) and isinstance(given, Mapping) else _location(loc)
    text = f"{where}: {_expected(error)}"
    if isinstance(given, _SCALARS) and not (loc and loc[-1] in _SECRET_KEYS):
        text += f", got {given!r}"
    return text


def _expected(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "greater_than_equal":
        return f"expected a number of at least {ctx['ge']}"
    if kind == "less_than_equal":
        return f"expected a number of at most {ctx['le']}"
    if kind == "literal_error":
        return f"expected one of {ctx['expected']}"
    message = _EXPECTED.get(kind, error["msg"])
    return message[:1].lower() + message[1:]


def _location(loc: tuple[int | str, ...]) -> str:
    """``("daemon", "max_attempts")`` -> ``[daemon] max_attempts``, as the key is written in TOML."""
    names = [i for i, part in enumerate(loc) if isinstance(part, str)]
    if not names:
        return "the top level"
    last = names[-1]
    key = _key(loc[last]) + "".join(f" item {int(part) + 1}" for part in loc[last + 1 :])
    return f"{_table(loc[:last])} {key}" if last else key


def _table(parts: tuple[int | str, ...]) -> str:
    for i, part in enumerate(parts):
        if isinstance(part, int):
            rest = ".".join(_key(p) for p in parts[i + 1 :])
            return f"[[{'.'.join(_key(p) for p in parts[:i])}]] #{part + 1}" + (f" {rest}" if rest else "")
    return f"[{'.'.join(_key(p) for p in parts)}]"


def _key(part: int | str) -> str:
    text = str(part)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else f'"{text}"'
