"""Frozen pydantic models of the mirror `db/schema/tables.json` (format `schemasync/tables@1`).

This module owns the shape of the mirror (SPEC §4) and its canonical order: every collection is a
tuple, and the collections whose order is not meaningful are sorted by a named key when a model is
built, so two models of the same database shape compare equal and dump to the same bytes.
It must not read or write files (see `mirror.py`) and holds no Prisma or SQL knowledge.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from schemasync.redact import redact_value

FORMAT: Final = "schemasync/tables@1"


def _masked(value: str) -> str:
    return redact_value(value) or ""


# Free text that may carry a connection string (a `///` doc comment, a COMMENT ON, a view's SQL,
# a literal default): credentials are masked when a model is built, so no mirror, context or
# evidence derived from it can hold one (SPEC §6; found: `/// replica at postgresql://u:pw@h`
# went verbatim into tables.json and the context).
Text = Annotated[str, AfterValidator(_masked)]
OptText = Annotated[str | None, AfterValidator(redact_value)]

Provider = Literal["postgresql", "mysql", "sqlite", "sqlserver", "cockroachdb", "mongodb"]
PROVIDERS: tuple[str, ...] = (
    "postgresql",
    "mysql",
    "sqlite",
    "sqlserver",
    "cockroachdb",
    "mongodb",
)
Action = Literal["CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"]


class _Frozen(BaseModel):
    """Immutable, strict about unknown keys, camelCase in JSON.

    Fields are declared in the sorted order of their JSON names, so that pydantic's own
    (Rust) serializer writes sorted keys: `dump_mirror` then needs no Python-level
    `json.dumps(sort_keys=True, indent=2)`, which took 290 ms of a 1,000-model import.
    `tests/test_model.py` checks that the two agree.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        defer_build=True,
    )


class LiteralDefault(_Frozen):
    """A constant database default, as text (`'PENDING'` -> `PENDING`, `0`, `true`)."""

    kind: Literal["literal"] = "literal"
    value: Text


class FunctionDefault(_Frozen):
    """A database default that is a well-known function: `now`, `uuid`, ..."""

    kind: Literal["function"] = "function"
    name: str


class ExpressionDefault(_Frozen):
    """Any other database default, as normalized SQL text."""

    kind: Literal["expression"] = "expression"
    sql: Text


Default = Annotated[
    LiteralDefault | FunctionDefault | ExpressionDefault, Field(discriminator="kind")
]


class Column(_Frozen):
    """One column (or one field of a composite type)."""

    autoincrement: bool = False
    client_default: str | None = None
    comment: OptText = None
    db_type: str
    default: Default | None = None
    list: bool = False
    name: str
    nullable: bool = False
    prisma_name: str | None = None
    type: str


class IndexColumn(_Frozen):
    """A column of an index, with its sort order and prefix length when stated."""

    length: int | None = None
    name: str
    sort: Literal["asc", "desc"] | None = None


class Index(_Frozen):
    """A secondary index (unique or not); the primary key is not one."""

    columns: tuple[IndexColumn, ...]
    name: str
    type: str | None = None
    unique: bool = False


class PrimaryKey(_Frozen):
    """The primary key; SQLite keys have no name."""

    columns: tuple[str, ...]
    name: str | None = None


class ForeignKey(_Frozen):
    """A foreign key as the database enforces it."""

    columns: tuple[str, ...]
    name: str | None = None
    on_delete: Action
    on_update: Action
    referenced_columns: tuple[str, ...]
    referenced_schema: str | None = None
    referenced_table: str


_M = TypeVar("_M", bound=_Frozen)
_new_object = object.__new__
_set_attr = object.__setattr__
# One shared "fields set" per class for the instances built unvalidated: a set per instance was
# 33,000 of the 87,000 objects the garbage collector tracked after a 1,000-model import. Nothing
# mutates it (the models are frozen; `model_copy` copies it first).
_FIELDS_SETS: dict[type[Any], set[str]] = {}


