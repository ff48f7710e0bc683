"""The tasks that are not phases: `init` (the skeleton), `snapshot` (a tables.json of a schema or
a live database) and `drift` (the live database against the mirror).

Like the phases they return data and ask for writes (`runner.py` performs them); `init` and
`snapshot` work without a project config, on `Options` alone.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from schemasync.config import CONFIG_PATH, load_config
from schemasync.errors import ArtifactError, ConfigError, DriftDetected, SourceError
from schemasync.fsio import TEMP_PATTERN, resolve_in, shorten
from schemasync.options import Options
from schemasync.project import config_redactor, inside, read_config, resolve_root
from schemasync.redact import mask_schema
from schemasync.result import Result, later
from schemasync.state import CONTEXT_PATH, MIRROR_PATH, RunState

if TYPE_CHECKING:
    from schemasync.model import Schema
    from schemasync.proposals import Proposal, ProposalCheck

SKELETON_FOLDERS: tuple[str, ...] = ("db/schema", "db/handbook", "docs/context/db")


#: What `init` git-ignores: the run folders, the lock and the `CURRENT` pointer (evidence meant
#: to be kept goes to `dev-docs/active/<slug>/`, which stays tracked).
GITIGNORE = ".gitignore"
IGNORED = ".ai/.tmp/"
#: Every entry `init` adds, and why: the runs, and the temp files a killed run leaves beside the
#: files it writes (`fsio.write_atomic`; the next run removes them).
IGNORED_ENTRIES: tuple[tuple[str, str], ...] = (
    (IGNORED, "run folders, lock, CURRENT: not for commits"),
    (TEMP_PATTERN, "temp files of killed runs, removed by the next run"),
)


@dataclass(frozen=True, kw_only=True)
class Written(Result):
    """`init`: the files it asks to write (also its report), and the project's state after it,
    for the next steps.

    Attributes:
        written: the files it writes, project-relative.
        ignored: the entries added to `.gitignore` (`IGNORED_ENTRIES` not there yet).
        mode: the config's mode after `init`, or None: there is no config yet.
        schema_rel: the Prisma schema's path (the config's, else the default).
        has_schema: the schema exists.
        command: how the user runs a task (`Options.command`), for the hints.
    """

    written: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    mode: str | None = None
    schema_rel: str = "prisma/schema.prisma"
    has_schema: bool = False
    command: Callable[[str], str] = field(compare=False)


def gitignore_text(text: str | None, entry: str = IGNORED) -> str | None:
    """Return `.gitignore` with `entry` appended, or None when it already ignores it.

    `entry` counts as there written with or without a leading `/`, a trailing `/`, `*` or
    `**`; the file's other lines, its line endings and its final newline are kept.

    >>> gitignore_text("node_modules/\n")
    'node_modules/\n.ai/.tmp/\n'
    >>> gitignore_text("/.ai/.tmp\n") is None
    True
    """
    bare = entry.strip("/")
    for line in (text or "").splitlines():
        pattern = line.strip().lstrip("/").removesuffix("**").removesuffix("*").rstrip("/")
        if pattern == bare:
            return None
    if not text:
        return f"{entry}\n"
    newline = "\r\n" if "\r\n" in text else "\n"
    return text + ("" if text.endswith("\n") else newline) + entry + newline


def _empty_mirror(root: Path, schema_rel: str) -> str | None:
    """Return an empty mirror for the schema's provider, or None when it is not known yet."""
    from schemasync.mirror import dump_mirror
    from schemasync.model import PROVIDERS, Schema, Source
    from schemasync.prisma.datasource import read_datasource
    from schemasync.prisma.parser import parse_schema
    from schemasync.sources.prisma import read_prisma_sources

    path = inside(root, schema_rel, "prismaSchema")
    try:
        provider = read_datasource(parse_schema(read_prisma_sources(path, root).files)).provider
    except SourceError:
        return None
    if provider not in PROVIDERS:
        return None
    empty = Schema.model_validate(
        {
            "provider": provider,
            "source": Source(kind="prisma", path=None, sha256=hashlib.sha256(b"").hexdigest()),
        }
    )
    return dump_mirror(empty)


def _agents_write(root: Path) -> list[tuple[str, str]]:
    """Return the write that makes `AGENTS.md`'s schemasync block current (none when it is).

    Raises:
        ArtifactError: the file is not UTF-8, or its markers are broken.
    """
    from schemasync.agents import AGENTS_PATH, update_agents
    from schemasync.fsio import read_text

    text = read_text(
        inside(root, AGENTS_PATH, AGENTS_PATH), AGENTS_PATH, ArtifactError, "save it as UTF-8 text"
    )
    updated = update_agents(text)
    return [] if updated == text else [(AGENTS_PATH, updated)]


