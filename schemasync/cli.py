"""The installed `schemasync` command: an invoke `Program` over the task collection.

Kept tiny and cheap to import: the collection imports heavy libraries only inside the tasks.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import NoReturn

from invoke.exceptions import Exit, ParseError
from invoke.program import Program

from schemasync import __version__
from schemasync.errors import ExitCode
from schemasync.tasks import PhaseExecutor, ns


@contextlib.contextmanager
def _usage_errors() -> Iterator[None]:
    """A bad flag or unknown task is a usage error: exit 2 (SPEC §5), not invoke's 1."""
    try:
        yield
    except ParseError as err:
        raise Exit(f"schemasync: {err}", code=int(ExitCode.USAGE)) from None


class SchemasyncProgram(Program):
    """invoke's Program with SPEC §5's exit code for command-line parse errors."""

    def print_version(self) -> None:
        """Print `schemasync 0.1.0 (compiled)`: the version and how the import runs."""
        from schemasync import build

        print(f"{self.name} {self.version} ({build()})")

    def parse_core(self, argv: list[str] | None) -> None:
        """Parse the core flags; a parse error exits 2."""
        with _usage_errors():
            super().parse_core(argv)

    def parse_tasks(self) -> None:
        """Parse the tasks and their flags; a parse error exits 2."""
        with _usage_errors():
            super().parse_tasks()

    def parse_cleanup(self) -> None:
        """Check what was parsed (e.g. an unknown task); a parse error exits 2."""
        with _usage_errors():
            super().parse_cleanup()


program = SchemasyncProgram(
    namespace=ns,
    version=__version__,
    name="schemasync",
    binary="schemasync",
    executor_class=PhaseExecutor,
)


def main() -> None:
    """Run the `schemasync` command line (exit codes: SPEC §5).

    The process ends here (`os._exit`), without tearing the interpreter down: every file is
    written and closed, the lock released, and freeing a parsed 1,000-model schema object by
    object would only add ~20 ms to every run. Call `program.run()` to embed the CLI instead.
    """
    try:
        program.run()
    except BrokenPipeError:
        _broken_pipe()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: leave that to the interpreter
        _exit_now(exc.code or 0)
    _exit_now(0)


def _broken_pipe() -> NoReturn:
    # `schemasync --list | head`: the reader went away; no traceback for that.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)


def _exit_now(code: int) -> NoReturn:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _broken_pipe()
    sys.stderr.flush()
    os._exit(code)
