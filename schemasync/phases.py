"""The phases of SPEC §2 and the other tasks, as one table (`TASKS`), and what each phase finds.

A phase is a function `RunState -> Result`: it reads through the state and returns data — what
it found, the files it asks to write, the error that ends the run once its evidence is recorded
— and never prints, renders markdown or writes (`report.py` turns results into text,
`runner.py` writes). The table is the one list of tasks: their names, aliases, help, evidence
files, options, pre/post chains; `tasks.py` generates the invoke tasks from it.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemasync import report
from schemasync.errors import (
    ArtifactError,
    ConfigError,
    DatabaseError,
    DriftDetected,
    ModeStop,
    SchemasyncError,
    SourceError,
)
from schemasync.evidence import DRIFT_EVIDENCE, EVIDENCE_FILES
from schemasync.layers import LayerReport
from schemasync.options import RUN_FLAGS
from schemasync.prisma.rules import PROVIDERS
from schemasync.project import mode_stop_message
from schemasync.result import Result, later
from schemasync.seed import (
    PrismaVersion,
    Seed,
    check_provider,
    make_seed,
    prisma_version,
    pull_argv,
)
from schemasync.state import MIRROR_PATH, RunState

if TYPE_CHECKING:
    from schemasync.model import Note, Schema
    from schemasync.proposals import Landing

HANDBOOK_README = "db/handbook/README.md"


# ---- Phase 0 ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ModeCheck(Result):
    """Phase 0: the mode, environment, dialect and evidence folder of the run."""

    mode: str
    env: str
    url_env: str
    confirm: bool
    provider: str | None
    schema_rel: str
    schema_sha256: str | None
    schema_problem: str | None
    config_sha256: str
    warnings: tuple[str, ...] = ()  # what the `.ai` template's keys say that schemasync does not


def mode_check(state: RunState) -> ModeCheck:
    """Phase 0: STOP unless in database mode; confirm the environment; find the dialect.

    Raises:
        ConfigError: the environment needs a confirmation that was not given (nothing written).
    """
    run = state.run
    env = run.environment
    stop = run.config.mode != "database"
    if not stop and env.confirm and not run.options.yes:
        question = f"Environment {run.options.env!r} asks for confirmation. Go on? [y/N] "
        if run.options.confirm is None:
            raise ConfigError(
                f"--env {run.options.env}: this environment needs confirmation and there is no "
                "terminal to ask; re-run with --yes if you mean it"
            )
        if not run.options.confirm(question):
            raise ConfigError(f"--env {run.options.env}: not confirmed; nothing was done")
    sha: str | None = None
    problem: str | None = None
    if not stop:
        try:
            sha = state.sources.sha256
        except SourceError as err:
            problem = err.message
    datasource = state.datasource_or_none() if sha is not None else None
    return ModeCheck(
        mode=run.config.mode,
        env=run.options.env,
        url_env=env.url_env,
        confirm=env.confirm,
        provider=datasource.provider if datasource else None,
        schema_rel=state.schema_rel,
        schema_sha256=sha,
        schema_problem=problem,
        config_sha256=state.sha256(run.config_text),
        warnings=run.config.warnings,
        failure=ModeStop(mode_stop_message(run.config)) if stop else None,
    )


# ---- Phase A ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PullInstructions(Result):
    """Phase A: how to pull, and the schema's sha256 before (and after, when it pulled)."""

    env: str
    url_env: str
    reads: str  # the variable the datasource's `url = env(…)` reads (else `url_env`)
    provider: str | None
    schema_rel: str
    folder: bool
    before: str | None
    after: str | None
    prisma: PrismaVersion = field(default_factory=PrismaVersion)
    capture_sha256: str | None = None  # db/schema/database-facts.json, when there is one
    seed: Seed | None = None  # the seed schema this run writes (there was no schema)
    unpulled: bool = False  # the schema is a seed nothing was pulled into (no model yet)
    needs_provider: bool = False  # no schema, and no provider to seed one


def _sha_or_none(state: RunState) -> str | None:
    try:
        return state.sources.sha256
    except SourceError:
        return None


def _capture_sha(state: RunState) -> str | None:
    """The sha256 of the live capture, or None when there is none (or it cannot be read)."""
    from schemasync.facts import FACTS_PATH

    try:
        text = state.read(FACTS_PATH)
    except ArtifactError:
        return None
    return None if text is None else state.sha256(text)


