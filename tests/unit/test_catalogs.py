"""The gettext catalogs: every message id of the code translated in bokmål and nynorsk, the shipped .mo
files compiled from the .po files, and the placeholders kept."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from aktivitetsplikt.engine.core import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "engine" / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "translate": None, "translate_plural": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
EXTRA = {"%(whose)s own voice is missing in «%(step)s» (event %(seq)s).": {"pupil"}}
"""Placeholders the code passes beyond those of the id: nynorsk says "the own voice of the pupil" where
English and bokmål use a genitive (``whose``)."""


def code_ids() -> set[str | tuple[str, str]]:
    """Every message id the code marks (the keywords of babel.cfg's extraction)."""
    found: set[str | tuple[str, str]] = set()
    for folder in ("engine", "notifiers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


@pytest.fixture(scope="module")
def ids() -> set[str | tuple[str, str]]:
    return code_ids()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
class TestCatalog:
    def po(self, lang: str) -> Path:
        return LOCALE / lang / "LC_MESSAGES" / "aktivitetsplikt.po"

    def test_every_message_is_translated(self, lang: str, ids: set[str | tuple[str, str]]) -> None:
        with self.po(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        translated = {
            m.id if isinstance(m.id, str) else tuple(m.id)
            for m in catalog
            if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
        }
        assert [] == sorted(map(str, ids - translated))
        assert [] == sorted(map(str, translated - ids)), "obsolete ids: drop them from the catalog"

    def test_placeholders_are_kept(self, lang: str) -> None:
        """A translation uses only the placeholders of its id (it may leave one out: nynorsk word order)."""
        with self.po(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        wrong = []
        for message in catalog:
            if not message.id:
                continue
            source = "".join(message.id) if isinstance(message.id, tuple) else message.id
            target = "".join(message.string) if isinstance(message.string, tuple) else message.string
            if not set(PLACEHOLDER.findall(target)) <= set(PLACEHOLDER.findall(source)) | EXTRA.get(source, set()):
                wrong.append(source)
        assert [] == wrong

    def test_the_shipped_mo_is_compiled_from_the_po(self, lang: str) -> None:
        """``pybabel compile -d engine/locale -D aktivitetsplikt`` after editing a .po file."""
        with self.po(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        expected = gettext.GNUTranslations(compiled)
        with self.po(lang).with_suffix(".mo").open("rb") as handle:
            shipped = gettext.GNUTranslations(handle)
        assert expected._catalog == shipped._catalog  # type: ignore[attr-defined]

    def test_the_installed_package_finds_it(self, lang: str) -> None:
        assert isinstance(i18n.catalog(lang), gettext.GNUTranslations)  # type: ignore[arg-type]
        assert "Sak" == i18n.translate("Case", lang)  # type: ignore[arg-type]