def _unvalidated(cls: type[_M], data: dict[str, Any]) -> _M:
    """Return an instance of `cls` holding `data` (every field, in declaration order)."""
    fields = _FIELDS_SETS.get(cls)
    if fields is None:
        fields = _FIELDS_SETS[cls] = set(cls.model_fields)
    obj = _new_object(cls)
    _set_attr(obj, "__dict__", data)
    _set_attr(obj, "__pydantic_fields_set__", fields)
    _set_attr(obj, "__pydantic_extra__", None)
    _set_attr(obj, "__pydantic_private__", None)
    return obj


def trusted_column(
    name: str,
    prisma_name: str | None,
    type: str,
    db_type: str,
    nullable: bool,
    list: bool,
    autoincrement: bool,
    default: LiteralDefault | FunctionDefault | ExpressionDefault | None,
    client_default: str | None,
    comment: str | None,
) -> Column:
    """Build a `Column` from values an importer computed, without validation (the hot path).

    Every argument must already have its field's type; `comment` is masked here as validation
    would mask it. A 1,000-model import builds 13,500 columns: `Column(**values)` takes ~1.8 µs
    each, this ~0.6 µs, and shares one fields-set per class. `tests/test_import_prisma.py` checks
    that re-validating imported schemas gives equal models, value for value and type for type.
    """
    return _unvalidated(
        Column,
        {
            "autoincrement": autoincrement,
            "client_default": client_default,
            "comment": comment if comment is None else _masked(comment),
            "db_type": db_type,
            "default": default,
            "list": list,
            "name": name,
            "nullable": nullable,
            "prisma_name": prisma_name,
            "type": type,
        },
    )


_T = TypeVar("_T", "IndexColumn", "Index", "PrimaryKey", "ForeignKey", "Relation")


def trusted(cls: type[_T], **values: Any) -> _T:
    """Build a key, index, foreign key or relation from values an importer computed, unvalidated.

    For the models without validators only (`IndexColumn`, `Index`, `PrimaryKey`, `ForeignKey`,
    `Relation`): each value must already have its field's type (tuples, not lists). Fields not
    given take their defaults. ~1.5x faster than validation, and no fields-set per instance
    (a third of the objects the GC tracked after an import); `tests/test_import_prisma.py`
    checks that re-validating an imported schema changes nothing.
    """
    return _unvalidated(cls, {**_TRUSTED_DEFAULTS[cls], **values})


def _defaults(cls: type[_Frozen]) -> dict[str, Any]:
    # every field, in declaration order: the default, or a marker that the caller must give it
    return {
        name: (None if info.is_required() else info.get_default())
        for name, info in cls.model_fields.items()
    }


def _index_key(index: Index) -> tuple[str, tuple[str, ...]]:
    return (index.name, tuple(c.name for c in index.columns))


def _fk_key(fk: ForeignKey) -> tuple[str, tuple[str, ...], str]:
    return (fk.name or "", fk.columns, fk.referenced_table)


class Table(_Frozen):
    """A table: columns in database order, indexes and foreign keys sorted by name."""

    columns: tuple[Column, ...] = ()
    comment: OptText = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    ignored: bool = False
    indexes: tuple[Index, ...] = ()
    name: str
    primary_key: PrimaryKey | None = None
    prisma_name: str | None = None
    db_schema: str | None = Field(default=None, alias="schema")

    @field_validator("indexes")
    @classmethod
    def _sort_indexes(cls, value: tuple[Index, ...]) -> tuple[Index, ...]:
        return tuple(sorted(value, key=_index_key))

    @field_validator("foreign_keys")
    @classmethod
    def _sort_fks(cls, value: tuple[ForeignKey, ...]) -> tuple[ForeignKey, ...]:
        return tuple(sorted(value, key=_fk_key))

    def column(self, name: str) -> Column | None:
        """Return the column with database name `name`, if any."""
        return next((c for c in self.columns if c.name == name), None)