def capture_warnings(state: RunState) -> tuple[str, ...]:
    """Warn when the capture is older than the Prisma schema (taken while the schema had
    another sha256: the schema was pulled since) or was taken from another environment."""
    from schemasync.facts import FACTS_PATH

    captured = state.facts
    if captured is None:
        return ()
    facts = captured[1]
    pull = f"`{state.run.command('pull')} --env {state.run.options.env}`"
    out = []
    if facts.prisma_sha256 is not None and facts.prisma_sha256 != state.sources.sha256:
        out.append(
            f"{FACTS_PATH} is older than {state.schema_rel} (taken when the schema had sha256 "
            f"{facts.prisma_sha256[:12]}, it has {state.sources.sha256[:12]} now): run {pull} "
            "again so that both describe the same database"
        )
    if facts.environment != state.run.options.env:
        out.append(
            f"{FACTS_PATH} was taken from environment {facts.environment!r}, this run is "
            f"{state.run.options.env!r}: run {pull} to capture this one"
        )
    return tuple(out)


def _prisma_version(state: RunState) -> PrismaVersion:
    """Return the project's Prisma, from its `package.json` (read through the state)."""
    try:
        return prisma_version(state.read("package.json"))
    except ArtifactError:
        return PrismaVersion(problem="package.json is not readable UTF-8 text")


def _unpulled(state: RunState) -> bool:
    """Tell whether the schema holds no model, view, enum or type: a seed not pulled into."""
    try:
        return not state.document.of_kind("model", "view", "enum", "type")
    except SourceError:
        return False


def _run_pull(argv: list[str], root: Path, env: dict[str, str]) -> None:
    """Run the pull as a child process (it reads the URL itself; its output goes to the user).

    Raises:
        DatabaseError: npx cannot run, or the pull failed.
    """
    try:
        done = subprocess.run(argv, cwd=root, env=env, check=False)
    except OSError as err:
        raise DatabaseError(f"--run-pull: cannot run npx ({err.strerror}); install node") from err
    if done.returncode != 0:
        raise DatabaseError(
            f"--run-pull: `{' '.join(argv[:3])} db pull` failed with exit code "
            f"{done.returncode}; see its output above"
        )


def _pull_into_seed(
    seed: Seed, version: PrismaVersion, root: Path, env: dict[str, str]
) -> tuple[tuple[tuple[str, str], ...], str]:
    """Pull into a seed in a scratch folder; return the project files to write and their sha256.

    Prisma needs the seed on disk before it pulls, and project files are written by the runner
    after the phase (its evidence first): the seed and what Prisma makes of it stay outside the
    project until then.
    """
    from schemasync.sources.prisma import read_prisma_sources

    with tempfile.TemporaryDirectory(prefix="schemasync-seed-") as tmp:
        folder = Path(tmp)
        schema = folder / "schema.prisma"
        schema.write_text(seed.text, encoding="utf-8")
        _run_pull(pull_argv(version, str(schema)), root, env)
        pulled = read_prisma_sources(schema, folder)
        base = seed.path.rpartition("/")[0]
        writes = [(seed.path, pulled.files[0][1])]
        writes += [
            (f"{base}/{v.relative_to(folder).as_posix()}".lstrip("/"), v.read_text("utf-8"))
            for v in sorted((folder / "views").rglob("*.sql"))
        ]
        return tuple(writes), pulled.sha256


def pull_instructions(state: RunState) -> PullInstructions:
    """Phase A: the instructions' facts, pinned to the project's Prisma major; a seed schema
    when there is none (`--provider` or the datasource names the provider); with `--run-pull`,
    run the pinned `npx prisma@N db pull` too.

    Raises:
        ConfigError: a bad `--provider`, or one that contradicts the schema; `--run-pull` with
            the URL variable unset or no schema to pull into.
        DatabaseError: npx cannot run, or the pull failed.
    """
    run = state.run
    var = run.environment.url_env
    version = _prisma_version(state)
    exists = run.path(state.schema_rel).exists()
    datasource = state.datasource_or_none()
    given = check_provider(run.options.provider) if run.options.provider else None
    if given and datasource and datasource.provider and datasource.provider != given:
        raise ConfigError(
            f"--provider {given}: {state.schema_rel} already says provider "
            f"{datasource.provider!r}; --provider only seeds a schema that does not exist yet"
        )
    provider = given or (datasource.provider if datasource else None)
    seed = None
    if not exists and provider is not None:
        seed = make_seed(state.schema_rel, provider, var, run.environment.schemas, version)
    reads = (datasource.url_env if datasource else None) or var
    before = _sha_or_none(state)
    writes: tuple[tuple[str, str], ...] = ((seed.path, seed.text),) if seed else ()
    after: str | None = None
    if run.options.run_pull:
        if not exists and seed is None:
            raise ConfigError(
                f"--run-pull: no Prisma schema at {state.schema_rel} yet; add --provider "
                f"(one of {', '.join(PROVIDERS)}) to seed one for the pull"
            )
        if not os.environ.get(var):
            raise ConfigError(
                f"--run-pull: environment variable {var} is not set; export it in your shell "
                "(schemasync only checks that it is set, never reads it)"
            )
        # The child reads the URL itself; when the datasource names another variable, the
        # child gets the value under that name (it never passes through schemasync's output).
        child_env = {**os.environ, reads: os.environ[var]}
        if seed is not None:
            writes, after = _pull_into_seed(seed, version, run.root, child_env)
        else:
            _run_pull(pull_argv(version, state.schema_rel), run.root, child_env)
            after = _sha_or_none(state.fresh())
    return PullInstructions(
        env=run.options.env,
        url_env=var,
        reads=reads,
        provider=provider,
        schema_rel=state.schema_rel,
        folder=run.path(state.schema_rel).is_dir(),
        before=before,
        after=after,
        prisma=version,
        capture_sha256=_capture_sha(state),
        seed=seed,
        unpulled=exists and after is None and _unpulled(state),
        needs_provider=not exists and provider is None,
        writes=writes,
        refresh=run.options.run_pull or bool(writes),
    )


