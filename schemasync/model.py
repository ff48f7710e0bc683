"""Frozen pydantic models of the mirror `db/schema/tables.json` (format `schemasync/tables@2`).

This module owns the shape of the mirror (SPEC §4) and its canonical order: every collection is a
tuple, and the collections whose order is not meaningful are sorted by a named key when a model is
built, so two models of the same database shape compare equal and dump to the same bytes.
It must not read or write files (see `mirror.py`) and holds no Prisma or SQL knowledge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, Field

from schemasync.frozen import FrozenModel
from schemasync.redact import FREE_TEXT, redact_value

FORMAT: Final = "schemasync/tables@2"
#: The previous format, which `mirror.load_mirror` still reads (SPEC §7): @2 is @1 plus the
#: schemas of both ends of every relation.
FORMAT_V1: Final = "schemasync/tables@1"


def _masked(value: str) -> str:
    return redact_value(value) or ""


# Free text that may carry a connection string (a `///` doc comment, a COMMENT ON, a view's SQL,
# a literal default): credentials are masked when a model is built, so no mirror, context or
# evidence derived from it can hold one (SPEC §6; found: `/// replica at postgresql://u:pw@h`
# went verbatim into tables.json and the context).
Text = Annotated[str, AfterValidator(_masked), FREE_TEXT]
OptText = Annotated[str | None, AfterValidator(redact_value), FREE_TEXT]

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
Identity = Literal["ALWAYS", "BY DEFAULT"]


def _absent(value: object) -> bool:
    return value is None or value == () or value is False


#: A field only a live capture (`db/schema/database-facts.json`, `facts.py`) or rich live
#: introspection fills: absent from the JSON while it holds nothing, so a mirror without a capture
#: is byte for byte what it was before these fields existed (the format stays `@2`: every @2 file
#: is still valid; see the README, "Live facts").
def _optional(default: Any = None) -> Any:
    return Field(default, exclude_if=_absent)


def _sorted_by(key: Callable[[Any], Any], *, unique: bool = False) -> AfterValidator:
    """Validation sorts a collection whose order is not meaningful by `key` (and drops
    duplicates when `unique`), so two models of the same shape are equal and dump the same."""

    def canonical(value: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(sorted(set(value) if unique else value, key=key))

    return AfterValidator(canonical)


#: Where a fact of the mirror came from when it is not the Prisma schema: `captured` lists the
#: fields the capture set, `guessed` the fields the Prisma schema cannot know and the import
#: therefore guessed (a list's nullability, its default's database spelling) — there is no
#: capture to take them from.
Facts = Annotated[tuple[str, ...], _sorted_by(str, unique=True)]


class LiteralDefault(FrozenModel):
    """A constant database default, as text (`'PENDING'` -> `PENDING`, `0`, `true`)."""

    kind: Literal["literal"] = "literal"
    value: Text


class FunctionDefault(FrozenModel):
    """A database default that is a well-known function: `now`, `uuid`, ..."""

    kind: Literal["function"] = "function"
    name: str


class ExpressionDefault(FrozenModel):
    """Any other database default, as normalized SQL text."""

    kind: Literal["expression"] = "expression"
    sql: Text


Default = Annotated[
    LiteralDefault | FunctionDefault | ExpressionDefault, Field(discriminator="kind")
]


class Column(FrozenModel):
    """One column (or one field of a composite type)."""

    autoincrement: bool = False
    captured: Facts = _optional(())
    client_default: str | None = None
    comment: OptText = None
    db_type: str
    default: Default | None = None
    generated: OptText = _optional()  # GENERATED ALWAYS AS (expression): the expression
    guessed: Facts = _optional(())
    identity: Identity | None = _optional()
    list: bool = False
    name: str
    nullable: bool = False
    prisma_name: str | None = None
    type: str


class IndexColumn(FrozenModel):
    """A column of an index, with its sort order and prefix length when stated."""

    expression: bool = _optional(False)  # `name` is an expression (`lower(email)`), not a column
    length: int | None = None
    name: str
    opclass: str | None = _optional()  # an operator class that is not the type's default
    sort: Literal["asc", "desc"] | None = None


class Index(FrozenModel):
    """A secondary index (unique or not); the primary key is not one."""

    captured: Facts = _optional(())
    columns: tuple[IndexColumn, ...]
    name: str
    predicate: OptText = _optional()  # a partial index's WHERE condition
    type: str | None = None
    unique: bool = False


class PrimaryKey(FrozenModel):
    """The primary key; SQLite keys have no name."""

    columns: tuple[str, ...]
    name: str | None = None


class ForeignKey(FrozenModel):
    """A foreign key as the database enforces it."""

    captured: Facts = _optional(())
    columns: tuple[str, ...]
    # `DEFERRABLE INITIALLY DEFERRED` / `DEFERRABLE INITIALLY IMMEDIATE`; absent: not deferrable
    deferrable: str | None = _optional()
    name: str | None = None
    on_delete: Action
    on_update: Action
    referenced_columns: tuple[str, ...]
    referenced_schema: str | None = None
    referenced_table: str


class Check(FrozenModel):
    """A check constraint: its name and its expression as the database prints it."""

    expression: Text
    name: str


def _check_key(check: Check) -> str:
    return check.name


def _index_key(index: Index) -> tuple[str, tuple[str, ...]]:
    return (index.name, tuple(c.name for c in index.columns))


def _fk_key(fk: ForeignKey) -> tuple[str, tuple[str, ...], str]:
    return (fk.name or "", fk.columns, fk.referenced_table)


class Table(FrozenModel):
    """A table: columns in database order, indexes, checks and foreign keys sorted by name."""

    captured: Facts = _optional(())
    checks: Annotated[tuple[Check, ...], _sorted_by(_check_key)] = _optional(())
    columns: tuple[Column, ...] = ()
    comment: OptText = None
    foreign_keys: Annotated[tuple[ForeignKey, ...], _sorted_by(_fk_key)] = ()
    ignored: bool = False
    indexes: Annotated[tuple[Index, ...], _sorted_by(_index_key)] = ()
    name: str
    primary_key: PrimaryKey | None = None
    prisma_name: str | None = None
    db_schema: str | None = Field(default=None, alias="schema")

    def column(self, name: str) -> Column | None:
        """Return the column with database name `name`, if any."""
        return next((c for c in self.columns if c.name == name), None)


class View(FrozenModel):
    """A view: a table without keys, plus its SQL definition when known."""

    captured: Facts = _optional(())
    columns: tuple[Column, ...] = ()
    comment: OptText = None
    definition: OptText = None
    ignored: bool = False
    name: str
    prisma_name: str | None = None
    db_schema: str | None = Field(default=None, alias="schema")


class EnumValue(FrozenModel):
    """One value of an enum, in database order."""

    name: str
    prisma_name: str | None = None


class Enum(FrozenModel):
    """A database enum type (PostgreSQL `CREATE TYPE ... AS ENUM`, Prisma `enum`)."""

    name: str
    prisma_name: str | None = None
    db_schema: str | None = Field(default=None, alias="schema")
    values: tuple[EnumValue, ...] = ()


class CompositeType(FrozenModel):
    """A MongoDB composite `type` block."""

    columns: tuple[Column, ...] = ()
    name: str


class Relation(FrozenModel):
    """A relation between two tables, enforced by the database (a FK) or by Prisma only.

    Both ends carry their schema (null where the provider has none).
    """

    back_field: str | None = None
    columns: tuple[str, ...]
    enforced_by: Literal["database", "prisma"] = "database"
    field: str | None = None
    name: str
    referenced_columns: tuple[str, ...]
    # both ends' schemas since format @2: with `a.user` and `b.user`, a name alone does not say
    # which table a relation is on (@1 had names only; the context gave each `user` both's)
    referenced_schema: str | None = None
    referenced_table: str
    db_schema: str | None = Field(default=None, alias="schema")
    table: str


class Note(FrozenModel):
    """Something the mirror could not capture, and why."""

    message: Text
    object: str


def operator_class_note(opclass: str) -> str:
    """The note on a column indexed with a PostgreSQL operator class that is not its type's
    default (`text_pattern_ops`): the import and live introspection word it alike."""
    return f"operator class `{opclass}` of an index on this column is not captured"


class CaptureSource(FrozenModel):
    """The live capture a mirror's facts came from (`db/schema/database-facts.json`)."""

    path: str
    sha256: str


