"""SQLite introspection: `sqlite_master` + pragma table functions -> `Schema`, opened read-only.

Each catalog query joins `sqlite_master` with a pragma table-valued function
(`pragma_table_xinfo`, `pragma_index_list`, `pragma_index_xinfo`, `pragma_foreign_key_list`), so
the query count does not grow with the number of tables. Never writes, nor creates a file beside
the database (`connect`: WAL mode included) and `PRAGMA query_only` is set.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schemasync import model
from schemasync.errors import DatabaseError
from schemasync.introspect._common import EXCLUDED_TABLES, CatalogDefaults, assemble

MASTER_SQL = """
SELECT type, name, tbl_name, sql FROM sqlite_master
WHERE type IN ('table', 'view', 'index') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY type, name
"""

COLUMNS_SQL = """
SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, p.cid
"""

INDEXES_SQL = """
SELECT m.name, il.name, il."unique", il.origin, il.partial, ii.seqno, ii.cid, ii.name, ii."desc"
FROM sqlite_master m
JOIN pragma_index_list(m.name) il
JOIN pragma_index_xinfo(il.name) ii
WHERE m.type = 'table' AND ii."key" = 1
ORDER BY m.name, il.name, ii.seqno
"""

FKS_SQL = """
SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table'
ORDER BY m.name, f.id, f.seq
"""

QUERIES: tuple[str, ...] = (MASTER_SQL, COLUMNS_SQL, INDEXES_SQL, FKS_SQL)

#: Declared type (lower case, without arguments) -> Prisma scalar (Prisma's SQLite mapping).
SCALARS: dict[str, str] = {
    "integer": "Int",
    "int": "Int",
    "bigint": "BigInt",
    "text": "String",
    "varchar": "String",
    "char": "String",
    "real": "Float",
    "float": "Float",
    "double": "Float",
    "double precision": "Float",
    "decimal": "Decimal",
    "numeric": "Decimal",
    "boolean": "Boolean",
    "datetime": "DateTime",
    "date": "DateTime",
    "timestamp": "DateTime",
    "blob": "Bytes",
    "jsonb": "Json",
    "json": "Json",
}

_FK_NAME = re.compile(
    r'CONSTRAINT\s+("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|\w+)\s+FOREIGN\s+KEY\s*\(([^)]*)\)',
    re.IGNORECASE,
)


def _unquote(name: str) -> str:
    name = name.strip()
    if name[:1] in ('"', "`", "[") and len(name) >= 2:
        inner = name[1:-1]
        return inner.replace('""', '"') if name[0] == '"' else inner
    return name


def fk_names(create_sql: str) -> dict[tuple[str, ...], str]:
    """Return the FK constraint names stated in a `CREATE TABLE`, by their column tuple.

    SQLite's pragmas do not report constraint names; Prisma names every FK it creates
    (`CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") ...`), and that name is in the
    stored SQL.
    """
    out: dict[tuple[str, ...], str] = {}
    for match in _FK_NAME.finditer(create_sql):
        cols = tuple(_unquote(c) for c in match.group(2).split(","))
        out[cols] = _unquote(match.group(1))
    return out


def prisma_scalar(db_type: str) -> str:
    """Return the Prisma scalar of a SQLite declared type (`Unsupported` when unknown)."""
    base = db_type.split("(", 1)[0].strip()
    return SCALARS.get(base, "Unsupported")


def _action(word: str) -> model.Action:
    upper = word.upper()
    if upper in ("CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"):
        return upper  # type: ignore[return-value]
    return "NO ACTION"


def _outside_quotes(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Yield (index, character, bracket depth after it) for each character of `text` from
    `start` that is not inside a quoted string or name (`'…'`, `"…"`, `` `…` ``, `[…]`)."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        else:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            yield i, ch, depth


def _closing(text: str, start: int) -> int:
    """Return the index of the parenthesis closing the one at `start` (quotes respected)."""
    return next(
        (i for i, ch, depth in _outside_quotes(text, start) if ch == ")" and depth == 0),
        len(text),
    )


def _top_level(text: str) -> list[str]:
    """Split `text` at its top-level commas."""
    cuts = [i for i, ch, depth in _outside_quotes(text) if ch == "," and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(text)], strict=True)
    return [text[a + 1 : b].strip() for a, b in bounds]


def _table_body(sql: str) -> list[str]:
    start = sql.find("(")
    return _top_level(sql[start + 1 : _closing(sql, start)]) if start >= 0 else []


_CHECK = re.compile(r"(?:\bCONSTRAINT\s+(\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|\w+)\s+)?\bCHECK\s*\(", re.I)
_GENERATED = re.compile(r"\b(?:GENERATED\s+ALWAYS\s+)?AS\s*\(", re.I)


def table_checks(table: str, sql: str) -> tuple[model.Check, ...]:
    """The check constraints of a `CREATE TABLE` text; SQLite does not name unnamed ones: they
    are `{table}_check{n}` in the order written."""
    out, n = [], 0
    for part in _table_body(sql):
        for found in _CHECK.finditer(part):
            n += 1
            open_at = found.end() - 1
            expression = part[open_at : _closing(part, open_at) + 1]
            name = _unquote(found.group(1)) if found.group(1) else f"{table}_check{n}"
            out.append(model.Check(name=name, expression=expression))
    return tuple(out)


def generated_expressions(sql: str) -> dict[str, str]:
    """Column name -> the expression of a generated column, from a `CREATE TABLE` text."""
    out = {}
    for part in _table_body(sql):
        found = _GENERATED.search(part)
        if found is None or re.match(r"(CONSTRAINT|CHECK|PRIMARY|UNIQUE|FOREIGN)\b", part, re.I):
            continue
        name = _unquote(part.split(None, 1)[0])
        open_at = found.end() - 1
        out[name] = part[open_at + 1 : _closing(part, open_at)].strip()
    return out


_DEFERRABLE = re.compile(
    r"(?<!NOT )\bDEFERRABLE\b(?:\s+INITIALLY\s+(DEFERRED|IMMEDIATE))?", re.IGNORECASE
)
_TABLE_FK = re.compile(
    r"(?:CONSTRAINT\s+(?:\"(?:[^\"]|\"\")+\"|`[^`]+`|\[[^\]]+\]|\w+)\s+)?FOREIGN\s+KEY\s*\(([^)]*)\)",
    re.IGNORECASE,
)


def deferrable_fks(sql: str) -> dict[tuple[str, ...], str]:
    """The deferrable foreign keys of a `CREATE TABLE` text, by their column tuple, spelled
    `DEFERRABLE INITIALLY DEFERRED` / `… IMMEDIATE` (SQLite's bare `DEFERRABLE` is immediate)."""
    out = {}
    for part in _table_body(sql):
        found = _DEFERRABLE.search(part)
        if found is None or not re.search(r"\bREFERENCES\b", part, re.I):
            continue
        table_fk = _TABLE_FK.match(part)
        if table_fk is not None:
            cols = tuple(_unquote(c) for c in table_fk.group(1).split(","))
        elif re.match(r"(CONSTRAINT|CHECK|PRIMARY|UNIQUE)\b", part, re.I):
            continue
        else:
            cols = (_unquote(part.split(None, 1)[0]),)
        out[cols] = f"DEFERRABLE INITIALLY {(found.group(1) or 'IMMEDIATE').upper()}"
    return out


def index_parts(sql: str) -> tuple[list[str], str | None]:
    """The key elements (`lower(email)`, `"name" DESC`) and the WHERE of a `CREATE INDEX`."""
    on = re.search(r"\bON\b", sql, re.I)
    start = sql.find("(", on.end() if on else 0)
    if start < 0:
        return [], None
    close = _closing(sql, start)
    where = re.match(r"\s*WHERE\b(.*)$", sql[close + 1 :], re.I | re.S)
    return _top_level(sql[start + 1 : close]), where.group(1).strip() if where else None


def _rich_index(name: str, unique: bool, sql: str, columns: list[model.IndexColumn]) -> model.Index:
    """An index with its expressions and predicate, read from its `CREATE INDEX` text."""
    elements, where = index_parts(sql)
    if len(elements) == len(columns) or not columns:
        cols = []
        for i, element in enumerate(elements):
            known = columns[i] if i < len(columns) else None
            if known is not None and known.name:
                cols.append(known)
                continue
            bare = re.sub(r"\s+(ASC|DESC)\s*$", "", element, flags=re.I)
            desc = bare != element and element.upper().endswith("DESC")
            cols.append(
                model.IndexColumn(name=bare, expression=True, sort="desc" if desc else None)
            )
        columns = cols
    return model.Index(name=name, unique=unique, columns=tuple(columns), predicate=where)


def introspect_sqlite(conn: Any, *, rich: bool = False) -> model.Schema:
    """Return the shape of the SQLite database behind `conn` (a `sqlite3.Connection`).

    `rich` also fills the facts a Prisma schema cannot carry, from the stored SQL the same
    queries read: check constraints, generated columns, partial and expression indexes,
    deferrable foreign keys."""
    master = conn.execute(MASTER_SQL).fetchall()
    col_rows = conn.execute(COLUMNS_SQL).fetchall()
    idx_rows = conn.execute(INDEXES_SQL).fetchall()
    fk_rows = conn.execute(FKS_SQL).fetchall()

    table_sql = {name: sql or "" for kind, name, _t, sql in master if kind == "table"}
    index_sql = {name: sql or "" for kind, name, _t, sql in master if kind == "index"}
    view_sql = {name: sql or "" for kind, name, _t, sql in master if kind == "view"}
    notes: list[model.Note] = []
    defaults = CatalogDefaults("sqlite")
    columns: dict[str, list[model.Column]] = defaultdict(list)
    pk_cols: dict[str, list[tuple[int, str]]] = defaultdict(list)
    generated = {t: generated_expressions(sql) for t, sql in table_sql.items()} if rich else {}
    for rel, _cid, name, decl, notnull, dflt, pk, hidden in col_rows:
        db_type = " ".join((decl or "").lower().split())
        if hidden in (2, 3):
            notes.append(
                model.Note(
                    object=f"{rel}.{name}", message="generated column: Prisma cannot represent it"
                )
            )
        cleaned = defaults(dflt)
        notes.extend(cleaned.notes_for(f"{rel}.{name}"))
        if pk:
            pk_cols[rel].append((pk, name))
        columns[rel].append(
            model.Column(
                name=name,
                type=prisma_scalar(db_type),
                db_type=db_type,
                # an INTEGER PRIMARY KEY is never NULL (it is the rowid), whatever `notnull` says
                nullable=not notnull and not (pk and db_type == "integer"),
                default=cleaned.default,
                generated=generated.get(rel, {}).get(name) if hidden in (2, 3) else None,
            )
        )

    autoinc = {
        name for name, sql in table_sql.items() if re.search(r"\bAUTOINCREMENT\b", sql, re.I)
    }
    indexes: dict[str, dict[str, tuple[bool, list[model.IndexColumn]]]] = defaultdict(dict)
    for rel, iname, unique, origin, partial, _seq, cid, cname, desc in idx_rows:
        if origin == "pk":
            continue
        if rich:
            entry = indexes[rel].setdefault(iname, (bool(unique), []))
            if cid == -2 or cname is None:
                entry[1].append(model.IndexColumn(name=""))
            else:
                entry[1].append(model.IndexColumn(name=cname, sort="desc" if desc else None))
            continue
        if cid == -2 or cname is None:
            if iname not in {n for r in indexes.values() for n in r}:
                notes.append(
                    model.Note(
                        object=rel,
                        message=f"expression index {iname}: {index_sql.get(iname, '')}; "
                        "Prisma cannot represent expression indexes",
                    )
                )
            indexes[rel][iname] = (bool(unique), [])
            continue
        if partial and _seq == 0:
            notes.append(
                model.Note(
                    object=rel,
                    message=f"partial index {iname}: its WHERE clause is not in the mirror; "
                    "Prisma cannot represent partial indexes",
                )
            )
        entry = indexes[rel].setdefault(iname, (bool(unique), []))
        entry[1].append(model.IndexColumn(name=cname, sort="desc" if desc else None))

    fks: dict[str, dict[int, list[Any]]] = defaultdict(dict)
    for rel, fid, _seq, ref, src, dst, on_update, on_delete in fk_rows:
        part = fks[rel].setdefault(fid, [ref, [], [], on_update, on_delete])
        part[1].append(src)
        part[2].append(dst)

    tables: list[model.Table] = []
    for name, sql in sorted(table_sql.items()):
        if name in EXCLUDED_TABLES:
            continue
        cols = columns[name]
        pk = [c for _, c in sorted(pk_cols[name])]
        if name in autoinc and len(pk) == 1:
            cols = [
                c.model_copy(update={"autoincrement": True}) if c.name == pk[0] else c for c in cols
            ]
        named = fk_names(sql)
        deferrable = deferrable_fks(sql) if rich else {}
        foreign_keys = []
        for ref, src, dst, on_update, on_delete in fks[name].values():
            ref_pk = [c for _, c in sorted(pk_cols.get(ref, []))]
            foreign_keys.append(
                model.ForeignKey(
                    name=named.get(tuple(src)),
                    columns=tuple(src),
                    referenced_table=ref,
                    # `REFERENCES t` without columns means t's primary key
                    referenced_columns=tuple(dst) if None not in dst else tuple(ref_pk),
                    on_delete=_action(on_delete),
                    on_update=_action(on_update),
                    deferrable=deferrable.get(tuple(src)),
                )
            )
        tables.append(
            model.Table(
                name=name,
                columns=tuple(cols),
                primary_key=model.PrimaryKey(name=None, columns=tuple(pk)) if pk else None,
                indexes=tuple(
                    _rich_index(iname, unique, index_sql.get(iname, ""), icols)
                    if rich and (not all(c.name for c in icols) or _partial(index_sql.get(iname)))
                    else model.Index(name=iname, unique=unique, columns=tuple(icols))
                    for iname, (unique, icols) in indexes[name].items()
                    if icols
                ),
                foreign_keys=tuple(foreign_keys),
                checks=table_checks(name, sql) if rich else (),
            )
        )
    views = [
        model.View(
            name=name,
            columns=tuple(c.model_copy(update={"nullable": True}) for c in columns[name]),
            definition=_view_body(sql),
        )
        for name, sql in sorted(view_sql.items())
    ]
    return assemble("sqlite", tables, views, notes)


def _partial(sql: str | None) -> bool:
    return bool(sql) and index_parts(sql or "")[1] is not None


_VIEW_AS = re.compile(
    r"^\s*CREATE\s+(?:TEMP\w*\s+)?VIEW\s+.+?\s+AS\s+(.*)$", re.IGNORECASE | re.DOTALL
)


def _view_body(sql: str) -> str | None:
    match = _VIEW_AS.match(sql)
    return match.group(1).strip() if match else (sql.strip() or None)


def sqlite_path(url: str) -> str:
    """Return the file path of a Prisma SQLite URL (`file:./dev.db`, `file:/abs.db`, `sqlite:x`)."""
    _, _, rest = url.partition(":")
    if rest.startswith("//"):
        rest = rest[2:]
    return rest.split("?", 1)[0]


def anchored(url: str, base: Path) -> str:
    """Return `url` with a relative file path made relative to `base`: Prisma reads a relative
    `file:` path from the folder of the schema file, and so does schemasync everywhere."""
    path = sqlite_path(url)
    if not path or Path(path).is_absolute():
        return url
    query = url.partition("?")[2]
    return f"file:{base / path}" + (f"?{query}" if query else "")


class ReadOnlyConnection(sqlite3.Connection):
    """A connection that remembers how `connect` opened the file: the identity of a file
    opened `immutable` (checked after reading, `check_unchanged`), the private copy's folder
    (removed on close)."""

    watched: tuple[Path, tuple[int, ...]] | None = None
    copy: str | None = None

    def close(self) -> None:
        """Close the connection; remove the private copy, if any."""
        super().close()
        if self.copy is not None:
            shutil.rmtree(self.copy, ignore_errors=True)


#: The SQLite header's bytes 18-19 (file format write/read version): 2 is WAL mode, 1 legacy
#: (rollback journal). https://www.sqlite.org/fileformat2.html#database_header
_WAL_VERSION = 2
_SIDE_FILES = ("-wal", "-shm")


def _identity(path: Path) -> tuple[int, ...]:
    info = path.stat()
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _side_files(path: str) -> tuple[Path, ...]:
    return tuple(Path(path + s) for s in _SIDE_FILES if os.path.lexists(path + s))


def _is_wal(path: str) -> bool:
    """Tell whether the database file is in WAL mode (its header says so).

    Raises:
        DatabaseError: the file cannot be opened, or is not a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DatabaseError(f"cannot open {path}: not a regular file")
            header = os.pread(fd, 100, 0)  # the header: https://www.sqlite.org/fileformat2.html
        finally:
            os.close(fd)
    except OSError as err:
        raise DatabaseError(f"cannot open {path}: {err.strerror or err}") from err
    return len(header) >= 20 and header[18] == header[19] == _WAL_VERSION


def connect(url: str, timeout: float) -> sqlite3.Connection:
    """Open the SQLite file of `url` so that no file is created or changed, WAL included.

    SQLite's `mode=ro` alone is not that: a reader of a WAL-mode database needs the `-shm`
    (and `-wal`) files and creates them beside the database, or updates the read marks in an
    existing `-shm` (measured with SQLite 3.40). So:

    - a rollback-journal database: `mode=ro` (a reader creates no journal);
    - a WAL database with no `-wal`/`-shm` beside it (no process has it open, every change is
      in the main file: a committed dev.db, a read-only mount): `mode=ro&immutable=1`, which
      skips locking and the `-shm`. SQLite documents that an immutable file that changes
      anyway may give wrong results, so the file's identity (inode, size, mtime) is checked
      again after reading (`check_unchanged`): a change is a `DatabaseError`, not a wrong
      mirror;
    - a WAL database with a `-wal` or `-shm` (a process has it open, or changes are still in
      the WAL; `immutable=1` would not see them): the database and its `-wal` are copied into
      a private temp folder and the copy is read (`mode=ro` there); the copy is checked against
      the originals' identities and retried when a writer changed them meanwhile.

    A missing file is a `DatabaseError`.
    """
    from schemasync.redact import redact_url

    path = sqlite_path(url)
    if not path or not Path(path).is_file():
        raise DatabaseError(
            f"cannot open {redact_url(url)}: no such SQLite database file; check the path (a "
            "relative path is read from the folder of the Prisma schema, as Prisma reads it)"
        )
    if not _is_wal(path):
        return _open(path, "mode=ro", timeout)
    if not _side_files(path):
        before = _identity(Path(path))
        conn = _open(path, "mode=ro&immutable=1", timeout)
        conn.watched = (Path(path), before)
        return conn
    return _open_copy(path, timeout)


def _open(path: str, query: str, timeout: float) -> ReadOnlyConnection:
    from urllib.parse import quote

    conn = sqlite3.connect(
        f"file:{quote(path)}?{query}", uri=True, timeout=timeout, factory=ReadOnlyConnection
    )
    assert isinstance(conn, ReadOnlyConnection)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _open_copy(path: str, timeout: float, attempts: int = 3) -> ReadOnlyConnection:
    """Read a WAL database in use from a private copy of it and its `-wal`."""
    originals = (Path(path), Path(path + "-wal"))
    for _ in range(attempts):
        before = [_identity(p) if p.exists() else None for p in originals]
        folder = tempfile.mkdtemp(prefix="schemasync-sqlite-")
        copy = Path(folder) / "db.sqlite"
        try:
            for source, target in zip(originals, (copy, Path(f"{copy}-wal")), strict=True):
                if source.exists():
                    shutil.copyfile(source, target)
        except OSError as err:
            shutil.rmtree(folder, ignore_errors=True)
            raise DatabaseError(f"cannot copy {path} to read it: {err.strerror or err}") from err
        if [_identity(p) if p.exists() else None for p in originals] == before:
            conn = _open(str(copy), "mode=ro", timeout)
            conn.copy = folder
            return conn
        shutil.rmtree(folder, ignore_errors=True)  # a writer changed it meanwhile: again
    raise DatabaseError(
        f"cannot read {path}: another process kept writing it while it was copied (a WAL "
        "database in use is read from a copy, so that nothing is created beside it); retry "
        "when it is less busy"
    )


def check_unchanged(conn: sqlite3.Connection) -> None:
    """Raise `DatabaseError` when the file opened `immutable` changed while it was read.

    Raises:
        DatabaseError: its identity changed, or a `-wal`/`-shm` appeared (another process
            opened it to write).
    """
    watched = getattr(conn, "watched", None)
    if watched is None:
        return
    path, before = watched
    if _identity(path) != before or _side_files(str(path)):
        raise DatabaseError(
            f"{path} changed while it was read (another process wrote it); run again"
        )
