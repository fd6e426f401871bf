"""Configuration: defaults, config.toml, environment overrides and refusals (spec sections 4 and 10)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest

from aktivitetsplikt.engine.bootstrap import builtin_registry
from aktivitetsplikt.engine.config.settings import CalendarSettings, Settings, load_settings
from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.policy import Policy, Unit
from aktivitetsplikt.engine.errors import ConfigError
from tests.units_support import KINDERGARTEN

REPO_CONFIG = Path(__file__).parents[2] / "config.toml"

SPEC_DEADLINES = {
    "aktivitetsplikt": {
        "notify_principal": "1sd",
        "notify_school_owner": "1sd",
        "start_investigation": "2sd",
        "conclude_investigation": "10sd",
        "adopt_plan": "5sd",
        "max_evaluation_interval": "6w",
        "assess_seriousness": "1sd",
        "revise_plan": "5sd",
    },
    "skjerpa_aktivitetsplikt": {
        "notify_principal": "4h",
        "notify_school_owner": "4h",
        "start_investigation": "1sd",
        "conclude_investigation": "5sd",
        "adopt_plan": "2sd",
        "max_evaluation_interval": "4w",
        "assess_seriousness": "4h",
        "revise_plan": "5sd",
    },
}

KINDERGARTEN_DEADLINES = {
    "barnehage_aktivitetsplikt": {
        "notify_director": "1wd",
        "notify_owner": "1wd",
        "start_investigation": "2wd",
        "conclude_investigation": "10wd",
        "adopt_plan": "5wd",
        "max_evaluation_interval": "6w",
    },
    "skjerpa_barnehage_aktivitetsplikt": {
        "notify_director": "4h",
        "notify_owner": "4h",
        "start_investigation": "1wd",
        "conclude_investigation": "5wd",
        "adopt_plan": "2wd",
        "max_evaluation_interval": "4w",
    },
}
"""The kindergarten packs' defaults: the schools' in working days (barnehageloven §§ 42 and 43)."""
BUILTIN_DEADLINES = SPEC_DEADLINES | KINDERGARTEN_DEADLINES

SCHOOL = """
[schools.hellerud]
name = "Hellerud videregående skole"
code = "HEL"
principal = "rektor@hellerud.example"
school_owner = "skoleeier@oslo.kommune.example"
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AKTIVITETSPLIKT_* variable of the developer's shell and no ./config.toml leak into a test."""
    for name in list(os.environ):
        if name.upper().startswith("AKTIVITETSPLIKT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test-config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def as_text(deadlines: Mapping[str, Mapping[str, Duration]]) -> dict[str, dict[str, str]]:
    return {workflow: {k: str(v) for k, v in d.items()} for workflow, d in deadlines.items()}


def policy(settings: Settings) -> Policy:
    """The policy the engine builds: the built-in packs' default deadlines with the config over them."""
    return settings.policy(builtin_registry().packs())


class TestDefaults:
    def test_deadlines_are_those_of_spec_section_4(self) -> None:
        """Without a file the deadlines of every workflow are its pack's defaults (the spec's for schools)."""
        expected = BUILTIN_DEADLINES
        assert expected == as_text(policy(load_settings()).deadlines)

    def test_other_defaults_are_those_of_spec_section_10(self) -> None:
        """Database, daemon, notifiers, links, calendar and escalation default to spec section 10."""
        settings = load_settings()
        expected = {
            "database": {"url": "sqlite:///aktivitetsplikt.db"},
            "daemon": {
                "sweep_every": "60s",
                "dispatch_every": "15s",
                "max_attempts": 8,
                "claim_lease": "5m",
                "batch_size": 200,
                "metrics_port": None,
                "metrics_host": "127.0.0.1",
            },
            "notifiers": {
                "channels": ["console"],
                "smtp": {
                    "host": "localhost",
                    "port": 25,
                    "sender": "aktivitetsplikt@skole.example",
                    "starttls": False,
                    "username": None,
                    "password": None,
                },
                "webhook": {"url": None, "secret": None},
                "templates_dir": None,
            },
            "links": {"case_url": "https://skole.example/saker/{id}"},
            "calendar": {"timezone": "Europe/Oslo", "school_holidays": []},
            "schools": {},
            "kindergartens": {},
            "escalation": {"remind_before": "1sd", "school_owner_after": "1sd"},
            "versions": {},
            "http": {
                "auth": {
                    "mode": "oidc",
                    "issuer": None,
                    "audience": None,
                    "jwks_url": None,
                    "algorithms": ["RS256", "ES256"],
                    "leeway_seconds": 30,
                    "id_claim": "sub",
                    "role_claim": None,
                    "groups_claim": "groups",
                    "groups": {},
                    "unit_claim": "school",
                    "unit_groups": {},
                    "dev_secret": None,
                },
                "metrics_token": None,
            },
            "access": {"it_admins": []},
            "retention": {},
            "archive": {"folder": None},
            "encryption": {"key": None, "old_keys": []},
            "checkpoint": {
                "every": None,
                "key_file": None,
                "key": None,
                "public_key_file": None,
                "folder": None,
                "webhook": False,
            },
        }
        assert expected == settings.model_dump(mode="json", exclude={"deadlines"})

    def test_no_file_means_no_config_path(self) -> None:
        """Built-in defaults only: config_path is None."""
        assert load_settings().config_path is None

    def test_deadline_lookup(self) -> None:
        """deadline() gives one configured duration."""
        expected = Duration(4, "h")
        assert expected == policy(load_settings()).deadline("skjerpa_aktivitetsplikt", "notify_principal")

    def test_default_deadlines_constant_matches_the_spec(self) -> None:
        """The built-in packs' default deadlines are the table of spec section 4 (and the kindergartens')."""
        expected = BUILTIN_DEADLINES
        assert expected == as_text({pack.id: pack.deadlines for pack in builtin_registry().packs()})


class TestRepoConfig:
    def test_loads_with_the_demo_school(self) -> None:
        """The repo's config.toml loads and configures Hellerud."""
        settings = load_settings(REPO_CONFIG)
        school = settings.school("hellerud")
        expected = ("Hellerud videregående skole", "HEL", "rektor@hellerud.example", REPO_CONFIG.resolve())
        assert expected == (school.name, school.code, school.principal, settings.config_path)

    def test_writes_out_the_spec_deadlines(self) -> None:
        """The repo's config.toml keeps the deadlines of spec section 4 (and the kindergartens')."""
        expected = BUILTIN_DEADLINES
        assert expected == as_text(load_settings(REPO_CONFIG).deadlines)

    def test_school_holidays_reach_the_calendar(self) -> None:
        """Påskeferie 2026 in config.toml makes Tue 31 March 2026 no school day."""
        calendar = load_settings(REPO_CONFIG).school_calendar()
        expected = (False, True)
        assert expected == (
            calendar.is_school_day(date(2026, 3, 31)),
            calendar.is_school_day(date(2026, 3, 27)),
        )

    def test_found_in_the_working_directory(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without a path, ./config.toml is loaded."""
        monkeypatch.chdir(REPO_CONFIG.parent)
        assert REPO_CONFIG.resolve() == load_settings().config_path

    def test_found_through_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without a path, AKTIVITETSPLIKT_CONFIG names the file."""
        monkeypatch.setenv("AKTIVITETSPLIKT_CONFIG", str(REPO_CONFIG))
        assert REPO_CONFIG.resolve() == load_settings().config_path


class TestPartialOverride:
    def test_skjerpa_override_keeps_the_other_skjerpa_defaults(self, tmp_path: Path) -> None:
        """[deadlines.skjerpa_aktivitetsplikt] adopt_plan = "3sd" changes only that key of that workflow."""
        path = write_config(tmp_path, '[deadlines.skjerpa_aktivitetsplikt]\nadopt_plan = "3sd"\n')
        expected = {
            **BUILTIN_DEADLINES,
            "skjerpa_aktivitetsplikt": {**SPEC_DEADLINES["skjerpa_aktivitetsplikt"]},
        }
        expected["skjerpa_aktivitetsplikt"]["adopt_plan"] = "3sd"
        assert expected == as_text(policy(load_settings(path)).deadlines)

    def test_a_deadline_the_pack_does_not_know_is_refused(self, tmp_path: Path) -> None:
        """[deadlines.<workflow>] is checked against the pack's own deadline names."""
        settings = load_settings(write_config(tmp_path, '[deadlines.aktivitetsplikt]\nadopt_plans = "3sd"\n'))
        expected = r"^\[deadlines\.aktivitetsplikt\] adopt_plans is not a deadline of aktivitetsplikt; use one of "
        with pytest.raises(ConfigError, match=expected):
            policy(settings)

    def test_a_section_overrides_only_its_keys(self, tmp_path: Path) -> None:
        """[daemon] max_attempts = 3 keeps the default intervals."""
        settings = load_settings(write_config(tmp_path, "[daemon]\nmax_attempts = 3\n"))
        expected = (Duration(60, "s"), 3)
        assert expected == (settings.daemon.sweep_every, settings.daemon.max_attempts)


class TestEnvOverride:
    def test_database_url_from_the_environment_wins_over_the_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AKTIVITETSPLIKT_DATABASE__URL overrides [database] url."""
        url = "postgresql+psycopg://aktivitetsplikt@db/aktivitetsplikt"
        monkeypatch.setenv("AKTIVITETSPLIKT_DATABASE__URL", url)
        path = write_config(tmp_path, '[database]\nurl = "sqlite:///other.db"\n')
        assert url == load_settings(path).database.url

    def test_duration_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A duration in the environment is text like in the file, nested keys joined by __."""
        monkeypatch.setenv("AKTIVITETSPLIKT_DEADLINES__SKJERPA_AKTIVITETSPLIKT__ADOPT_PLAN", "3sd")
        monkeypatch.setenv("AKTIVITETSPLIKT_DAEMON__SWEEP_EVERY", "30s")
        settings = load_settings()
        expected = (Duration(3, "sd"), Duration(4, "w"), Duration(30, "s"))
        actual = (
            policy(settings).deadline("skjerpa_aktivitetsplikt", "adopt_plan"),
            policy(settings).deadline("skjerpa_aktivitetsplikt", "max_evaluation_interval"),
            settings.daemon.sweep_every,
        )
        assert expected == actual

    def test_secrets_come_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The SMTP password and the webhook secret are read from their variables."""
        monkeypatch.setenv("AKTIVITETSPLIKT_NOTIFIERS__SMTP__PASSWORD", "hemmelig")
        monkeypatch.setenv("AKTIVITETSPLIKT_NOTIFIERS__WEBHOOK__SECRET", "nøkkel")
        notifiers = load_settings(REPO_CONFIG).notifiers
        assert notifiers.smtp.password is not None
        assert notifiers.webhook.secret is not None
        expected = ("hemmelig", "nøkkel")
        assert expected == (
            notifiers.smtp.password.get_secret_value(),
            notifiers.webhook.secret.get_secret_value(),
        )

    def test_list_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A list is given as JSON."""
        monkeypatch.setenv("AKTIVITETSPLIKT_NOTIFIERS__CHANNELS", '["console", "smtp"]')
        expected = ["console", "smtp"]
        assert expected == load_settings().notifiers.channels


class TestRefusals:
    def test_bad_duration(self, tmp_path: Path) -> None:
        """A duration that does not parse names its key and the expected format."""
        path = write_config(tmp_path, '[deadlines.aktivitetsplikt]\nnotify_principal = "1 day"\n')
        expected = r"\[deadlines\.aktivitetsplikt\] notify_principal: expected a duration like '4h', '3d' or '2sd'"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_unknown_key(self, tmp_path: Path) -> None:
        """A misspelt key is named with its table."""
        path = write_config(tmp_path, "[daemon]\nmax_atempts = 3\n")
        expected = r"unknown key 'max_atempts' in \[daemon\]; remove it or check the spelling"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_unknown_section(self, tmp_path: Path) -> None:
        """A misspelt table is named too."""
        path = write_config(tmp_path, "[deamon]\nmax_attempts = 3\n")
        with pytest.raises(ConfigError, match=r"unknown key 'deamon' at the top level"):
            load_settings(path)

    def test_too_few_attempts(self, tmp_path: Path) -> None:
        """max_attempts below 1 says what is expected and what was given."""
        path = write_config(tmp_path, "[daemon]\nmax_attempts = 0\n")
        expected = r"\[daemon\] max_attempts: expected a number of at least 1, got 0"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    @pytest.mark.parametrize(
        ("table", "key", "variable"),
        [
            ("notifiers.smtp", "password", "AKTIVITETSPLIKT_NOTIFIERS__SMTP__PASSWORD"),
            ("notifiers.webhook", "secret", "AKTIVITETSPLIKT_NOTIFIERS__WEBHOOK__SECRET"),
        ],
    )
    def test_secret_in_the_file(self, tmp_path: Path, table: str, key: str, variable: str) -> None:
        """A secret in the file is refused with the variable to move it to."""
        path = write_config(tmp_path, f'[{table}]\n{key} = "hemmelig"\n')
        expected = rf"sets {key} in \[{table}\], .* set the environment variable {variable} instead"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_bad_school_code(self, tmp_path: Path) -> None:
        """A school code must be 2-6 uppercase letters or digits."""
        path = write_config(tmp_path, SCHOOL.replace('"HEL"', '"hel"'))
        expected = r"\[schools\.hellerud\] code: expected 2 to 6 uppercase letters or digits, like 'HEL', got 'hel'"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_unknown_school(self, tmp_path: Path) -> None:
        """settings.school() of an unconfigured school says how to add it and lists the known ones."""
        settings = load_settings(write_config(tmp_path, SCHOOL))
        expected = r"Unknown school 'x'; add \[schools\.x\] to config\.toml \(known: hellerud\)\."
        with pytest.raises(ConfigError, match=expected):
            settings.school("x")

    def test_unknown_workflow_deadlines(self) -> None:
        """deadline() of a workflow without a section says what to add."""
        with pytest.raises(
            ConfigError, match=r"^Workflow 'mobbeombud' has no deadlines; add \[deadlines\.mobbeombud\]"
        ):
            policy(load_settings()).deadline("mobbeombud", "adopt_plan")

    def test_deadlines_of_a_workflow_no_pack_brings(self, tmp_path: Path) -> None:
        """[deadlines.<workflow>] for a workflow no pack brings is refused, naming the known ones."""
        settings = load_settings(write_config(tmp_path, '[deadlines.mobbeombud]\nadopt_plan = "3sd"\n'))
        expected = r"^\[deadlines\.mobbeombud\] names no known workflow; use one of: aktivitetsplikt, "
        with pytest.raises(ConfigError, match=expected):
            policy(settings)

    def test_school_holiday_ending_before_it_starts(self, tmp_path: Path) -> None:
        """A reversed school holiday is named."""
        text = '[[calendar.school_holidays]]\nname = "Høstferie"\nstart = 2026-10-02\nend = 2026-09-28\n'
        expected = r"\[\[calendar\.school_holidays\]\] #1: the school holiday 'Høstferie' ends \(2026-09-28\) before"
        with pytest.raises(ConfigError, match=expected):
            load_settings(write_config(tmp_path, text))

    def test_unknown_time_zone(self, tmp_path: Path) -> None:
        """The time zone must be a zoneinfo name."""
        path = write_config(tmp_path, '[calendar]\ntimezone = "Norway/Oslo"\n')
        expected = r"\[calendar\] timezone: expected a time zone name like 'Europe/Oslo', got 'Norway/Oslo'"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_case_url_without_id(self, tmp_path: Path) -> None:
        """The case link must have a place for the case id."""
        path = write_config(tmp_path, '[links]\ncase_url = "https://skole.example/saker"\n')
        with pytest.raises(ConfigError, match=r"\[links\] case_url: expected a URL containing \{id\}"):
            load_settings(path)

    def test_several_problems_at_once(self, tmp_path: Path) -> None:
        """Every bad key is listed, one per line."""
        path = write_config(tmp_path, '[daemon]\nmax_attempts = "many"\nsweep_every = 60\n')
        with pytest.raises(ConfigError) as caught:
            load_settings(path)
        expected = [
            "- [daemon] sweep_every: expected a duration like '4h', '3d' or '2sd', got 60",
            "- [daemon] max_attempts: expected a whole number, got 'many'",
        ]
        assert expected == caught.value.message.splitlines()[1:]

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist is refused."""
        path = tmp_path / "nowhere.toml"
        with pytest.raises(ConfigError, match=r"Config file .*nowhere\.toml does not exist; check the path"):
            load_settings(path)

    def test_missing_file_named_by_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A missing file named by AKTIVITETSPLIKT_CONFIG names the variable."""
        monkeypatch.setenv("AKTIVITETSPLIKT_CONFIG", "nowhere.toml")
        with pytest.raises(
            ConfigError, match=r"nowhere\.toml does not exist; check the path in AKTIVITETSPLIKT_CONFIG"
        ):
            load_settings()

    def test_invalid_toml(self, tmp_path: Path) -> None:
        """Invalid TOML names the file and the line."""
        path = write_config(tmp_path, "[daemon]\nmax_attempts = 3\nsweep_every = \n")
        expected = r"test-config\.toml is not valid TOML: Invalid value at line 3, column 15; fix that line"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)


class TestSchoolCalendar:
    def test_built_once_per_settings(self) -> None:
        """school_calendar() returns the same calendar each time."""
        settings = load_settings(REPO_CONFIG)
        assert settings.school_calendar() is settings.school_calendar()

    def test_rebuilt_for_a_copy_with_another_calendar(self) -> None:
        """A copy with a different [calendar] does not reuse the cached calendar."""
        settings = load_settings(REPO_CONFIG)
        settings.school_calendar()
        copy = settings.model_copy(update={"calendar": CalendarSettings()})
        expected = True
        assert expected == copy.school_calendar().is_school_day(date(2026, 3, 31))

    def test_uses_the_configured_zone(self, tmp_path: Path) -> None:
        """The calendar's zone is [calendar] timezone."""
        settings = load_settings(write_config(tmp_path, '[calendar]\ntimezone = "UTC"\n'))
        expected = "UTC"
        assert expected == settings.school_calendar().tz.key

    def test_settings_are_frozen(self) -> None:
        """Settings cannot be changed after loading (the cached calendar depends on them)."""
        settings = Settings()
        with pytest.raises(ValueError, match="frozen"):
            settings.calendar = settings.calendar


AUTUMN_BREAK = '[[calendar.school_holidays]]\nname = "Høstferie"\nstart = 2026-09-28\nend = 2026-10-02\n'


class TestKindergartens:
    def test_a_kindergarten_becomes_a_unit_of_its_kind(self, tmp_path: Path) -> None:
        """[kindergartens.<id>] becomes a kindergarten unit led by its director and owned by its owner."""
        settings = load_settings(write_config(tmp_path, SCHOOL + KINDERGARTEN))
        expected = Unit(
            id="solsikken",
            name="Solsikken barnehage",
            code="SOL",
            principal="styrer@solsikken.example",
            school_owner="eier@kommune.example",
            deputies=("assisterende@solsikken.example",),
            kind="kindergarten",
        )
        assert expected == policy(settings).unit("solsikken")

    def test_schools_stay_schools(self, tmp_path: Path) -> None:
        """A [schools.<id>] table beside a kindergarten keeps its kind and its head."""
        unit = policy(load_settings(write_config(tmp_path, SCHOOL + KINDERGARTEN))).unit("hellerud")
        assert ("school", "rektor@hellerud.example") == (unit.kind, unit.principal)

    def test_unit_finds_both_kinds(self, tmp_path: Path) -> None:
        """settings.unit() finds a school and a kindergarten, each with its staff table."""
        settings = load_settings(write_config(tmp_path, SCHOOL + KINDERGARTEN))
        kindergarten = settings.unit("solsikken")
        expected = ("Hellerud videregående skole", "styrer@solsikken.example", "pedagog03@solsikken.example")
        assert expected == (settings.unit("hellerud").name, kindergarten.head, kindergarten.staff["b-03"])

    def test_unknown_unit(self, tmp_path: Path) -> None:
        """settings.unit() of an unconfigured unit names both tables and the known units."""
        settings = load_settings(write_config(tmp_path, SCHOOL + KINDERGARTEN))
        expected = (
            r"^Unknown school or kindergarten 'x'; add \[schools\.x\] or \[kindergartens\.x\] to config\.toml "
            r"\(known: hellerud, solsikken\)\.$"
        )
        with pytest.raises(ConfigError, match=expected):
            settings.unit("x")

    def test_closed_days_make_the_kindergartens_calendar(self, tmp_path: Path) -> None:
        """The kindergarten is closed on its planning day and open in the schools' autumn break."""
        calendar = policy(load_settings(write_config(tmp_path, KINDERGARTEN + AUTUMN_BREAK))).calendar_of("solsikken")
        expected = (False, True)
        assert expected == (calendar.is_school_day(date(2026, 9, 8)), calendar.is_school_day(date(2026, 9, 28)))

    def test_a_school_keeps_the_school_calendar(self, tmp_path: Path) -> None:
        """A school counts on [calendar]: closed in the autumn break, open on the kindergarten's planning day."""
        settings = load_settings(write_config(tmp_path, SCHOOL + KINDERGARTEN + AUTUMN_BREAK))
        calendar = policy(settings).calendar_of("hellerud")
        expected = (True, False, True)
        assert expected == (
            calendar is settings.school_calendar(),
            calendar.is_school_day(date(2026, 9, 28)),
            calendar.is_school_day(date(2026, 9, 8)),
        )

    def test_working_day_deadlines_are_accepted(self, tmp_path: Path) -> None:
        """A deadline may be written in working days."""
        settings = load_settings(write_config(tmp_path, '[deadlines.aktivitetsplikt]\nadopt_plan = "5wd"\n'))
        expected = Duration(5, "wd")
        assert expected == policy(settings).deadline("aktivitetsplikt", "adopt_plan")

    def test_a_director_is_required(self, tmp_path: Path) -> None:
        """A kindergarten without a director is refused naming the key."""
        path = write_config(tmp_path, KINDERGARTEN.replace('director = "styrer@solsikken.example"\n', ""))
        with pytest.raises(ConfigError, match=r"- \[kindergartens\.solsikken\] director is missing; add it"):
            load_settings(path)

    def test_closed_days_ending_before_they_start(self, tmp_path: Path) -> None:
        """A reversed closed period is named by its entry."""
        path = write_config(tmp_path, KINDERGARTEN.replace("end = 2026-09-04", "end = 2026-09-02"))
        expected = (
            r"- \[\[kindergartens\.solsikken\.closed_days\]\] #1: the closed period 'Planleggingsdager' ends "
            r"\(2026-09-02\) before it starts \(2026-09-03\); fix the dates"
        )
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_an_id_used_by_a_school_and_a_kindergarten(self, tmp_path: Path) -> None:
        """An id names one unit: the kindergarten that reuses a school's id is named."""
        path = write_config(tmp_path, SCHOOL + KINDERGARTEN.replace("solsikken", "hellerud"))
        expected = (
            r"- \[kindergartens\.hellerud\] has the id of \[schools\.hellerud\]; "
            r"give each school and kindergarten its own id$"
        )
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_two_schools_with_one_code_are_refused_at_load(self, tmp_path: Path) -> None:
        """Issue 12: the second school could never open a case (its numbers were the first's); now the
        configuration is refused at load, naming both schools."""
        furuset = SCHOOL.replace("hellerud", "furuset").replace("Hellerud", "Furuset")
        path = write_config(tmp_path, SCHOOL + furuset)
        expected = r"\[schools\.furuset\] code: 'HEL' is already the code of \[schools\.hellerud\]"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_a_code_used_by_a_school_and_a_kindergarten(self, tmp_path: Path) -> None:
        """A case-number code names one unit: the kindergarten that reuses a school's code is named."""
        path = write_config(tmp_path, SCHOOL + KINDERGARTEN.replace('"SOL"', '"HEL"'))
        expected = r"- \[kindergartens\.solsikken\] code: 'HEL' is already the code of \[schools\.hellerud\]"
        with pytest.raises(ConfigError, match=expected):
            load_settings(path)

    def test_the_environment_reaches_a_kindergarten(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """AKTIVITETSPLIKT_KINDERGARTENS__<ID>__DIRECTOR overrides the file."""
        monkeypatch.setenv("AKTIVITETSPLIKT_KINDERGARTENS__SOLSIKKEN__DIRECTOR", "ny-styrer@solsikken.example")
        settings = load_settings(write_config(tmp_path, KINDERGARTEN))
        expected = "ny-styrer@solsikken.example"
        assert expected == settings.unit("solsikken").head
