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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from schemasync.errors import SourceError

if TYPE_CHECKING:
    from schemasync.model import Source

_BOM = "\ufeff"
#: Larger source files are refused before reading: the 10,000-model benchmark schema is 11 MB,
#: and a 50 MB file (a log or dump saved under the schema's name) took minutes to import.
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
        return path.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return path.name


def _read_text(path: Path, shown: str, what: str) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # reading below reports the real problem
    if size > MAX_SOURCE_BYTES:
        raise SourceError(
            f"{what} is {size / 1e6:.0f} MB, over the {MAX_SOURCE_BYTES / 1e6:.0f} MB limit "
            "(a 10,000-model schema is 11 MB); check that this is the file Prisma wrote",
            file=shown,
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise SourceError(
            f"{what} not found; check the path (or `prismaSchema` in db-ssot.json)", file=shown
        ) from err
    except OSError as err:
        raise SourceError(f"cannot read {what} ({err.strerror or err}); check permissions",
                          file=shown) from err  # fmt: skip
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


def read_prisma_sources(path: Path, root: Path) -> PrismaSources:
    """Read the Prisma schema at `path` (a `.prisma` file or a folder of them) and its views.

    Args:
        path: the schema file, or a folder searched recursively for `*.prisma`.
        root: the repository root; shown paths are relative to it when `path` is inside it.

    Raises:
        SourceError: the path is missing, a file is empty, binary or not UTF-8, or a folder
            holds no `.prisma` file; the message names the file and what to do.
    """
    shown = display_path(path, root)
    if path.is_dir():
        found = sorted(
            (p for p in path.rglob("*.prisma") if p.is_file()),
            key=lambda p: p.relative_to(path).as_posix(),
        )
        if not found:
            raise SourceError(
                "the folder holds no `.prisma` file; point at the schema file or the folder "
                "`prisma db pull` writes (e.g. prisma/schema)",
                file=shown,
            )
        base = path
    else:
        if not path.exists():
            raise SourceError(
                "Prisma schema not found; check the path (or `prismaSchema` in db-ssot.json)",
                file=shown,
            )
        found = [path]
        base = path.parent
    files: list[tuple[str, str]] = []
    digest = hashlib.sha256()
    for file in found:
        name = display_path(file, root)
        text = _read_text(file, name, "Prisma schema")
        if not text.strip():
            raise SourceError(
                "the Prisma schema file is empty; run `prisma db pull` again or remove the file",
                file=name,
            )
        files.append((name, text))
        rel = file.relative_to(base).as_posix()
        # Length-prefixed (relative path, normalized text) pairs: moving the repo or changing
        # CRLF to LF gives the same hash; any real change to a file gives another one.
        body = text.replace("\r\n", "\n").encode("utf-8")
        digest.update(f"{len(rel)}:{rel}\n{len(body)}\n".encode())
        digest.update(body)
    # `views/` sits next to schema.prisma; for a folder schema, inside it or next to it.
    views = _read_views(base, root, digest)
    if not views and path.is_dir():
        views = _read_views(path.parent, root, digest)
    return PrismaSources(files=tuple(files), view_definitions=views, path=shown,
                         sha256=digest.hexdigest())  # fmt: skip


def _read_views(base: Path, root: Path, digest: hashlib._Hash) -> dict[tuple[str | None, str], str]:
    """Collect `views/<schema>/<name>.sql` (and `views/<name>.sql`) next to the schema."""
    views: dict[tuple[str | None, str], str] = {}
    folder = base / "views"
    if not folder.is_dir():
        return views
    for file in sorted(folder.rglob("*.sql"), key=lambda p: p.relative_to(folder).as_posix()):
        rel = file.relative_to(folder)
        schema = rel.parts[0] if len(rel.parts) > 1 else None
        text = _read_text(file, display_path(file, root), "view definition")
        sql = text.replace("\r\n", "\n").strip()
        views[(schema, file.stem)] = sql
        key = f"views/{rel.as_posix()}"
        body = sql.encode("utf-8")
        digest.update(f"{len(key)}:{key}\n{len(body)}\n".encode())
        digest.update(body)
    return views
