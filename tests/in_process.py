"""Run the `schemasync` program in the test's own process (the tests that check messages and
exit codes without the cost of a child process; `schemasync.program.program` is what the
installed command runs after its SIGINT handler)."""

from __future__ import annotations

import contextlib
import io

from schemasync.program import program


def run_schemasync(argv: list[str]) -> tuple[int, str]:
    """Run `schemasync ARGV` in-process; return (exit code, stderr). Stdout is dropped."""
    err = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            program.run(["schemasync", *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, err.getvalue()
