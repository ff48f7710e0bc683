"""A SQL DDL file as committed (`pg_dump --schema-only`, `mysqldump --no-data`, SQLite's
`.schema`): the one reader of it, streaming, and its sha256.

The file is read line by line and each statement is applied as soon as it is complete
(`ddl.apply` over `ddl.split_statements`), so a large dump is never held whole. The sha256 is
the one `sources/prisma.py` takes of a one-file schema — the length-prefixed pair
`"{len(name)}:{name}\n{len(body)}\n"` and `body` (the file's bytes, CRLF turned into LF, BOM
dropped) — so the evidence's input hash and the mirror's `source.sha256` agree; the length is
counted in a first pass, the body hashed while streaming. The mirror records it with the
repo-relative path (`source.kind = "ddl"`). Everything after
reading is `schemasync.ddl`, pure.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from schemasync.errors import ConfigError, SourceError
from schemasync.fsio import kind_of
from schemasync.sources.prisma import display_path

if TYPE_CHECKING:
    from schemasync.model import Schema

#: How much of the beginning of a file is looked at to recognise its dialect.
HEAD_BYTES = 64 * 1024


def read_ddl(
    path: Path,
    root: Path,
    *,
    dialect: str | None = None,
    rich: bool = True,
    schemas: Sequence[str] = (),
) -> Schema:
    """Return the mirror of the DDL file at `path` (see `ddl.apply` for what it holds).

    Args:
        path: the SQL file.
        root: the project; the mirror records the path relative to it (or the file's name).
        dialect: `postgresql`/`postgres`, `mysql`/`mariadb` or `sqlite`; None: recognised
            from the file's beginning (pg_dump and mysqldump headers, quoting, types).
        rich: also model checks, partial and expression indexes, identity kinds and generated
            columns (as `pull` captures them); False: notes instead, as a plain snapshot.
        schemas: PostgreSQL schemas to keep (default: all the file names).

    Raises:
        ConfigError: an unknown `dialect`; the path leaves the project through a symlink.
        SourceError: missing, not a regular file, binary, not UTF-8, of a dialect that cannot
            be recognised, or a statement that cannot be parsed (`file:line:col`).
    """
    from schemasync.ddl import ALIASES, DIALECTS, apply, detect_dialect, split_statements
    from schemasync.model import Source

    shown = display_path(path, root)
    real = _checked(path, root, shown)
    if dialect is not None and dialect.lower() not in ALIASES:
        raise ConfigError(
            f"--dialect {dialect!r}: not a dialect schemasync reads; use one of "
            f"{', '.join(sorted(set(ALIASES)))}"
        )
    name = ALIASES[dialect.lower()] if dialect is not None else None
    if name is None:
        with real.open("rb") as head_file:
            head = head_file.read(HEAD_BYTES).decode("utf-8", errors="replace")
        name = detect_dialect(head)
        if name is None:
            raise SourceError(
                "cannot tell which SQL dialect this file is; give it with --dialect "
                "(postgresql, mysql or sqlite)",
                file=shown,
            )
    d = DIALECTS[name]
    digest = _digest(real)
    empty = _empty(d.provider)
    with real.open("rb") as raw:
        lines = _lines(raw, shown, digest)
        schema = apply(
            empty, split_statements(lines, d.lexis, shown), dialect=name, rich=rich,
            schemas=schemas,
        )  # fmt: skip
    source = Source(kind="ddl", path=shown, sha256=digest.hexdigest())
    return schema.model_copy(update={"source": source})


def _digest(path: Path) -> hashlib._Hash:
    """A sha256 begun with the length prefix of `path`'s normalized body (see the module)."""
    length = 0
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            length += len(line) - (1 if line.endswith(b"\r\n") else 0)
    digest = hashlib.sha256()
    digest.update(f"{len(path.name)}:{path.name}\n{length}\n".encode())
    return digest


def _empty(provider: str) -> Schema:
    from schemasync.ddl import empty_schema

    return empty_schema(provider)


def _checked(path: Path, root: Path, shown: str) -> Path:
    """`path` (already resolved by the caller: `--ddl`, `ddlSchema`), when it is a regular
    file."""
    real = path
    try:
        mode = real.stat().st_mode
    except FileNotFoundError as err:
        raise SourceError(
            "SQL file not found; check the path (or `ddlSchema` in db-ssot.json)", file=shown
        ) from err
    except OSError as err:
        raise SourceError(f"cannot read the SQL file ({err.strerror}); check permissions",
                          file=shown) from err  # fmt: skip
    if not stat.S_ISREG(mode):
        raise SourceError(f"the SQL file is {kind_of(mode)}, not a regular file", file=shown)
    return real


def _lines(raw: object, shown: str, digest: hashlib._Hash) -> Iterator[str]:
    """Yield the file's lines as text (LF endings, BOM dropped), hashing them as they go.

    Raises:
        SourceError: a line is not UTF-8 or holds a NUL byte (a binary file).
    """
    import io

    assert isinstance(raw, io.BufferedIOBase)
    for number, line in enumerate(raw, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if line.endswith(b"\r\n"):
            line = line[:-2] + b"\n"
        if b"\x00" in line:
            raise SourceError("the SQL file is binary, not text", file=shown, line=number, col=1)
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as err:
            raise SourceError(
                f"not UTF-8 (invalid byte at column {err.start + 1}); re-save the file as UTF-8",
                file=shown,
                line=number,
                col=err.start + 1,
            ) from err
        digest.update(line)
        yield text


__all__ = ["HEAD_BYTES", "read_ddl"]