def init(options: Options) -> Written:
    """Install the skeleton (mirror folders, handbook README, context folder, an empty mirror
    when the schema's provider is known, the schemasync block of `AGENTS.md` in database mode),
    git-ignore `.ai/.tmp/` and the temp files of killed
    runs; `db-ssot.json` only with `--mode`, never over one.

    Raises:
        ConfigError: a bad `--mode`, an existing config with `--mode`, an invalid config, an
            unreadable `.gitignore`.
    """
    from schemasync.config import default_config_text
    from schemasync.fsio import read_text
    from schemasync.phases import HANDBOOK_README, handbook_text  # the table imports us

    root = resolve_root(options.root, options.cwd)
    writes: list[tuple[str, str]] = []
    config_exists = (root / CONFIG_PATH).exists()
    if options.mode is not None:
        if options.mode not in ("database", "repo-prisma"):
            raise ConfigError(f"--mode {options.mode!r}: use 'database' or 'repo-prisma'")
        if config_exists:
            raise ConfigError(f"{CONFIG_PATH}: already exists; edit it instead of re-creating it")
        writes.append((CONFIG_PATH, default_config_text(options.mode)))
    config = read_config(root, options.program)[1] if config_exists else load_config(
        f'{{"mode": "{options.mode or "database"}"}}'
    )  # fmt: skip
    for rel in (*SKELETON_FOLDERS, HANDBOOK_README, MIRROR_PATH, config.prisma_schema, GITIGNORE):
        inside(root, rel, rel)
    if not (root / HANDBOOK_README).exists():
        writes.append((HANDBOOK_README, handbook_text(options.command("sync"))))
    if config.mode == "database":
        writes += _agents_write(root)
    if not (root / MIRROR_PATH).exists():
        empty = _empty_mirror(root, config.prisma_schema)
        if empty is not None:
            writes.append((MIRROR_PATH, empty))
    ignore = read_text(
        inside(root, GITIGNORE, GITIGNORE), GITIGNORE, ConfigError, "save it as UTF-8 text"
    )
    ignored: list[str] = []
    for entry, _ in IGNORED_ENTRIES:
        added = gitignore_text(ignore, entry)
        if added is not None:
            ignore = added
            ignored.append(entry)
    if ignored:
        assert ignore is not None
        writes.append((GITIGNORE, ignore))
    return Written(
        written=tuple(rel for rel, _ in writes),
        ignored=tuple(ignored),
        mode=config.mode if config_exists or options.mode else None,
        schema_rel=config.prisma_schema,
        has_schema=(root / config.prisma_schema).exists(),
        command=options.command,
        folders=SKELETON_FOLDERS,
        writes=tuple(writes),
    )


@dataclass(frozen=True, kw_only=True)
class Snapshot(Result):
    """`snapshot`: the mirror text, and where it was asked to go (None: stdout)."""

    text: str
    out: str | None


#: What schemasync (or Prisma) keeps in a project: `snapshot --out` never writes over it. Files,
#: and the folders whose files are evidence or templates.
MANAGED_FILES = (CONFIG_PATH, MIRROR_PATH, CONTEXT_PATH)
MANAGED_FOLDERS = re.compile(
    r"(\.ai/\.tmp/db-sync|dev-docs/active/[^/]+/artifacts/db|evidence_templates|docs/db)/"
)


def _managed(root: Path, schema_rel: str, target: Path) -> str | None:
    """Return what the real path `target` is when schemasync or Prisma manages it (None: a
    free path)."""
    try:
        rel = target.relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        return None  # outside the project
    if rel in MANAGED_FILES or MANAGED_FOLDERS.match(rel):
        return rel
    schema = PurePosixPath(schema_rel)
    if PurePosixPath(rel) == schema or schema in PurePosixPath(rel).parents:
        return f"{rel} (the Prisma schema)"
    return None


