"""The pydantic model of `docs/project/db-ssot.json` (SPEC §3) and its strict, friendly loader.

This module owns what a valid config is: known keys only (an unknown key names itself, its line and
the closest known key), environment names, repo-relative paths that cannot escape the project.
It never reads files (`phases.py` hands it the text) and never holds a connection string: only the
*names* of environment variables.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import (
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from schemasync.errors import ConfigError
from schemasync.frozen import FrozenModel
from schemasync.jsontext import parse_json

CONFIG_PATH = "docs/project/db-ssot.json"
ENV_NAMES: tuple[str, ...] = ("dev", "staging", "prod")
_ENV_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Environment(FrozenModel):
    """One environment: the *name* of the variable holding its URL, and whether to confirm."""

    url_env: StrictStr = "DATABASE_URL"
    confirm: StrictBool = False
    schemas: tuple[StrictStr, ...] = ()

    @field_validator("url_env")
    @classmethod
    def _env_var_name(cls, value: str) -> str:
        if not _ENV_VAR.fullmatch(value):
            raise ValueError(
                "must be the NAME of an environment variable (letters, digits, _), never a URL"
            )
        return value


def _default_environments() -> dict[str, Environment]:
    return {
        "dev": Environment(url_env="DATABASE_URL"),
        "staging": Environment(url_env="STAGING_DATABASE_URL"),
        "prod": Environment(url_env="PROD_DATABASE_URL", confirm=True),
    }


#: Where code lives in one app (`src/…`) and in monorepos (`apps/<app>/src/…`,
#: `packages/<package>/src/…`).
_CODE_ROOTS: tuple[str, ...] = ("src", "apps/*/src", "packages/*/src")


class Layers(FrozenModel):
    """Code globs (repo-relative, `**` allowed) of the business and repository layers, and how
    strictly models must be mapped to repositories.

    Attributes:
        require_repository_mapping: a model no repository-layer file names fails Phase D; off
            (the default), it is a warning, so that a project can adopt the repository layer
            one model at a time.
        models_without_repository: models (Prisma names) exempt from the mapping: read-only
            lookups, tables only the database uses.
    """

    business: tuple[StrictStr, ...] = tuple(
        f"{root}/{layer}/**" for root in _CODE_ROOTS for layer in ("domain", "services")
    )
    repositories: tuple[StrictStr, ...] = tuple(f"{root}/repositories/**" for root in _CODE_ROOTS)
    require_repository_mapping: StrictBool = False
    models_without_repository: tuple[StrictStr, ...] = ()

    @field_validator("business", "repositories")
    @classmethod
    def _safe_globs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for glob in value:
            check_relative_path(glob)
        return value


class DriftIgnore(FrozenModel):
    """One ignore rule of `drift`: the changes of these kinds on objects matching the glob are
    listed as ignored, with the reason, and never fail `drift`.

    Attributes:
        object: a glob over change objects (`public.audit_*`, `orders.*_idx`); `*` matches any
            text, dots included.
        kinds: change kinds (`diff.KINDS`: `add_index`, `modify_default`, …).
        reason: why the difference is known and accepted (required: it is printed).
    """

    object: StrictStr
    kinds: tuple[StrictStr, ...]
    reason: StrictStr

    @field_validator("object", "reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from schemasync.diff import KINDS

        if not value:
            raise ValueError("list at least one change kind (e.g. add_index)")
        for kind in value:
            if kind not in KINDS:
                close = difflib.get_close_matches(kind, KINDS, n=1, cutoff=0.5)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(KINDS)}"
                raise ValueError(f"unknown change kind {kind!r}; {hint}")
        return value


class Drift(FrozenModel):
    """What `drift` accepts: its ignore rules."""

    ignore: tuple[DriftIgnore, ...] = ()


class ContextConfig(FrozenModel):
    """How Phase C writes the LLM context.

    Attributes:
        slice_above_tokens: above this many (estimated) tokens the context is written as an
            index plus slices (one per PostgreSQL schema or group of tables), each at most
            about this size.
    """

    slice_above_tokens: StrictInt = Field(25_000, ge=1_000)


class SsotConfig(FrozenModel):
    """The whole `db-ssot.json` (v1)."""

    mode: Literal["database", "repo-prisma"]
    environments: dict[StrictStr, Environment] = Field(default_factory=_default_environments)
    prisma_schema: StrictStr = "prisma/schema.prisma"
    layers: Layers = Field(default_factory=Layers)
    drift: Drift = Field(default_factory=Drift)
    context: ContextConfig = Field(default_factory=ContextConfig)
    #: Phase C also writes the pages for people, `docs/db/` (README.md and a page per table).
    docs: StrictBool = False

    @field_validator("prisma_schema")
    @classmethod
    def _safe_schema_path(cls, value: str) -> str:
        check_relative_path(value)
        return value

    @field_validator("environments")
    @classmethod
    def _known_env_names(cls, value: dict[str, Environment]) -> dict[str, Environment]:
        for name in value:
            if name not in ENV_NAMES:
                raise ValueError(f"unknown environment {name!r}; use one of {', '.join(ENV_NAMES)}")
        return value


def check_relative_path(value: str) -> None:
    """Raise ValueError unless `value` is a relative path that stays inside its base folder.

    Control characters are refused: a newline in `prismaSchema` split the copy-paste pull
    command in two, and a NUL is no path at all.
    """
    if not value or value.strip() != value:
        raise ValueError("must be a non-empty repo-relative path")
    if any(not c.isprintable() for c in value):
        raise ValueError("must not contain control characters (a newline, a tab, ...)")
    if "\\" in value or value.startswith("/") or re.match(r"^[A-Za-z]:", value):
        raise ValueError(f"{value!r} must be relative to the project root (no absolute paths)")
    if ".." in PurePosixPath(value).parts:
        raise ValueError(f"{value!r} must stay inside the project (no '..')")


#: Folders schemasync or Prisma keep, and what they hold: never an evidence folder (its files
#: would be written among theirs: `--evidence-dir evidence_templates` overwrote the templates).
RESERVED_FOLDERS: dict[str, str] = {
    ".git": "the repository's history",
    "db": "the mirror and the DBA handbook",
    "docs/context": "the LLM context",
    "docs/db": "the pages for people (db-ssot.json `docs`)",
    "docs/project": "db-ssot.json",
    "evidence_templates": "the evidence templates",
    "prisma": "the Prisma schema",
}


def reserved_folder(rel: str, schema_dir: str) -> tuple[str, str] | None:
    """Return (folder, what it holds) of the reserved folder that the project-relative POSIX
    path `rel` is or lies in, or None when it is free.

    Args:
        rel: the folder, resolved, relative to the project.
        schema_dir: the Prisma schema's folder, resolved, relative to the project (reserved
            too, unless it is the project itself).
    """
    folders = dict(RESERVED_FOLDERS)
    if schema_dir not in ("", "."):
        folders.setdefault(schema_dir, "the Prisma schema")
    path = PurePosixPath(rel)
    for folder, holds in sorted(folders.items()):
        if path == PurePosixPath(folder) or PurePosixPath(folder) in path.parents:
            return folder, holds
    return None


# ---- loading with good messages ------------------------------------------------------------

_KNOWN: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("mode", "environments", "prismaSchema", "layers", "drift", "context", "docs"),
    ("context",): ("sliceAboveTokens",),
    ("drift",): ("ignore",),
    ("drift", "ignore", "*"): ("object", "kinds", "reason"),
    ("environments", "*"): ("urlEnv", "confirm", "schemas"),
    ("layers",): (
        "business",
        "repositories",
        "requireRepositoryMapping",
        "modelsWithoutRepository",
    ),
}


def _line_col_of_key(text: str, key: str, nth_path: tuple[str, ...]) -> tuple[int, int]:
    """Find the line/column of `"key":` in `text`, preferring one after the parent keys."""
    start = 0
    for parent in nth_path:
        found = re.compile(re.escape(json.dumps(parent)) + r"\s*:").search(text, start)
        if found is not None:
            start = found.end()
    match = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(text, start)
    if match is None:
        match = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(text)
    if match is None:
        return (1, 1)
    offset = match.start()
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return (line, col)


def _known_keys(loc: tuple[str, ...]) -> tuple[str, ...]:
    if len(loc) == 2 and loc[0] == "environments":
        return _KNOWN[("environments", "*")]
    if len(loc) == 3 and loc[:2] == ("drift", "ignore"):
        return _KNOWN[("drift", "ignore", "*")]
    return _KNOWN.get(loc, ())


def _suggest(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"known keys: {', '.join(options)}" if options else ""


def load_config(text: str, path: str = CONFIG_PATH) -> SsotConfig:
    """Parse and validate `db-ssot.json` text.

    Raises:
        ConfigError: not JSON, not an object, a wrong type, an unknown key or value; the message
            names the file, line and column, the key, and a fix.
    """
    if not text.strip():
        raise ConfigError(
            f'{path}:1:1: the file is empty; write at least {{"mode": "database"}} into it'
        )
    data: Any = parse_json(text, path, ConfigError, "fix the syntax")
    if not isinstance(data, dict):
        raise ConfigError(
            f'{path}:1:1: expected a JSON object like {{"mode": "database"}}, '
            f"found {type(data).__name__}"
        )
    try:
        return SsotConfig.model_validate(data)
    except ValidationError as err:
        raise _config_error(err, text, path) from err


def _config_error(err: ValidationError, text: str, path: str) -> ConfigError:
    errors = err.errors()
    # an unknown key first: `"reasn"` is a misspelt `"reason"`, not a missing one
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    # A key may hold a newline or other control character: escape it, messages are one line.
    loc = tuple(
        "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(p)) for p in first["loc"]
    )
    dotted = ".".join(loc) or "(top level)"
    if first["type"] == "extra_forbidden":
        key = loc[-1]
        line, col = _line_col_of_key(text, key, loc[:-1])
        hint = _suggest(key, _known_keys(loc[:-1]))
        return ConfigError(f"{path}:{line}:{col}: unknown key {dotted!r}; {hint}".rstrip("; "))
    if first["type"] == "missing" and loc[:2] == ("drift", "ignore"):
        line, col = _line_col_of_key(text, "ignore", ("drift",))
        return ConfigError(
            f"{path}:{line}:{col}: missing required key {dotted!r}; every ignore rule needs "
            '"object" (a glob), "kinds" (change kinds) and "reason"'
        )
    if first["type"] == "missing":
        return ConfigError(
            f'{path}:1:1: missing required key {dotted!r}; add "{loc[-1]}": "database"'
            if loc == ("mode",)
            else f"{path}:1:1: missing required key {dotted!r}"
        )
    key = next((p for p in reversed(loc) if not p.isdigit()), loc[-1] if loc else "")
    line, col = _line_col_of_key(text, key, loc[:-1]) if key else (1, 1)
    msg = str(first["msg"]).removeprefix("Value error, ")
    if loc == ("mode",):
        msg = f"{msg}; use 'database' (the live database is the SSOT) or 'repo-prisma'"
    elif (found := re.match(r"unknown environment '([^']*)'", msg)) is not None:
        name = found.group(1)
        line, col = _line_col_of_key(text, name, ("environments",))
        close = difflib.get_close_matches(name, ENV_NAMES, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return ConfigError(
            f"{path}:{line}:{col}: unknown environment {name!r}{hint} (use one of "
            f"{', '.join(ENV_NAMES)})"
        )
    msg = msg.replace("a valid tuple", "a list")
    return ConfigError(f"{path}:{line}:{col}: {dotted}: {msg}")


def pick_environment(config: SsotConfig, name: str, path: str = CONFIG_PATH) -> Environment:
    """Return the environment `name` of `config`.

    Raises:
        ConfigError: `name` is not one of `dev`/`staging`/`prod` or not configured.
    """
    if name in config.environments:
        return config.environments[name]
    options = tuple(config.environments) or ENV_NAMES
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ConfigError(
        f"--env {name!r}: unknown environment; {hint}configured in {path}: {', '.join(options)}"
    )


def default_config_text(mode: str) -> str:
    """Return the text `init --mode` writes: SPEC §3's example with the given mode."""
    data = SsotConfig(mode=mode).model_dump(mode="json", by_alias=True)
    for env in data["environments"].values():
        if not env["schemas"]:
            del env["schemas"]
        if not env["confirm"]:
            del env["confirm"]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
