"""The one error hierarchy and the exit codes of SPEC §5 (the only place they are defined).

Library code raises these and never prints or exits; the task layer turns them into a one-line
message and an exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (SPEC §5)."""

    OK = 0
    DRIFT = 1
    USAGE = 2
    STOP = 3
    SOURCE = 4
    DATABASE = 5
    ARTIFACT = 6
    #: SIGINT (Ctrl-C): the shell's 128 + 2, which `make`, `git` and CI runners read as
    #: "interrupted". Not one of SPEC §5's outcomes: the run has none.
    INTERRUPTED = 130


#: What each exit code means, as the README's table says it (generated from here by cog).
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (warnings may be printed)",
    ExitCode.DRIFT: "drift: hand-edited or stale mirror/context (with the changes), missing or "
    "incomplete evidence, Phase D findings (layer files that cannot be scanned included), a "
    "live database that differs from the mirror",
    ExitCode.USAGE: "usage or configuration error: bad flag or value, missing/invalid "
    "`db-ssot.json`, unsafe path, lock timeout, confirmation refused",
    ExitCode.STOP: "STOP: the project is not in `database` mode (use `sync-db-schema-from-code`)",
    ExitCode.SOURCE: "the Prisma schema cannot be read or parsed (`file:line:col: what, and how "
    "to fix`)",
    ExitCode.DATABASE: "database error (`snapshot --url-env`, `drift`, `--run-pull`), URL shown "
    "redacted",
    ExitCode.ARTIFACT: "an existing mirror/context/evidence file or template is corrupt or of an "
    "unknown format, or cannot be written",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C, SIGINT): one line says when, which files were "
    "written in full and whether the run's evidence is incomplete; nothing is half-written",
}


#: The exit code of a run stopped by SIGINT (Ctrl-C), for the modules that must not import more
#: than this one before the handler is installed (`cli.py`).
INTERRUPTED_EXIT = ExitCode.INTERRUPTED


class SchemasyncError(Exception):
    """Root of every error schemasync raises on purpose; carries its exit code."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DriftDetected(SchemasyncError):
    """An artifact is out of date, hand-edited, or differs from the database."""

    exit_code = ExitCode.DRIFT


class ConfigError(SchemasyncError):
    """A bad flag, a missing or invalid db-ssot.json, or an unsafe path."""

    exit_code = ExitCode.USAGE


class ModeStop(SchemasyncError):
    """The project is not in `database` SSOT mode."""

    exit_code = ExitCode.STOP


class SourceError(SchemasyncError):
    """The Prisma schema or SQL cannot be parsed or is invalid.

    The message reads ``file:line:col: what is wrong, and how to fix it``.
    """

    exit_code = ExitCode.SOURCE

    def __init__(self, message: str, *, file: str = "", line: int = 0, col: int = 0) -> None:
        self.file, self.line, self.col, self.detail = file, line, col, message
        where = f"{file}:{line}:{col}: " if file and line else (f"{file}: " if file else "")
        super().__init__(where + message)


class DatabaseError(SchemasyncError):
    """Cannot connect to or introspect a database (URLs shown redacted only)."""

    exit_code = ExitCode.DATABASE


class ArtifactError(SchemasyncError):
    """An existing mirror, context or evidence file is corrupt or of an unknown format."""

    exit_code = ExitCode.ARTIFACT


class Interrupted(BaseException):
    """SIGINT (Ctrl-C) stopped the run (`interrupt.sigint_raises`); exit `INTERRUPTED_EXIT`.

    A `BaseException`, as `KeyboardInterrupt` is, so that no `except Exception` swallows it;
    not a `KeyboardInterrupt`, which invoke turns into exit 1 without a word. The layers it
    passes through fill in what it says: when (`during`: "during `phase-b`"; empty: at start-up),
    the files the run wrote completely (`written`), the evidence folder left incomplete
    (`evidence`) and the command to run again (`again`).
    """

    exit_code = INTERRUPTED_EXIT

    def __init__(self) -> None:
        super().__init__()
        self.during = ""
        self.written: tuple[str, ...] = ()
        self.evidence = ""
        self.again = ""

    @property
    def message(self) -> str:
        """The one line the command line prints."""
        during = self.during or "at start-up"
        if not self.written:
            wrote = "nothing was written"
        else:
            names = ", ".join(self.written[:4]) + (", …" if len(self.written) > 4 else "")
            count = len(self.written)
            wrote = f"{count} file{'s' if count != 1 else ''} written in full before it ({names})"
        line = (
            f"interrupted (SIGINT) {during}: no file was half-written (each is as it was or "
            f"complete); {wrote}"
        )
        if self.evidence:
            line += f"; the evidence in {self.evidence}/ is incomplete"
        if self.again and (self.written or self.evidence):
            line += f"; run `{self.again}` again to finish"
        return line
