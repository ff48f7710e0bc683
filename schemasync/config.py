"""The pydantic model of `docs/project/db-ssot.json` (SPEC §3) and its strict, friendly loader.

This module owns what a valid config is: known keys only (an unknown key names itself, its line and
the closest known key), environment names, repo-relative paths that cannot escape the project.
It never reads files (`phases.py` hands it the text) and never holds a connection string: only the
*names* of environment variables.

It also reads the `.ai` template's shapes of the same file (UPSTREAM.md): `version`, `updatedAt`,
`policy`, `paths.*`, `db.*`, the mode in `db.ssot`, `ssot` (a string or `{"mode": …}`) or `mode`,
and the environments of `db/config/db-environments.json` when the file has none. What the
template says that schemasync does not use is accepted; a path that differs from where
schemasync reads or writes is a warning (`SsotConfig.warnings`), never silence.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
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
#: The `.ai` template's environments file, read when `db-ssot.json` names none.
ENVIRONMENTS_PATH = "db/config/db-environments.json"
#: The modes of the `.ai` template; every one but `database` STOPs the DB-SSOT workflow.
MODES: tuple[str, ...] = ("database", "repo-prisma", "none", "convex")
#: The context formats a project may choose (`context.format`); `schemasync/context@N` is
#: checked against the current one (`context.FORMAT`) when the config is loaded.
CONTEXT_V2 = "normalized-db-schema-v2"
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
    format: StrictStr | None = None

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str | None) -> str | None:
        from schemasync.context import FORMAT

        if value is not None and value not in (FORMAT, CONTEXT_V2):
            raise ValueError(f"unknown context format {value!r}; use {FORMAT!r} or {CONTEXT_V2!r}")
        return value


class SsotConfig(FrozenModel):
    """The whole `db-ssot.json` (v1), the `.ai` template's shapes read into it.

    Attributes:
        warnings: what the template's keys say that schemasync does not do (a path that differs
            from where it writes); never part of the file.
    """

    mode: Literal["database", "repo-prisma", "none", "convex"]
    environments: dict[StrictStr, Environment] = Field(default_factory=_default_environments)
    prisma_schema: StrictStr = "prisma/schema.prisma"
    #: ddl-import: a SQL dump (pg_dump --schema-only, mysqldump --no-data, SQLite .schema) as
    #: the mirror's source instead of `prismaSchema` (`source.kind = "ddl"`)
    ddl_schema: StrictStr | None = None
    layers: Layers = Field(default_factory=Layers)
    drift: Drift = Field(default_factory=Drift)
    context: ContextConfig = Field(default_factory=ContextConfig)
    warnings: tuple[StrictStr, ...] = Field(default=(), exclude=True)
    #: Phase C also writes the pages for people, `docs/db/` (README.md and a page per table).
    docs: StrictBool = False

    @field_validator("prisma_schema")
    @classmethod
    def _safe_schema_path(cls, value: str) -> str:
        check_relative_path(value)
        return value

    @field_validator("ddl_schema")
    @classmethod
    def _safe_ddl_path(cls, value: str | None) -> str | None:
        if value is not None:
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

#: The keys of schemasync's own shape, passed to the model as they are.
_OWN_KEYS = (
    "mode",
    "environments",
    "prismaSchema",
    "ddlSchema",
    "layers",
    "drift",
    "context",
    "docs",
)
#: The `.ai` template's top-level keys, read into the own ones (`_read_template_keys`).
_TEMPLATE_KEYS = ("version", "updatedAt", "policy", "paths", "db", "ssot")

_KNOWN: dict[tuple[str, ...], tuple[str, ...]] = {
    (): _OWN_KEYS + _TEMPLATE_KEYS,  # the template's keys last
    ("context",): ("sliceAboveTokens", "format"),
    ("policy",): ("managedPaths",),
    ("paths",): ("prismaSchema", "dbMirror", "dbSchemaTables", "dbContextContract",
                 "convexSchema", "convexFunctionsContract"),
    ("ssot",): ("mode",),
    ("db",): ("ssot", "kind", "source", "contracts", "generated"),
    ("db", "source"): ("kind", "path"),
    ("db", "contracts"): ("dbSchema", "convexFunctions"),
    ("db", "generated"): ("typesDir",),
    ("drift",): ("ignore",),
    ("drift", "ignore", "*"): ("object", "kinds", "reason"),
    ("environments", "*"): ("urlEnv", "confirm", "schemas"),
    ("layers",): (
        "business",
        "repositories",
        "requireRepositoryMapping",
        "modelsWithoutRepository",
    ),
}  # fmt: skip

#: `db/config/db-environments.json`, the `.ai` template's vocabulary (plus `urlEnv`, the one
#: thing schemasync needs that the template keeps in a connection template).
_ENV_FILE_KNOWN: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("environments", "version", "updatedAt"),
    ("environments", "*"): ("id", "description", "connectionTemplate", "permissions", "urlEnv"),
    ("environments", "*", "permissions"): ("migrations", "seedData", "directQueries"),
}

#: Where schemasync reads or writes what a template path names: (keys, schemasync's path,
#: what it is). `paths.prismaSchema` is honoured instead (schemasync has the setting).
_TEMPLATE_PATHS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("paths", "dbMirror"), "db/schema/tables.json", "the mirror"),
    (("paths", "dbSchemaTables"), "db/schema/tables.json", "the mirror"),
    (("db", "source", "path"), "db/schema/tables.json", "the mirror"),
    (("paths", "dbContextContract"), "docs/context/db/schema.json", "the context"),
    (("db", "contracts", "dbSchema"), "docs/context/db/schema.json", "the context"),
)


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


def load_config(
    text: str, path: str = CONFIG_PATH, environments_text: str | None = None
) -> SsotConfig:
    """Parse and validate `db-ssot.json` text, in schemasync's shape or the `.ai` template's.

    Args:
        text: the file's text.
        path: the file's name in messages.
        environments_text: the text of `db/config/db-environments.json` (the template keeps
            its environments there), used when `text` names no `environments`; None when the
            project has no such file.

    Raises:
        ConfigError: not JSON, not an object, a wrong type, unknown keys (all of them, each with
            its line, column and the closest known key) or an unknown value; the message names
            the file, line and column, the key, and a fix.
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
    _refuse_unknown_keys(data, text, path, _known_keys)
    model, warnings = _read_template_keys(data, text, path)
    if "environments" not in data and environments_text is not None:
        model["environments"] = _template_environments(
            environments_text, ENVIRONMENTS_PATH, warnings
        )
    try:
        return SsotConfig.model_validate({**model, "warnings": tuple(warnings)})
    except ValidationError as err:
        raise _config_error(err, text, path) from err


