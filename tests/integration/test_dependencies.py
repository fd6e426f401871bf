"""The dependency rules of design sections 1 and 7b, read from the source with ``ast``.

Inside ``engine/`` the layers are folders: ``core/`` (pure) <- ``app/`` <- ``reports/`` <- the faces
(``cli/``, ``daemon.py``) and ``bootstrap.py`` at the root; ``config/`` beside ``app``. ``errors.py`` is
shared by all. The adapters (``storage/``, ``notifiers/``) import the core, the ports and the
configuration, never each other. Only the composition root imports ``workflows``, and the workflow packs
import only the core's definition types (and pydantic). Every import counts, including those under
``if TYPE_CHECKING:`` and inside functions: a lazy import is still a dependency.
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
E = "aktivitetsplikt.engine"
ERRORS = f"{E}.errors"
# What each layer of the engine may import from the project (besides itself).
LAYERS: dict[str, tuple[str, ...]] = {
    "core": (f"{E}.core", ERRORS),
    "config": (f"{E}.core", f"{E}.config", ERRORS),
    "app": (f"{E}.core", f"{E}.config", f"{E}.app", ERRORS),
    "reports": (f"{E}.core", f"{E}.config", f"{E}.app", f"{E}.reports", ERRORS),
}
ADAPTERS_MAY_IMPORT = (f"{E}.core", f"{E}.app.ports", f"{E}.config", ERRORS)
COMPOSITION_ROOT = ("engine/bootstrap.py",)
NO_IO_LIBRARIES = ("sqlalchemy", "alembic", "structlog", "typer", "rich", "jinja2", "psycopg", "httpx", "smtplib")
# A pack declares its workflow with the core's definition types and raises the engine's own errors.
WORKFLOWS_MAY_IMPORT = (
    "aktivitetsplikt.workflows",
    *(
        f"{E}.core.{m}"
        for m in (
            "spec",
            "documents",
            "rules",
            "pack",
            "audit_profile",
            "dossier_layout",
            "access_profile",
            "calendar",
            "tour",
        )
    ),
    ERRORS,
)
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


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def layered() -> list[tuple[str, Path]]:
    return [(layer, path) for layer in LAYERS for path in sources(f"engine/{layer}")]


def project_imports(path: Path) -> list[str]:
    return sorted(m for m in imports_of(path) if m.startswith("aktivitetsplikt"))


class TestLayers:
    def test_there_is_something_to_check(self) -> None:
        """Every layer folder has modules, so no rule below can pass vacuously."""
        found = {layer for layer, _ in layered()}

        assert set(LAYERS) == found
        assert {"engine/core/decide.py", "engine/app/service.py", "engine/reports/audit/run.py"} <= {
            str(p.relative_to(ROOT)) for _, p in layered()
        }

    @pytest.mark.parametrize(("layer", "path"), layered(), ids=ids([p for _, p in layered()]))
    def test_a_layer_imports_only_the_layers_below_it(self, layer: str, path: Path) -> None:
        """core imports nothing above it; app sees core and config; reports see app; none sees a face."""
        offending = [m for m in project_imports(path) if not is_within(m, LAYERS[layer]) and m != E]

        assert [] == offending

    @pytest.mark.parametrize("path", sources("engine/core"), ids=ids(sources("engine/core")))
    def test_the_core_does_no_io(self, path: Path) -> None:
        """The pure core imports no database, logging, terminal, template or network library."""
        assert [] == sorted(m for m in imports_of(path) if is_within(m, NO_IO_LIBRARIES))

    def test_only_the_composition_root_imports_workflows_and_adapters(self) -> None:
        """Apart from bootstrap.py, the engine never names a workflow pack; the adapters only the faces use."""
        offending = [
            f"{rel}: {m}"
            for path in sources("engine")
            if (rel := str(path.relative_to(ROOT))) not in COMPOSITION_ROOT
            for m in project_imports(path)
            if is_within(m, ("aktivitetsplikt.workflows",))
            or (is_within(m, ("aktivitetsplikt.storage", "aktivitetsplikt.notifiers")) and "/cli/" not in rel)
        ]

        assert [] == offending


class TestNoCycles:
    def test_the_project_has_no_import_cycle(self) -> None:
        """No module imports, directly or through others, a module that imports it."""
        modules = {module_name(p): p for folder in PACKAGES for p in sources(folder)}
        graph = {
            name: {m for m in imports_of(path) if m in modules and m != name and not name.startswith(m + ".")}
            for name, path in modules.items()
        }
        # ``from package import submodule`` names both; the edge that matters is to the submodule.
        for name, targets in graph.items():
            graph[name] = {t for t in targets if not any(o.startswith(t + ".") for o in targets)}

        cycles: list[list[str]] = []
        state: dict[str, int] = {}

        def visit(node: str, trail: list[str]) -> None:
            state[node] = 1
            for nxt in sorted(graph[node]):
                if state.get(nxt) == 1:
                    cycles.append([*trail[trail.index(nxt) :], nxt])
                elif nxt not in state:
                    visit(nxt, [*trail, nxt])
            state[node] = 2

        for start in sorted(graph):
            if start not in state:
                visit(start, [start])

        assert [] == cycles


class TestWorkflows:
    @pytest.mark.parametrize("path", sources("workflows"), ids=ids(sources("workflows")))
    def test_workflows_import_only_definition_types_and_pydantic(self, path: Path) -> None:
        """A workflow pack is data and rules: the core's definition types, pydantic and the stdlib only."""
        offending = sorted(
            m
            for m in imports_of(path)
            if not is_within(m, WORKFLOWS_MAY_IMPORT)
            and (m.startswith("aktivitetsplikt") or not (is_stdlib(m) or is_within(m, THIRD_PARTY_FOR_WORKFLOWS)))
        )

        assert [] == offending


