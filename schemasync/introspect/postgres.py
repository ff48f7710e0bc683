"""PostgreSQL introspection: catalog -> `Schema`, read-only, a fixed number of set-based queries.

Five catalog queries cover every requested schema at once (relations, columns, constraints,
indexes, enums), so the query count does not grow with the number of tables. The caller opens
the connection inside a READ ONLY transaction (`connect`); this module never writes.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter
from typing import Any, Protocol

from schemasync import model
from schemasync.errors import DatabaseError
from schemasync.introspect._common import EXCLUDED_TABLES, CatalogDefaults, assemble


class Connection(Protocol):
    """What the introspector needs of a connection (psycopg 3's `Connection.execute`)."""

    def execute(self, query: Any, params: Any = ...) -> Any:  # pragma: no cover - protocol
        """Run a query and return a cursor."""


# --------------------------------------------------------------------------- catalog queries

RELATIONS_SQL = """
SELECT n.nspname, c.relname, c.relkind, c.relispartition, ds.description,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END,
       CASE WHEN c.relispartition THEN
         (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i
            JOIN pg_class pc ON pc.oid = i.inhparent
            JOIN pg_namespace pn ON pn.oid = pc.relnamespace
          WHERE i.inhrelid = c.oid LIMIT 1) END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass
                           AND ds.objsubid = 0
WHERE n.nspname = ANY(%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY n.nspname, c.relname
"""

COLUMNS_SQL = """
SELECT n.nspname, c.relname, a.attnum, a.attname, a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
       ds.description,
       t.typcategory = 'A' AS is_array,
       et.typname, et.typtype, etn.nspname,
       format_type(et.oid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0
                                 THEN t.typelem ELSE t.oid END
JOIN pg_namespace etn ON etn.oid = et.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass
                           AND ds.objsubid = a.attnum
WHERE n.nspname = ANY(%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
-- no ORDER BY: the reader sorts the rows (`_by_key`; in the server the sort of these wide rows
-- spilled to disk, a fifth of the query's time at 1,000 tables)
"""

CONSTRAINTS_SQL = """
SELECT n.nspname, c.relname, k.conname, k.contype,
       -- each key column's name, looked up by (attrelid, attnum), the catalog's index: a join
       -- would read every column of the table for each constraint
       ARRAY(SELECT (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = k.conrelid AND a.attnum = u.num)
             FROM unnest(k.conkey) WITH ORDINALITY u(num, ord) ORDER BY u.ord)::text[],
       fn.nspname, fc.relname,
       ARRAY(SELECT (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = k.confrelid AND a.attnum = u.num)
             FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) ORDER BY u.ord)::text[],
       k.confdeltype, k.confupdtype,
       CASE WHEN k.contype IN ('c', 'x') THEN pg_get_constraintdef(k.oid, true) END,
       k.condeferrable, k.condeferred
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = k.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ANY(%(schemas)s) AND k.contype IN ('p', 'f', 'c', 'x')
-- no ORDER BY: the reader sorts the rows (`_by_key`; in the server the sort of these wide rows
-- spilled to disk, a fifth of the query's time at 1,000 tables)
"""

INDEXES_SQL = """
SELECT n.nspname, c.relname, ic.relname, x.indisprimary, x.indisunique, am.amname,
       x.indexprs IS NOT NULL, pg_get_expr(x.indpred, x.indrelid),
       CASE WHEN x.indexprs IS NOT NULL THEN pg_get_indexdef(x.indexrelid) END,
       -- each key column's name (NULL: an expression), looked up by (attrelid, attnum), the
       -- catalog's index: a join would read every column of the table for each index
       ARRAY(SELECT (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = x.indrelid AND a.attnum = k.num)
             FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(num, ord)
             WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)::text[],
       ARRAY(SELECT (o.opt & 1) = 1 FROM unnest(x.indoption::int2[]) WITH ORDINALITY o(opt, ord)
             WHERE o.ord <= x.indnkeyatts ORDER BY o.ord),
       -- each key column's operator class when it is not its type's default (Prisma's `ops:`):
       -- the defaults are listed once (an InitPlan); looking each class up, by join or by oid,
       -- scanned all of pg_opclass for each index
       ARRAY(SELECT CASE WHEN o.cls = ANY((SELECT array_agg(d.oid) FROM pg_opclass d
                                             WHERE d.opcdefault)::oid[]) THEN NULL
                    ELSE (SELECT oc.opcname FROM pg_opclass oc WHERE oc.oid = o.cls) END
             FROM unnest(x.indclass::oid[]) WITH ORDINALITY o(cls, ord)
             WHERE o.ord <= x.indnkeyatts ORDER BY o.ord)::text[],
       -- an expression index's key columns as the database prints them (a column name or an
       -- expression); NULL for the others, whose keys are all column names: pg_get_indexdef
       -- per key column was half of this query's time on 1,000 tables
       CASE WHEN x.indexprs IS NOT NULL THEN
         ARRAY(SELECT pg_get_indexdef(x.indexrelid, g, true)
               FROM generate_series(1, x.indnkeyatts) g ORDER BY g)::text[] END
FROM pg_index x
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_class ic ON ic.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = ANY(%(schemas)s) AND c.relkind IN ('r', 'p', 'm')
  -- an exclusion constraint's index is the constraint (a note), not an index of the mirror
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                  AND k.contype = 'x')
-- no ORDER BY: the reader sorts the rows (`_by_key`; in the server the sort of these wide rows
-- spilled to disk, a fifth of the query's time at 1,000 tables)
"""

ENUMS_SQL = """
SELECT n.nspname, t.typname, e.enumlabel
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY(%(schemas)s) AND t.typtype = 'e'
ORDER BY n.nspname, t.typname, e.enumsortorder
"""

# which of the requested schemas exist: one that does not is an error, not an empty mirror
SCHEMAS_SQL = """
SELECT nspname FROM pg_namespace WHERE nspname = ANY(%(schemas)s)
"""

QUERIES: tuple[str, ...] = (
    SCHEMAS_SQL,
    RELATIONS_SQL,
    COLUMNS_SQL,
    CONSTRAINTS_SQL,
    INDEXES_SQL,
    ENUMS_SQL,
)

# --------------------------------------------------------------------------- vocabulary

ACTIONS: dict[str, model.Action] = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}

