"""Helpers shared by the introspectors: default pre-cleaning, mirror assembly, carry-over.

Pure functions on values; no connection, no file, no environment access here.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from schemasync.model import (
    Column,
    Default,
    Enum,
    EnumValue,
    Note,
    Provider,
    Relation,
    Schema,
    Source,
    Table,
    View,
)

_T = TypeVar("_T", Table, View)

#: Tables that belong to tooling, not to the application schema (Prisma Migrate's journal).
EXCLUDED_TABLES: tuple[str, ...] = ("_prisma_migrations",)


@dataclass(frozen=True)
class CatalogDefault:
    """A column default as the catalog gives it, split into default and autoincrement, and why
    it was kept as written when it was (a note for the column)."""

    default: Default | None
    autoincrement: bool = False
    note: str | None = None

    def notes_for(self, column: str) -> tuple[Note, ...]:
        """Return the mirror's note on `column` (`table.column`) about this default, if any."""
        return (Note(object=column, message=self.note),) if self.note else ()


def normalize_catalog_default(sql: str | None, dialect: str) -> CatalogDefault:
    """Normalize a catalog default expression text with the shared `sql.defaults` rules.

    `nextval('orders_id_seq'::regclass)` -> autoincrement; `'PENDING'::"OrderStatus"` -> literal
    `PENDING`; `CURRENT_TIMESTAMP` / `now()` -> function `now`; anything else -> expression. The
    Prisma import uses the same function, so both sides spell a default the same way.
    """
    from schemasync.sql.defaults import is_autoincrement_default, read_default

    if sql is None:
        return CatalogDefault(None)
    if is_autoincrement_default(sql, dialect):
        return CatalogDefault(None, autoincrement=True)
    read = read_default(sql, dialect)
    return CatalogDefault(read.default, note=read.note)


@dataclass
class CatalogDefaults:
    """The default expressions of one introspection, each distinct text normalized once.

    A catalog repeats the same few defaults (`CURRENT_TIMESTAMP`, `false`) on every table, and
    sqlglot's parse is the costly part; the results are frozen models, safe to share. Made per
    introspection (never at module level): nothing outlives the call.
    """

    dialect: str
    seen: dict[str, CatalogDefault] = field(default_factory=dict)

    def __call__(self, sql: str | None) -> CatalogDefault:
        """Return the normalized default of `sql` (see `normalize_catalog_default`)."""
        if sql is None:
            return CatalogDefault(None)
        hit = self.seen.get(sql)
        if hit is None:
            hit = self.seen[sql] = normalize_catalog_default(sql, self.dialect)
        return hit


BLANK_SOURCE = Source(kind="database", path=None, sha256="")


def assemble(
    provider: Provider,
    tables: Sequence[Table],
    views: Sequence[View],
    notes: Sequence[Note],
    enums: Sequence[Enum] = (),
) -> Schema:
    """Return an introspected database as read: its relations are its foreign keys; no source
    digest and no Prisma names yet (`mirror_of` makes the mirror of it)."""
    return Schema(
        provider=provider,
        source=BLANK_SOURCE,
        tables=tuple(tables),
        views=tuple(views),
        enums=tuple(enums),
        relations=relations_from_fks(tables),
        notes=tuple(notes),
    )


def mirror_of(schema: Schema, previous: Schema | None) -> Schema:
    """Return the mirror of a database as read: its source the sha256 of its facts, and the
    previous mirror's Prisma names carried over."""
    return carry_over(with_source(schema), previous)


def with_source(schema: Schema) -> Schema:
    """Return `schema` with source kind `database` and the sha256 of its database facts.

    The digest covers tables, views and enums as pydantic serializes them (fields in model
    order, collections in their canonical order), so the same database shape gives the same
    digest; it is taken before Prisma names are carried over. pydantic's serializer is used
    rather than `canonical_json`: on 1,000 tables it is ~20x faster.
    """
    digest = hashlib.sha256()
    for group in (schema.tables, schema.views, schema.enums):
        for item in group:
            digest.update(item.model_dump_json(by_alias=True).encode("utf-8"))
            digest.update(b"\n")
        digest.update(b"\x00")
    return schema.model_copy(update={"source": Source(kind="database", sha256=digest.hexdigest())})


def relations_from_fks(tables: Sequence[Table]) -> tuple[Relation, ...]:
    """Return one `database`-enforced relation per foreign key, named after the FK; its ends
    carry the table's schema and the FK's referenced schema."""
    out: list[Relation] = []
    for table in tables:
        for fk in table.foreign_keys:
            out.append(
                Relation(
                    name=fk.name or f"{table.name}_{'_'.join(fk.columns)}_fkey",
                    db_schema=table.db_schema,
                    table=table.name,
                    columns=fk.columns,
                    referenced_schema=fk.referenced_schema,
                    referenced_table=fk.referenced_table,
                    referenced_columns=fk.referenced_columns,
                )
            )
    return tuple(out)


