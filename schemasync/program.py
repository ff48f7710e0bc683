"""The `schemasync` program: an invoke `Program` over the task collection.

`cli.main` (the installed command) imports this once SIGINT is handled; `program.run()` embeds
the command line elsewhere. Cheap to import: the collection imports heavy libraries only inside
the tasks.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import sys
from collections.abc import Iterator

from invoke.exceptions import Exit, ParseError
from invoke.program import Program

from schemasync import __version__
from schemasync.errors import ExitCode
from schemasync.tasks import PhaseExecutor, ns

#: The core options `--help` shows; invoke's others (`--pty`, `--dry`, `--hide`, …) are about
#: running shell commands, which no schemasync task does.
CORE_OPTIONS = ("help", "version", "list", "complete", "print-completion-script")
_UNKNOWN = re.compile(r"No idea what '(?P<token>.*)' is!")
_LONG = re.compile(r"--([\w-]+)")


def _suggestion(message: str, binary: str) -> str:
    """Return `message` with a did-you-mean for an unknown task or flag (from the task table)."""
    from schemasync.options import FLAGS
    from schemasync.phases import TASKS

    found = _UNKNOWN.fullmatch(message)
    if found is None:
        return message
    token = found.group("token")
    if token.startswith("-"):
        known = [f"--{n.replace('_', '-')}" for n in FLAGS] + [f"--{n}" for n in CORE_OPTIONS]
        what = "option"
    else:
        known = [n for row in TASKS for n in (row.name, row.alias) if n]
        what = "task"
    close = difflib.get_close_matches(token, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"`{binary} --list` shows the tasks"
    if what == "option" and not close:
        hint = f"`{binary} --help TASK` shows a task's options"
    return f"unknown {what} {token!r}; {hint}"


@contextlib.contextmanager
def _usage_errors(binary: str) -> Iterator[None]:
    """A bad flag or unknown task is a usage error: exit 2 (SPEC §5), not invoke's 1, with a
    did-you-mean."""
    try:
        yield
    except ParseError as err:
        message = _suggestion(str(err), binary)
        raise Exit(f"schemasync: {message}", code=int(ExitCode.USAGE)) from None


class SchemasyncProgram(Program):
    """invoke's Program with SPEC §5's exit code for command-line parse errors, did-you-mean
    suggestions, and only schemasync's core options in `--help`."""

    def print_help(self) -> None:
        """Print the usage, the core options that mean something here, and the tasks."""
        print(f"Usage: {self.binary} [--core-opts] <task> [--task-opts] ... <task> [--task-opts]")
        print("")
        print("Core options:")
        print("")
        shown = [
            (flags, text)
            for flags, text in self.initial_context.help_tuples()
            if (long := _LONG.search(flags)) is not None and long.group(1) in CORE_OPTIONS
        ]
        self.print_columns(shown)
        self.list_tasks()

    def print_version(self) -> None:
        """Print `schemasync 0.1.0 (compiled)`: the version and how the import runs."""
        from schemasync import build

        print(f"{self.name} {self.version} ({build()})")

    def normalize_argv(self, argv: list[str] | None) -> None:
        """Read `schemasync TASK … --help` as `schemasync --help TASK`: invoke would take the
        flag as the value of a task's positional argument (`propose --help` made a proposal
        named `--help`)."""
        super().normalize_argv(argv)
        args = list(self.argv[1:])
        if args and not args[0].startswith("-") and ("--help" in args or "-h" in args):
            self.argv = [self.argv[0], "--help", args[0]]

    def parse_core(self, argv: list[str] | None) -> None:
        """Parse the core flags; a parse error exits 2.

        Byte code is written as the interpreter was told (`-B`, `PYTHONDONTWRITEBYTECODE`), as
        by any Python command: invoke turns writing off unless `--write-pyc` (to keep a
        `tasks.py` folder clean), so every module a task imports lazily was compiled from
        source on every run wherever no `.pyc` existed yet (an editable checkout's new modules,
        a `PYTHONPYCACHEPREFIX`): ~0.1 s of a 0.5 s `schemasync pull`.
        """
        with _usage_errors(self.binary):
            super().parse_core(argv)
        sys.dont_write_bytecode = bool(sys.flags.dont_write_bytecode)

    def parse_tasks(self) -> None:
        """Parse the tasks and their flags; a parse error exits 2."""
        with _usage_errors(self.binary):
            super().parse_tasks()

    def parse_cleanup(self) -> None:
        """Check what was parsed (e.g. an unknown task); a parse error exits 2."""
        with _usage_errors(self.binary):
            super().parse_cleanup()


program = SchemasyncProgram(
    namespace=ns,
    version=__version__,
    name="schemasync",
    binary="schemasync",
    executor_class=PhaseExecutor,
)
