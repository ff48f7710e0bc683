"""The project's code in the layers Phase D checks: read once, and what could not be read.

`read_layer_files(root, globs)` walks the project (skipping dependency and build folders) and
reads every code file a layer glob matches, each as a regular file (`fsio.read_bytes`). A file
it cannot scan — over the size limit, not UTF-8, unreadable, not a regular file (a FIFO would
block the run), a symlink that leaves the project or loops — is returned with its reason instead
of being skipped: Phase D reports it as a finding
(found: a 2.1 MB business file importing `@prisma/client` passed because it was skipped).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from schemasync.errors import ConfigError
from schemasync.fsio import FileRefused, read_bytes, resolve_in, utf8_name
from schemasync.layers import CODE_SUFFIXES, globs_regex

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "dist", "build", ".ai", ".next"})
#: Larger code files are not read: generated bundles; a business file that large is reported.
MAX_SCAN_BYTES = 2_000_000


@dataclass(frozen=True)
class LayerFiles:
    """The layers' code files as (POSIX path relative to the root, text), and those that could
    not be read as (path, reason); both sorted by path."""

    files: tuple[tuple[str, str], ...]
    unreadable: tuple[tuple[str, str], ...]


def _read(path: Path, root: Path) -> str:
    """Return the text of one code file; raise ValueError with the reason it cannot be scanned."""
    try:
        real = resolve_in(root, path, path.name)
    except ConfigError as err:
        reason = err.message.removeprefix(f"{path.name}: ")
        if "outside the project" in reason:
            reason = "a symlink to outside the project: not followed"
        raise ValueError(reason) from err
    try:
        raw = read_bytes(real, limit=MAX_SCAN_BYTES)
    except FileRefused as err:
        if err.size is not None:
            raise ValueError(
                f"{err.size / 1e6:.1f} MB, over the {MAX_SCAN_BYTES / 1e6:.0f} MB scan limit"
            ) from err
        raise ValueError(err.reason) from err
    if raw is None:
        raise ValueError("a symlink to nothing (the file it names does not exist)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"not UTF-8 text (invalid byte at offset {err.start})") from err


def read_layer_files(root: Path, globs: Sequence[str]) -> LayerFiles:
    """Read every code file under `root` that one of `globs` (repo-relative) matches.

    A folder that cannot be listed (a path too long for the system, no permission) is reported
    as unreadable when layer files could be in it.
    """
    in_layers = globs_regex(globs).fullmatch
    bases = tuple(PurePosixPath(g.split("*", 1)[0].rstrip("/") or ".") for g in globs)
    files: list[tuple[str, str]] = []
    unreadable: list[tuple[str, str]] = []

    def unlisted(err: OSError) -> None:
        if err.filename is None:
            return
        folder = PurePosixPath(utf8_name(Path(err.filename).relative_to(root).as_posix()))
        if any(b == folder or b in folder.parents or folder in b.parents for b in bases):
            unreadable.append((folder.as_posix(), f"cannot list the folder ({err.strerror})"))

    for folder, dirs, names in os.walk(root, onerror=unlisted):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in names:
            if not name.endswith(CODE_SUFFIXES):
                continue
            path = Path(folder) / name
            rel = utf8_name(path.relative_to(root).as_posix())  # reported: printable
            if not in_layers(rel):
                continue
            try:
                files.append((rel, _read(path, root)))
            except ValueError as err:
                unreadable.append((rel, str(err)))
    return LayerFiles(tuple(sorted(files)), tuple(sorted(unreadable)))
