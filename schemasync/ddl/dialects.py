"""The per-dialect facts of the DDL import: one row per dialect (STYLE §7: a table, not `if`s).

Each row says how the scanner reads the text (`Lexis`), which sqlglot dialect parses it, how an
unquoted name is folded, the default schema, and how a column's written type becomes the mirror's
`type` / `db_type` — through the same functions native introspection uses
(`introspect.postgres.db_type_name`, `introspect.mysql.db_type_name`, …), so that a dump and the
database it came from give the same mirror. Pure: no files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass

from schemasync.ddl.split import Lexis
from schemasync.model import Provider


@dataclass(frozen=True)
class ColumnType:
    """A column's type in the mirror's words: Prisma scalar (or enum), `db_type`, list."""

    type: str
    db_type: str
    list: bool = False
    enum_values: tuple[str, ...] | None = None  # MySQL's inline `enum('A','B')`


#: (written type, its schema-qualified parts, the enum names known) -> ColumnType
TypeReader = Callable[[str, tuple[str, ...], Container[tuple[str | None, str]]], ColumnType]


@dataclass(frozen=True)
class Dialect:
    """One SQL dialect the DDL import reads."""

    name: str  # postgresql, mysql, sqlite (the mirror's provider)
    provider: Provider
    sqlglot: str
    lexis: Lexis
    default_schema: str | None  # the schema of an unqualified name (None: no schemas)
    fold: Callable[[str], str]  # an unquoted identifier as the catalog stores it
    column_type: TypeReader
    #: column clauses that end a column's type (`varchar(10) NOT NULL`: NOT)
    type_stops: frozenset[str]
    #: the prefix of the database's own tables, which the mirror leaves out (`sqlite_`)
    internal: str | None = None


# --------------------------------------------------------------------------- PostgreSQL

#: format_type()'s spelling of a built-in type (without its modifiers) -> pg_type.typname
_PG_TYPNAMES: dict[str, str] = {
    "integer": "int4",
    "int": "int4",
    "int4": "int4",
    "smallint": "int2",
    "int2": "int2",
    "bigint": "int8",
    "int8": "int8",
    "real": "float4",
    "float4": "float4",
    "double precision": "float8",
    "float8": "float8",
    "boolean": "bool",
    "bool": "bool",
    "character varying": "varchar",
    "varchar": "varchar",
    "character": "bpchar",
    "char": "bpchar",
    '"char"': "char",
    "decimal": "numeric",
    "time without time zone": "time",
    "time": "time",
    "time with time zone": "timetz",
    "timetz": "timetz",
    "timestamp without time zone": "timestamp",
    "timestamp": "timestamp",
    "timestamp with time zone": "timestamptz",
    "timestamptz": "timestamptz",
    "bit varying": "varbit",
    "varbit": "varbit",
    "serial": "int4",
    "bigserial": "int8",
    "smallserial": "int2",
}

#: a handwritten type -> format_type()'s spelling (pg_dump always writes the latter)
_PG_SPELLING: dict[str, str] = {
    "int": "integer",
    "int4": "integer",
    "int2": "smallint",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "char": "character",
    "decimal": "numeric",
    "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "time": "time without time zone",
    "timetz": "time with time zone",
    "varbit": "bit varying",
    "serial": "integer",
    "bigserial": "bigint",
    "smallserial": "smallint",
}

_MODIFIERS = re.compile(r"\s*\([^)]*\)")
_ARRAY = re.compile(r"(\s*\[\s*\d*\s*\])+$|\s+ARRAY$", re.IGNORECASE)


def pg_formatted(written: str) -> str:
    """Return PostgreSQL's `format_type` spelling of a written built-in type.

    `varchar(10)` -> `character varying(10)`, `timestamptz(3)` -> `timestamp(3) with time zone`,
    `int` -> `integer`; pg_dump's own spelling is returned unchanged.
    """
    text = " ".join(written.split())
    low = text.lower()
    base = _MODIFIERS.sub("", low)
    mods = "".join(m.group(0).replace(" ", "") for m in _MODIFIERS.finditer(low))
    if base in _PG_SPELLING:
        spelled = _PG_SPELLING[base]
        if " " in spelled and spelled.split(" ", 1)[0] in ("timestamp", "time"):
            head, tail = spelled.split(" ", 1)
            return f"{head}{mods} {tail}"
        return spelled + mods
    if base in ("timestamp with time zone", "timestamp without time zone") or base.startswith(
        ("time with", "time without")
    ):
        head, tail = base.split(" ", 1)
        return f"{head}{mods} {tail}"
    return low if mods else base


def pg_column_type(
    written: str, qualified: tuple[str, ...], enums: Container[tuple[str | None, str]]
) -> ColumnType:
    """Return the mirror type of a PostgreSQL column type as written in DDL.

    `qualified` is the type's name split into schema and name when it is a user type
    (`public."OrderStatus"` -> ("public", "OrderStatus")), empty for a built-in one.
    """
    from schemasync.introspect.postgres import db_type_name, prisma_scalar

    is_array = bool(_ARRAY.search(written))
    if qualified:
        nsp, typname = (qualified[0] if len(qualified) > 1 else "public"), qualified[-1]
        typtype = "e" if (nsp, typname) in enums else "b"
        base = db_type_name(typname, typname, typtype, nsp)
        scalar = prisma_scalar(typname, typtype, base)
    else:
        formatted = pg_formatted(_ARRAY.sub("", written))
        key = _MODIFIERS.sub("", formatted)
        # `timestamp(3) without time zone`: the modifier sits inside the name
        typname = _PG_TYPNAMES.get(key, key)
        base = db_type_name(formatted, typname, "b", "pg_catalog")
        scalar = prisma_scalar(typname, "b", base)
    return ColumnType(scalar, base + "[]" if is_array else base, is_array)


# --------------------------------------------------------------------------- MySQL / MariaDB


def my_column_type(
    written: str, qualified: tuple[str, ...], enums: Container[tuple[str | None, str]]
) -> ColumnType:
    """Return the mirror type of a MySQL column type as `SHOW CREATE TABLE` writes it.

    The enum name (`{table}_{column}`, as introspection names it) is set by the caller.
    """
    from schemasync.introspect.mysql import db_type_name, enum_values, prisma_scalar

    db_type = db_type_name(written)
    data_type = db_type.split("(", 1)[0].split(" ", 1)[0].lower()
    values = enum_values(written) if data_type == "enum" else None
    return ColumnType(prisma_scalar(data_type, db_type, ""), db_type, False, values)


# --------------------------------------------------------------------------- SQLite


def sqlite_column_type(
    written: str, qualified: tuple[str, ...], enums: Container[tuple[str | None, str]]
) -> ColumnType:
    """Return the mirror type of a SQLite declared type (lower case, spaces collapsed)."""
    from schemasync.introspect.sqlite import prisma_scalar

    db_type = " ".join(written.lower().split())
    return ColumnType(prisma_scalar(db_type), db_type)


_COMMON_STOPS = frozenset(
    ("DEFAULT", "NOT", "NULL", "CONSTRAINT", "COLLATE", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK")
)

DIALECTS: dict[str, Dialect] = {
    "postgresql": Dialect(
        name="postgresql",
        provider="postgresql",
        sqlglot="postgres",
        lexis=Lexis(dollar_quotes=True, meta_commands=True, nested_comments=True),
        default_schema="public",
        fold=str.lower,
        column_type=pg_column_type,
        type_stops=_COMMON_STOPS | {"GENERATED", "COMPRESSION", "STORAGE"},
    ),
    "mysql": Dialect(
        name="mysql",
        provider="mysql",
        sqlglot="mysql",
        lexis=Lexis(
            backslash_escapes=True,
            hash_comments=True,
            version_comments=True,
            delimiter_command=True,
        ),
        default_schema=None,
        fold=str,
        column_type=my_column_type,
        type_stops=_COMMON_STOPS
        | {
            "GENERATED",
            "AS",
            "AUTO_INCREMENT",
            "COMMENT",
            "ON",
            "CHARACTER",
            "CHARSET",
            "INVISIBLE",
            "VISIBLE",
            "KEY",
            "SRID",
            "COLUMN_FORMAT",
            "STORAGE",
        },
    ),
    "sqlite": Dialect(
        name="sqlite",
        provider="sqlite",
        sqlglot="sqlite",
        lexis=Lexis(bracket_identifiers=True, trigger_blocks=True),
        default_schema=None,
        fold=str,
        column_type=sqlite_column_type,
        type_stops=_COMMON_STOPS | {"GENERATED", "AS", "AUTOINCREMENT", "ON"},
        internal="sqlite_",
    ),
}

#: Names a user may give for a dialect (`--dialect`), and what they mean.
ALIASES: dict[str, str] = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
}

#: What gives a dump's dialect away in its first lines (the first match wins).
_SIGNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE | re.MULTILINE), d)
    for p, d in (
        (r"^-- (PostgreSQL database dump|Dumped (from|by) .*(PostgreSQL|pg_dump))", "postgresql"),
        (r"^\\(restrict|connect)\b|pg_catalog\.|\$\$|::\w", "postgresql"),
        (r"^-- (MySQL|MariaDB) dump|^/\*!\d{5}|ENGINE\s*=|`\w+`", "mysql"),
        (
            r"^PRAGMA |\bAUTOINCREMENT\b|^CREATE TABLE sqlite_|WITHOUT ROWID|^/\* .*\(.*\) \*/;$",
            "sqlite",
        ),
        (r"\bSERIAL\b|\bCREATE TYPE\b|\bTIMESTAMPTZ\b|\bJSONB\b", "postgresql"),
    )
)


def detect_dialect(head: str) -> str | None:
    """Return the dialect a DDL text's beginning gives away, or None."""
    for pattern, name in _SIGNS:
        if pattern.search(head):
            return name
    return None
