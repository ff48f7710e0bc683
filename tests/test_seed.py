"""The first Prisma schema (the seed Phase A writes) and the Prisma major of the printed commands.

Pure functions first (version specs, `package.json`, the seed's text, `--provider`); then real
Prisma's parsers on every seed: Prisma 6.19's for the seeds of Prisma 6 (and of a project on
Prisma 8, which pulls with Prisma 6), Prisma 7's for the seeds of Prisma 7 (no `url`).
"""

from __future__ import annotations

from types import ModuleType

import pytest

from schemasync.errors import ConfigError, ExitCode
from schemasync.prisma.datasource import read_datasource
from schemasync.prisma.parser import parse_schema
from schemasync.seed import (
    PrismaVersion,
    check_provider,
    make_seed,
    prisma_version,
    pull_argv,
    pull_command,
    spec_version,
)

PROVIDERS = ("postgresql", "cockroachdb", "mysql", "sqlite", "sqlserver", "mongodb")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("^6.19.0", (6, None)),
        ("6", (6, None)),
        ("6.x", (6, None)),
        ("6.*", (6, None)),
        ("~6", (6, None)),
        ("~6.10.0", (6, 10)),
        ("6.10.0", (6, 10)),
        ("=6.10.0", (6, 10)),
        ("v6.1.0", (6, 1)),
        ("6.10.x", (6, 10)),
        ("^5.22.0", (5, None)),
        ("7.1.0", (7, 1)),
        ("8.0.0-rc.2", (8, 0)),
        ("npm:prisma@^6.1.0", (6, None)),
        ("latest", None),
        ("*", None),
        (">=6.0.0", None),
        ("6 || 7", None),
        ("workspace:*", None),
        ("github:prisma/prisma", None),
    ],
)
def test_spec_version(spec: str, expected: tuple[int, int | None] | None) -> None:
    assert spec_version(spec) == expected


def test_prisma_version_from_package_json() -> None:
    assert prisma_version(None) == PrismaVersion()  # no package.json: Prisma 6
    assert prisma_version('{"name": "app"}') == PrismaVersion()
    both = '{"dependencies": {"prisma": "^5.0.0"}, "devDependencies": {"prisma": "~6.10.1"}}'
    assert prisma_version(both) == PrismaVersion(
        major=6, minor=10, spec='devDependencies "prisma": "~6.10.1"'
    )
    assert prisma_version('{"dependencies": {"prisma": "^7.1.0"}}').major == 7
    latest = prisma_version('{"devDependencies": {"prisma": "latest"}}')
    assert (latest.major, latest.problem) == (
        6,
        'package.json devDependencies "prisma": "latest" names no single Prisma major',
    )
    assert prisma_version("{nope").problem == "package.json is not valid JSON"
    assert prisma_version("[1]").problem == "package.json is not a JSON object"
    assert prisma_version('{"devDependencies": {"prisma": 6}}').problem is not None


@pytest.mark.parametrize(
    ("version", "pull", "major"),
    [
        (PrismaVersion(), "npx prisma@6 db pull --schema prisma/schema.prisma", 6),
        (PrismaVersion(major=5), "npx prisma@5 db pull --schema prisma/schema.prisma", 5),
        (PrismaVersion(major=7), "npx prisma@7 db pull --schema prisma/schema.prisma", 7),
        # Prisma 8 has no `db pull`: the pull runs with Prisma 6, never `npx prisma@8 db pull`
        (PrismaVersion(major=8, minor=0), "npx prisma@6 db pull --schema prisma/schema.prisma", 6),
    ],
)
def test_commands_name_a_major(version: PrismaVersion, pull: str, major: int) -> None:
    assert pull_command(version, "prisma/schema.prisma") == pull
    assert pull_argv(version, "s.prisma") == [
        "npx", "--yes", f"prisma@{major}", "db", "pull", "--schema", "s.prisma",
    ]  # fmt: skip
    assert version.contract is (version.major >= 8)


def test_pull_command_quotes_a_path_with_spaces() -> None:
    assert pull_command(PrismaVersion(), "my app/schema.prisma").endswith("'my app/schema.prisma'")


SEED_6 = """\
// Seed written by schemasync for Prisma 6: `prisma db pull` fills it from the
// database. Commit the pulled schema.
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
  url      = env("APP_DB_URL")
  schemas  = ["public", "audit"]
}
"""

