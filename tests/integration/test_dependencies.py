"""The dependency rule of design section 1, read from the source with ``ast``.

``workflows/`` imports only the engine's spec and documentation types (and pydantic). The engine core
(``engine/`` minus the composition root and the entry points) imports neither storage, notifiers nor
SQLAlchemy. ``storage/`` and ``notifiers/`` never import each other. Every import counts, including
those under ``if TYPE_CHECKING:`` and inside functions: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "engine": "aktivitetsplikt.engine",
    "workflows": "aktivitetsplikt.workflows",
    "storage": "aktivitetsplikt.storage",
    "notifiers": "aktivitetsplikt.notifiers",
}
# The composition root and the entry points (the CLI with its command modules, the daemon, the demo tour).
OUTWARD_FACES = {"bootstrap.py", "cli.py", "cli_reports.py", "cli_export.py", "daemon.py", "demo.py", "views.py"}
FORBIDDEN_IN_CORE = ("aktivitetsplikt.storage", "aktivitetsplikt.notifiers", "sqlalchemy", "alembic")
WORKFLOWS_MAY_IMPORT = ("aktivitetsplikt.workflows", "aktivitetsplikt.engine.spec", "aktivitetsplikt.engine.documents")
THIRD_PARTY_FOR_WORKFLOWS = ("pydantic",)


def module_name(path: Path) -> str:
    folder = path.relative_to(ROOT).parts[0]
    parts = [PACKAGES[folder], *path.relative_to(ROOT / folder).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved; ``from a import b`` also yields a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def is_within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def is_stdlib(module: str) -> bool:
    return module.partition(".")[0] in sys.stdlib_module_names


def sources(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def core_sources() -> list[Path]:
    engine = [p for p in sources("engine") if p.name not in OUTWARD_FACES]
    return engine + sources("workflows")


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


class TestEngineCore:
    def test_there_is_something_to_check(self) -> None:
        """The scan finds the engine core and the workflows (the rule cannot pass vacuously)."""
        names = set(ids(core_sources()))

        assert {"engine/service.py", "engine/decide.py", "workflows/_common.py"} <= names
        assert set() == names & {f"engine/{face}" for face in OUTWARD_FACES}

    @pytest.mark.parametrize("path", core_sources(), ids=ids(core_sources()))
    def test_core_imports_no_adapter_and_no_sqlalchemy(self, path: Path) -> None:
        """The engine core and the workflows talk to storage and notifiers only through the ports."""
        offending = sorted(m for m in imports_of(path) if is_within(m, FORBIDDEN_IN_CORE))

        assert [] == offending


class TestWorkflows:
    @pytest.mark.parametrize("path", sources("workflows"), ids=ids(sources("workflows")))
    def test_workflows_import_only_spec_documents_and_pydantic(self, path: Path) -> None:
        """A workflow is data: it needs the spec and documentation types, pydantic and the stdlib only."""
        offending = sorted(
            m
            for m in imports_of(path)
            if not is_within(m, WORKFLOWS_MAY_IMPORT)
            and (m.startswith("aktivitetsplikt") or not (is_stdlib(m) or is_within(m, THIRD_PARTY_FOR_WORKFLOWS)))
        )

        assert [] == offending


class TestAdapters:
    @pytest.mark.parametrize("path", sources("storage"), ids=ids(sources("storage")))
    def test_storage_never_imports_notifiers(self, path: Path) -> None:
        """The storage adapter knows engine types, never the notifiers."""
        assert [] == sorted(m for m in imports_of(path) if is_within(m, ("aktivitetsplikt.notifiers",)))

    @pytest.mark.parametrize("path", sources("notifiers"), ids=ids(sources("notifiers")))
    def test_notifiers_never_import_storage(self, path: Path) -> None:
        """The notifiers know engine types, never the storage or SQLAlchemy."""
        forbidden = ("aktivitetsplikt.storage", "sqlalchemy", "alembic")
        assert [] == sorted(m for m in imports_of(path) if is_within(m, forbidden))


class TestImportTime:
    def test_the_cli_does_not_import_sqlalchemy_at_import_time(self) -> None:
        """Importing the CLI module leaves SQLAlchemy unloaded, so --help starts quickly."""
        code = "import aktivitetsplikt.engine.cli, sys; assert 'sqlalchemy' not in sys.modules, 'sqlalchemy loaded'"

        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)

        assert (0, "") == (result.returncode, result.stderr)

    def test_the_public_api_does_not_import_sqlalchemy_at_import_time(self) -> None:
        """Importing aktivitetsplikt.engine and its error types leaves SQLAlchemy unloaded."""
        code = (
            "import sys; from aktivitetsplikt.engine import Actor, AktivitetspliktError, FixedClock; "
            "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy loaded'"
        )

        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)

        assert (0, "") == (result.returncode, result.stderr)