#: pg_catalog type name -> Prisma scalar (Prisma's PostgreSQL introspection mapping).
SCALARS: dict[str, str] = {
    "int2": "Int",
    "int4": "Int",
    "oid": "Int",
    "int8": "BigInt",
    "float4": "Float",
    "float8": "Float",
    "numeric": "Decimal",
    "money": "Decimal",
    "bool": "Boolean",
    "text": "String",
    "varchar": "String",
    "bpchar": "String",
    "char": "String",
    "uuid": "String",
    "xml": "String",
    "inet": "String",
    "citext": "String",
    "bit": "String",
    "varbit": "String",
    "date": "DateTime",
    "time": "DateTime",
    "timetz": "DateTime",
    "timestamp": "DateTime",
    "timestamptz": "DateTime",
    "json": "Json",
    "jsonb": "Json",
    "bytea": "Bytes",
}

# format_type() spelling -> mirror spelling (SPEC §4: short, lower-case, precision shown).
_FORMAT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^character varying(\(\d+\))?$"), r"varchar\1"),
    (re.compile(r"^character(\(\d+\))?$"), r"char\1"),
    (re.compile(r"^bit varying(\(\d+\))?$"), r"varbit\1"),
    (re.compile(r"^timestamp(\(\d+\))? with time zone$"), r"timestamptz\1"),
    (re.compile(r"^timestamp(\(\d+\))? without time zone$"), r"timestamp\1"),
    (re.compile(r"^time(\(\d+\))? with time zone$"), r"timetz\1"),
    (re.compile(r"^time(\(\d+\))? without time zone$"), r"time\1"),
)
_DEFAULT_PRECISION = {"timestamptz": 6, "timestamp": 6, "timetz": 6, "time": 6}


