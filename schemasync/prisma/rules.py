"""Prisma's rules for what lands in the database, as data tables per provider.

This module owns the facts: the database type of each Prisma scalar when no `@db.*` is given, how a
native type attribute is spelled as a `dbType`, identifier length limits and Prisma's truncation of
default constraint names, default referential actions, and the meaning of `@default` functions.
It holds no logic that walks the syntax tree (see `to_model.py`) and never touches files.

Spellings follow SPEC §4: built-in types in lower case, as the database spells them in its short
form. The PostgreSQL and SQLite entries were checked against the catalog of a database created by
real Prisma 6.19.3 `db push` (`pg_dump -s`, `sqlite3 .schema`); e.g. PostgreSQL reports
`character varying(320)` for `@db.VarChar(320)` and `timestamp(6) with time zone` for
`@db.Timestamptz(6)`, which the mirror spells `varchar(320)` and `timestamptz(6)`.
"""

from __future__ import annotations

from typing import Final

SCALARS: Final = (
    "String",
    "Boolean",
    "Int",
    "BigInt",
    "Float",
    "Decimal",
    "DateTime",
    "Json",
    "Bytes",
)

# dbType of each Prisma scalar when the field has no `@db.*` attribute.
DEFAULT_DB_TYPES: Final[dict[str, dict[str, str]]] = {
    # pg_dump of a pushed schema: text, boolean, integer, bigint, double precision,
    # numeric(65,30), timestamp(3) without time zone, jsonb, bytea.
    "postgresql": {
        "String": "text",
        "Boolean": "boolean",
        "Int": "integer",
        "BigInt": "bigint",
        "Float": "double precision",
        "Decimal": "numeric(65,30)",
        "DateTime": "timestamp(3)",
        "Json": "jsonb",
        "Bytes": "bytea",
    },
    # CockroachDB's own names (SHOW CREATE TABLE), lower case.
    "cockroachdb": {
        "String": "string",
        "Boolean": "bool",
        "Int": "int4",
        "BigInt": "int8",
        "Float": "float8",
        "Decimal": "decimal(65,30)",
        "DateTime": "timestamp(3)",
        "Json": "jsonb",
        "Bytes": "bytes",
    },
    "mysql": {
        "String": "varchar(191)",
        "Boolean": "tinyint(1)",
        "Int": "int",
        "BigInt": "bigint",
        "Float": "double",
        "Decimal": "decimal(65,30)",
        "DateTime": "datetime(3)",
        "Json": "json",
        "Bytes": "longblob",
    },
    # sqlite3 .schema of a pushed schema: TEXT, BOOLEAN, INTEGER, BIGINT, REAL, DECIMAL,
    # DATETIME, JSONB, BLOB (declared types; lower-cased here).
    "sqlite": {
        "String": "text",
        "Boolean": "boolean",
        "Int": "integer",
        "BigInt": "bigint",
        "Float": "real",
        "Decimal": "decimal",
        "DateTime": "datetime",
        "Json": "jsonb",
        "Bytes": "blob",
    },
    "sqlserver": {
        "String": "nvarchar(1000)",
        "Boolean": "bit",
        "Int": "int",
        "BigInt": "bigint",
        "Float": "float",
        "Decimal": "decimal(32,16)",
        "DateTime": "datetime2",
        "Json": "nvarchar(max)",
        "Bytes": "varbinary(max)",
    },
    # BSON type names ($type aliases).
    "mongodb": {
        "String": "string",
        "Boolean": "bool",
        "Int": "int",
        "BigInt": "long",
        "Float": "double",
        "Decimal": "decimal",
        "DateTime": "date",
        "Json": "object",
        "Bytes": "binData",
    },
}

# `@db.X` names whose spelling is not simply `x.lower()`; values may carry a `{}` for the args.
NATIVE_TYPE_SPELLINGS: Final[dict[str, dict[str, str]]] = {
    "postgresql": {
        "Decimal": "numeric",
        "DoublePrecision": "double precision",
        "Integer": "integer",
    },
    "cockroachdb": {
        "String": "string",
        "CatalogSingleChar": '"char"',
    },
    "mysql": {
        "UnsignedTinyInt": "tinyint unsigned",
        "UnsignedSmallInt": "smallint unsigned",
        "UnsignedMediumInt": "mediumint unsigned",
        "UnsignedInt": "int unsigned",
        "UnsignedBigInt": "bigint unsigned",
    },
    "sqlserver": {},
    "sqlite": {},
    "mongodb": {"ObjectId": "objectId", "BinData": "binData", "Timestamp": "timestamp"},
}

