"""The one way schemasync writes a file (temp file in the same folder, fsync, `os.replace`), and
the one way it reads a project's text file (UTF-8, errors as `SchemasyncError`s with a fix).

A run that fails or is killed at any point leaves the target either as it was or fully new.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from schemasync.errors import ArtifactError, SchemasyncError


def read_text(path: Path, shown: str, error: type[SchemasyncError], fix: str) -> str | None:
    """Return the UTF-8 text of `path`, or None when it does not exist.

    Args:
        path: the file.
        shown: how messages name it (project-relative).
        error: the error class to raise (its exit code says whose fault it is).
        fix: what the user should do when the file is not UTF-8.

    Raises:
        SchemasyncError: (`error`) not UTF-8, or unreadable.
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as err:
        raise error(f"{shown}: not UTF-8 text; {fix}") from err
    except OSError as err:
        raise error(f"{shown}: cannot read ({err.strerror or err})") from err


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` atomically (UTF-8 for text); create parent folders as needed.

    Raises:
        ArtifactError: the folder cannot be created or written (disk full, read-only, ...);
            the previous file, if any, is untouched.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise ArtifactError(
            f"{path}: cannot write ({err.strerror or err}); check the folder exists and is writable"
        ) from err
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # Keep the previous file's permission bits, as editors and git do.
            with contextlib.suppress(OSError):
                tmp_path.chmod(path.stat().st_mode & 0o7777)
        else:
            tmp_path.chmod(0o644)
        tmp_path.replace(path)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise ArtifactError(
            f"{path}: cannot write ({err.strerror or err}); nothing was changed — free space or "
            "fix permissions and run again"
        ) from err
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
