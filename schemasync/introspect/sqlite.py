"""SQLite introspection: `sqlite_master` + pragma table functions -> `Schema`, opened `mode=ro`.

Each catalog query joins `sqlite_master` with a pragma table-valued function
(`pragma_table_xinfo`, `pragma_index_list`, `pragma_index_xinfo`, `pragma_foreign_key_list`), so
the query count does not grow with the number of tables. Never writes: the file is opened
read-only and `PRAGMA query_only` is set.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
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


def introspect_sqlite(conn: Any, *, previous: model.Schema | None = None) -> model.Schema:
    """Return the mirror of the SQLite database behind `conn` (a `sqlite3.Connection`)."""
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
            )
        )

    autoinc = {
        name for name, sql in table_sql.items() if re.search(r"\bAUTOINCREMENT\b", sql, re.I)
    }
    indexes: dict[str, dict[str, tuple[bool, list[model.IndexColumn]]]] = defaultdict(dict)
    for rel, iname, unique, origin, partial, _seq, cid, cname, desc in idx_rows:
        if origin == "pk":
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
                )
            )
        tables.append(
            model.Table(
                name=name,
                columns=tuple(cols),
                primary_key=model.PrimaryKey(name=None, columns=tuple(pk)) if pk else None,
                indexes=tuple(
                    model.Index(name=iname, unique=unique, columns=tuple(icols))
                    for iname, (unique, icols) in indexes[name].items()
                    if icols
                ),
                foreign_keys=tuple(foreign_keys),
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
    return assemble("sqlite", tables, views, notes, previous)


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


def connect(url: str, timeout: float) -> sqlite3.Connection:
    """Open the SQLite file of `url` read-only (`mode=ro`); a missing file is a `DatabaseError`."""
    from urllib.parse import quote

    path = sqlite_path(url)
    if not path or not Path(path).is_file():
        raise DatabaseError(
            f"cannot open {url}: no such SQLite database file; check the path (a relative path "
            "is read from the folder of the Prisma schema, as Prisma reads it)"
        )
    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=timeout)
    conn.execute("PRAGMA query_only = ON")
    return conn