class TestAdapters:
    @pytest.mark.parametrize("path", sources("storage"), ids=ids(sources("storage")))
    def test_storage_imports_core_ports_and_config_only(self, path: Path) -> None:
        """The storage adapter knows engine types and ports, never the notifiers or the application."""
        offending = [
            m
            for m in project_imports(path)
            if not is_within(m, ("aktivitetsplikt.storage", *ADAPTERS_MAY_IMPORT)) and m != E
        ]
        assert [] == offending

    @pytest.mark.parametrize("path", sources("notifiers"), ids=ids(sources("notifiers")))
    def test_notifiers_import_core_ports_and_config_only(self, path: Path) -> None:
        """The notifiers know engine types and ports, never the storage, SQLAlchemy or the application."""
        offending = [
            m
            for m in project_imports(path)
            if not is_within(m, ("aktivitetsplikt.notifiers", *ADAPTERS_MAY_IMPORT)) and m != E
        ]
        offending += sorted(m for m in imports_of(path) if is_within(m, ("sqlalchemy", "alembic")))
        assert [] == offending


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


HTTP_LIBRARIES = ("fastapi", "starlette", "uvicorn", "jwt", "prometheus_client")


class TestHttpFace:
    def test_only_the_http_face_imports_the_web_stack(self) -> None:
        """FastAPI, uvicorn, PyJWT and prometheus-client are the http extra: the library never needs them."""
        offending = [
            f"{rel}: {m}"
            for folder in PACKAGES
            for path in sources(folder)
            if not (rel := str(path.relative_to(ROOT))).startswith("engine/http/")
            for m in sorted(imports_of(path))
            if is_within(m, HTTP_LIBRARIES) and rel != "engine/cli/serve.py"
        ]

        assert [] == offending

    def test_the_http_face_reaches_the_adapters_only_through_bootstrap(self) -> None:
        """engine/http/ imports no storage or notifier module: readiness comes from bootstrap.schema_status."""
        offending = [
            f"{path.relative_to(ROOT)}: {m}"
            for path in sources("engine/http")
            for m in project_imports(path)
            if is_within(m, ("aktivitetsplikt.storage", "aktivitetsplikt.notifiers", "aktivitetsplikt.workflows"))
        ]

        assert sources("engine/http") and [] == offending