# Arguments the database fills in when the attribute gives none (seen in pg_dump after db push:
# `@db.Char` -> `character(1)`, `@db.Bit` -> `bit(1)`; the others have no implicit modifier).
# Times without a precision have PostgreSQL's default 6 (`db pull` writes `@db.Timestamptz(6)`),
# and the mirror states it, as native introspection does.
NATIVE_DEFAULT_ARGS: Final[dict[str, dict[str, str]]] = {
    "postgresql": {
        "Char": "1",
        "Bit": "1",
        "Timestamp": "6",
        "Timestamptz": "6",
        "Time": "6",
        "Timetz": "6",
    },
    "cockroachdb": {
        "Char": "1",
        "Bit": "1",
        "Timestamp": "6",
        "Timestamptz": "6",
        "Time": "6",
        "Timetz": "6",
    },
    "mysql": {"Char": "1", "Binary": "1", "Bit": "1"},
    "sqlserver": {"Char": "1", "NChar": "1", "Binary": "1"},
    "sqlite": {},
    "mongodb": {},
}

# The schema objects live in when the datasource has no `schemas = [...]` (multiSchema): the
# default schema of the connection (`?schema=` can change it; the mirror records the default).
DEFAULT_SCHEMAS: Final[dict[str, str | None]] = {
    "postgresql": "public",
    "cockroachdb": "public",
    "sqlserver": "dbo",
    "mysql": None,
    "sqlite": None,
    "mongodb": None,
}

# Longest identifier each database keeps (bytes); Prisma cuts its default names to fit.
NAME_LIMITS: Final[dict[str, int | None]] = {
    "postgresql": 63,
    "cockroachdb": 63,
    "mysql": 64,
    "sqlserver": 128,
    "sqlite": None,
    "mongodb": None,
}

# Whether the database gives primary keys a name at all (SQLite: no).
NAMED_PRIMARY_KEYS: Final[dict[str, bool]] = {
    "postgresql": True,
    "cockroachdb": True,
    "mysql": False,  # MySQL's primary key is always called PRIMARY; mirror keeps no name
    "sqlserver": True,
    "sqlite": False,
    "mongodb": False,
}

# Named arguments of each field attribute (`@id`) and block attribute (`@@id`), names without
# `@`/`@@`; a positional argument stands for the first name. Checked against Prisma 6.19.3's own
# validator (prisma-schema-wasm 7.1.1-3), one argument at a time: any other name is P1012 "No such
# argument", and any other attribute name is "Attribute not known" (native types `@<datasource>.X`
# aside). Notes: `@@schema`'s argument is called `map`, not `name` (`@@schema(name: "s")` is
# rejected); `sort`/`length` exist on `@id`/`@unique` but on `@@id`/`@@unique`/`@@index` only per
# field (`@@index([a(sort: Desc)])`), where Prisma does not check argument names at all.
FIELD_ATTRIBUTE_ARGS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("map", "length", "sort", "clustered"),
    "unique": ("map", "length", "sort", "clustered"),
    "default": ("value", "map"),
    "relation": ("name", "fields", "references", "onDelete", "onUpdate", "map"),
    "map": ("name",),
    "updatedAt": (),
    "ignore": (),
    "shardKey": (),  # preview feature `shardKeys`
}
BLOCK_ATTRIBUTE_ARGS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("fields", "name", "map", "clustered"),
    "unique": ("fields", "name", "map", "clustered"),
    "index": ("fields", "name", "map", "type", "clustered"),
    "fulltext": ("fields", "map"),
    "map": ("name",),
    "schema": ("map",),
    "ignore": (),
    "shardKey": ("fields",),  # preview feature `shardKeys`
}

# Prisma's referential action names -> SQL words.
ACTIONS: Final[dict[str, str]] = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}

