"""The gettext catalogs of the texts people read, in bokmål (``nb``, the default) and nynorsk (``nn``).

Message ids are English; ``engine/locale/<lang>/LC_MESSAGES/aktivitetsplikt.po`` translates them and
the compiled ``.mo`` beside it ships in the package (``pybabel compile -d engine/locale -D aktivitetsplikt``
after editing a ``.po``; a test checks that every id is translated in both and that the ``.mo`` files
are current). Reading the catalogs is reading the package's own data, like Babel's locale data.

Mark a text with :func:`_` where it is shown, or with :func:`N_` where it is defined (a table of words at
module level) and translate it with :func:`_` when shown. The language of :func:`_` is the one of
:func:`use` (a context variable: the CLI sets it once per call); :func:`translate` takes it explicitly
(a mail in the recipient school's language).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal

Language = Literal["nb", "nn"]
LANGUAGES: tuple[Language, ...] = ("nb", "nn")
DEFAULT: Language = "nb"
DOMAIN = "aktivitetsplikt"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_current: ContextVar[Language] = ContextVar("aktivitetsplikt_language", default=DEFAULT)


def language(value: str | None) -> Language:
    """``value`` as a language of the catalogs; None or an unknown value gives the default."""
    return value if value in LANGUAGES else DEFAULT


@cache
def catalog(lang: Language) -> gettext.NullTranslations:
    """The compiled catalog of ``lang``; without one (a broken install) texts stay as their ids."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def current() -> Language:
    return _current.get()


def set_language(lang: Language) -> None:
    """Make ``lang`` the language of :func:`_` from now on (the CLI, once per call)."""
    _current.set(lang)


@contextmanager
def use(lang: Language) -> Iterator[None]:
    """Make ``lang`` the language of :func:`_` inside the block."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def translate(message: str, lang: Language) -> str:
    return catalog(lang).gettext(message)


def translate_plural(singular: str, plural: str, count: int, lang: Language) -> str:
    return catalog(lang).ngettext(singular, plural, count)


def _(message: str) -> str:
    """``message`` in the current language."""
    return translate(message, _current.get())


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    return translate_plural(singular, plural, count, _current.get())


def N_(message: str) -> str:
    """Marks ``message`` for the catalogs where it is defined; :func:`_` translates it when shown."""
    return message