def db_type_name(formatted: str, typname: str, typtype: str, type_schema: str) -> str:
    """Return the mirror's spelling of a (non-array) PostgreSQL type.

    Built-in types in lower case and short (`varchar(320)`, `timestamptz(6)`, `numeric(12,2)`,
    `integer`); timestamps and times without a stated precision show PostgreSQL's default 6, as
    Prisma does (`@db.Timestamptz(6)`); other types (enums, extension types such as `citext`) by
    their exact, unqualified name.
    """
    if type_schema != "pg_catalog" or typtype != "b":
        return typname
    spelled = formatted
    for pattern, repl in _FORMAT_RULES:
        if pattern.match(spelled):
            spelled = pattern.sub(repl, spelled)
            break
    base = spelled.split("(", 1)[0]
    if base in _DEFAULT_PRECISION and "(" not in spelled:
        spelled = f"{base}({_DEFAULT_PRECISION[base]})"
    if spelled == '"char"':
        return "char"
    return spelled


def prisma_scalar(typname: str, typtype: str, db_type: str) -> str:
    """Return the Prisma scalar, enum name or `Unsupported` (dbType says which) of a type."""
    if typtype == "e":
        return typname
    scalar = SCALARS.get(typname)
    return scalar if scalar is not None else "Unsupported"


# --------------------------------------------------------------------------- assembly


IDENTITY: dict[str, model.Identity] = {"a": "ALWAYS", "d": "BY DEFAULT"}


def _deferrable(deferrable: bool, deferred: bool) -> str | None:
    if not deferrable:
        return None
    return f"DEFERRABLE INITIALLY {'DEFERRED' if deferred else 'IMMEDIATE'}"


@contextlib.contextmanager
def _ahead(
    conn: Connection, params: dict[str, Any], *queries: str
) -> Iterator[list[Future[list[tuple[Any, ...]]]]]:
    """Run `queries` one after another on a worker thread, in the order given; yield the
    future rows of each.

    The caller builds the model from one query's rows while the server answers the next (the
    GIL is free while the driver waits): at 1,000 tables the queries take ~125 ms of server
    time and building the model ~115 ms of Python, in turn before. One connection, one
    transaction, the same queries; a worker left running (the caller failed or was
    interrupted) finishes its query, whose rows nobody reads.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="schemasync-catalog")
    try:
        yield [pool.submit(_rows, conn, sql, params) for sql in queries]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _rows(conn: Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = conn.execute(sql, params).fetchall()
    return rows


def _by_key(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Sort catalog rows by their first three fields (schema, relation, then attnum or name), as
    `ORDER BY` would: names are of type `name`, whose order is the bytes' (C), which is the
    order of their code points, Python's."""
    rows.sort(key=itemgetter(0, 1, 2))
    return rows


def introspect_postgres(
    conn: Connection,
    *,
    schemas: Sequence[str] = ("public",),
    rich: bool = False,
) -> model.Schema:
    """Return the shape of the PostgreSQL database behind `conn`, for `schemas`.

    Runs exactly `len(QUERIES)` catalog queries, whatever the number of tables. `rich` also
    fills the facts a Prisma schema cannot carry (identity kinds, generated columns, checks,
    partial and expression indexes with their operator classes, deferrable foreign keys) from
    the same rows: what `schemasync pull` captures and `drift` compares with a captured mirror.

    Raises:
        DatabaseError: a schema asked for does not exist in the database.
    """
    params = {"schemas": list(schemas)}
    present = {row[0] for row in conn.execute(SCHEMAS_SQL, params).fetchall()}
    missing = [s for s in schemas if s not in present]
    if missing:
        raise DatabaseError(
            f"schema {missing[0]!r} does not exist in the database; check the environment's "
            "`schemas` in db-ssot.json or --schemas (the database's schemas: "
            r"`\dn` in psql)"
        )
    with _ahead(conn, params, COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL, RELATIONS_SQL,
                ENUMS_SQL) as (col_q, con_q, idx_q, rel_q, enum_q):  # fmt: skip
        return _shape(col_q, con_q, idx_q, rel_q, enum_q, rich)


