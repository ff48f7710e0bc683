"""The installed `schemasync` command: an invoke `Program` over the task collection.

Kept tiny and cheap to import: the collection imports heavy libraries only inside the tasks.
"""

from __future__ import annotations

from invoke.program import Program

from schemasync import __version__
from schemasync.tasks import PhaseExecutor, ns

program = Program(
    namespace=ns,
    version=__version__,
    name="schemasync",
    binary="schemasync",
    executor_class=PhaseExecutor,
)


def main() -> None:
    """Run the `schemasync` command line (exit codes: SPEC §5)."""
    program.run()
