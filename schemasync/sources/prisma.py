"""The Prisma schema as committed: one reader of its files and its views, and its one sha256.

This module owns reading `.prisma` files (one file, or a folder searched recursively, in sorted
relative-path order), the `views/<schema>/<name>.sql` files `prisma db pull` writes next to the
schema, the sha256 over all of them, and the repo-relative path recorded in the mirror (never an
absolute path). The same `PrismaSources.sha256` is recorded by the evidence (Phases 0, A, B) and
by the mirror's `source.sha256`, so an auditor can match them.

How the sha256 is computed, so that it can be checked by hand: for each schema file in order,
then for each view file, the length-prefixed pair `"{len(rel)}:{rel}\n{len(body)}\n"` followed by
`body`, where `rel` is the path relative to the schema's folder (`schema.prisma`,
`views/public/v.sql`) and `body` the UTF-8 text without a BOM, CRLF turned into LF (views
also stripped). Moving the repository or a CRLF checkout gives the same hash; any change to a
file gives another one. Everything after reading is pure (`parse_schema`, `import_document`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from schemasync.errors import ConfigError, SourceError
from schemasync.fsio import FileRefused, read_bytes, resolve_in, utf8_name

if TYPE_CHECKING:
    from schemasync.model import Source

_BOM = "\ufeff"
#: Larger source files are refused (counted on what is read: `/dev/zero` has no size): the
#: 10,000-model benchmark schema is 11 MB, and a 50 MB file (a log or dump saved under the
#: schema's name) took minutes to import.
MAX_SOURCE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class PrismaSources:
    """What `read_prisma_sources` found: the schema files and view definitions, as text."""

    files: tuple[tuple[str, str], ...]  # (display path, text), sorted by relative path
    view_definitions: dict[tuple[str | None, str], str]
    path: str  # repo-relative path of the file/folder, or just its name when outside the repo
    sha256: str

    def source(self) -> Source:
        """Return the mirror's `source` record."""
        from schemasync.model import Source  # the mirror's models: only when a mirror is made

        return Source(kind="prisma", path=self.path, sha256=self.sha256)


def display_path(path: Path, root: Path) -> str:
    """Return `path` relative to `root` (POSIX separators) when inside it, else its name."""
    try:
        real = Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return path.name
    return real.as_posix() or "."


def _read_text(path: Path, shown: str, what: str) -> str:
    """Return the text of one source file (a real path), BOM removed.

    Raises:
        ConfigError: the path is unsafe (a loop, a name too long).
        SourceError: not a regular file, over the size limit, missing, binary, not UTF-8.
    """
    try:
        raw = read_bytes(path, limit=MAX_SOURCE_BYTES)
    except FileRefused as err:
        if err.unsafe:
            raise ConfigError(f"{shown}: {err.reason}") from err
        if err.size is not None:
            raise SourceError(
                f"{what} is {err.size / 1e6:.0f} MB, over the {MAX_SOURCE_BYTES / 1e6:.0f} MB "
                "limit (a 10,000-model schema is 11 MB); check that this is the file Prisma wrote",
                file=shown,
            ) from err
        if err.special:
            raise SourceError(f"{what} is {err.reason}", file=shown) from err
        cause = err.__cause__
        detail = cause.strerror if isinstance(cause, OSError) and cause.strerror else err.reason
        raise SourceError(f"cannot read {what} ({detail}); check permissions", file=shown) from err
    if raw is None:
        raise SourceError(
            f"{what} not found; check the path (or `prismaSchema` in db-ssot.json)", file=shown
        )
    if b"\x00" in raw:
        raise SourceError(
            f"{what} is binary, not text; point schemasync at the text file Prisma writes",
            file=shown,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(
            f"{what} is not UTF-8 (invalid byte at offset {err.start}); re-save it as UTF-8",
            file=shown,
        ) from err
    return text.removeprefix(_BOM)


def _boundary(path: Path, root: Path) -> Path:
    """Return the folder the schema's files must stay in: the project when the schema is in
    it, else the schema's own folder (`snapshot --prisma /elsewhere/schema.prisma`)."""
    given = Path(os.path.normpath(path.absolute()))
    for base in (Path(os.path.normpath(root.absolute())), Path(os.path.realpath(root))):
        if given.is_relative_to(base):
            return base
    return given if given.is_dir() else given.parent


def _files(folder: Path, suffix: str, boundary: Path) -> list[tuple[str, Path]]:
    """Return (path relative to `folder`, real path) of the files named `*suffix` under the real
    folder `folder`, recursively, sorted by relative path.

    A symlink is followed when it stays inside `boundary` (and refused otherwise); a symlinked
    folder is not entered (as `Path.rglob` did). FIFOs, devices and sockets are returned: their
    reader refuses them by name.

    Raises:
        ConfigError: a symlink leaves `boundary` or loops.
        SourceError: a folder cannot be listed.
    """
    found: list[tuple[str, Path]] = []
    pending: list[tuple[Path, str]] = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as err:
            raise SourceError(
                f"cannot list the folder ({err.strerror or err})",
                file=display_path(current, boundary),
            ) from err
        for entry in entries:
            rel = prefix + entry.name
            if entry.name.endswith(suffix) and utf8_name(rel) != rel:
                raise SourceError(
                    "a file name that is not UTF-8; rename it (Prisma and the mirror name it)",
                    file=utf8_name(display_path(Path(entry.path), boundary)),
                )
            if entry.is_symlink():
                if not entry.name.endswith(suffix):
                    continue
                link = Path(entry.path)
                real = resolve_in(boundary, link, display_path(link, boundary))
                if not real.is_dir():
                    found.append((rel, real))
            elif entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), rel + "/"))
            elif entry.name.endswith(suffix):
                found.append((rel, Path(entry.path)))
    return sorted(found)


