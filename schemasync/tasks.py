"""The invoke Collection: flags -> `phases.Options` -> phases; SchemasyncError -> `invoke.Exit`.

This is the one place that prints and picks exit codes. The same collection runs as `invoke …`
(the repo's `tasks.py`, with `invoke.yaml` naming `PhaseExecutor`) and as the installed
`schemasync …` command (`cli.py`). Phases chain with invoke `pre`/`post`: every phase re-runs the
Phase 0 gate first, `sync` runs 0, A, B, C, D, then `verify`. `PhaseExecutor` hands the flags of
the task on the command line to its pre/post tasks, fixes the run id once, and holds the project
lock for the whole invocation.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.executor import Executor
from invoke.tasks import Call, Task, task

from schemasync.errors import SchemasyncError
from schemasync.gcpause import paused_gc
from schemasync.phases import (
    Options,
    PhaseResult,
    prepare,
    project_lock,
    reading_once,
    run_init,
    run_named,
    run_phase,
    run_snapshot,
    start_run,
)

COMMON = ("root", "env", "task_slug", "run_id", "evidence_dir", "yes", "lock_timeout")
NEW_RUN_TASKS = frozenset({"mode-check", "mode_check", "phase-0", "sync"})

HELP: dict[str, str] = {
    "root": "project folder (default: the collection's root, '.' for the schemasync command)",
    "env": "environment of db-ssot.json: dev (default), staging or prod",
    "task-slug": "evidence in dev-docs/active/<slug>/artifacts/db/ (slug: a-z, 0-9, -)",
    "run-id": "evidence in .ai/.tmp/db-sync/<run-id>/ (default: a new UTC timestamp for "
    "phase-0/sync, else the current run)",
    "evidence-dir": "evidence in this project-relative folder instead",
    "yes": 'go on without asking when the environment has "confirm": true',
    "lock-timeout": "seconds to wait for another run's project lock (default 30)",
}


def _redact(text: str) -> str:
    from schemasync.redact import redact_text

    return redact_text(text)


def _print(result: PhaseResult) -> None:
    for line in result.lines:
        print(_redact(line))


@contextlib.contextmanager
def exits() -> Iterator[None]:
    """Turn a SchemasyncError into `invoke.Exit(message, code)`: no traceback, redacted."""
    try:
        yield
    except SchemasyncError as err:
        raise Exit(_redact(f"schemasync: {err.message}"), code=int(err.exit_code)) from None


def _confirm() -> Callable[[str], bool] | None:
    if not sys.stdin.isatty():
        return None

    def ask(question: str) -> bool:
        return input(question).strip().lower() in ("y", "yes")

    return ask


def _options(c: Context, kwargs: dict[str, Any], *, new_run: bool = False) -> Options:
    root = kwargs.get("root") or c.config.get("schemasync", {}).get("root", ".")
    opts = Options(
        root=str(root),
        env=kwargs.get("env") or "dev",
        task_slug=kwargs.get("task_slug"),
        run_id=kwargs.get("run_id"),
        evidence_dir=kwargs.get("evidence_dir"),
        yes=bool(kwargs.get("yes")),
        run_pull=bool(kwargs.get("run_pull")),
        lock_timeout=float(kwargs.get("lock_timeout") or 30.0),
        new_run=new_run,
        confirm=_confirm(),
    )
    return start_run(opts)


def _phase(c: Context, phase_id: str, kwargs: dict[str, Any]) -> None:
    with exits():
        _print(run_phase(phase_id, _options(c, kwargs, new_run=phase_id == "0")))


# ---- the phases ------------------------------------------------------------------------------


@task(aliases=["phase-0"], help=HELP)
def mode_check(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    run_id: str | None = None,
    evidence_dir: str | None = None,
    yes: bool = False,
    lock_timeout: int = 30,
) -> None:
    """Phase 0: validate db-ssot.json, STOP unless mode is database. Writes 00-ssot-mode-check.md.

    Confirms the environment (asks when it has "confirm": true) and the dialect, and picks the
    evidence folder. A `repo-prisma` project exits 3 and writes nothing but the 00 evidence.
    """
    _phase(c, "0", locals())


@task(
    aliases=["phase-a"],
    pre=[mode_check],
    help={
        **HELP,
        "run-pull": "run `npx prisma db pull` "
        "yourself (the child inherits the environment; schemasync never reads the URL)",
    },
)
def pull_instructions(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    run_id: str | None = None,
    evidence_dir: str | None = None,
    yes: bool = False,
    lock_timeout: int = 30,
    run_pull: bool = False,
) -> None:
    """Phase A: print how to run `prisma db pull` safely. Writes 01-db-pull-instructions.md.

    Env var names only, never values; production cautions; records the schema's sha256 before
    the pull.
    """
    _phase(c, "A", locals())


@task(aliases=["phase-b"], pre=[mode_check], help=HELP)
def import_prisma(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    run_id: str | None = None,
    evidence_dir: str | None = None,
    yes: bool = False,
    lock_timeout: int = 30,
) -> None:
    """Phase B: import the Prisma schema into db/schema/tables.json. Writes 02-import-prisma-log.md.

    Reports what changed since the previous mirror (add_table, modify_type, ...).
    """
    _phase(c, "B", locals())


@task(aliases=["phase-c"], pre=[mode_check], help=HELP)
def refresh_context(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    run_id: str | None = None,
    evidence_dir: str | None = None,
    yes: bool = False,
    lock_timeout: int = 30,
) -> None:
    """Phase C: derive the LLM context from the mirror. Writes 03-context-refresh-log.md.

    The context is format schemasync/context@1, for LLMs reading it cold.
    """
    _phase(c, "C", locals())


@task(aliases=["phase-d"], pre=[mode_check], help=HELP)
def check_layers(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    run_id: str | None = None,
    evidence_dir: str | None = None,
    yes: bool = False,
    lock_timeout: int = 30,
) -> None:
    """Phase D: no Prisma client in business code; models mapped. Writes 04-layer-coherence.md.

    Findings (file:line) exit 1.
    """
    _phase(c, "D", locals())


@task(pre=[mode_check], help=HELP)
def verify(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    run_id: str | None = None,
    evidence_dir: str | None = None,
    yes: bool = False,
    lock_timeout: int = 30,
) -> None:
    """Re-derive mirror and context in memory, check evidence 00-04 and layers. Writes nothing.

    Any difference, missing evidence or layer finding exits 1 with a readable diff.
    """
    with exits():
        _print(run_named("verify", _options(c, locals())))


@task(
    pre=[mode_check, pull_instructions, import_prisma, refresh_context, check_layers],
    post=[verify],
    help={**HELP, "run-pull": "also run `npx prisma db pull` in Phase A"},
)
def sync(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    run_id: str | None = None,
    evidence_dir: str | None = None,
    yes: bool = False,
    lock_timeout: int = 30,
    run_pull: bool = False,
) -> None:
    """Run phases 0, A, B, C, D, then verify. Writes evidence 00-04 and the mirror and context."""
    print("sync: phases 0, A, B, C, D done; verifying")


# ---- the rest --------------------------------------------------------------------------------


@task(
    help={
        "root": HELP["root"],
        "mode": "also write docs/project/db-ssot.json with this mode "
        "(database or repo-prisma); never overwrites",
    }
)
def init(c: Context, root: str | None = None, mode: str | None = None) -> None:
    """Install the mirror skeleton: db/schema/, db/handbook/README.md, docs/context/db/.

    Writes db-ssot.json only with --mode. Writes no evidence.
    """
    with exits():
        _print(run_init(_plain_options(c, root), mode))


@task(help={"root": HELP["root"], "env": HELP["env"]})
def check(c: Context, root: str | None = None, env: str = "dev") -> None:
    """For CI and pre-commit: mirror and context match the Prisma schema (no DB). Writes nothing.

    A hand-edited or stale artifact exits 1 with a diff.
    """
    with exits():
        _print(run_named("check", replace(_plain_options(c, root), env=env)))


@task(
    help={
        "root": HELP["root"],
        "prisma": "snapshot this Prisma schema file or folder (project-relative)",
        "url-env": "snapshot the live database whose URL is in this environment variable",
        "out": "write the tables.json here (project-relative) instead of stdout",
        "schemas": "PostgreSQL schemas to read, comma-separated",
        "timeout": "seconds before giving up on the database (default 30)",
    }
)
def snapshot(
    c: Context,
    root: str | None = None,
    prisma: str | None = None,
    url_env: str | None = None,
    out: str | None = None,
    schemas: str = "",
    timeout: int = 30,
) -> None:
    """Print (or --out) a tables.json of a Prisma schema or a live database. Writes no evidence."""
    with exits():
        text, written = run_snapshot(
            _plain_options(c, root),
            prisma=prisma,
            url_env=url_env,
            out=out,
            schemas=tuple(s.strip() for s in schemas.split(",") if s.strip()),
            timeout=float(timeout),
        )
        if written is None:
            sys.stdout.write(_redact(text))
        else:
            print(f"wrote {written}")


# ---- drift (issue 4) ---------------------------------------------------------------------------

DRIFT_EVIDENCE = "05-drift-check.md"
# Not one of the numbered phase files (EVIDENCE_FILES), so its template lives here.
DRIFT_TEMPLATE = """# Drift check: live database vs mirror

