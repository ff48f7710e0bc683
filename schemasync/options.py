"""Command-line options: each flag defined once (`FLAGS`), parsed once into `Options`.

The task layer generates every task's signature from `FLAGS` (invoke reads it with
`inspect.signature`), and the executor turns the flags the user gave into one `Options` that every
step of the run receives. This module owns what a valid flag value is (numbers, non-negative
timeouts, comma lists) and nothing else: paths are checked where the project is known
(`project.py`). Pure: no files, no environment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemasync.errors import ConfigError


@dataclass(frozen=True)
class Flag:
    """One command-line option: its default (which also gives invoke its kind), its help, and
    its one-letter form (the same letter in every task; only the everyday flags have one)."""

    default: Any
    help: str
    short: str | None = None


#: Every option of every task, once. A task lists the names it takes (`phases.TASKS`).
FLAGS: dict[str, Flag] = {
    "root": Flag(
        None,
        "project folder (default: the nearest folder upward with docs/project/db-ssot.json)",
        "r",
    ),
    "env": Flag("dev", "environment of db-ssot.json: dev (default), staging or prod", "e"),
    "task_slug": Flag(
        None, "evidence in dev-docs/active/<slug>/artifacts/db/ (slug: a-z, 0-9, -)", "t"
    ),
    "run_id": Flag(
        None,
        "evidence in .ai/.tmp/db-sync/<run-id>/ (default: a new run for phase-0 and sync; a "
        "task alone continues the current run while it is unfinished, else starts a new one)",
    ),
    "evidence_dir": Flag(None, "evidence in this project-relative folder instead"),
    "yes": Flag(False, 'go on without asking when the environment has "confirm": true', "y"),
    "quiet": Flag(False, "print only the result and errors", "q"),
    "lock_timeout": Flag(None, "seconds to wait for another run's project lock (default 30)"),
    "run_pull": Flag(
        False,
        "run the pinned `npx prisma@N db pull` yourself in Phase A, into the seed when there is "
        "no schema yet (the child inherits the environment; schemasync only checks that the "
        "variable is set, never reads it)",
    ),
    "provider": Flag(
        None,
        "Phase A with no Prisma schema yet: write a seed schema with this datasource provider "
        "(postgresql, cockroachdb, mysql, sqlite, sqlserver, mongodb) for `prisma db pull` to "
        "fill; never over a schema",
    ),
    "mode": Flag(
        None,
        "also write docs/project/db-ssot.json with this mode (database or repo-prisma); "
        "never overwrites",
    ),
    "prisma": Flag(
        None, "snapshot this Prisma schema file or folder (relative to the project, or absolute)"
    ),
    "url_env": Flag(None, "snapshot the live database whose URL is in this environment variable"),
    # ddl-import: a SQL dump as the snapshot's source
    "ddl": Flag(
        None,
        "snapshot this SQL DDL file (pg_dump --schema-only, mysqldump --no-data, SQLite .schema; "
        "relative to the project, or absolute); no database, no credentials",
    ),
    "dialect": Flag(
        None, "the --ddl file's dialect: postgresql, mysql or sqlite (default: recognised)"
    ),
    # proposals (issue 16)
    "slug": Flag(None, "the proposal's name: db/handbook/proposals/<slug>.md (a-z, 0-9, -)"),
    "mark_landed": Flag(
        False,
        "set `Status: landed` in the proposals that landed (only that line is rewritten)",
    ),
    "out": Flag(
        None,
        "write the output (snapshot: the tables.json; export: the DBML or Mermaid) here "
        "instead of stdout (relative to the project, or absolute; never over a file schemasync "
        "manages)",
    ),
    "schemas": Flag(
        None,
        "PostgreSQL schemas to read, comma-separated (default: the environment's, else public)",
    ),
    "timeout": Flag(None, "seconds before giving up on the database (default 30)"),
    "format": Flag(
        None,
        "check, drift: text (default) or json: one versioned JSON document on stdout (README: "
        '"Machine-readable output"), the exit code is the same; export: dbml or mermaid',
    ),
}

#: The values `--format` takes: by default, and for the tasks that take others.
FORMATS: tuple[str, ...] = ("text", "json")
TASK_FORMATS: dict[str, tuple[str, ...]] = {"export": ("dbml", "mermaid")}

#: The options of every task that runs phases: they share one run (lock, evidence folder).
RUN_FLAGS: tuple[str, ...] = (
    "root",
    "env",
    "task_slug",
    "run_id",
    "evidence_dir",
    "yes",
    "lock_timeout",
    "quiet",
)


@dataclass(frozen=True)
class Options:
    """What the user asked for, parsed and checked once per run; paths not yet resolved.

    `program` is the command the user ran (`schemasync` or `invoke`): every hint names it.
    """

    root: str | None = None
    env: str = "dev"
    task_slug: str | None = None
    run_id: str | None = None
    evidence_dir: str | None = None
    yes: bool = False
    quiet: bool = False
    lock_timeout: float = 30.0
    run_pull: bool = False
    provider: str | None = None
    mode: str | None = None
    prisma: str | None = None
    url_env: str | None = None
    ddl: str | None = None
    dialect: str | None = None
    slug: str | None = None
    mark_landed: bool = False
    out: str | None = None
    schemas: tuple[str, ...] = ()
    timeout: float = 30.0
    format: str = "text"
    new_run: bool = False
    program: str = "schemasync"
    cwd: str | None = None
    confirm: Callable[[str], bool] | None = field(default=None, compare=False)

    def command(self, task: str) -> str:
        """Return how the user runs `task` (`schemasync phase-b`), for hints."""
        return f"{self.program} {task}"


def _seconds(flag: str, value: object) -> float:
    """Parse a number of seconds (`30`, `2.5`); refuse words, negatives, NaN and infinity."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(
            f"--{flag.replace('_', '-')} {value!r}: give a number of seconds, 0 or more (e.g. 30)"
        )
    return seconds


