"""A project's first Prisma schema, and which Prisma its commands are for.

Phase A of a project with no Prisma schema yet writes a *seed* — a `generator` and a
`datasource` block, no model — for `prisma db pull` to fill from the database; and every command
it prints names a Prisma major (`npx prisma@6 db pull`): a bare `npx prisma` runs whatever is
newest, and Prisma 8 (release candidates) has no `db pull` at all.

Pure: text in, text out. `phases.py` reads `package.json` through the run's state and hands its
text here; nothing here reads files, the environment or the network.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from schemasync.errors import ConfigError, SchemasyncError
from schemasync.jsontext import parse_json
from schemasync.prisma.datasource import PROVIDER_ALIASES
from schemasync.prisma.rules import PROVIDERS

#: The major schemasync's import is checked against (real Prisma 6.19.3 in the e2e tests), and
#: the one its commands name when the project does not pin another.
DEFAULT_MAJOR = 6
#: From Prisma 7 the connection URL lives in `prisma.config.ts`; its schema language rejects
#: `url` in the datasource (checked with Prisma 7's own parser, tests/test_seed.py).
CONFIG_URL_MAJOR = 7
#: From Prisma 8 (release candidates), `prisma db pull` is gone: `prisma contract infer` writes a
#: starter *contract* instead, which schemasync does not read.
CONTRACT_MAJOR = 8
#: Before Prisma 6.13, `schemas` in the datasource needed the `multiSchema` preview feature; from
#: 6.13 it is generally available and Prisma 6.19.3 warns that the flag is deprecated.
MULTI_SCHEMA_GA = (6, 13)
#: Providers whose `schemas` the seed lists (the environment's `schemas` are PostgreSQL schemas).
MULTI_SCHEMA_PROVIDERS: tuple[str, ...] = ("postgresql",)
#: Providers without database views (the `views` preview feature means nothing there).
NO_VIEWS: tuple[str, ...] = ("mongodb",)
#: The generator `output` of a Prisma 7 seed: `prisma-client` requires one (relative to the
#: schema file); Phase D treats imports of it as the Prisma client.
CLIENT_OUTPUT = "../generated/prisma"


@dataclass(frozen=True)
class PrismaVersion:
    """The Prisma a project uses, as far as its `package.json` tells.

    Attributes:
        major: the major its commands are for.
        minor: the lowest minor the project's version spec allows (`~6.10.0`: 10), or None
            when npx picks the newest of the major (`^6`, no pin).
        spec: where it came from (`devDependencies "prisma": "^6.19.0"`), or None: no pin.
        problem: why `package.json` did not tell (not JSON, `"latest"`), or None.
    """

    major: int = DEFAULT_MAJOR
    minor: int | None = None
    spec: str | None = None
    problem: str | None = None

    @property
    def contract(self) -> bool:
        """The project's Prisma has no `db pull` (Prisma 8 and later)."""
        return self.major >= CONTRACT_MAJOR

    @property
    def pull_major(self) -> int:
        """The major whose `db pull` the instructions run: the project's, or Prisma 6 for a
        project on Prisma 8 (npx runs it beside the project's own Prisma)."""
        return DEFAULT_MAJOR if self.contract else self.major

    @property
    def url_in_config(self) -> bool:
        """The pulling Prisma reads the URL from `prisma.config.ts`, not from the schema."""
        return self.pull_major >= CONFIG_URL_MAJOR

    @property
    def multi_schema_flag(self) -> bool:
        """`schemas` needs the `multiSchema` preview feature: a Prisma older than 6.13 may run.

        A spec whose lowest version is older counts (a lock file may hold it): the flag costs
        a deprecation warning on a newer Prisma 6, its absence a refused schema on an older one.
        """
        if self.pull_major != self.major:  # Prisma 6 through npx: its newest minor
            return False
        lowest = (self.major, self.minor if self.minor is not None else 1_000)
        return lowest < MULTI_SCHEMA_GA


# `^6.19.0`, `~6.10`, `6`, `6.x`, `=6.10.0`, `v6.1.0`, `8.0.0-rc.1`: one major, its lowest minor.
_SPEC = re.compile(
    r"(?P<op>\^|~|=)?\s*v?(?P<major>\d{1,9})(?:\.(?P<minor>\d{1,9}|[xX*]))?(?:\.(?:\d+|[xX*]))?"
    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?"
)


def spec_version(spec: str) -> tuple[int, int | None] | None:
    """Return (major, lowest minor or None) of a `package.json` version spec, or None when it
    names no single major (`latest`, `*`, `>=6`, `6 || 7`, `workspace:*`, a git URL).

    The minor is None when any minor of the major may be installed (`^6.5.0`, `6`, `6.x`).

    >>> spec_version("^6.19.0"), spec_version("~6.10.0"), spec_version("latest")
    ((6, None), (6, 10), None)
    """
    text = spec.strip()
    if text.startswith("npm:"):  # an alias: `npm:prisma@^6.1.0`
        text = text.rpartition("@")[2]
    found = _SPEC.fullmatch(text)
    if found is None:
        return None
    major = int(found["major"])
    minor = found["minor"]
    if found["op"] == "^" or minor is None or not minor.isdigit():
        return major, None
    return major, int(minor)  # `~6.10.0`, `6.10.0`, `6.10.x`: that minor