Run `$run_id` · environment `$env` · project `$project`

## What ran

`$command`: read the environment's database (read-only introspection) and compared it with
`db/schema/tables.json` on database facts (Prisma names, client defaults and `///` comments are
not compared).

## Inputs

$inputs

## Results

$results

## Checklist

$checklist

## Next step

$next_step
"""


def run_drift(
    options: Options, schemas: tuple[str, ...], timeout: float
) -> tuple[PhaseResult, tuple[Any, ...]]:
    """Introspect the environment's database (read-only) and compare it with the mirror.

    Returns the terminal lines (and the evidence file written, when --task-slug or
    --evidence-dir chose a folder) and the drift changes (empty: no drift).
    """
    from schemasync.config import pick_environment
    from schemasync.diff import render_changes_markdown, render_changes_text, summarize_changes
    from schemasync.errors import ArtifactError, ConfigError
    from schemasync.evidence import (
        CheckItem,
        check_evidence,
        render_checklist,
        render_evidence,
        render_inputs,
    )
    from schemasync.fsio import write_atomic
    from schemasync.introspect import snapshot_database
    from schemasync.introspect.drift import drift_changes
    from schemasync.mirror import read_mirror
    from schemasync.phases import MIRROR_PATH, RUNS_DIR, evidence_folder

    ctx = prepare(options)
    environment = pick_environment(ctx.config, options.env)
    path = ctx.path(MIRROR_PATH)
    if not path.is_file():
        raise ConfigError(
            f"{MIRROR_PATH} does not exist: run `invoke import-prisma` first (drift compares "
            "the live database with the mirror)"
        )
    mirror = read_mirror(path, MIRROR_PATH)
    mirror_schemas = tuple(sorted({t.db_schema for t in mirror.tables if t.db_schema}))
    live = snapshot_database(
        environment.url_env,
        schemas=schemas or environment.schemas or mirror_schemas,
        timeout=timeout,
        previous=mirror,
    )
    changes = drift_changes(mirror, live)
    summary = summarize_changes(changes).replace("change", "difference")
    head = f"drift {options.env} (${environment.url_env}) vs {MIRROR_PATH}: "
    lines = [head + (summary if changes else "no drift")]
    if changes:
        lines.append(render_changes_text(changes).rstrip("\n"))
    written: tuple[str, ...] = ()
    if options.task_slug is not None or options.evidence_dir is not None:
        folder = evidence_folder(ctx)
        rel = f"{folder}/{DRIFT_EVIDENCE}"
        values = {
            "run_id": folder.rsplit("/", 1)[-1] if folder.startswith(RUNS_DIR) else folder,
            "env": options.env,
            "project": ctx.root.name,
            "command": "invoke drift",
            "inputs": render_inputs(
                [
                    (MIRROR_PATH, mirror.source.sha256),
                    (f"database of {options.env} (${environment.url_env})", live.source.sha256),
                ]
            ),
            "results": (
                f"{len(live.tables)} tables, {len(live.views)} views, {len(live.enums)} enums "
                f"read from the {options.env} database; compared on database facts.\n\n"
                + (
                    render_changes_markdown(changes)
                    if changes
                    else "No drift: the database matches the mirror.\n"
                )
            ).rstrip("\n"),
            "checklist": render_checklist(
                [
                    CheckItem("database read in a READ ONLY transaction (no write)", True),
                    CheckItem(f"the database matches {MIRROR_PATH}", not changes),
                ]
            ),
            "next_step": (
                "Ask the DBA whether the database change is intended; then run `prisma db "
                "pull` and `invoke sync` to bring the mirror up to date."
                if changes
                else "Nothing to do."
            ),
        }
        text = _redact(render_evidence(DRIFT_TEMPLATE, values, DRIFT_EVIDENCE))
        problems = check_evidence(text)
        if problems:  # pragma: no cover - the template above is complete
            raise ArtifactError(f"{DRIFT_EVIDENCE}: incomplete evidence: {'; '.join(problems)}")
        write_atomic(ctx.path(rel), text)
        written = (rel,)
        lines.append(f"wrote {rel}")
    return PhaseResult(tuple(lines), written), changes


@task(
    help={
        "root": HELP["root"],
        "env": HELP["env"],
        "task-slug": HELP["task-slug"] + "; without it or --evidence-dir, no evidence is written",
        "evidence-dir": HELP["evidence-dir"],
        "schemas": "PostgreSQL schemas to read, comma-separated (default: the environment's "
        "schemas, else those of the mirror)",
        "timeout": "seconds before giving up on the database (default 30)",
    }
)
def drift(
    c: Context,
    root: str | None = None,
    env: str = "dev",
    task_slug: str | None = None,
    evidence_dir: str | None = None,
    schemas: str = "",
    timeout: int = 30,
) -> None:
    """Compare the environment's live database with db/schema/tables.json; exit 1 on drift.

    Read-only introspection of the database whose URL is in the environment's variable. Writes
    05-drift-check.md only when --task-slug or --evidence-dir names an evidence folder.
    """
    with exits():
        default = c.config.get("schemasync", {}).get("root", ".")
        options = Options(
            root=str(root or default), env=env, task_slug=task_slug, evidence_dir=evidence_dir
        )
        result, changes = run_drift(
            options,
            tuple(s.strip() for s in schemas.split(",") if s.strip()),
            float(timeout),
        )
        _print(result)
        if changes:
            from schemasync.errors import DriftDetected

            raise DriftDetected(
                f"drift: the {env} database differs from db/schema/tables.json "
                f"({len(changes)} difference{'s' if len(changes) != 1 else ''})"
            )


def _plain_options(c: Context, root: str | None) -> Options:
    default = c.config.get("schemasync", {}).get("root", ".")
    return Options(root=str(root or default))


# ---- executor --------------------------------------------------------------------------------


def _params(t: Task[Any]) -> set[str]:
    return set(inspect.signature(t.body).parameters) - {"c"}


class PhaseExecutor(Executor):
    """Invoke's executor, plus: pre/post tasks get the flags of the task that pulled them in, the
    run id is fixed once per invocation, and the project lock is held for the whole run."""

    def normalize(self, tasks: Any) -> list[Call]:
        """Fix the run id of the direct calls once (a new run for phase-0/sync)."""
        self.config.load_collection(self.collection.configuration())
        calls = super().normalize(tasks)
        fixed = []
        for call in calls:
            if "run_id" in _params(call.task):
                new_run = call.called_as in NEW_RUN_TASKS or call.task.name in NEW_RUN_TASKS
                with exits():
                    ctx = Context(config=self.config)
                    opts = _options(ctx, dict(call.kwargs), new_run=new_run)
                if opts.run_id is not None:
                    kwargs = {**call.kwargs, "run_id": opts.run_id}
                    call = Call(call.task, args=call.args, kwargs=kwargs, called_as=call.called_as)
            fixed.append(call)
        return fixed

    def expand_calls(self, calls: list[Any]) -> list[Call]:
        """Expand pre/post tasks, handing them the flags they share with their parent."""
        ret: list[Call] = []
        for item in calls:
            call = Call(item) if isinstance(item, Task) else item
            shared = {k: v for k, v in call.kwargs.items() if k in COMMON}
            ret.extend(self.expand_calls([self._with(p, shared) for p in call.pre]))
            ret.append(call)
            ret.extend(self.expand_calls([self._with(p, shared) for p in call.post]))
        return ret

    @staticmethod
    def _with(item: Task[Any] | Call, shared: dict[str, Any]) -> Call:
        call = Call(item) if isinstance(item, Task) else item
        params = _params(call.task)
        kwargs = {**{k: v for k, v in shared.items() if k in params}, **call.kwargs}
        return Call(call.task, args=call.args, kwargs=kwargs, called_as=call.called_as)

    def execute(self, *tasks: Any) -> dict[Task[Any], Any]:
        """Run the tasks (under one project lock when they name a project), GC paused.

        A run builds a few hundred thousand small, acyclic objects (syntax tree, models) that live
        to the end: the cyclic GC would only rescan them (measured: half the CPU time of a
        1,000-model sync, and `check` at 2.0 s instead of 0.9 s before it was paused there too).
        """
        with paused_gc(freeze=True):
            calls = self.normalize(tasks)
            locking = [c for c in calls if "lock_timeout" in _params(c.task)]
            if not locking:
                return super().execute(*tasks)
            first = locking[0].kwargs
            with exits():
                ctx = prepare(_options(Context(config=self.config), dict(first)), allow_stop=True)
                lock = project_lock(ctx.root, float(first.get("lock_timeout") or 30.0))
                lock.__enter__()
            try:
                with reading_once():
                    return super().execute(*[(c.called_as or c.task.name, c.kwargs) for c in calls])
            finally:
                lock.__exit__(None, None, None)


def make_collection(default_root: str = ".") -> Collection:
    """Return the schemasync task collection with `default_root` as the default --root."""
    ns = Collection(
        mode_check,
        pull_instructions,
        import_prisma,
        refresh_context,
        check_layers,
        verify,
        sync,
        init,
        check,
        snapshot,
        drift,
    )
    ns.configure({"schemasync": {"root": default_root}})
    return ns


ns = make_collection()