def read_prisma_sources(path: Path, root: Path) -> PrismaSources:
    """Read the Prisma schema at `path` (a `.prisma` file or a folder of them) and its views.

    Every file is read as a regular file (`fsio.read_bytes`: no FIFO, device or socket, the
    size limit counted on what is read), through symlinks only when they stay inside the
    project (`root`; the schema's own folder when it is outside the project).

    Args:
        path: the schema file, or a folder searched recursively for `*.prisma`.
        root: the repository root; shown paths are relative to it when `path` is inside it.

    Raises:
        ConfigError: the path, or a file or view in it, leaves the project through a symlink,
            loops, or is too long.
        SourceError: the path is missing, a file is empty, binary, not UTF-8 or not a regular
            file, or a folder holds no `.prisma` file; the message names the file and what to do.
    """
    shown = display_path(path, root)
    boundary = _boundary(path, root)
    real = resolve_in(boundary, path, shown)
    if real.is_dir():
        found = _files(real, ".prisma", boundary)
        if not found:
            raise SourceError(
                "the folder holds no `.prisma` file; point at the schema file or the folder "
                "`prisma db pull` writes (e.g. prisma/schema)",
                file=shown,
            )
        base = real
    else:
        if not os.path.lexists(real):
            raise SourceError(
                "Prisma schema not found; check the path (or `prismaSchema` in db-ssot.json)",
                file=shown,
            )
        found = [(real.name, real)]
        base = real.parent
    files: list[tuple[str, str]] = []
    digest = hashlib.sha256()
    for rel, file in found:
        name = display_path(file, root)
        text = _read_text(file, name, "Prisma schema")
        if not text.strip():
            raise SourceError(
                "the Prisma schema file is empty; run `prisma db pull` again or remove the file",
                file=name,
            )
        files.append((name, text))
        # Length-prefixed (relative path, normalized text) pairs: moving the repo or changing
        # CRLF to LF gives the same hash; any real change to a file gives another one.
        body = text.replace("\r\n", "\n").encode("utf-8")
        digest.update(f"{len(rel)}:{rel}\n{len(body)}\n".encode())
        digest.update(body)
    # `views/` sits next to schema.prisma; for a folder schema, inside it or next to it.
    views = _read_views(base, root, boundary, digest)
    if not views and real.is_dir() and real != boundary:
        views = _read_views(real.parent, root, boundary, digest)
    return PrismaSources(files=tuple(files), view_definitions=views, path=shown,
                         sha256=digest.hexdigest())  # fmt: skip


def _read_views(
    base: Path, root: Path, boundary: Path, digest: hashlib._Hash
) -> dict[tuple[str | None, str], str]:
    """Collect `views/<schema>/<name>.sql` (and `views/<name>.sql`) next to the schema."""
    views: dict[tuple[str | None, str], str] = {}
    folder = resolve_in(boundary, base / "views", display_path(base / "views", root))
    if not folder.is_dir():
        return views
    for rel_text, file in _files(folder, ".sql", boundary):
        rel = PurePosixPath(rel_text)
        schema = rel.parts[0] if len(rel.parts) > 1 else None
        text = _read_text(file, display_path(file, root), "view definition")
        sql = text.replace("\r\n", "\n").strip()
        views[(schema, rel.stem)] = sql
        key = f"views/{rel.as_posix()}"
        body = sql.encode("utf-8")
        digest.update(f"{len(key)}:{key}\n{len(body)}\n".encode())
        digest.update(body)
    return views
