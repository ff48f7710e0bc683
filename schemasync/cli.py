"""The installed `schemasync` command: an invoke `Program` over the task collection.

Kept tiny and cheap to import: the collection imports heavy libraries only inside the tasks.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

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
    """Run the `schemasync` command line (exit codes: SPEC §5)."""
    try:
        program.run()
    except BrokenPipeError:
        # `schemasync --list | head`: the reader went away; no traceback for that.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