def snapshot(options: Options) -> Snapshot:
    """Return the mirror of a Prisma schema (`--prisma`) or of a live database (`--url-env`).

    Explicit paths may be absolute or outside the project (relative ones are read from the
    project folder); inside a project, `--out` refuses a file schemasync manages. A live
    database is read with the schemas of the project's environment whose `urlEnv` is the
    variable (or `--schemas`), and a relative SQLite path from the schema's folder.

    Raises:
        ConfigError: neither or both sources given, `--out` names a managed file, an invalid
            project config.
        SourceError: the schema cannot be read or imported.
        DatabaseError: the database cannot be read, or a schema asked for does not exist.
    """
    from schemasync.mirror import dump_mirror

    named = [f for f in (options.prisma, options.url_env, options.ddl) if f is not None]
    if len(named) != 1:
        raise ConfigError(
            "snapshot: give exactly one of --prisma PATH, --url-env VAR or --ddl FILE"
        )
    if options.dialect is not None and options.ddl is None:
        raise ConfigError("snapshot: --dialect goes with --ddl FILE")
    root = resolve_root(options.root, options.cwd)
    config = read_config(root, options.program)[1] if (root / CONFIG_PATH).is_file() else None
    schema_rel = config.prisma_schema if config else "prisma/schema.prisma"
    out = _out_path(root, options.out, schema_rel, "snapshot")
    redactor = config_redactor(config, options.url_env)
    if options.prisma is not None:
        from schemasync.prisma.load import load_prisma

        path = _given_path(root, options.prisma, "--prisma")
        if not os.path.lexists(path):
            raise SourceError(f"{options.prisma}: no such schema file or folder")
        schema = load_prisma(path, root, redactor.value if redactor.secrets else None)
    elif options.ddl is not None:  # ddl-import
        from schemasync.sources.ddl import read_ddl

        path = _given_path(root, options.ddl, "--ddl")
        schema = read_ddl(path, root, dialect=options.dialect, schemas=options.schemas)
    else:
        from schemasync.introspect import snapshot_database

        assert options.url_env is not None
        envs = [e for e in (config.environments.values() if config else ()) if
                e.url_env == options.url_env]  # fmt: skip
        schema = snapshot_database(
            url_env=options.url_env,
            schemas=options.schemas or (envs[0].schemas if envs else ()),
            timeout=options.timeout,
            base=_schema_folder(inside(root, schema_rel, "prismaSchema")),
            root=root,
        )
    # the model masked the secret forms; the variables' values are masked here (a comment
    # holding the bare password of --url-env), before the text is JSON
    schema = mask_schema(schema, redactor)
    text = dump_mirror(schema)
    return Snapshot(
        text=text,
        out=options.out,
        writes=((str(out), text),) if out is not None else (),
    )


def _out_path(root: Path, out: str | None, schema_rel: str, what: str) -> Path | None:
    """Return where `--out` writes (None: stdout), refusing a file schemasync manages.

    Raises:
        ConfigError: the path is a managed file or leaves the project through a symlink.
    """
    if out is None:
        return None
    given = PurePosixPath(out)
    path = _given_path(root, str(given.parent), "--out") / given.name
    # the file itself is checked too: a symlink there is replaced, but it must not lead out
    for target in (path, _given_path(root, out, "--out")):
        if (managed := _managed(root, schema_rel, target)) is not None:
            raise ConfigError(
                f"--out {out!r}: {managed} is a file schemasync manages; write the {what} "
                "somewhere else"
            )
    return path


@dataclass(frozen=True, kw_only=True)
class Export(Result):
    """`export`: the mirror as DBML or Mermaid, and where it was asked to go (None: stdout)."""

    text: str
    out: str | None


#: `export --format X`: the renderer of each format (mirror -> text).
EXPORTS: dict[str, Callable[[Schema], str]] = {
    "dbml": later("schemasync.dbml:render_dbml"),
    "mermaid": later("schemasync.diagram:render_mermaid"),
}


def export(options: Options) -> Export:
    """Return the committed mirror (`db/schema/tables.json`) as DBML or as a Mermaid
    `erDiagram` (`--format`), for stdout or `--out`; needs no database and no Prisma schema.

    Raises:
        ConfigError: no `--format` (or one export does not know), `--out` names a managed file,
            an invalid project config.
        ArtifactError: the mirror is missing, corrupt or of an unknown format.
    """
    from schemasync.fsio import read_text
    from schemasync.mirror import load_mirror

    if options.format not in EXPORTS:
        raise ConfigError(f"export: give --format {' or --format '.join(EXPORTS)}")
    root = resolve_root(options.root, options.cwd)
    config = read_config(root, options.program)[1] if (root / CONFIG_PATH).is_file() else None
    schema_rel = config.prisma_schema if config else "prisma/schema.prisma"
    out = _out_path(root, options.out, schema_rel, "export")
    sync = options.command("sync")
    fix = f"the mirror is generated: run `{sync}` to rebuild it"
    text = read_text(inside(root, MIRROR_PATH, MIRROR_PATH), MIRROR_PATH, ArtifactError, fix)
    if text is None:
        raise ArtifactError(f"{MIRROR_PATH}: missing; run `{sync}` to write the mirror first")
    rendered = EXPORTS[options.format](load_mirror(text, MIRROR_PATH, rebuild=sync))
    return Export(
        text=rendered, out=options.out, writes=((str(out), rendered),) if out is not None else ()
    )