SEED_7 = """\
// Seed written by schemasync for Prisma 7: `prisma db pull` fills it from the
// database. Commit the pulled schema.
generator client {
  provider        = "prisma-client"
  output          = "../generated/prisma"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
  schemas  = ["public", "audit"]
}
"""


def test_seed_for_prisma_6_names_the_variable_views_and_schemas() -> None:
    seed = make_seed("prisma/schema.prisma", "postgresql", "APP_DB_URL", ("public", "audit"),
                     PrismaVersion())  # fmt: skip
    assert seed.text == SEED_6
    assert seed.path == "prisma/schema.prisma"
    datasource = read_datasource(parse_schema([("schema.prisma", seed.text)]))
    assert (datasource.provider, datasource.url_env, datasource.multi_schema) == (
        "postgresql",
        "APP_DB_URL",
        True,
    )


def test_seed_for_prisma_7_has_no_url() -> None:
    seed = make_seed("prisma/schema.prisma", "postgresql", "APP_DB_URL", ("public", "audit"),
                     PrismaVersion(major=7))  # fmt: skip
    assert seed.text == SEED_7
    assert seed.url_env is None


@pytest.mark.parametrize(
    ("version", "flag"),
    [
        (PrismaVersion(), False),  # npx prisma@6: the newest 6, where multiSchema is GA
        (PrismaVersion(major=6, minor=13), False),
        (PrismaVersion(major=6, minor=12), True),  # `~6.12.0`: before 6.13, still a preview
        (PrismaVersion(major=5), True),
        (PrismaVersion(major=7), False),
        (PrismaVersion(major=8), False),  # pulls with the newest Prisma 6
    ],
)
def test_multi_schema_preview_feature_only_before_6_13(version: PrismaVersion, flag: bool) -> None:
    seed = make_seed("prisma/schema.prisma", "postgresql", "DATABASE_URL", ("public",), version)
    assert ("multiSchema" in seed.features) is flag
    assert "multiSchema" not in make_seed("s.prisma", "postgresql", "X", (), version).features


def test_seed_per_provider() -> None:
    for provider in PROVIDERS:
        seed = make_seed("prisma/schema.prisma", provider, "DATABASE_URL", ("a", "b"),
                         PrismaVersion())  # fmt: skip
        assert f'provider = "{provider}"' in seed.text
        # schemas are the environment's PostgreSQL schemas; views do not exist in MongoDB
        assert bool(seed.schemas) is (provider == "postgresql")
        assert seed.features == (() if provider == "mongodb" else ("views",))


def test_seed_in_a_schema_folder() -> None:
    assert make_seed("prisma/schema", "sqlite", "X", (), PrismaVersion()).path == (
        "prisma/schema/schema.prisma"
    )


def test_provider_flag() -> None:
    assert check_provider("postgres") == "postgresql"
    assert check_provider("mongodb") == "mongodb"
    with pytest.raises(ConfigError) as info:
        check_provider("postgress")
    assert info.value.exit_code == ExitCode.USAGE
    assert "did you mean 'postgresql'?" in info.value.message
    assert "\n" not in info.value.message


@pytest.mark.node
@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("major", [5, 6, 7, 8])
def test_real_prisma_accepts_every_seed(
    provider: str, major: int, prisma_harness: ModuleType
) -> None:
    """Prisma's own parser (6.19 for the seeds written for Prisma 6, 7 for Prisma 7's)."""
    version = PrismaVersion(major=major)
    seed = make_seed("prisma/schema.prisma", provider, "DATABASE_URL", ("public", "audit"),
                     version)  # fmt: skip
    engine = "7" if seed.major >= 7 else "6"
    prisma_harness.validate(seed.text, engine=engine)
    if engine == "6":  # the Prisma 7 parser refuses a `url` in the datasource
        with pytest.raises(prisma_harness.PrismaHarnessError):
            prisma_harness.validate(seed.text, engine="7")


def test_an_absurd_prisma_spec_is_named_short() -> None:
    """A 5,000-character `prisma` spec is named, cut, in the one-line problem."""
    import json

    from schemasync.seed import prisma_version

    problem = prisma_version(json.dumps({"devDependencies": {"prisma": "x" * 5000}})).problem
    assert problem is not None
    assert problem.endswith("… names no single Prisma major")
    assert len(problem) < 200