def prisma_version(package_json: str | None) -> PrismaVersion:
    """Return the Prisma of a project from its `package.json` text (None: there is none).

    The `prisma` package of `devDependencies`, else `dependencies`, names the major; anything
    else is the default major with the reason it could not tell.
    """
    from schemasync.fsio import shorten

    if package_json is None:
        return PrismaVersion()
    try:
        data = parse_json(package_json, "package.json", SchemasyncError, "")
    except SchemasyncError:
        return PrismaVersion(problem="package.json is not valid JSON")
    if not isinstance(data, dict):
        return PrismaVersion(problem="package.json is not a JSON object")
    for group in ("devDependencies", "dependencies"):
        deps = data.get(group)
        spec = deps.get("prisma") if isinstance(deps, dict) else None
        if spec is None:
            continue
        where = f'{group} "prisma": {shorten(json.dumps(spec))}'
        version = spec_version(spec) if isinstance(spec, str) else None
        if version is None:
            return PrismaVersion(problem=f"package.json {where} names no single Prisma major")
        return PrismaVersion(major=version[0], minor=version[1], spec=where)
    return PrismaVersion()


def check_provider(value: str) -> str:
    """Return the datasource provider `--provider` names (`postgres` -> `postgresql`).

    Raises:
        ConfigError: not a provider Prisma knows; names the closest one.
    """
    name = PROVIDER_ALIASES.get(value, value)
    if name in PROVIDERS:
        return name
    close = difflib.get_close_matches(value.lower(), (*PROVIDERS, *PROVIDER_ALIASES), n=1)
    hint = f"did you mean {PROVIDER_ALIASES.get(close[0], close[0])!r}? " if close else ""
    raise ConfigError(
        f"--provider {value!r}: not a Prisma datasource provider; {hint}use one of "
        f"{', '.join(PROVIDERS)}"
    )


def seed_path(schema_rel: str) -> str:
    """Return where the seed goes: the schema file, or `schema.prisma` in a schema folder."""
    return schema_rel if schema_rel.endswith(".prisma") else f"{schema_rel}/schema.prisma"


@dataclass(frozen=True)
class Seed:
    """A seed schema: what it says (`text` renders it).

    Attributes:
        path: where it goes, project-relative.
        provider: the datasource provider.
        major: the Prisma major it is written for (its generator and datasource style).
        url_env: the variable of `url = env("…")`, or None: the URL is in `prisma.config.ts`.
        features: the generator's preview features.
        schemas: the datasource's `schemas` (PostgreSQL with the environment's schemas).
    """

    path: str
    provider: str
    major: int
    url_env: str | None
    features: tuple[str, ...]
    schemas: tuple[str, ...]

    @property
    def text(self) -> str:
        """The schema text, formatted as `prisma format` would."""
        modern = self.major >= CONFIG_URL_MAJOR
        generator = [("provider", json.dumps("prisma-client" if modern else "prisma-client-js"))]
        if modern:
            generator.append(("output", json.dumps(CLIENT_OUTPUT)))
        if self.features:
            generator.append(("previewFeatures", _strings(self.features)))
        datasource = [("provider", json.dumps(self.provider))]
        if self.url_env is not None:
            datasource.append(("url", f"env({json.dumps(self.url_env)})"))
        if self.schemas:
            datasource.append(("schemas", _strings(self.schemas)))
        head = (
            f"// Seed written by schemasync for Prisma {self.major}: `prisma db pull` fills it "
            "from the\n// database. Commit the pulled schema.\n"
        )
        return "\n".join((head + _block("generator", "client", generator),
                          _block("datasource", "db", datasource)))  # fmt: skip


def _block(kind: str, name: str, properties: Sequence[tuple[str, str]]) -> str:
    """Return a block as `prisma format` writes it (the `=` signs aligned)."""
    width = max(len(key) for key, _ in properties)
    body = "".join(f"  {key.ljust(width)} = {value}\n" for key, value in properties)
    return f"{kind} {name} {{\n{body}}}\n"


def _strings(values: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def make_seed(
    schema_rel: str, provider: str, url_env: str, schemas: Sequence[str], version: PrismaVersion
) -> Seed:
    """Return the seed for `prisma db pull` to fill.

    Args:
        schema_rel: the configured schema path (a file, or a folder).
        provider: the datasource provider (checked, `check_provider`).
        url_env: the NAME of the variable holding the URL (`url = env("…")`; Prisma 7 and later
            read it in `prisma.config.ts` instead).
        schemas: the environment's schemas (listed for PostgreSQL).
        version: the project's Prisma (`pull_major` decides the blocks' style).
    """
    features = [] if provider in NO_VIEWS else ["views"]
    listed = tuple(schemas) if provider in MULTI_SCHEMA_PROVIDERS else ()
    if listed and version.multi_schema_flag:
        features.append("multiSchema")
    return Seed(
        path=seed_path(schema_rel),
        provider=provider,
        major=version.pull_major,
        url_env=None if version.url_in_config else url_env,
        features=tuple(features),
        schemas=listed,
    )


def _path_arg(path: str) -> str:
    """Return `path` as a command argument: `./-x`, not `-x`, which a CLI reads as a flag."""
    return f"./{path}" if path.startswith("-") else path


def pull_command(version: PrismaVersion, schema_rel: str) -> str:
    """Return the pinned pull command (`npx prisma@6 db pull --schema prisma/schema.prisma`),
    for a shell: the path is quoted (`prismaSchema` comes from the repository, and
    `prisma/$(…)/schema.prisma` is a valid folder name)."""
    path = shlex.quote(_path_arg(schema_rel))
    return f"npx prisma@{version.pull_major} db pull --schema {path}"


def pull_argv(version: PrismaVersion, schema: str) -> list[str]:
    """Return the pull as `--run-pull` runs it (`--yes`: npx must not wait on a prompt)."""
    return [
        "npx", "--yes", f"prisma@{version.pull_major}", "db", "pull", "--schema", _path_arg(schema)
    ]  # fmt: skip