def _given_path(root: Path, value: str, flag: str) -> Path:
    """Return the real path of a path given on the command line (`--out`, `--prisma`).

    Such a path may lie outside the project when it says so (absolute, or `..`); one that names
    a place inside the project must stay there: a symlink out of it is refused.

    Raises:
        ConfigError: the path leaves the project through a symlink, loops, or is too long.
    """
    label = f"{flag} {shorten(value)!r}"
    if any(not c.isprintable() for c in value):
        raise ConfigError(f"{label}: a path with control characters or bytes that are not UTF-8")
    lexical = Path(os.path.normpath(root / value))
    if lexical.is_relative_to(root):
        return resolve_in(root, lexical, label)
    return resolve_in(Path(lexical.anchor), lexical, label)  # outside by choice


def _schema_folder(path: Path) -> Path:
    """The folder a relative SQLite path is read from: the schema file's (Prisma's rule)."""
    return path if path.is_dir() else path.parent


@dataclass(frozen=True, kw_only=True)
class Drift(Result):
    """`drift`: the live database's differences from the mirror (empty: no drift)."""

    env: str
    url_env: str
    changes: tuple[Any, ...]  # diff.Change, of class drift
    tables: int
    views: int
    enums: int
    mirror_sha256: str
    live_sha256: str
    classified: tuple[Any, ...] = ()  # introspect.drift.Classified, every difference
    captured: bool = False  # the mirror has a capture laid on

    @property
    def of_class(self) -> dict[str, tuple[Any, ...]]:
        """The classified differences by class (`drift`, `not_mirrored`, `ignored`)."""
        out: dict[str, tuple[Any, ...]] = {"drift": (), "not_mirrored": (), "ignored": ()}
        for c in self.classified:
            out[c.cls] = (*out[c.cls], c)
        return out


def drift(state: RunState) -> Drift:
    """Introspect the environment's database (read-only) and compare it with the mirror.

    Raises:
        ConfigError: no mirror yet, or the URL variable is unset or of an unknown scheme.
        DatabaseError: the database cannot be read.
    """
    from schemasync.introspect import snapshot_database
    from schemasync.introspect.drift import classify, drift_changes

    run = state.run
    environment = run.environment
    text = state.read(MIRROR_PATH)
    if text is None:
        raise ConfigError(
            f"{MIRROR_PATH} does not exist: run `{run.command('import-prisma')}` first (drift "
            "compares the live database with the mirror)"
        )
    mirror = state.load_mirror(text)
    mirror_schemas = tuple(sorted({t.db_schema for t in mirror.tables if t.db_schema}))
    live = snapshot_database(
        environment.url_env,
        schemas=run.options.schemas or environment.schemas or mirror_schemas,
        timeout=run.options.timeout,
        previous=mirror,
        base=_schema_folder(run.path(state.schema_rel, "prismaSchema")),
        root=run.root,
        rich=True,
    )
    classified = classify(
        drift_changes(mirror, live),
        mirror,
        live,
        run.config.drift.ignore,
        capture_hint=f"{run.command('pull')} --env {run.options.env}",
    )
    changes = tuple(c.change for c in classified if c.cls == "drift")
    count = f"{len(changes)} difference{'s' if len(changes) != 1 else ''}"
    return Drift(
        env=run.options.env,
        url_env=environment.url_env,
        changes=changes,
        tables=len(live.tables),
        views=len(live.views),
        enums=len(live.enums),
        mirror_sha256=state.sha256(text),
        live_sha256=live.source.sha256,
        classified=classified,
        captured=mirror.source.capture is not None,
        failure=DriftDetected(
            f"drift: the {run.options.env} database differs from {MIRROR_PATH} ({count})"
        )
        if changes
        else None,
    )


@dataclass(frozen=True, kw_only=True)
class Pulled(Result):
    """`pull`: the live capture written to `db/schema/database-facts.json`."""

    env: str
    url_env: str
    path: str
    sha256: str
    previous_sha256: str | None
    counts: dict[str, int]
    tables: int
    views: int


