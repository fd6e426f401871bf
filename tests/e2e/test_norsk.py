"""Norwegian all the way (issue 14): what a person reads from the CLI, in bokmål and nynorsk.

The demo runs as a subprocess in each language, then ``case show``, ``cases``, ``agenda``, ``audit``,
``outbox`` and two refusals run against the database it leaves; none of what they print may name a
trigger id, a role id, a class name or an English word.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from aktivitetsplikt.engine import builtin_registry
from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.e2e

REGISTRY = builtin_registry()
TRIGGERS = {t.trigger for spec in REGISTRY.versions() for t in spec.transitions} | {"escalate", "escalated"}
ROLES = {role for pack in REGISTRY.packs() for role in pack.label("nb").roles} | {"it_admin"}
ENGLISH = {
    "the", "and", "is", "not", "of", "was", "has", "case", "cases", "step", "steps", "state", "deadline",
    "deadlines", "reminder", "notice", "escalated", "escalation", "staff", "system", "level", "overdue", "none",
    "error", "refused", "sweep", "sveip", "waiting", "failed", "late", "closed", "yes", "opened",
}  # fmt: skip
"""English words that are no Norwegian words ("for", "sent", "open" and nynorsk "no" are)."""
CAMEL_CASE = re.compile(r"\b[A-Z][a-z]+[A-Z][A-Za-z]*\b")
WORD = re.compile(r"[^\W\d]+(?:_[^\W\d]+)*")
ADDRESS = re.compile(r"\S+@\S+|/\S+|\b[0-9a-f]{8}-[0-9a-f-]+\S*|«aktivitetsplikt [^»]*»")
"""What is not prose: addresses, paths, ids, a command to run."""


@dataclass(frozen=True)
class Demo:
    lang: str
    out: str
    config: Path


def _demo(lang: str, folder: Path) -> Demo:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
    env["TMPDIR"] = str(folder)
    result = subprocess.run(
        [sys.executable, "-m", "aktivitetsplikt.engine.cli", "--lang", lang, "demo"],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    match = re.search(r"AKTIVITETSPLIKT_CONFIG=(\S+)", result.stdout)
    assert match is not None
    return Demo(lang, result.stdout, Path(match.group(1)))


@pytest.fixture(scope="module", params=["nb", "nn"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return _demo(request.param, tmp_path_factory.mktemp(f"demo-{request.param}"))


def offending(text: str) -> list[str]:
    """Every id, class name or English word in ``text`` that a person should not read."""
    prose = ADDRESS.sub(" ", text)
    words = WORD.findall(prose)
    found = [w for w in words if w in TRIGGERS or w in ROLES or w.lower() in ENGLISH]
    return found + CAMEL_CASE.findall(prose)


def screens(demo: Demo) -> dict[str, str]:
    """What each command prints for a person (stdout and stderr), in the demo's language."""
    lang = ("--lang", demo.lang)
    empty = demo.config.parent / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    runs = {
        "case show": run_cli(demo.config, *lang, "case", "show", "HEL-2026-0001"),
        "case show stuck": run_cli(demo.config, *lang, "case", "show", "HEL-2026-0002"),
        "cases": run_cli(demo.config, *lang, "cases"),
        "cases --stuck": run_cli(demo.config, *lang, "cases", "--stuck"),
        "agenda": run_cli(demo.config, *lang, "agenda"),
        "audit": run_cli(demo.config, *lang, "audit", "--school-year", "2026-2027"),
        "outbox": run_cli(demo.config, *lang, "outbox"),
        "not found": run_cli(demo.config, *lang, "case", "show", "HEL-2099-0001", check=3),
        "refused": run_cli(
            demo.config,
            *lang,
            "case",
            "fire",
            "HEL-2026-0002",
            "evaluate",
            "--doc",
            str(empty),
            "--actor-id",
            "rektor",
            "--actor-role",
            "principal",
            check=1,
        ),
    }
    return {name: run.stdout + run.stderr for name, run in runs.items()}


class TestWhatAPersonReads:
    def test_the_demo(self, demo: Demo) -> None:
        """The tour up to the commands it suggests (those are commands, not prose)."""
        tour = demo.out[: demo.out.index("export AKTIVITETSPLIKT_CONFIG")]
        assert [] == offending(tour)
        other = ("ikke", "høstferien", "påminnelse") if demo.lang == "nn" else ("ikkje", "haustferien", "påminning")
        assert [] == [word for word in other if word in tour]

    def test_the_commands_and_the_errors(self, demo: Demo) -> None:
        shown = screens(demo)

        assert {name: [] for name in shown} == {name: offending(text) for name, text in shown.items()}
        assert shown["not found"].startswith("Feil: ")
        assert shown["refused"].startswith("Avvist: ")

    def test_the_language_is_the_one_asked_for(self, demo: Demo) -> None:
        """Nynorsk where nynorsk was asked for: its own words, its own weekdays."""
        shown = "\n".join(screens(demo).values())
        nynorsk = ("Moglege steg no", "skuledagar", "Inga sak har", "Kven")
        bokmaal = ("Mulige steg nå", "skoledager", "Ingen sak har", "Hvem")
        assert all(w in shown for w in (nynorsk if demo.lang == "nn" else bokmaal))
        assert not any(w in shown for w in (bokmaal if demo.lang == "nn" else nynorsk))

    def test_the_suggested_commands_run_from_this_environment(self, demo: Demo) -> None:
        """The demo ends with commands that work without activating the virtual environment."""
        suggested = [line.strip() for line in demo.out.splitlines() if "aktivitetsplikt" in line and " cases" in line]
        assert suggested
        program = suggested[0].split(" cases")[0].split()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
        env["AKTIVITETSPLIKT_CONFIG"] = str(demo.config)
        env["PATH"] = "/usr/bin:/bin"  # no venv on the PATH
        result = subprocess.run(
            [*program, "cases", "--stuck"], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert 0 == result.returncode, result.stderr
        assert "HEL-2026-0002" in result.stdout


class TestConventions:
    def test_version(self, tmp_path: Path) -> None:
        from importlib.metadata import version

        result = run_cli(tmp_path / "none.toml", "--version")
        assert f"aktivitetsplikt {version('aktivitetsplikt')}\n" == result.stdout

    def test_help_shows_the_config_table(self, tmp_path: Path) -> None:
        """Rich markup no longer eats ``[schools.*]``."""
        result = run_cli(tmp_path / "none.toml", "case", "report", "--help", env={"COLUMNS": "200"})
        assert "[schools.*]" in result.stdout

    def test_completion_is_offered(self, tmp_path: Path) -> None:
        result = run_cli(tmp_path / "none.toml", "--help", env={"COLUMNS": "200"})
        assert "--install-completion" in result.stdout

    def test_an_unknown_language_is_a_usage_error(self, tmp_path: Path) -> None:
        result = run_cli(tmp_path / "none.toml", "--lang", "en", "workflow", "list", check=2)
        assert "nb (bokmål) eller nn (nynorsk)" in result.stderr