def _relation_ends(
    rel: Relation,
) -> tuple[str | None, str, tuple[str, ...], str | None, str]:
    return (rel.db_schema, rel.table, rel.columns, rel.referenced_schema, rel.referenced_table)


def _bare_ends(rel: Relation) -> tuple[str, tuple[str, ...], str]:
    return (rel.table, rel.columns, rel.referenced_table)


def carry_over(schema: Schema, previous: Schema | None) -> Schema:
    """Copy Prisma-only facts (names, `@@ignore`, client defaults, relation fields) from the
    previous mirror onto a fresh snapshot, matched by database name.

    The database cannot know a Prisma model's name; the mirror can. Nothing the database states
    is changed.
    """
    if previous is None:
        return schema
    old_enums = {(e.db_schema, e.name): e for e in previous.enums}
    by_name_e = {e.name: e for e in previous.enums}

    enum_names = {e.name for e in schema.enums}
    old_enum_names = {e.prisma_name or e.name for e in previous.enums} | {
        e.name for e in previous.enums
    }

    def cols(new: Sequence[Column], old: Sequence[Column]) -> tuple[Column, ...]:
        olds = {c.name: c for c in old}
        out = []
        for col in new:
            prev = olds.get(col.name)
            if prev is not None:
                update: dict[str, object] = {
                    "prisma_name": prev.prisma_name,
                    "client_default": prev.client_default,
                }
                # an enum column's `type` is the Prisma enum's name (`OrderStatus` for the
                # database type `order_status`, `Order_status` for a MySQL inline enum): the
                # database cannot know it, the mirror can, as long as the database type is
                # the same
                # (SQLite stores a Prisma enum as plain `text`: same rule)
                if (
                    col.type in enum_names or prev.type in old_enum_names
                ) and prev.db_type == col.db_type:
                    update["type"] = prev.type
                col = col.model_copy(update=update)
            out.append(col)
        return tuple(out)

    def carry(new: Sequence[_T], old: Sequence[_T]) -> tuple[_T, ...]:
        """Tables or views: Prisma name, `@@ignore` and the columns' Prisma facts."""
        by_key = {(o.db_schema, o.name): o for o in old}
        # the previous mirror may have been imported without schemas (null): match by name then
        by_name = {o.name: o for o in old}
        out = []
        for obj in new:
            prev = by_key.get((obj.db_schema, obj.name)) or by_name.get(obj.name)
            if prev is not None:
                obj = obj.model_copy(
                    update={
                        "prisma_name": prev.prisma_name,
                        "ignored": prev.ignored,
                        "columns": cols(obj.columns, prev.columns),
                    }
                )
            out.append(obj)
        return tuple(out)

    tables = carry(schema.tables, previous.tables)
    views = carry(schema.views, previous.views)
    enums = []
    for e in schema.enums:
        prev_e = old_enums.get((e.db_schema, e.name)) or by_name_e.get(e.name)
        if prev_e is not None:
            names = {ev.name: ev.prisma_name for ev in prev_e.values}
            e = e.model_copy(
                update={
                    "prisma_name": prev_e.prisma_name,
                    "values": tuple(
                        EnumValue(name=ev.name, prisma_name=names.get(ev.name)) for ev in e.values
                    ),
                }
            )
        enums.append(e)
    # Relations match by both ends, schemas included: `a.user(team_id) -> a.team` must not take
    # the Prisma field names of `b.user(team_id) -> b.team`. A previous relation with an end
    # of unknown schema (an @1 mirror where two tables had that name) matches by names alone,
    # and only where the names are unique on both sides.
    old_rel = {_relation_ends(r): r for r in previous.relations}
    old_bare = Counter(_bare_ends(r) for r in previous.relations)
    new_bare = Counter(_bare_ends(r) for r in schema.relations)
    unknown = {
        _bare_ends(r): r
        for r in previous.relations
        if r.db_schema is None or r.referenced_schema is None
    }
    relations = []
    for r in schema.relations:
        prev_r = old_rel.get(_relation_ends(r))
        bare = _bare_ends(r)
        if prev_r is None and old_bare[bare] == new_bare[bare] == 1:
            prev_r = unknown.get(bare)
        if prev_r is not None:
            r = r.model_copy(
                update={"name": prev_r.name, "field": prev_r.field, "back_field": prev_r.back_field}
            )
        relations.append(r)
    return schema.model_copy(
        update={
            "tables": tables,
            "views": views,
            "enums": tuple(enums),
            "relations": tuple(relations),
        }
    )
