"""The project's code in the layers Phase D checks: read once, and what could not be read.

`read_layer_files(root, globs)` walks the project (skipping dependency and build folders) and
reads every code file a layer glob matches. A file it cannot scan — over the size limit, not
UTF-8, unreadable, not a regular file (a FIFO would block the run), or a symlink that leaves the
project — is returned with its reason instead of being skipped: Phase D reports it as a finding
(found: a 2.1 MB business file importing `@prisma/client` passed because it was skipped).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        raise ValueError("a symlink to outside the project: not followed")
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file")
        if st.st_size > MAX_SCAN_BYTES:
            raise ValueError(
                f"{st.st_size / 1e6:.1f} MB, over the {MAX_SCAN_BYTES / 1e6:.0f} MB scan limit"
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_SCAN_BYTES + 1)  # the size may change after stat
    except OSError as err:
        raise ValueError(f"cannot read ({err.strerror or err})") from err
    if len(raw) > MAX_SCAN_BYTES:
        raise ValueError(f"over the {MAX_SCAN_BYTES / 1e6:.0f} MB scan limit")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"not UTF-8 text (invalid byte at offset {err.start})") from err


def read_layer_files(root: Path, globs: Sequence[str]) -> LayerFiles:
    """Read every code file under `root` that one of `globs` (repo-relative) matches."""
    in_layers = globs_regex(globs).fullmatch
    files: list[tuple[str, str]] = []
    unreadable: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in names:
            if not name.endswith(CODE_SUFFIXES):
                continue
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if not in_layers(rel):
                continue
            try:
                files.append((rel, _read(path, root)))
            except ValueError as err:
                unreadable.append((rel, str(err)))
    return LayerFiles(tuple(sorted(files)), tuple(sorted(unreadable)))