# ---- Phase B ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Imported(Result):
    """Phase B: the mirror imported from the schema, and what changed since the last one."""

    schema_rel: str
    sources_sha256: str
    tables: int
    views: int
    enums: int
    relations: int
    changes: tuple[Any, ...]  # diff.Change
    first: bool  # no previous mirror
    previous_sha256: str | None
    mirror_sha256: str
    rewritten: bool
    notes: tuple[Note, ...]
    warnings: tuple[str, ...]  # literal connection strings, a stale capture
    capture_sha256: str | None = None  # the live capture laid onto the mirror
    capture_added: tuple[tuple[str, int], ...] = ()  # what it added, by fact
    adopted: tuple[tuple[str, int], ...] | None = None  # a v2 mirror replaced: its defects
    proposals: tuple[Landing, ...] = ()  # open proposals against the new mirror (issue 16)
    ddl: bool = False  # the source is a SQL dump (`ddlSchema`), not a Prisma schema


def literal_url_problems(state: RunState) -> tuple[str, ...]:
    """Return a problem per literal connection string in the datasource (`url = "…"`), redacted.

    The database's URL belongs in an environment variable (`url = env("DATABASE_URL")`) or in
    `prisma.config.ts`; a literal one is a secret committed to the repository (SPEC §6).
    """
    from schemasync.redact import redact_url

    datasource = state.datasource_or_none()
    return tuple(
        f"{u.pos}: literal connection string in `{u.property}`"
        + (" (inside env(…), which takes the variable's name)" if u.in_env else "")
        + f" ({redact_url(u.value)}); "
        f'replace it with `{u.property} = env("DATABASE_URL")` (or set it in prisma.config.ts) '
        "and rotate the password"
        for u in (datasource.literal_urls if datasource else ())
    )


def import_prisma(state: RunState) -> Imported:
    """Phase B: import the Prisma schema into the mirror; compare with the previous one.

    Raises:
        SourceError: the schema cannot be read, parsed or imported.
        ArtifactError: the previous mirror is corrupt or of an unknown format.
    """
    from schemasync.diff import diff_schemas
    from schemasync.facts import summarize_added

    if _unpulled(state):  # the seed Phase A writes: a mirror of it would be empty, and green
        raise SourceError(
            "holds no model, view or enum yet (a seed): pull the database into it first "
            f"(`{state.run.command('pull-instructions')}` prints how)",
            file=state.schema_rel,
        )
    schema = state.schema
    text = state.mirror_text
    previous_text = state.read(MIRROR_PATH)
    adopted = adopted_defects(state, previous_text)
    previous = None
    if previous_text == text or adopted is not None:
        changes: tuple[Any, ...] = ()  # unchanged, byte for byte: nothing to parse or compare
    else:
        previous = None if previous_text is None else state.load_mirror(previous_text)
        changes = diff_schemas(previous, schema)
    landings, proposal_warnings = _landings(state, previous, schema, changes)
    writes = []
    if previous_text != text:
        writes.append((MIRROR_PATH, text))
    # after the mirror: a mirror write that fails leaves no handbook behind as a side effect
    if not state.run.path(HANDBOOK_README).exists():
        writes.append((HANDBOOK_README, handbook_text(state.run.command("sync"))))
    return Imported(
        schema_rel=state.schema_rel,
        sources_sha256=state.sources.sha256,
        tables=len(schema.tables),
        views=len(schema.views),
        enums=len(schema.enums),
        relations=len(schema.relations),
        changes=changes,
        first=previous_text is None,
        previous_sha256=None if previous_text is None else state.sha256(previous_text),
        mirror_sha256=state.sha256(text),
        rewritten=previous_text != text,
        notes=schema.notes,
        warnings=(*literal_url_problems(state), *capture_warnings(state), *proposal_warnings),
        capture_sha256=schema.source.capture.sha256 if schema.source.capture else None,
        capture_added=tuple(summarize_added(schema).items()),
        adopted=adopted,
        proposals=landings,
        ddl=state.run.config.ddl_schema is not None,
        writes=tuple(writes),
    )