def _capture_counts(facts: Any) -> dict[str, int]:
    """Count the facts of a capture, by kind (what `pull` prints)."""
    counts = {
        "comments": sum(bool(t.comment) for t in facts.tables)
        + sum(bool(c.comment) for t in facts.tables for c in t.columns)
        + sum(bool(v.comment) for v in facts.views),
        "checks": sum(len(t.checks) for t in facts.tables),
        "partial/expression/opclass indexes": sum(len(t.indexes) for t in facts.tables),
        "identity columns": sum(bool(c.identity) for t in facts.tables for c in t.columns),
        "generated columns": sum(bool(c.generated) for t in facts.tables for c in t.columns),
        "deferrable foreign keys": sum(len(t.foreign_keys) for t in facts.tables),
        "lists": sum(c.list for t in facts.tables for c in t.columns),
        "view definitions": sum(bool(v.definition) for v in facts.views),
    }
    return {k: v for k, v in counts.items() if v}


def pull(state: RunState) -> Pulled:
    """Capture what only the live database knows into `db/schema/database-facts.json`.

    Read-only: the environment's database (URL from its `urlEnv`, never printed) is read with
    rich introspection, the same set-based catalog queries as `drift`; the capture records the
    environment and the Prisma schema's sha256 (no timestamp, host or secret) and is masked
    through the run's redactor.

    Raises:
        ConfigError: the URL variable is unset or of an unknown scheme.
        DatabaseError: the database cannot be read.
        ArtifactError: the previous capture cannot be read.
    """
    from schemasync.facts import FACTS_PATH, dump_facts, facts_of
    from schemasync.introspect import read_database
    from schemasync.redact import mask_schema

    run = state.run
    environment = run.environment
    schemas = run.options.schemas or environment.schemas
    # the facts only: no mirror is made of it (no digest of 1,000 tables' JSON: ~35 ms)
    live = read_database(
        environment.url_env,
        schemas=schemas,
        timeout=run.options.timeout,
        base=_schema_folder(run.path(state.schema_rel, "prismaSchema")),
        root=run.root,
        rich=True,
    )
    prisma_sha: str | None
    try:
        prisma_sha = state.sources.sha256
    except SourceError:
        prisma_sha = None
    live_schemas = tuple(sorted({t.db_schema for t in live.tables if t.db_schema}))
    facts = mask_schema(
        facts_of(
            live,
            environment=run.options.env,
            prisma_sha256=prisma_sha,
            schemas=live_schemas,
        ),
        run.redactor,
    )
    text = run.redactor.text(dump_facts(facts))
    previous = state.read(FACTS_PATH)
    return Pulled(
        env=run.options.env,
        url_env=environment.url_env,
        path=FACTS_PATH,
        sha256=state.sha256(text),
        previous_sha256=None if previous is None else state.sha256(previous),
        counts=_capture_counts(facts),
        tables=len(facts.tables),
        views=len(facts.views),
        writes=((FACTS_PATH, text),) if previous != text else (),
    )


@dataclass(frozen=True, kw_only=True)
class Status(Result):
    """`status`: the project's mode, where its files are, whether they exist, what the mirror
    holds (read-only: no gate, no lock, no evidence; any mode)."""

    mode: str
    paths: dict[str, str]  # prismaSchema, mirror, context
    exists: dict[str, bool]
    counts: dict[str, int] | None  # tables, views, enums of the mirror file; None: none read
    problems: tuple[str, ...] = ()  # why the mirror could not be read


def status(state: RunState) -> Status:
    """Return the project's status: mode, paths, which exist, the mirror's counts.

    Raises:
        ConfigError: no or an invalid `db-ssot.json` (raised when the run opens).
    """
    run = state.run
    paths = {"prismaSchema": state.schema_rel, "mirror": MIRROR_PATH, "context": CONTEXT_PATH}
    counts: dict[str, int] | None = None
    problems: tuple[str, ...] = ()
    try:
        if run.path(MIRROR_PATH).exists():
            schema = state.mirror_on_disk()[1]
            counts = {"tables": len(schema.tables), "views": len(schema.views),
                      "enums": len(schema.enums)}  # fmt: skip
    except ArtifactError as err:
        problems = (err.message,)
    return Status(
        mode=run.config.mode,
        paths=paths,
        exists={name: run.path(rel).exists() for name, rel in paths.items()},
        counts=counts,
        problems=problems,
    )