# (onDelete, onUpdate) when the schema states none, keyed by "required"/"optional" relation.
DEFAULT_ACTIONS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "postgresql": {"required": ("RESTRICT", "CASCADE"), "optional": ("SET NULL", "CASCADE")},
    "cockroachdb": {"required": ("RESTRICT", "CASCADE"), "optional": ("SET NULL", "CASCADE")},
    "mysql": {"required": ("RESTRICT", "CASCADE"), "optional": ("SET NULL", "CASCADE")},
    "sqlite": {"required": ("RESTRICT", "CASCADE"), "optional": ("SET NULL", "CASCADE")},
    # SQL Server has no RESTRICT: Prisma uses NO ACTION for a required relation.
    "sqlserver": {"required": ("NO ACTION", "CASCADE"), "optional": ("SET NULL", "CASCADE")},
    "mongodb": {"required": ("NO ACTION", "NO ACTION"), "optional": ("NO ACTION", "NO ACTION")},
}

# Providers where Prisma creates foreign keys at all (relationMode "foreignKeys").
FOREIGN_KEY_PROVIDERS: Final = frozenset(
    {"postgresql", "cockroachdb", "mysql", "sqlite", "sqlserver"}
)

# Providers with a native enum type; others store enum values as text.
ENUM_DB_TYPES: Final[dict[str, str]] = {
    "postgresql": "{name}",  # the enum type's database name
    "cockroachdb": "{name}",
    "mysql": "enum({values})",  # MySQL inlines the values: enum('A','B')
    "sqlite": "text",
    "sqlserver": "nvarchar(1000)",
    "mongodb": "string",
}

# Where enums live: a named database type ("type": PostgreSQL CREATE TYPE), inline in each
# column ("inline": MySQL enum('A','B'), one mirror enum per column), or nowhere ("none": text
# columns; the mirror keeps the Prisma enum with a note).
ENUM_KIND: Final[dict[str, str]] = {
    "postgresql": "type",
    "cockroachdb": "type",
    "mysql": "inline",
    "sqlite": "none",
    "sqlserver": "none",
    "mongodb": "none",
}

# `@default(f())` that Prisma Client fills in; the database has no default.
CLIENT_DEFAULT_FUNCTIONS: Final = frozenset({"uuid", "cuid", "nanoid", "ulid"})

# `@default(f())` that become a database default function, by name in the mirror.
DB_FUNCTION_DEFAULTS: Final[dict[str, str]] = {"now": "now", "auto": "auto"}

# `@default(f())` that make the column auto-incrementing (no default in the mirror).
AUTOINCREMENT_FUNCTIONS: Final = frozenset({"autoincrement", "sequence"})

# How the database stores a DateTime literal default `@default("2020-01-01T00:00:00Z")`:
# strftime pattern, then the fraction rule ("ms3": always .mmm, "trim": only when non-zero).
DATETIME_LITERALS: Final[dict[str, str]] = {
    "postgresql": "%Y-%m-%d %H:%M:%S{frac}",  # '2020-01-01 00:00:00'::timestamp
    "cockroachdb": "%Y-%m-%d %H:%M:%S{frac}",
    "mysql": "%Y-%m-%d %H:%M:%S{frac}",
    "sqlite": "%Y-%m-%d %H:%M:%S{frac} +00:00",  # unused: see DATETIME_AS_WRITTEN
    "sqlserver": "%Y-%m-%d %H:%M:%S{frac}",
    "mongodb": "%Y-%m-%dT%H:%M:%S{frac}Z",
}

# ... and by column type where it differs (pg_dump after db push, server TimeZone UTC):
# timestamptz '2020-01-01 08:20:30+00', date '2020-01-01', time '10:20:30'.
_PG_DATETIME_BY_TYPE: Final = {
    "timestamptz": "%Y-%m-%d %H:%M:%S{frac}+00",
    "date": "%Y-%m-%d",
    "time": "%H:%M:%S{frac}",
    "timetz": "%H:%M:%S{frac}+00",
}
DATETIME_LITERALS_BY_TYPE: Final[dict[str, dict[str, str]]] = {
    "postgresql": _PG_DATETIME_BY_TYPE,
    "cockroachdb": _PG_DATETIME_BY_TYPE,
    "mysql": {"date": "%Y-%m-%d", "time": "%H:%M:%S{frac}"},
}