def adopted_defects(state: RunState, previous: str | None) -> tuple[tuple[str, int], ...] | None:
    """What the `.ai` template's v2 mirror `previous` had wrong, counted against the v2 shape
    of the mirror that replaces it (`template_v2.v2_defects`); None when `previous` is none."""
    from schemasync.template_v2 import build_v2, is_v2, v2_defects

    if previous is None:
        return None
    try:
        data = json.loads(previous)
    except ValueError:
        return None
    if not is_v2(data):
        return None
    correct = build_v2(state.schema, state.sha256(state.mirror_text), "")
    return v2_defects(data, correct)


def _landings(
    state: RunState, previous: Schema | None, schema: Schema, changes: tuple[Any, ...]
) -> tuple[tuple[Landing, ...], tuple[str, ...]]:
    """The open proposals of `db/handbook/proposals/` against the new mirror (issue 16), and
    why they could not be checked: a sync never fails over a proposal."""
    from schemasync.commands import proposal_dialect, read_proposals
    from schemasync.proposals import check_landings

    try:
        found = read_proposals(state)
        if not found:
            return (), ()
        dialect = proposal_dialect(schema.provider)
    except SchemasyncError as err:
        return (), (f"proposals not checked: {err.message}",)
    return check_landings(found, previous, schema, dialect, changes), ()


def handbook_text(sync: str) -> str:
    """Return `db/handbook/README.md` as first written; `sync` is how the user runs a sync."""
    return HANDBOOK.replace("$sync", sync)


HANDBOOK = """# Database handbook

The live database is the single source of truth for this project's schema. Nothing in this
repository changes it: `db/schema/tables.json` and `docs/context/db/schema.json` are generated by
schemasync from `prisma db pull`, and `prisma/schema.prisma` is Prisma's view of the database.

To propose a change, add a markdown file here describing the desired state (tables, columns,
keys, indexes, data migration, rollback), and ask a DBA to apply it to the database. After it is
applied, pull the schema again and run `$sync`.
"""


# ---- Phase C ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ContextRefresh(Result):
    """Phase C: the context derived from the mirror on disk."""

    rewritten: bool
    tables: int
    views: int
    enums: int
    size: int
    mirror_size: int
    mirror_sha256: str
    context_sha256: str
    agents_rewritten: bool = False  # the schemasync block of AGENTS.md was written
    slices: int = 0  # files beside the index when the context is sliced
    pages: int | None = None  # docs/db/ pages derived (None: `"docs"` is off)
    pages_rewritten: int = 0  # of which written (new or changed), plus stale ones removed
    notes: tuple[str, ...] = ()  # what the mirror could not capture (`context --format json`)
    format: str = ""  # the context's format (`RunState.context_format`)
    registry_rewritten: bool = False  # the db-schema entry of docs/context/registry.json


def agents_write(state: RunState) -> tuple[tuple[str, str], ...]:
    """Return the write that makes `AGENTS.md`'s schemasync block current (none when it is).

    Raises:
        ArtifactError: the file is not UTF-8, or its markers are broken.
    """
    from schemasync.agents import AGENTS_PATH, update_agents

    text = state.read(AGENTS_PATH)
    updated = update_agents(text)
    return () if updated == text else ((AGENTS_PATH, updated),)


def context_source(state: RunState) -> tuple[str, Schema]:
    """Return the mirror text and model the context is derived from: the mirror file in
    database mode (Phase C, `context`); in repo-prisma mode the Prisma schema's import, in
    memory (`context`: that mode has no mirror file).

    Raises:
        ModeStop: a mode with neither (`none`, `convex`).
        ArtifactError: database mode, and the mirror is missing, corrupt or of an unknown format.
        SourceError: repo-prisma mode, and the schema cannot be read or imported.
    """
    mode = state.run.config.mode
    if mode == "database":
        return state.mirror_on_disk()
    if mode == "repo-prisma":
        return state.mirror_text, state.schema
    raise ModeStop(mode_stop_message(state.run.config))