def _shape(
    col_q: Future[list[tuple[Any, ...]]],
    con_q: Future[list[tuple[Any, ...]]],
    idx_q: Future[list[tuple[Any, ...]]],
    rel_q: Future[list[tuple[Any, ...]]],
    enum_q: Future[list[tuple[Any, ...]]],
    rich: bool,
) -> model.Schema:
    """Build the shape from the catalog rows, each query's as it arrives (`_ahead`)."""
    col_rows = _by_key(col_q.result())

    notes: list[model.Note] = []
    defaults = CatalogDefaults("postgresql")
    # a catalog repeats a few dozen types over all its columns: each is spelled once
    spellings: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    columns: dict[tuple[str, str], list[model.Column]] = defaultdict(list)
    for (
        nsp, rel, _num, name, notnull, default_sql, identity, generated, comment,
        is_array, typname, typtype, type_schema, formatted,
    ) in col_rows:  # fmt: skip
        type_key = (formatted, typname, typtype, type_schema)
        spelled = spellings.get(type_key)
        if spelled is None:
            base = db_type_name(formatted, typname, typtype, type_schema)
            spelled = spellings[type_key] = (base, prisma_scalar(typname, typtype, base))
        base, scalar = spelled
        db_type = base + "[]" if is_array else base
        cleaned = defaults(None if generated else default_sql)
        notes.extend(cleaned.notes_for(f"{rel}.{name}"))
        if generated:
            notes.append(
                model.Note(
                    object=f"{rel}.{name}",
                    message=f"generated column: GENERATED ALWAYS AS ({default_sql}) STORED; "
                    "Prisma cannot represent it",
                )
            )
        columns[(nsp, rel)].append(
            model.Column(
                name=name,
                type=scalar,
                db_type=db_type,
                nullable=not notnull,
                list=bool(is_array),
                autoincrement=cleaned.autoincrement or identity in ("a", "d"),
                default=cleaned.default,
                comment=comment,
                identity=IDENTITY.get(identity) if rich else None,
                generated=default_sql if rich and generated else None,
            )
        )

    pks: dict[tuple[str, str], model.PrimaryKey] = {}
    fks: dict[tuple[str, str], list[model.ForeignKey]] = defaultdict(list)
    checks: dict[tuple[str, str], list[model.Check]] = defaultdict(list)
    for (
        nsp, rel, conname, contype, cols, fnsp, frel, fcols, deltype, updtype, condef,
        deferrable, deferred,
    ) in _by_key(con_q.result()):  # fmt: skip
        key = (nsp, rel)
        if contype == "p":
            pks[key] = model.PrimaryKey(name=conname, columns=tuple(cols))
        elif contype == "f":
            fks[key].append(
                model.ForeignKey(
                    name=conname,
                    columns=tuple(cols),
                    referenced_schema=fnsp,
                    referenced_table=frel,
                    referenced_columns=tuple(fcols),
                    on_delete=ACTIONS[deltype],
                    on_update=ACTIONS[updtype],
                    deferrable=_deferrable(deferrable, deferred) if rich else None,
                )
            )
        elif contype == "c":
            if rich:
                checks[key].append(
                    model.Check(name=conname, expression=condef.removeprefix("CHECK "))
                )
            notes.append(
                model.Note(
                    object=rel,
                    message=f"check constraint {conname}: {condef}; Prisma cannot "
                    "represent check constraints",
                )
            )
        else:
            notes.append(
                model.Note(
                    object=rel,
                    message=f"exclusion constraint {conname}: {condef}; Prisma "
                    "cannot represent exclusion constraints",
                )
            )

    indexes: dict[tuple[str, str], list[model.Index]] = defaultdict(list)
    for (
        nsp, rel, iname, primary, unique, amname, has_exprs, pred, idef, icols, descs, opclasses,
        keydefs,
    ) in _by_key(idx_q.result()):  # fmt: skip
        if primary:
            continue
        if rich:
            indexes[(nsp, rel)].append(
                model.Index(
                    name=iname,
                    unique=bool(unique),
                    type=None if amname == "btree" else amname,
                    predicate=pred,
                    columns=tuple(
                        model.IndexColumn(
                            name=c if c is not None else k,
                            expression=c is None,
                            sort="desc" if d else None,
                            opclass=o,
                        )
                        for c, k, d, o in zip(
                            icols, keydefs or icols, descs, opclasses, strict=True
                        )
                    ),
                )
            )
        if has_exprs or any(c is None for c in icols):
            notes.append(
                model.Note(
                    object=rel,
                    message=f"expression index {iname}: {idef}; Prisma cannot "
                    "represent expression indexes",
                )
            )
            continue
        if pred is not None:
            notes.append(
                model.Note(
                    object=rel,
                    message=f"partial index {iname}: WHERE {pred} is not in the "
                    "mirror; Prisma cannot represent partial indexes",
                )
            )
        notes.extend(
            model.Note(object=f"{rel}.{column}", message=model.operator_class_note(opclass))
            for column, opclass in zip(icols, opclasses, strict=True)
            if opclass is not None
        )
        if rich:
            continue
        indexes[(nsp, rel)].append(
            model.Index(
                name=iname,
                unique=bool(unique),
                type=None if amname == "btree" else amname,
                columns=tuple(
                    model.IndexColumn(name=c, sort="desc" if d else None)
                    for c, d in zip(icols, descs, strict=True)
                ),
            )
        )

    tables: list[model.Table] = []
    views: list[model.View] = []
    for nsp, rel, kind, is_partition, comment, partkey, viewdef, parent in rel_q.result():
        key = (nsp, rel)
        common: dict[str, Any] = {
            "name": rel,
            "db_schema": nsp,
            "comment": comment,
            "columns": tuple(columns[key]),
        }
        if kind in ("v", "m"):
            if kind == "m":
                notes.append(
                    model.Note(
                        object=rel,
                        message="materialized view: kept as a view; Prisma "
                        "introspects only plain views",
                    )
                )
            views.append(model.View(**common, definition=viewdef.strip() if viewdef else None))
            continue
        if rel in EXCLUDED_TABLES:
            continue
        if partkey:
            notes.append(
                model.Note(
                    object=rel,
                    message=f"partitioned table: PARTITION BY {partkey}; Prisma "
                    "cannot represent partitioning",
                )
            )
        if is_partition:
            notes.append(model.Note(object=rel, message=f"partition of {parent}"))
        if kind == "f":
            notes.append(model.Note(object=rel, message="foreign table: Prisma cannot create it"))
        tables.append(
            model.Table(
                **common,
                primary_key=pks.get(key),
                indexes=tuple(indexes[key]),
                foreign_keys=tuple(fks[key]),
                checks=tuple(checks[key]),
            )
        )

    enum_values: dict[tuple[str, str], list[model.EnumValue]] = defaultdict(list)
    for nsp, typname, label in enum_q.result():
        enum_values[(nsp, typname)].append(model.EnumValue(name=label))
    enums = [
        model.Enum(name=name, db_schema=nsp, values=tuple(values))
        for (nsp, name), values in enum_values.items()
    ]

    return assemble("postgresql", tables, views, notes, enums)