# ---- proposals (issue 16) -------------------------------------------------------------------


def proposal_dialect(provider: str) -> str:
    """The SQL dialect a mirror's proposals are written in (its provider's).

    Raises:
        ConfigError: the provider has no SQL dialect schemasync reads (MongoDB, SQL Server).
    """
    from schemasync.ddl import ALIASES

    dialect = ALIASES.get(provider)
    if dialect is None:
        raise ConfigError(
            f"{MIRROR_PATH}: provider {provider!r} has no SQL dialect schemasync can check "
            f"proposals in (it reads {', '.join(sorted(set(ALIASES.values())))})"
        )
    return dialect


def read_proposals(state: RunState) -> tuple[Proposal, ...]:
    """Every proposal file of the project, parsed (`proposals.Proposal`), sorted by path."""
    from schemasync.proposals import PROPOSALS_DIR, parse_proposal

    out = []
    for rel in state.listing(PROPOSALS_DIR, ".md"):
        text = state.read(rel)
        if text is not None:
            out.append(parse_proposal(text, rel))
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class Proposals(Result):
    """`proposals`: every proposal checked against the mirror; the files `--mark-landed` set."""

    checks: tuple[ProposalCheck, ...]
    mirror_sha256: str
    marked: tuple[str, ...] = ()


def proposals(state: RunState) -> Proposals:
    """Check every open proposal of `db/handbook/proposals/` against the mirror; with
    `--mark-landed`, set the status line of those that landed (that line only).

    Raises:
        ArtifactError: no mirror yet, or it is corrupt.
        ConfigError: the mirror's provider has no SQL dialect schemasync reads.
    """
    from schemasync.proposals import check_proposals, mark_landed_text

    run = state.run
    text, mirror = state.mirror_on_disk()
    checks = check_proposals(read_proposals(state), mirror, proposal_dialect(mirror.provider))
    marked: list[tuple[str, str]] = []
    if run.options.mark_landed:
        for check in checks:
            if check.state == "landed":
                rel = check.proposal.path
                source = state.read(rel) or ""
                marked.append((rel, mark_landed_text(source, check.proposal)))
    parse = [c.problem for c in checks if c.parse_error]
    failing = [c for c in checks if not c.applies]
    failure: SourceError | DriftDetected | None = None
    if parse:
        failure = SourceError(
            f"{parse[0]}" + (f" (and {len(parse) - 1} more)" if len(parse) > 1 else "")
        )
    elif failing:
        names = ", ".join(c.proposal.path for c in failing)
        failure = DriftDetected(
            f"proposals: {len(failing)} of {len(checks)} do not apply to {MIRROR_PATH}: {names}"
        )
    return Proposals(
        checks=checks,
        mirror_sha256=state.sha256(text),
        marked=tuple(rel for rel, _ in marked),
        writes=tuple(marked),
        failure=failure,
    )


@dataclass(frozen=True, kw_only=True)
class Proposed(Result):
    """`propose SLUG`: the proposal file it scaffolds."""

    path: str
    command: Callable[[str], str] = field(compare=False)


def propose(state: RunState) -> Proposed:
    """Scaffold `db/handbook/proposals/<slug>.md` from the packaged template (never over a
    file).

    Raises:
        ConfigError: no slug, a slug that is not `[a-z0-9][a-z0-9-]*`, or the file exists.
    """
    from importlib import resources
    from string import Template

    from schemasync.proposals import PROPOSALS_DIR, SLUG

    run = state.run
    slug = run.options.slug
    if not slug or not SLUG.fullmatch(slug):
        raise ConfigError(
            f"propose {slug or ''}: give the proposal a slug of a-z, 0-9 and - (e.g. "
            f"`{run.command('propose')} pets-chip-id`)".replace("propose : ", "propose: ")
        )
    rel = f"{PROPOSALS_DIR}/{slug}.md"
    if os.path.lexists(run.path(rel)):
        raise ConfigError(f"{rel} exists: edit it, or choose another slug")
    mirror = state.read(MIRROR_PATH)
    provider = state.load_mirror(mirror).provider if mirror is not None else None
    template = resources.files("schemasync").joinpath("proposal_templates", "proposal.md")
    text = Template(template.read_text(encoding="utf-8")).safe_substitute(
        title=slug.replace("-", " "),
        dialect=provider or "the database's dialect",
        proposals=run.command("proposals"),
        sync=run.command("sync"),
    )
    return Proposed(path=rel, command=run.command, writes=((rel, text),))
