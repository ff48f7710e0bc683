"""Prisma's rules for what lands in the database: one record of facts per provider, in one table.

This module owns the facts: the database type of each Prisma scalar when no `@db.*` is given, how a
native type attribute is spelled as a `dbType`, identifier length limits and Prisma's truncation of
default constraint names, default referential actions, how enums and constant defaults are
stored, and the attributes Prisma knows. It holds no logic that walks the syntax tree (see
`to_model.py`) and never touches files.

Every difference between providers is a field of `ProviderRules`, and `PROVIDERS` holds one
record per provider (sqlglot's dialect classes are the model): a field's default is what most
providers do, a provider states only what differs, and CockroachDB is PostgreSQL's record with
its own names (`replace`). The import asks its record, never `provider == ...`.

Spellings follow SPEC §4: built-in types in lower case, as the database spells them in its short
form. The PostgreSQL and SQLite entries were checked against the catalog of a database created by
real Prisma 6.19.3 `db push` (`pg_dump -s`, `sqlite3 .schema`); e.g. PostgreSQL reports
`character varying(320)` for `@db.VarChar(320)` and `timestamp(6) with time zone` for
`@db.Timestamptz(6)`, which the mirror spells `varchar(320)` and `timestamptz(6)`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from schemasync.model import Provider

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

# `@@index(type: ...)` -> the mirror's index type (None: the database's default, a B-tree).
INDEX_TYPES: Final[dict[str, str | None]] = {
    "BTree": None,
    "Hash": "hash",
    "Gist": "gist",
    "Gin": "gin",
    "SpGist": "spgist",
    "Brin": "brin",
}

# `@default(f())` that Prisma Client fills in; the database has no default.
CLIENT_DEFAULT_FUNCTIONS: Final = frozenset({"uuid", "cuid", "nanoid", "ulid"})

# `@default(f())` that become a database default function, by name in the mirror.
DB_FUNCTION_DEFAULTS: Final[dict[str, str]] = {"now": "now", "auto": "auto"}

# `@default(f())` that make the column auto-incrementing (no default in the mirror).
AUTOINCREMENT_FUNCTIONS: Final = frozenset({"autoincrement", "sequence"})

# Suffixes of Prisma's default constraint names (see `ProviderRules.constraint_name`).
SUFFIXES: Final[dict[str, str]] = {
    "pkey": "_pkey",
    "key": "_key",
    "idx": "_idx",
    "fkey": "_fkey",
}


@dataclass(frozen=True)
class ProviderRules:
    """What the import does differently on one provider (the defaults: what most providers do)."""

    name: Provider
    # dbType of each Prisma scalar when the field has no `@db.*` attribute.
    default_db_types: dict[str, str]
    # `@db.X` names whose spelling is not simply `x.lower()`; values may carry a `{}` for the args.
    native_spellings: dict[str, str] = field(default_factory=dict)
    # Arguments the database fills in when `@db.X` gives none (pg_dump after db push:
    # `@db.Char` -> `character(1)`, `@db.Bit` -> `bit(1)`; the others have no implicit modifier).
    native_default_args: dict[str, str] = field(default_factory=dict)
    # Arguments the database does not spell because they are its default (MySQL and MariaDB:
    # `@db.Timestamp(0)` is `timestamp`, `@db.DateTime(0)` `datetime`, `@db.Time(0)` `time`).
    native_unspelled_args: dict[str, str] = field(default_factory=dict)
    # The schema objects live in when the datasource has no `schemas = [...]` (multiSchema): the
    # default schema of the connection (`?schema=` can change it; the mirror records the default).
    default_schema: str | None = None
    # Longest identifier the database keeps (bytes); Prisma cuts its default names to fit.
    name_limit: int | None = None
    # Whether the database gives primary keys a name at all (SQLite: no; MySQL's is always
    # PRIMARY, and the mirror keeps no name).
    named_primary_keys: bool = False
    # (onDelete, onUpdate) when the schema states none, for a required and an optional relation.
    required_actions: tuple[str, str] = ("RESTRICT", "CASCADE")
    optional_actions: tuple[str, str] = ("SET NULL", "CASCADE")
    # Whether relations are foreign keys in the database unless `relationMode = "prisma"`.
    foreign_keys: bool = True
    # Where enums live: a named database type ("type": PostgreSQL CREATE TYPE), inline in each
    # column ("inline": MySQL enum('A','B'), one mirror enum per column), or nowhere ("none": text
    # columns; the mirror keeps the Prisma enum with a note).
    enum_kind: str = "none"
    # dbType of an enum column: `{name}` is the enum type's database name, `{values}` its values.
    enum_db_type: str = "text"
    # How a Boolean constant default is stored (MySQL tinyint(1) and SQL Server bit store 1/0).
    boolean_literals: dict[str, str] = field(
        default_factory=lambda: {"true": "true", "false": "false"}
    )
    # How the database stores a DateTime literal default `@default("2020-01-01T00:00:00Z")`:
    # a strftime pattern, `{frac}` standing for the fraction of a second ...
    datetime_literal: str = "%Y-%m-%d %H:%M:%S{frac}"
    # ... and by column type where it differs.
    datetime_literals_by_type: dict[str, str] = field(default_factory=dict)
    # The literal is stored as Prisma renders it, offset kept (sqlite3 .schema after db push:
    # '2020-01-01 10:20:30 +02:00', '2020-01-01 10:20:30.120 +00:00'); the pattern is unused.
    datetime_as_written: bool = False
    # The fraction is padded to the column's precision (MySQL: datetime(3) -> '...00.000').
    datetime_fixed_fraction: bool = False
    # Implicit many-to-many join tables: a primary key `_AB_pkey` (Prisma 6 on PostgreSQL and
    # CockroachDB), or else a unique index `_AB_unique` and no key (SQLite, seen in db push).
    join_table_primary_key: bool = False
    # A list column is nullable in the database even when the field is required (db push).
    nullable_lists: bool = False
    # Scalars whose single-field `@id` is the table's row id, auto-incrementing with or without
    # `@default(autoincrement())` (SQLite: `model X { id Int @id }` is INTEGER PRIMARY KEY
    # AUTOINCREMENT after db push, while `BigInt @id @default(autoincrement())` is a plain BIGINT
    # PRIMARY KEY, and autoincrement() elsewhere creates no AUTOINCREMENT: a note).
    rowid_scalars: tuple[str, ...] = ()
    # The database creates an index named after a foreign key when none starts with its columns
    # (MySQL's InnoDB; `db pull` shows it as `@@index([a], map: "T_a_fkey")`).
    foreign_key_indexes: bool = False

    def __deepcopy__(self, memo: dict[int, Any]) -> ProviderRules:
        """Return a record of copies of these facts. (`copy`'s own way sets the fields of the
        new record one by one, which a frozen record refuses in the compiled build.)"""
        return replace(
            self, **{f.name: copy.deepcopy(getattr(self, f.name), memo) for f in fields(self)}
        )

    def spell_native_type(self, name: str, args: tuple[str, ...]) -> str:
        """Return the dbType for `@db.<name>(<args>)`, as the database spells it.

        >>> PROVIDERS["postgresql"].spell_native_type("VarChar", ("320",))
        'varchar(320)'
        >>> PROVIDERS["postgresql"].spell_native_type("Decimal", ("12", "2"))
        'numeric(12,2)'
        >>> PROVIDERS["mysql"].spell_native_type("Timestamp", ("0",))
        'timestamp'
        """
        base = self.native_spellings.get(name, name.lower())
        if args and args == (self.native_unspelled_args.get(name),):
            return base
        if not args and name in self.native_default_args:
            args = (self.native_default_args[name],)
        if args:
            return f"{base}({','.join(a.lower() if a.lower() == 'max' else a for a in args)})"
        return base

    def constraint_name(self, table: str, columns: tuple[str, ...], kind: str) -> str:
        """Return Prisma's default name for a constraint or index of `kind` (pkey/key/idx/fkey).

        `{table}_pkey` or `{table}_{col1}_{col2}_{suffix}`; when too long for the database,
        `{table}_{cols}` is cut to (limit - len(suffix)) and the suffix kept, so a long table name
        can swallow the column part entirely (`T..._idx`).
        """
        return self.cut_name(table if kind == "pkey" else f"{table}_{'_'.join(columns)}",
                             SUFFIXES[kind])  # fmt: skip

    def cut_name(self, stem: str, suffix: str) -> str:
        """Return `stem` + `suffix`, `stem` cut (whole characters) so that both fit the limit."""
        cut = self.name_limit - len(suffix) if self.name_limit is not None else None
        return cut_identifier(stem, cut) + suffix


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


POSTGRESQL: Final = ProviderRules(
    name="postgresql",
    # pg_dump of a pushed schema: text, boolean, integer, bigint, double precision,
    # numeric(65,30), timestamp(3) without time zone, jsonb, bytea.
    default_db_types={
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
    native_spellings={
        "Decimal": "numeric",
        "DoublePrecision": "double precision",
        "Integer": "integer",
    },
    # Times without a precision have PostgreSQL's default 6 (`db pull` writes
    # `@db.Timestamptz(6)`), and the mirror states it, as native introspection does.
    native_default_args={
        "Char": "1",
        "Bit": "1",
        "Timestamp": "6",
        "Timestamptz": "6",
        "Time": "6",
        "Timetz": "6",
    },
    default_schema="public",
    name_limit=63,
    named_primary_keys=True,
    enum_kind="type",
    enum_db_type="{name}",
    # pg_dump after db push, server TimeZone UTC: timestamptz '2020-01-01 08:20:30+00',
    # date '2020-01-01', time '10:20:30'.
    datetime_literals_by_type={
        "timestamptz": "%Y-%m-%d %H:%M:%S{frac}+00",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S{frac}",
        "timetz": "%H:%M:%S{frac}+00",
    },
    join_table_primary_key=True,
    nullable_lists=True,
)

# PostgreSQL's wire protocol and catalog; CockroachDB's own type names (SHOW CREATE TABLE).
COCKROACHDB: Final = replace(
    POSTGRESQL,
    name="cockroachdb",
    default_db_types={
        **POSTGRESQL.default_db_types,
        "String": "string",
        "Boolean": "bool",
        "Int": "int4",
        "BigInt": "int8",
        "Float": "float8",
        "Decimal": "decimal(65,30)",
        "Bytes": "bytes",
    },
    native_spellings={"String": "string", "CatalogSingleChar": '"char"'},
)

_NUMERIC_BOOLEANS: Final = {"true": "1", "false": "0"}

PROVIDERS: Final[dict[str, ProviderRules]] = {
    "postgresql": POSTGRESQL,
    "cockroachdb": COCKROACHDB,
    "mysql": ProviderRules(
        name="mysql",
        default_db_types={
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
        native_spellings={
            "UnsignedTinyInt": "tinyint unsigned",
            "UnsignedSmallInt": "smallint unsigned",
            "UnsignedMediumInt": "mediumint unsigned",
            "UnsignedInt": "int unsigned",
            "UnsignedBigInt": "bigint unsigned",
        },
        native_default_args={"Char": "1", "Binary": "1", "Bit": "1"},
        native_unspelled_args={"Timestamp": "0", "DateTime": "0", "Time": "0"},
        name_limit=64,
        enum_kind="inline",
        enum_db_type="enum({values})",  # MySQL inlines the values: enum('A','B')
        boolean_literals=_NUMERIC_BOOLEANS,
        datetime_literals_by_type={"date": "%Y-%m-%d", "time": "%H:%M:%S{frac}"},
        datetime_fixed_fraction=True,
        foreign_key_indexes=True,
    ),
    "sqlite": ProviderRules(
        name="sqlite",
        # sqlite3 .schema of a pushed schema: TEXT, BOOLEAN, INTEGER, BIGINT, REAL, DECIMAL,
        # DATETIME, JSONB, BLOB (declared types; lower-cased here).
        default_db_types={
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
        datetime_as_written=True,
        rowid_scalars=("Int",),
    ),
    "sqlserver": ProviderRules(
        name="sqlserver",
        default_db_types={
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
        native_default_args={"Char": "1", "NChar": "1", "Binary": "1"},
        default_schema="dbo",
        name_limit=128,
        named_primary_keys=True,
        # SQL Server has no RESTRICT: Prisma uses NO ACTION for a required relation.
        required_actions=("NO ACTION", "CASCADE"),
        enum_db_type="nvarchar(1000)",
        boolean_literals=_NUMERIC_BOOLEANS,
    ),
    "mongodb": ProviderRules(
        name="mongodb",
        # BSON type names ($type aliases).
        default_db_types={
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
        native_spellings={"ObjectId": "objectId", "BinData": "binData", "Timestamp": "timestamp"},
        required_actions=("NO ACTION", "NO ACTION"),
        optional_actions=("NO ACTION", "NO ACTION"),
        foreign_keys=False,  # relations are Prisma's (relationMode "prisma")
        enum_db_type="string",
        datetime_literal="%Y-%m-%dT%H:%M:%S{frac}Z",
    ),
}


# Prisma's operator class names are PostgreSQL's in CamelCase (`JsonbPathOps` is jsonb_path_ops,
# `Int4MinMaxMultiOps` int4_minmax_multi_ops); these words are one word in PostgreSQL.
_OPS_WORD = re.compile(r"[A-Z][a-z]*[0-9]*")
_OPS_ONE_WORD: Final = {
    "min_max": "minmax", "timestamp_tz": "timestamptz", "time_tz": "timetz", "var_bit": "varbit",
}  # fmt: skip


def postgres_operator_class(prisma_name: str) -> str:
    """Return PostgreSQL's name of a Prisma operator class (`ops: JsonbPathOps`).

    >>> postgres_operator_class("TimestampTzMinMaxMultiOps")
    'timestamptz_minmax_multi_ops'
    """
    name = "_".join(word.lower() for word in _OPS_WORD.findall(prisma_name))
    for words, word in _OPS_ONE_WORD.items():
        name = name.replace(words, word)
    return name
