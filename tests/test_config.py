"""`db-ssot.json`: the pydantic model and the friendly loader (line, column, suggestion)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemasync.config import (
    SsotConfig,
    check_relative_path,
    default_config_text,
    load_config,
    pick_environment,
)
from schemasync.errors import ConfigError, ExitCode

EXAMPLE = Path(__file__).resolve().parent.parent / "examples/shop/docs/project/db-ssot.json"


def test_example_config_is_valid() -> None:
    config = load_config(EXAMPLE.read_text())
    assert config.mode == "database"
    assert config.environments["prod"].confirm is True
    assert config.environments["prod"].url_env == "PROD_DATABASE_URL"
    assert config.layers.repositories == ("src/repositories/**",)


def test_everything_but_mode_has_defaults() -> None:
    config = load_config('{"mode": "database"}')
    assert config.prisma_schema == "prisma/schema.prisma"
    assert set(config.environments) == {"dev", "staging", "prod"}
    # one app (`src/`) and monorepos (`apps/<app>/src/`, `packages/<package>/src/`)
    assert config.layers.business == (
        "src/domain/**",
        "src/services/**",
        "apps/*/src/domain/**",
        "apps/*/src/services/**",
        "packages/*/src/domain/**",
        "packages/*/src/services/**",
    )
    assert config.layers.repositories == (
        "src/repositories/**",
        "apps/*/src/repositories/**",
        "packages/*/src/repositories/**",
    )
    assert config.layers.require_repository_mapping is False
    assert config.layers.models_without_repository == ()


def test_default_config_text_round_trips() -> None:
    text = default_config_text("database")
    assert load_config(text) == SsotConfig(mode="database")
    assert "urlEnv" in json.loads(text)["environments"]["dev"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{\n  "mode": "database",\n  "prismaSchem": "x"\n}',
            "db-ssot.json:3:3: unknown key 'prismaSchem'; did you mean 'prismaSchema'?",
        ),
        (
            '{\n  "mode": "database",\n  "environments": {\n    "dev": {"urlENV": "X"}\n  }\n}',
            "db-ssot.json:4:13: unknown key 'environments.dev.urlENV'; did you mean 'urlEnv'?",
        ),
        ('{"mode": "database", "layers": {"busines": []}}', "did you mean 'business'?"),
        (
            '{"mode": "database", "zzz": 1}',
            "known keys: mode, environments, prismaSchema, ddlSchema, layers",
        ),
        (
            '{"mode": "database", "environments": {"production": {}}}',
            "unknown environment 'production'; did you mean 'prod'?",
        ),
        (
            '{"mode": "databse"}',
            "db-ssot.json:1:2: mode: unknown mode 'databse'; did you mean 'database'?",
        ),
        ("{}", "missing required key 'mode'"),
        ('{"mode": "database", "prismaSchema": 3}', "prismaSchema: Input should be a valid string"),
        (
            '{"mode": "database", "layers": {"business": "src/**"}}',
            "layers.business: Input should be a list",
        ),
        ('{"mode": "database", "environments": {"dev": {"confirm": 1}}}', "a valid boolean"),
        (
            '{"mode": "database", "environments": {"dev": {"urlEnv": "postgres://u:p@h/d"}}}',
            "never a URL",
        ),
        ("", "db-ssot.json:1:1: the file is empty"),
        ("   \n", "the file is empty"),
        ('{"mode": "database",}', "db-ssot.json:1:21: not valid JSON"),
        ("[]", "expected a JSON object"),
        ('"database"', "expected a JSON object"),
    ],
)
def test_bad_config_is_one_clear_line(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(text, "docs/project/db-ssot.json")
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert info.value.exit_code == ExitCode.USAGE
    assert "postgres://u:p@h/d" not in message


@pytest.mark.parametrize(
    "path", ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\b", "", " x", "prisma/../../s"]
)
def test_unsafe_relative_paths(path: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        check_relative_path(path)


@pytest.mark.parametrize("path", ["prisma/schema.prisma", "prisma/schema", "src/**", "a/./b"])
def test_safe_relative_paths(path: str) -> None:
    check_relative_path(path)


def test_pick_environment_suggests() -> None:
    config = load_config('{"mode": "database"}')
    assert pick_environment(config, "staging").url_env == "STAGING_DATABASE_URL"
    with pytest.raises(ConfigError, match="did you mean 'prod'"):
        pick_environment(config, "prd")
    only_dev = load_config('{"mode": "database", "environments": {"dev": {}}}')
    with pytest.raises(ConfigError, match=r"configured in docs/project/db-ssot\.json: dev"):
        pick_environment(only_dev, "prod")


def test_layer_mapping_keys() -> None:
    config = load_config(
        '{"mode": "database", "layers": {"requireRepositoryMapping": true, '
        '"modelsWithoutRepository": ["AuditLog"]}}'
    )
    assert config.layers.require_repository_mapping is True
    assert config.layers.models_without_repository == ("AuditLog",)
    assert config.layers.repositories[0] == "src/repositories/**"  # other keys keep defaults


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"mode": "database", "layers": {"requireRepositoryMaping": true}}',
            "unknown key 'layers.requireRepositoryMaping'; "
            "did you mean 'requireRepositoryMapping'?",
        ),
        (
            '{"mode": "database", "layers": {"unmappedModels": ["A"]}}',
            "known keys: business, repositories, requireRepositoryMapping, modelsWithoutRepository",
        ),
        (
            '{"mode": "database", "layers": {"requireRepositoryMapping": "yes"}}',
            "layers.requireRepositoryMapping: Input should be a valid boolean",
        ),
    ],
)
def test_bad_layer_mapping_keys(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(text)
    assert expected in info.value.message


def test_init_config_shows_the_mapping_switch() -> None:
    layers = json.loads(default_config_text("database"))["layers"]
    assert layers["requireRepositoryMapping"] is False
    assert layers["modelsWithoutRepository"] == []
    assert "apps/*/src/repositories/**" in layers["repositories"]