def derived_writes(
    state: RunState, files: tuple[tuple[str, str], ...], folder: str, suffix: str
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Return the files of a derived set (context slices, docs pages) that differ from disk, in
    the given order (the file naming the others last), and the files of `folder` ending in
    `suffix` that the set no longer has (stale: the runner removes them after the writes)."""
    changed = tuple((rel, text) for rel, text in files if not state.holds(rel, text))
    current = {rel for rel, _ in files}
    return changed, tuple(r for r in state.listing(folder, suffix) if r not in current)


def refresh_context(state: RunState) -> ContextRefresh:
    """Phase C: derive the context from the mirror file; keep `AGENTS.md`'s block current.

    The `context` task runs it too, in any mode: from `context_source` (the Prisma schema's
    import in repo-prisma mode, where the block, which describes the database-SSOT workflow,
    is not written).

    Raises:
        ArtifactError: the mirror is missing, corrupt or of an unknown format; `AGENTS.md` is
            not UTF-8 or its markers are broken.
    """
    from schemasync.context import FORMAT, SLICE_FOLDER, ContextDocument
    from schemasync.docs import DOCS_FOLDER, render_docs

    mirror_text, schema = context_source(state)
    files = state.render_context(schema, mirror_text)
    fmt = state.context_format
    for _, part in files if fmt == FORMAT else ():
        ContextDocument.model_validate_json(part)  # the format its JSON Schema describes
    text = files[0][1]
    registry = state.registry_writes(text)
    # the slices before the index that names them; stale slices removed after both
    changed, stale = derived_writes(state, (*files[1:], files[0]), SLICE_FOLDER, ".json")
    rewritten = bool(changed or stale)
    derived: tuple[tuple[str, str], ...] = ()
    pages: tuple[tuple[str, str], ...] = ()
    old_pages: tuple[str, ...] = ()
    if state.run.config.docs:  # the pages before the README that links them
        derived = render_docs(schema)
        pages, old_pages = derived_writes(state, (*derived[1:], derived[0]), DOCS_FOLDER, ".md")
    # the block describes the database-SSOT workflow: not for a repo-prisma project
    agents = agents_write(state) if state.run.config.mode == "database" else ()
    return ContextRefresh(
        rewritten=rewritten,
        tables=len(schema.tables),
        views=len(schema.views),
        enums=len(schema.enums),
        size=len(text.encode()),
        mirror_size=len(mirror_text.encode()),
        mirror_sha256=state.sha256(mirror_text),
        context_sha256=state.sha256(text),
        agents_rewritten=bool(agents),
        slices=len(files) - 1,
        notes=tuple(f"{n.object}: {n.message}" for n in schema.notes),
        format=fmt,
        registry_rewritten=bool(registry),
        pages=len(derived) if state.run.config.docs else None,
        pages_rewritten=len(pages) + len(old_pages),
        writes=(*changed, *registry, *pages, *agents),
        removals=(*stale, *old_pages),
    )


# ---- Phase D ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LayerCheck(Result):
    """Phase D: the layering findings and what was scanned."""

    report: LayerReport
    models: tuple[str, ...]
    business: tuple[str, ...]
    repositories: tuple[str, ...]
    mirror_sha256: str
    problems: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def layer_report(state: RunState) -> tuple[LayerReport, tuple[str, ...], str]:
    """Return the layer report, the models checked (from the mirror) and the mirror's text."""
    from schemasync.layers import check_layers

    mirror_text, schema = state.mirror_on_disk()
    datasource = state.datasource_or_none()
    models = tuple(t.prisma_name for t in schema.tables if t.prisma_name and not t.ignored)
    layers = state.run.config.layers
    code = state.layer_files
    found = check_layers(
        code.files,
        layers.business,
        layers.repositories,
        models,
        datasource.outputs if datasource else (),
        code.unreadable,
        require_mapping=layers.require_repository_mapping,
        exempt=layers.models_without_repository,
    )
    return found, models, mirror_text


def _unmapped(model: str) -> str:
    return f"model {model}: no file in the repository layer names it"


def layer_problems(found: LayerReport) -> tuple[str, ...]:
    """Return Phase D's failures as lines (empty when the layering is clean): every finding,
    and the unmapped models when the project requires the mapping."""
    return (*(str(f) for f in found.findings), *map(_unmapped, found.mapping_failures))


def layer_warnings(found: LayerReport) -> tuple[str, ...]:
    """Return Phase D's warnings as lines: unmapped models while the mapping is not required,
    and exempt names that are not models (a stale allow-list)."""
    optional = (
        " (a warning: set `layers.requireRepositoryMapping` to make it fail, or list the model "
        "in `layers.modelsWithoutRepository`)"
    )
    return (
        *(_unmapped(m) + optional for m in found.mapping_warnings),
        *(
            f"layers.modelsWithoutRepository: {m!r} is not a model of the mirror; remove it"
            for m in found.unknown_exempt
        ),
    )


def check_layers(state: RunState) -> LayerCheck:
    """Phase D: no Prisma client in the business layer; every model has a repository (a
    warning until the project requires it)."""
    found, models, mirror_text = layer_report(state)
    problems = layer_problems(found)
    layers = state.run.config.layers
    failure = None
    if problems:
        failure = DriftDetected(
            f"phase D: {len(problems)} layering finding(s), see "
            f"{state.run.evidence}/{EVIDENCE_FILES[4]}:\n" + "\n".join(problems)
        )
    return LayerCheck(
        report=found,
        models=models,
        business=layers.business,
        repositories=layers.repositories,
        mirror_sha256=state.sha256(mirror_text),
        problems=problems,
        warnings=layer_warnings(found),
        failure=failure,
    )


# ---- the table --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Step:
    """One task: a row of the table.

    Attributes:
        name: the task name (`import-prisma`).
        alias: the phase alias (`phase-b`), or None.
        phase: the phase id of SPEC §2 (`B`), or None for the other tasks.
        summary: one line: `--list` and the README's tables show it.
        does: what it does, in more words (markdown): `--help` and the README show it.
        writes: what it writes, for `--help` (a phase: its evidence file).
        flags: the options it takes (names in `options.FLAGS`).
        run: what it does; phases and `verify`/`check`/`drift` take a `RunState`, `init` and
            `snapshot` take `Options` (no config needed).
        report: turns its result into terminal lines and evidence (`report.py`).
        evidence: the evidence file it writes, or None.
        pre / post: tasks invoke runs before / after it.
        lock: it takes the project lock and works in an evidence folder (a run).
        fresh: it needs a state that has read and derived nothing (`verify`, `check`): the
            runner gives it one and lets the previous one go (its memory is reused).
        gate: run as another task's pre task (the Phase 0 gate) in a run that goes on (not a
            new one: `sync` starts one), it records its evidence only where there is none yet:
            re-checking the gate never rewrites a record.
        standalone: it needs no project config (`init`, `snapshot`).
        positional: the options also given without their flag (`propose SLUG`).
    """

    name: str
    alias: str | None = None
    phase: str | None = None
    summary: str
    does: str
    writes: str = ""
    flags: tuple[str, ...]
    run: Callable[[Any], Any]
    report: Callable[[Any, Any], report.Report]
    evidence: str | None = None
    pre: tuple[str, ...] = ()
    post: tuple[str, ...] = ()
    lock: bool = False
    fresh: bool = False
    gate: bool = False
    standalone: bool = False
    positional: tuple[str, ...] = ()

    @property
    def doc(self) -> str:
        """The task's help text: the summary, what it does, what it writes."""
        writes = self.writes or f"Writes {self.evidence}."
        does = textwrap.fill(f"{self.does[:1].upper()}{self.does[1:]}.", 76)
        return f"{self.summary}\n\n{does}\n\n{writes}"


GATE = ("mode-check",)
PHASE_NAMES = (
    "mode-check",
    "pull-instructions",
    "import-prisma",
    "refresh-context",
    "check-layers",
)


def _phase(
    index: int,
    name: str,
    summary: str,
    does: str,
    run: Callable[[RunState], Result],
    render: Callable[[Any, Any], report.Report],
    flags: tuple[str, ...] = (),
) -> Step:
    """A phase row: its alias, id and evidence file follow from its place in SPEC §2; every
    phase but Phase 0 runs the Phase 0 gate first."""
    phase = "0ABCD"[index]
    return Step(
        name=name, alias=f"phase-{phase.lower()}", phase=phase, evidence=EVIDENCE_FILES[index],
        summary=summary, does=does, flags=(*RUN_FLAGS, *flags), run=run, report=render,
        pre=GATE if index else (), lock=True, gate=not index,
    )  # fmt: skip


def _tasks() -> tuple[Step, ...]:
    from schemasync import commands

    return (
        _phase(
            0, "mode-check", "Phase 0: validate db-ssot.json; STOP unless the mode is database.",
            "validates `docs/project/db-ssot.json`; mode must be `database`, else STOP (exit 3) "
            "pointing to the inverse workflow `sync-db-schema-from-code`; confirms the "
            'environment (asks when it has `"confirm": true`) and the dialect; picks the '
            "evidence folder",
            mode_check, report.mode_check,
        ),
        _phase(
            1, "pull-instructions", "Phase A: print how to run `prisma db pull` safely.",
            "prints copy-paste `npx prisma@6 db pull` instructions for the environment and "
            "provider, pinned to the project's Prisma major (`package.json`; Prisma 8 has no "
            "`db pull`: it says what to run instead), env var names only, production cautions; "
            "with no Prisma schema yet, writes a seed for the pull to fill (provider from "
            "`--provider`, `url = env(…)`, the `views` preview feature, the environment's "
            "`schemas`); records the schema's sha256 before the pull; `--run-pull` runs the "
            "pull as a child process",
            pull_instructions, report.pull_instructions, flags=("run_pull", "provider"),
        ),
        _phase(
            2, "import-prisma", "Phase B: import the Prisma schema into db/schema/tables.json.",
            "installs the handbook if missing, imports the Prisma schema (file or folder, plus "
            "`views/`) into `db/schema/tables.json`, reports the change against the previous "
            "mirror in alembic's words (`add_table`, `remove_column`, `modify_type`, "
            "`modify_nullable`, `modify_default`, `add_index`, `remove_fk`, `add_relation`, …)",
            import_prisma, report.import_prisma,
        ),
        _phase(
            3, "refresh-context", "Phase C: derive the LLM context from the mirror.",
            "derives `docs/context/db/schema.json` (format `schemasync/context@3`) from the "
            "mirror; keeps the schemasync block of `AGENTS.md` current (creates the file when "
            'missing; text outside the block is kept); with `"docs": true`, writes the pages '
            "for people: `docs/db/README.md` and a page per table, with Mermaid ER diagrams",
            refresh_context, report.refresh_context,
        ),
        _phase(
            4, "check-layers", "Phase D: no Prisma client in business code; models mapped.",
            "reports every `@prisma/client` / generator-`output` import, `Prisma.` type or "
            "Python `prisma` import in business-layer files as `file:line`, and every layer file "
            "it cannot scan (over 2 MB, not UTF-8, unreadable); findings exit 1. Lists models no "
            "repository-layer file names: warnings, failing only with "
            "`layers.requireRepositoryMapping` (exempt: `layers.modelsWithoutRepository`)",
            check_layers, report.check_layers,
        ),
        Step(
            name="verify",
            summary="Re-derive mirror and context; check evidence 00-04 and layers; write nothing.",
            does="reads every input afresh (independent of what the phases of the same run "
            "derived) and compares the re-derived mirror and context with the files byte for "
            "byte; checks evidence 00-04 exist, parse (markdown-it-py) and have their headings "
            "and checklist; re-runs Phase D; fails on a literal connection string in the "
            "datasource (shown redacted); prints the checklist; any problem exits 1, a stale "
            "mirror with the changes a sync makes",
            writes="Writes nothing.",
            flags=RUN_FLAGS, run=later("schemasync.verify:verify"), report=report.verification,
            pre=GATE, lock=True,
            fresh=True,
        ),
        Step(
            name="sync",
            summary="Run phases 0, A, B, C, D, then verify: evidence 00-04, mirror and context.",
            does="runs the phases in order in one run (one config read, one lock, one evidence "
            "folder), then `verify`",
            writes="Writes evidence 00-04, the mirror and the context.",
            flags=(*RUN_FLAGS, "run_pull", "provider"), run=later("schemasync.verify:synced"),
            report=report.synced,
            pre=PHASE_NAMES, post=("verify",), lock=True,
        ),
        Step(
            name="init",
            summary="Install the mirror skeleton: db/schema/, db/handbook/, docs/context/db/.",
            does="creates the folders, `db/handbook/README.md`, an empty mirror when the "
            "schema's provider is known and, in database mode, the schemasync block of "
            "`AGENTS.md`",
            writes="Writes db-ssot.json only with --mode (never over one). Writes no evidence.",
            flags=("root", "mode"), run=commands.init, report=report.written, standalone=True,
        ),
        Step(
            name="check",
            summary="For CI and pre-commit: mirror and context match the Prisma schema (no DB).",
            does="`verify` without evidence and layers: re-derives mirror and context (and the "
            'pages of `docs/db/` with `"docs": true`) and compares them with the files, checks '
            "the schemasync block of `AGENTS.md` (when "
            "the file exists) and for literal connection strings; needs no database",
            writes="Writes nothing.",
            flags=("root", "env", "format"), run=later("schemasync.verify:check"),
            report=report.verification,
            fresh=True,
        ),
        Step(
            name="snapshot",
            summary="Print (or --out) a tables.json of a Prisma schema, a live database or a SQL "
            "dump.",
            does="the low-level import: `--prisma PATH` (a schema file or folder), `--url-env "
            "VAR` (the live database whose URL is in VAR, read-only) or `--ddl FILE` (a SQL "
            "dump: pg_dump, mysqldump, SQLite `.schema`; no database)",
            writes="Writes no evidence.",
            flags=("root", "prisma", "url_env", "ddl", "dialect", "out", "schemas", "timeout"),
            run=commands.snapshot, report=report.snapshot, standalone=True,
        ),
        Step(
            name="export",
            summary="Print (or --out) the mirror as DBML or a Mermaid ER diagram (no database).",
            does="`--format dbml` (dbdiagram.io, dbdocs, Liam ERD) or `--format mermaid` (an "
            "`erDiagram` to paste into markdown) of the committed `db/schema/tables.json`: "
            "tables, columns, keys, indexes, foreign keys with their actions, enums; the same "
            "Mermaid renderer as the pages of `docs/db/`",
            writes="Writes nothing but --out.",
            flags=("root", "format", "out"), run=commands.export, report=report.exported,
            standalone=True,
        ),
        Step(
            name="drift", evidence=DRIFT_EVIDENCE,
            summary="Compare the environment's live database with the mirror; exit 1 on drift.",
            does="read-only introspection of the database whose URL is in the environment's "
            "variable, compared with `db/schema/tables.json` on database facts",
            writes="Writes 05-drift-check.md only when --task-slug or --evidence-dir names a "
            "folder.",
            flags=("root", "env", "task_slug", "evidence_dir", "schemas", "timeout", "format"),
            run=commands.drift, report=report.drift,
        ),
        Step(
            name="pull",
            summary="Capture what only the live database knows into db/schema/database-facts.json.",
            does="read-only introspection of the environment's database (URL from its "
            "`urlEnv`, never printed): comments, check constraints, partial and expression "
            "indexes, operator classes, identity kinds, generated columns, deferrable foreign "
            "keys, list nullability and defaults, view definitions; a deterministic capture "
            "(no timestamp, host or secret) that Phase B lays onto the mirror and `drift` "
            "compares",
            writes="Writes db/schema/database-facts.json. Writes no evidence.",
            flags=("root", "env", "schemas", "timeout"), run=commands.pull, report=report.pulled,
        ),
        # proposals (issue 16)
        Step(
            name="proposals",
            summary="Check db/handbook/proposals/ against the mirror; exit 1 if one does not "
            "apply.",
            does="applies the SQL of every open proposal (`Status: draft` or `proposed`) to the "
            "mirror and prints the changes it expects in the words of evidence 02 (`add_column "
            "public.pets.chip_id`), flagging destructive ones (drops, narrower types, NOT NULL "
            "without a default on an existing table, …); says which landed (applying it changes "
            "nothing), which partly (what is still missing); a table or column that does not "
            "exist exits 1, SQL that does not parse exits 4 (`file:line:col`); "
            "`--mark-landed` sets the status line of the landed ones, nothing else; no database",
            writes="Writes nothing, except the status line with --mark-landed.",
            flags=("root", "env", "format", "mark_landed"), run=commands.proposals,
            report=report.proposals,
        ),
        Step(
            name="propose",
            summary="Scaffold a proposal: db/handbook/proposals/SLUG.md (status draft).",
            does="writes a proposal from the template (why, intended change as SQL, risks, "
            "rollback, how to verify), never over a file",
            writes="Writes db/handbook/proposals/SLUG.md.",
            flags=("root", "env", "slug"), run=commands.propose, report=report.proposed,
            positional=("slug",),
        ),
        Step(
            name="context",
            summary="Refresh the LLM context in either mode: from the mirror, or the schema.",
            does="derives `docs/context/db/schema.json` as Phase C does: from the mirror in "
            "database mode; in repo-prisma mode (where the phases STOP) from the Prisma schema, "
            "imported in memory (no mirror is written); prints one line, or `--format json`",
            writes="Writes the context. Writes no evidence.",
            flags=("root", "format"), run=refresh_context, report=report.context_refreshed,
        ),
        Step(
            name="status",
            summary="Print the mode, the paths of schema, mirror and context, the mirror's size.",
            does="reads `db-ssot.json` and the mirror (any mode, no database): which files "
            "exist, how many tables, views and enums the mirror holds; `--format json`",
            writes="Writes nothing.",
            flags=("root", "format"), run=commands.status, report=report.status,
        ),
        Step(
            name="install-shims",
            summary="Write the `.ai` template's ctl-db scripts as shims that run schemasync.",
            does="writes `.ai/skills/features/database/sync-code-schema-from-db/scripts/"
            "ctl-db.mjs` and `.ai/scripts/ctl-db-ssot.mjs`: Node scripts (no dependencies) with "
            "the template's subcommands, flags, exit codes and JSON shapes, each running "
            "schemasync; a file there that is not a shim is kept as `.orig`; a second run "
            "changes nothing",
            writes="Writes the two scripts (and `.orig` copies). Writes no evidence.",
            flags=("root",), run=later("schemasync.shims:install_shims"),
            report=report.shims_installed,
            standalone=True,
        ),
        Step(
            name="mcp",
            summary="Serve the committed mirror to coding agents over MCP (stdio; no database).",
            does="a Model Context Protocol server over stdio, read-only over the mirror, the "
            "context and the latest evidence: tools `list_tables`, `describe_table`, `search`, "
            "`join_path`, `enum_values`, `recent_changes`, `drift_status`, `list_proposals`, and "
            "the context's files (index and slices) as resources; never connects to a database "
            "nor reads an environment variable; needs the `[mcp]` extra",
            writes="Writes nothing.",
            flags=("root",), run=later("schemasync.mcp_server:run_mcp"),
            report=later("schemasync.mcp_server:served"), standalone=True,
        ),
    )  # fmt: skip


#: Every task, in the order `--list` shows them: the phases first, in order.
TASKS: tuple[Step, ...] = _tasks()
PHASES: tuple[Step, ...] = tuple(s for s in TASKS if s.phase is not None)


def step(name: str) -> Step:
    """Return the task called `name` (or by its alias)."""
    return next(s for s in TASKS if name in (s.name, s.alias, s.name.replace("-", "_")))