class Source(FrozenModel):
    """Where the mirror came from (repo-relative path, never absolute), and the live capture
    laid onto it, if any."""

    capture: CaptureSource | None = _optional()
    kind: Literal["prisma", "database", "ddl"]
    path: str | None = None
    sha256: str


def _schema_name_key(obj: Table | View | Enum) -> tuple[str, str]:
    return (obj.db_schema or "", obj.name)


def _name_key(obj: CompositeType) -> str:
    return obj.name


def _note_key(note: Note) -> tuple[str, str]:
    return (note.object, note.message)


def _relation_key(
    rel: Relation,
) -> tuple[str, str, str, tuple[str, ...], str, str, str, tuple[str, ...]]:
    # the owning table's schema first, as tables are sorted: `a.user`'s relations before
    # `b.user`'s, whatever order the producer found them in; the referenced end last, so that
    # no two different relations tie
    return (
        rel.db_schema or "",
        rel.table,
        rel.name,
        rel.columns,
        rel.field or "",
        rel.referenced_schema or "",
        rel.referenced_table,
        rel.referenced_columns,
    )


class Schema(FrozenModel):
    """The whole mirror: one database's shape in the database's own vocabulary."""

    enums: Annotated[tuple[Enum, ...], _sorted_by(_schema_name_key)] = ()
    format: Literal["schemasync/tables@2"] = FORMAT
    notes: Annotated[tuple[Note, ...], _sorted_by(_note_key, unique=True)] = ()
    provider: Provider
    relations: Annotated[tuple[Relation, ...], _sorted_by(_relation_key)] = ()
    source: Source
    tables: Annotated[tuple[Table, ...], _sorted_by(_schema_name_key)] = ()
    types: Annotated[tuple[CompositeType, ...], _sorted_by(_name_key)] = ()
    views: Annotated[tuple[View, ...], _sorted_by(_schema_name_key)] = ()

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