def trusted_table(
    *,
    name: str,
    db_schema: str | None,
    prisma_name: str | None,
    ignored: bool,
    comment: str | None,
    columns: tuple[Column, ...],
    primary_key: PrimaryKey | None,
    indexes: tuple[Index, ...],
    foreign_keys: tuple[ForeignKey, ...],
) -> Table:
    """Build a `Table` from an importer's values without validation, doing what its validators
    do (indexes and foreign keys sorted, the comment masked): see `trusted`."""
    return _unvalidated(
        Table,
        {
            "columns": columns,
            "comment": comment if comment is None else _masked(comment),
            "foreign_keys": tuple(sorted(foreign_keys, key=_fk_key)),
            "ignored": ignored,
            "indexes": tuple(sorted(indexes, key=_index_key)),
            "name": name,
            "primary_key": primary_key,
            "prisma_name": prisma_name,
            "db_schema": db_schema,
        },
    )


class View(_Frozen):
    """A view: a table without keys, plus its SQL definition when known."""

    columns: tuple[Column, ...] = ()
    comment: OptText = None
    definition: OptText = None
    ignored: bool = False
    name: str
    prisma_name: str | None = None
    db_schema: str | None = Field(default=None, alias="schema")


class EnumValue(_Frozen):
    """One value of an enum, in database order."""

    name: str
    prisma_name: str | None = None


class Enum(_Frozen):
    """A database enum type (PostgreSQL `CREATE TYPE ... AS ENUM`, Prisma `enum`)."""

    name: str
    prisma_name: str | None = None
    db_schema: str | None = Field(default=None, alias="schema")
    values: tuple[EnumValue, ...] = ()


class CompositeType(_Frozen):
    """A MongoDB composite `type` block."""

    columns: tuple[Column, ...] = ()
    name: str


class Relation(_Frozen):
    """A relation between two tables, enforced by the database (a FK) or by Prisma only."""

    back_field: str | None = None
    columns: tuple[str, ...]
    enforced_by: Literal["database", "prisma"] = "database"
    field: str | None = None
    name: str
    referenced_columns: tuple[str, ...]
    referenced_table: str
    table: str


class Note(_Frozen):
    """Something the mirror could not capture, and why."""

    message: Text
    object: str


class Source(_Frozen):
    """Where the mirror came from (repo-relative path, never absolute)."""

    kind: Literal["prisma", "database", "ddl"]
    path: str | None = None
    sha256: str


def _schema_name_key(obj: Table | View | Enum) -> tuple[str, str]:
    return (obj.db_schema or "", obj.name)


class Schema(_Frozen):
    """The whole mirror: one database's shape in the database's own vocabulary."""

    enums: tuple[Enum, ...] = ()
    format: Literal["schemasync/tables@1"] = FORMAT
    notes: tuple[Note, ...] = ()
    provider: Provider
    relations: tuple[Relation, ...] = ()
    source: Source
    tables: tuple[Table, ...] = ()
    types: tuple[CompositeType, ...] = ()
    views: tuple[View, ...] = ()

    @field_validator("tables", "views", "enums")
    @classmethod
    def _sort_by_schema_and_name(
        cls, value: tuple[Table, ...] | tuple[View, ...] | tuple[Enum, ...]
    ) -> tuple[Table | View | Enum, ...]:
        return tuple(sorted(value, key=_schema_name_key))

    @field_validator("relations")
    @classmethod
    def _sort_relations(cls, value: tuple[Relation, ...]) -> tuple[Relation, ...]:
        return tuple(sorted(value, key=lambda r: (r.table, r.name, r.columns, r.field or "")))

    @field_validator("types")
    @classmethod
    def _sort_types(cls, value: tuple[CompositeType, ...]) -> tuple[CompositeType, ...]:
        return tuple(sorted(value, key=lambda t: t.name))

    @field_validator("notes")
    @classmethod
    def _sort_notes(cls, value: tuple[Note, ...]) -> tuple[Note, ...]:
        return tuple(sorted(set(value), key=lambda n: (n.object, n.message)))

    def table(self, name: str, schema: str | None = None) -> Table | None:
        """Return the table named `name` (in `schema`, when given)."""
        return next(
            (
                t
                for t in self.tables
                if t.name == name and (schema is None or t.db_schema == schema)
            ),
            None,
        )


_TRUSTED_DEFAULTS: dict[type[Any], dict[str, Any]] = {
    cls: _defaults(cls) for cls in (IndexColumn, Index, PrimaryKey, ForeignKey, Relation)
}