# Providers that store a DateTime literal as Prisma renders it, offset kept (sqlite3 .schema
# after db push: '2020-01-01 10:20:30 +02:00', '2020-01-01 10:20:30.120 +00:00').
DATETIME_AS_WRITTEN: Final = frozenset({"sqlite"})

# Providers that pad a DateTime literal's fraction to the column precision.
DATETIME_FIXED_FRACTION: Final = frozenset({"mysql"})

# sqlglot dialect used to read `dbgenerated("...")` and catalog default text.
SQL_DIALECTS: Final[dict[str, str]] = {
    "postgresql": "postgres",
    "cockroachdb": "postgres",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "tsql",
    "mongodb": "postgres",
}

# SQLite: a single-column `Int @id` is always `INTEGER PRIMARY KEY AUTOINCREMENT` after db push,
# with or without `@default(autoincrement())` (seen with `model X { id Int @id }`), while a
# `BigInt @id @default(autoincrement())` is a plain `BIGINT PRIMARY KEY` (no rowid alias).
SQLITE_ROWID_SCALARS: Final = frozenset({"Int"})

# Implicit many-to-many join tables: Prisma 6 gives them a primary key `_AB_pkey` on PostgreSQL
# (and CockroachDB); elsewhere a unique index `_AB_unique` and no key (SQLite, seen in db push).
JOIN_TABLE_PRIMARY_KEY: Final = frozenset({"postgresql", "cockroachdb"})

# How a Boolean constant default is stored (MySQL tinyint(1) and SQL Server bit store 1/0).
BOOLEAN_LITERALS: Final[dict[str, dict[str, str]]] = {
    "postgresql": {"true": "true", "false": "false"},
    "cockroachdb": {"true": "true", "false": "false"},
    "sqlite": {"true": "true", "false": "false"},
    "mysql": {"true": "1", "false": "0"},
    "sqlserver": {"true": "1", "false": "0"},
    "mongodb": {"true": "true", "false": "false"},
}

# Suffixes of Prisma's default constraint names (see `constraint_name`).
SUFFIXES: Final[dict[str, str]] = {
    "pkey": "_pkey",
    "key": "_key",
    "idx": "_idx",
    "fkey": "_fkey",
}


def spell_native_type(provider: str, name: str, args: tuple[str, ...]) -> str:
    """Return the dbType for `@db.<name>(<args>)` on `provider`, as the database spells it.

    >>> spell_native_type("postgresql", "VarChar", ("320",))
    'varchar(320)'
    >>> spell_native_type("postgresql", "Decimal", ("12", "2"))
    'numeric(12,2)'
    """
    base = NATIVE_TYPE_SPELLINGS.get(provider, {}).get(name, name.lower())
    if not args and name in NATIVE_DEFAULT_ARGS.get(provider, {}):
        args = (NATIVE_DEFAULT_ARGS[provider][name],)
    if args:
        return f"{base}({','.join(a.lower() if a.lower() == 'max' else a for a in args)})"
    return base


def cut_identifier(name: str, limit: int | None) -> str:
    """Cut `name` to at most `limit` UTF-8 bytes without splitting a character."""
    if limit is None or len(name.encode("utf-8")) <= limit:
        return name
    out: list[str] = []
    used = 0
    for ch in name:
        size = len(ch.encode("utf-8"))
        if used + size > limit:
            break
        out.append(ch)
        used += size
    return "".join(out)


def constraint_name(provider: str, table: str, columns: tuple[str, ...], kind: str) -> str:
    """Return Prisma's default name for a constraint or index of `kind` (pkey/key/idx/fkey).

    `{table}_pkey` or `{table}_{col1}_{col2}_{suffix}`; when too long for the database,
    `{table}_{cols}` is cut to (limit - len(suffix)) and the suffix kept, so a long table name
    can swallow the column part entirely (`T..._idx`).
    """
    suffix = SUFFIXES[kind]
    stem = table if kind == "pkey" else f"{table}_{'_'.join(columns)}"
    limit = NAME_LIMITS.get(provider)
    if limit is not None:
        stem = cut_identifier(stem, limit - len(suffix))
    return stem + suffix