# --------------------------------------------------------------------------- connection

#: Prisma connection-string parameters that libpq does not know (they would make it fail).
PRISMA_ONLY_PARAMS: tuple[str, ...] = (
    "schema",
    "connection_limit",
    "pool_timeout",
    "pgbouncer",
    "statement_cache_size",
    "socket_timeout",
    "sslaccept",
    "sslidentity",
    "sslcert",
    "connect_timeout",
    "single_use_connections",
)


def libpq_url(url: str) -> tuple[str, tuple[str, ...]]:
    """Split a Prisma PostgreSQL URL into a libpq URL and the schemas named by `?schema=`."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = tuple(v for k, v in query if k == "schema" and v)
    kept = [(k, v) for k, v in query if k not in PRISMA_ONLY_PARAMS]
    scheme = "postgresql"
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(kept), "")), schemas


def connect(url: str, timeout: float) -> Any:
    """Open a psycopg connection whose transactions are READ ONLY, with timeouts set."""
    import psycopg

    conninfo, _ = libpq_url(url)
    ms = max(1, int(timeout * 1000))
    conn = psycopg.connect(
        conninfo,
        connect_timeout=max(1, round(timeout)),
        options=f"-c statement_timeout={ms} -c default_transaction_read_only=on",
        application_name="schemasync",
    )
    conn.read_only = True
    return conn
