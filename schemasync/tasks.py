"""The invoke collection, generated from the task table; errors -> exit codes; the printing.

Every task comes from a row of `phases.TASKS`: its name, alias, help, options (their signature
is built from `options.FLAGS`: invoke reads it with `inspect.signature`) and its pre/post chain
(every phase runs the Phase 0 gate first; `sync` runs 0, A, B, C, D, then `verify`). The same
collection runs as `invoke …` (the repo's `tasks.py`, with `invoke.yaml` naming
`PhaseExecutor`) and as the installed `schemasync …` command (`cli.py`).

`PhaseExecutor` expands the pre/post chains into one plan, parses the options once and hands the
plan to `runner.execute`, which opens one run (one config read, one lock, one evidence folder)
for all of it. This module is the one place that prints and turns a `SchemasyncError` into an
exit code.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.executor import Executor
from invoke.tasks import Task

from schemasync.errors import ConfigError, ExitCode, Interrupted, SchemasyncError
from schemasync.gcpause import paused_gc
from schemasync.interrupt import sigint_raises
from schemasync.options import FLAGS, Options, parse_options
from schemasync.phases import TASKS, Step

#: Tasks that start a new evidence run when given on the command line (no folder named).
NEW_RUN_TASKS: tuple[str, ...] = ("mode-check", "sync")


@contextlib.contextmanager
def exits() -> Iterator[None]:
    """Turn a SchemasyncError into `invoke.Exit(message, code)`: no traceback, redacted; and
    SIGINT within the block into exit 130 with one line (see `interrupt`)."""
    from schemasync.redact import redact_text

    try:
        with sigint_raises():
            yield
    except SchemasyncError as err:
        raise Exit(redact_text(f"schemasync: {err.message}"), code=int(err.exit_code)) from None
    except Interrupted as err:
        raise Exit(f"schemasync: {err.message}", code=err.exit_code) from None


def _confirm() -> Callable[[str], bool] | None:
    if not sys.stdin.isatty():
        return None

    def ask(question: str) -> bool:
        return input(question).strip().lower() in ("y", "yes")

    return ask


def _signature(names: Sequence[str]) -> inspect.Signature:
    """The task body's signature: the context, then each option with its default."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature(
        [
            inspect.Parameter("c", kind),
            *(inspect.Parameter(n, kind, default=FLAGS[n].default) for n in names),
        ]
    )


def _body(row: Step) -> Callable[..., None]:
    def body(c: Context, **kwargs: Any) -> None:
        # Reached only under invoke's own executor, which would run the pre tasks with their
        # defaults instead of the flags given (`--env prod` checked as dev): refuse.
        raise Exit(
            f"schemasync: `{row.name}` runs under schemasync's executor: use the `schemasync` "
            "command, or set `tasks: {executor_class: schemasync.tasks.PhaseExecutor}` in "
            "invoke.yaml",
            code=int(ExitCode.USAGE),
        )

    body.__name__ = row.name.replace("-", "_")
    body.__doc__ = row.doc
    body.__signature__ = _signature(row.flags)  # type: ignore[attr-defined]
    return body


class _Task(Task[Any]):
    """An invoke task whose one-letter flags come from `options.FLAGS` (one letter, one meaning
    in every task) instead of invoke's first free letter (`-t` was `--task-slug` in `sync` and
    `--timeout` in `snapshot`)."""

    def arg_opts(self, name: str, default: str, taken_names: set[str]) -> dict[str, Any]:
        """Return invoke's options for the argument `name`, with our short flag (if any)."""
        opts = super().arg_opts(name, default, taken_names)
        short = FLAGS[name].short
        opts["names"] = [opts["names"][0], *([short] if short else [])]
        return opts


def _tasks() -> dict[str, Task[Any]]:
    """One invoke task per row, pre/post chains linked by name."""
    made: dict[str, Task[Any]] = {
        row.name: _Task(
            _body(row),
            name=row.name,
            aliases=(row.alias,) if row.alias else (),
            help={n: FLAGS[n].help for n in row.flags},
            auto_shortflags=False,
            positional=list(row.positional),
        )
        for row in TASKS
    }
    for row in TASKS:  # invoke takes Task objects here (its annotation says names)
        pre: list[Any] = [made[n] for n in row.pre]
        post: list[Any] = [made[n] for n in row.post]
        made[row.name].pre, made[row.name].post = pre, post
    return made


def _merged(calls: Sequence[Any]) -> dict[str, Any]:
    """The flags of the tasks given on the command line, as one set (a value equal to its
    default counts as not given: invoke fills in every default).

    Raises:
        ConfigError: two tasks given different values for the same option.
    """
    merged: dict[str, Any] = {}
    for call in calls:
        for name, value in call.kwargs.items():
            if value == FLAGS[name].default:
                continue
            if name in merged and merged[name] != value:
                flag = "--" + name.replace("_", "-")
                raise ConfigError(
                    f"{flag}: given as {merged[name]!r} and {value!r}; one run has one set of "
                    "options: give it once, or run the tasks separately"
                )
            merged[name] = value
    return merged


class PhaseExecutor(Executor):
    """Invoke's executor for the schemasync tasks: one plan (pre/post expanded, each task once),
    one `Options` from the flags given, one run for all of it (`runner.execute`)."""

    def execute(self, *tasks: Any) -> dict[Task[Any], Any]:
        """Run the tasks given on the command line with their pre/post tasks, GC paused.

        A run builds a few hundred thousand small, acyclic objects (syntax tree, models) that
        live to the end: the cyclic GC would only rescan them (measured: half the CPU time of a
        1,000-model sync). Every survivor is frozen at the end, so the collection at exit does
        not walk them either.
        """
        from schemasync.runner import execute

        self.config.load_collection(self.collection.configuration())
        settings = self.config.get("schemasync", {})
        calls = self.normalize(tasks)
        plan = list(dict.fromkeys(call.task.name for call in self.expand_calls(calls)))
        ours = {row.name for row in TASKS}
        if not ours & set(plan):  # a project's own tasks beside ours (`example-db`)
            return super().execute(*tasks)
        with exits(), paused_gc(freeze=True):
            if not set(plan) <= ours:
                raise ConfigError(
                    f"{', '.join(sorted(set(plan) - ours))}: run it on its own, not in the same "
                    "command as schemasync's tasks"
                )
            options = self.options(calls, settings)
            execute(plan, options, print, direct=[call.task.name for call in calls])
        return {}

    @staticmethod
    def options(calls: Sequence[Any], settings: dict[str, Any]) -> Options:
        """Return the run's options from the command line's task calls."""
        return parse_options(
            _merged(calls),
            root=settings.get("root"),
            program=str(settings.get("program", "schemasync")),
            tasks=[call.task.name for call in calls],
            new_run=any(call.task.name in NEW_RUN_TASKS for call in calls),
            confirm=_confirm(),
        )


def make_collection(default_root: str | None = None, program: str = "schemasync") -> Collection:
    """Return the task collection; `default_root` is the default --root (None: the project is
    found upward from the current folder); `program` is the command users type (`schemasync`,
    or `invoke` for a repository's tasks.py), named in hints."""
    ns = Collection(*_tasks().values())
    ns.configure({"schemasync": {"root": default_root, "program": program}})
    return ns


ns = make_collection()