def _unknown_keys(
    data: Any, known_of: Callable[[tuple[str, ...]], tuple[str, ...]], loc: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """Every key of `data` outside the vocabulary `known_of(loc)` gives for its place, as its
    path (one walk: a file with three unknown keys is told once, not in three runs)."""
    out: list[tuple[str, ...]] = []
    if isinstance(data, dict):
        known = known_of(loc)
        for key, value in data.items():
            if known and key not in known:
                out.append((*loc, key))
            else:
                out += _unknown_keys(value, known_of, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            out += _unknown_keys(item, known_of, (*loc, str(i)))
    return out


def _refuse_unknown_keys(
    data: Any, text: str, path: str, known_of: Callable[[tuple[str, ...]], tuple[str, ...]]
) -> None:
    """Raise one ConfigError naming every unknown key (a line each: file:line:col, the key,
    the closest known one).

    Raises:
        ConfigError: there are unknown keys.
    """
    found = []
    for loc in _unknown_keys(data, known_of):
        shown = tuple("".join(c if c.isprintable() else repr(c)[1:-1] for c in p) for p in loc)
        line, col = _line_col_of_key(text, loc[-1], loc[:-1])
        found.append((line, col, ".".join(shown), _suggest(shown[-1], known_of(loc[:-1]))))
    if not found:
        return
    found.sort()
    line, col, key, hint = found[0]
    if len(found) == 1:
        raise ConfigError(f"{path}:{line}:{col}: unknown key {key!r}; {hint}".rstrip("; "))
    # one line for all of them (messages are one line): the first with its place, the others
    # with their line:column
    others = ", ".join(f"{k!r} at {ln}:{c}" + (f" ({h})" if h else "") for ln, c, k, h in found[1:])
    first = f"{key!r}" + (f" ({hint})" if hint else "")
    raise ConfigError(f"{path}:{line}:{col}: {len(found)} unknown keys: {first}, {others}")


def _dig(data: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _read_template_keys(
    data: dict[str, Any], text: str, path: str
) -> tuple[dict[str, Any], list[str]]:
    """Return the data of schemasync's shape that `data` (either shape) says, and the warnings
    about what schemasync does not do as the template's keys say.

    Raises:
        ConfigError: a mode that is none of `MODES`.
    """
    model = {k: v for k, v in data.items() if k in _OWN_KEYS}
    warnings: list[str] = []
    ssot = data.get("ssot")
    said = [  # where the template keeps the mode, first found wins
        (where, value)
        for where, present, value in (
            ("db.ssot", isinstance(data.get("db"), dict) and "ssot" in data["db"],
             _dig(data, ("db", "ssot"))),
            ("ssot.mode", isinstance(ssot, dict) and "mode" in ssot, _dig(data, ("ssot", "mode"))),
            ("ssot", "ssot" in data and not isinstance(ssot, dict), ssot),
            ("mode", "mode" in data, data.get("mode")),
        )
        if present
    ]  # fmt: skip
    if said:
        where, mode = said[0]
        if mode not in MODES:
            loc = tuple(where.split("."))
            line, col = _line_col_of_key(text, loc[-1], loc[:-1])
            close = difflib.get_close_matches(str(mode), MODES, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(
                f"{path}:{line}:{col}: {where}: unknown mode {mode!r}; {hint}use 'database' (the "
                f"live database is the SSOT) or one of {', '.join(MODES[1:])}"
            )
        model["mode"] = mode
        differ = [f"{w} says {v!r}" for w, v in said[1:] if v != mode]
        if differ:
            warnings.append(
                f"{path}: the mode is {mode!r} (from {where}); {', '.join(differ)}: make them agree"
            )
    schema = _dig(data, ("paths", "prismaSchema"))
    if isinstance(schema, str):
        if "prismaSchema" not in model:
            model["prismaSchema"] = schema  # the same setting: honoured
        elif schema != model["prismaSchema"]:
            warnings.append(
                f"{path}: paths.prismaSchema is {schema!r}, prismaSchema {model['prismaSchema']!r}"
                " wins: make them agree"
            )
    for keys, ours, what in _TEMPLATE_PATHS:
        value = _dig(data, keys)
        if value is not None and value != ours:
            line, col = _line_col_of_key(text, keys[-1], keys[:-1])
            warnings.append(
                f"{path}:{line}:{col}: {'.'.join(keys)} is {json.dumps(value)}, but schemasync "
                f"keeps {what} at {ours}: set it to {json.dumps(ours)} (readers of the other "
                "path would find nothing)"
            )
    return model, warnings


def _template_environments(text: str, path: str, warnings: list[str]) -> dict[str, Any]:
    """Return the environments of the `.ai` template's `db-environments.json` in schemasync's
    shape: `id` names the environment; its variable is `urlEnv` when the entry has one, else
    `DATABASE_URL` (a `connectionTemplate` is a template, never read for a name or a value);
    migrations by `"change-request"` or not at all (`false`) ask for confirmation.

    Raises:
        ConfigError: not JSON, not the template's shape, unknown keys.
    """
    data: Any = parse_json(text, path, ConfigError, "fix the syntax")
    envs = data.get("environments") if isinstance(data, dict) else None
    if not isinstance(envs, list):
        raise ConfigError(
            f'{path}:1:1: expected {{"environments": [{{"id": "dev", ...}}, ...]}}; fix the file '
            f'or list the environments in {CONFIG_PATH} ("environments")'
        )

    def known_of(loc: tuple[str, ...]) -> tuple[str, ...]:
        return _ENV_FILE_KNOWN.get(tuple("*" if p.isdigit() else p for p in loc), ())

    _refuse_unknown_keys(data, text, path, known_of)
    out: dict[str, Any] = {}
    for i, entry in enumerate(envs):
        env_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(env_id, str):
            raise ConfigError(f'{path}:1:1: environments[{i}] needs an "id" (dev, staging or prod)')
        at = text.find(json.dumps(env_id))
        line = text.count("\n", 0, max(at, 0)) + 1
        col = max(at, 0) - (text.rfind("\n", 0, max(at, 0)) + 1) + 1
        if env_id not in ENV_NAMES:
            warnings.append(
                f"{path}:{line}:{col}: environment {env_id!r} is none of schemasync's "
                f"({', '.join(ENV_NAMES)}): skipped"
            )
            continue
        migrations = _dig(entry, ("permissions", "migrations"))
        env: dict[str, Any] = {"urlEnv": entry.get("urlEnv", "DATABASE_URL")}
        if migrations is False or migrations == "change-request":
            env["confirm"] = True
        out[env_id] = env
    return out


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
    if data["context"]["format"] is None:  # the format of the file there: the default
        del data["context"]["format"]
    for env in data["environments"].values():
        if not env["schemas"]:
            del env["schemas"]
        if not env["confirm"]:
            del env["confirm"]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
