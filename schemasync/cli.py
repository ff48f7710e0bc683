"""The installed `schemasync` command: SIGINT handled first, then the program (`program.py`).

Kept to the standard library at import: Ctrl-C must become exit 130 and one line from the
first moment the command can say anything, including while the task collection, pydantic and
invoke are still being imported (a traceback from inside an import was what SIGINT at start-up
printed). What is left before `main` runs is the interpreter's own start-up.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import NoReturn

from schemasync.errors import INTERRUPTED_EXIT
from schemasync.interrupt import CheckpointHook, interruption, raise_interrupted


def main() -> None:
    """Run the `schemasync` command line (exit codes: SPEC §5; 130 after SIGINT).

    The process ends here (`os._exit`), without tearing the interpreter down: every file is
    written and closed, the lock released, and freeing a parsed 1,000-model schema object by
    object would only add ~20 ms to every run. Call `schemasync.program.program.run()` to embed
    the CLI instead.
    """
    code: int = INTERRUPTED_EXIT
    line, done = "", False
    try:
        signal.signal(signal.SIGINT, raise_interrupted)
        hook = CheckpointHook.from_env()
        code = _run()
        done = True
        if hook is not None:
            hook.finish()
        # the run is over: a Ctrl-C now changes nothing, and must not hide the outcome
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except BaseException as err:
        found = interruption(err)
        if found is None:
            raise
        if not done:
            code, line = INTERRUPTED_EXIT, f"schemasync: {found.message}"
    if line:
        print(line, file=sys.stderr)
    _exit_now(code)


def _run() -> int:
    """Run the program; return its exit code."""
    served = _mcp_root(sys.argv[1:])
    if served is not None:  # a server's start-up is what its client waits for (issue 14)
        from schemasync.mcp_server import serve_command

        return serve_command(served[0])
    from schemasync.program import program

    try:
        program.run()
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: leave that to the interpreter
        return exc.code or 0
    return 0


def _mcp_root(args: list[str]) -> tuple[str | None] | None:
    """Return `(root,)` when the command line is exactly `mcp` with at most its one option,
    `--root DIR` (`-r DIR`, `--root=DIR`): `serve_command` runs it without the task layer.
    Anything else (`--help`, a typo, several tasks) goes through the program, which says what
    is wrong as it does for every task."""
    if not args or args[0] != "mcp":
        return None
    rest = args[1:]
    if not rest:
        return (None,)
    if len(rest) == 2 and rest[0] in ("--root", "-r") and not rest[1].startswith("-"):
        return (rest[1],)
    if len(rest) == 1 and rest[0].startswith("--root=") and len(rest[0]) > len("--root="):
        return (rest[0].removeprefix("--root="),)
    return None


def _quiet_stdout() -> None:
    # `schemasync --list | head`: the reader went away; no traceback for that.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _exit_now(code: int) -> NoReturn:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        code = 1
    sys.stderr.flush()
    os._exit(code)