def _names(value: object) -> tuple[str, ...]:
    return tuple(s.strip() for s in str(value).split(",") if s.strip())


def parse_options(
    given: Mapping[str, Any],
    *,
    root: str | None = None,
    program: str = "schemasync",
    tasks: Sequence[str] = (),
    **extra: Any,
) -> Options:
    """Return the `Options` of a task's flags (`given`: invoke's kwargs, defaults included).

    Args:
        given: flag name -> value as invoke parsed it (None or the default when not given).
        root: the `--root` default (a collection's, e.g. the repository's example); None: the
            project is found upward from the current folder.
        program: the command the user ran, for hints.
        tasks: the tasks given on the command line (the values `--format` takes depend on them).
        extra: fields that do not come from flags (`new_run`, `confirm`, `cwd`).

    Raises:
        ConfigError: a flag value that cannot be used (`--lock-timeout abc`, `--timeout -1`,
            `--provider postgre`).
    """
    values: dict[str, Any] = {"root": given.get("root") or root, "program": program, **extra}
    for name in ("env", "task_slug", "run_id", "evidence_dir", "mode", "prisma", "url_env", "out",
                 "provider", "ddl", "dialect", "slug"):  # fmt: skip
        if given.get(name) is not None:
            values[name] = given[name]
    for name in ("yes", "quiet", "run_pull", "mark_landed"):
        values[name] = bool(given.get(name))
    for name in ("lock_timeout", "timeout"):
        if given.get(name) is not None:
            values[name] = _seconds(name, given[name])
    if given.get("schemas") is not None:
        values["schemas"] = _names(given["schemas"])
    if given.get("format") is not None:
        values["format"] = str(given["format"]).strip().lower()
        takes = [f for t in tasks for f in TASK_FORMATS.get(t, ())] or FORMATS
        if values["format"] not in takes:
            raise ConfigError(
                f"--format {given['format']!r}: give {' or '.join(takes)} "
                f"(e.g. --format {takes[-1]})"
            )
    if given.get("provider") is not None:
        from schemasync.seed import check_provider

        values["provider"] = check_provider(str(given["provider"]))
    return Options(**values)
