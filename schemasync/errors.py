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
}


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
