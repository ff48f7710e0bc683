"""Drift between the mirror and a live database: the changes that are database facts.

Pure: takes two `Schema` values, returns `diff.Change`s. The mirror may come from Prisma, which
knows things the database cannot (model and field names, client-side defaults, `///` doc
comments, relations without a foreign key); those differences are not drift. Everything the
database states — tables, columns, types, nullability, defaults, keys, indexes, foreign keys
(both ends with their schemas), enums, views — is compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Literal

from schemasync.diff import Change, diff_schemas
from schemasync.facts import rowid_alias
from schemasync.model import Column, ForeignKey, Index, Schema, Table

if TYPE_CHECKING:
    from schemasync.config import DriftIgnore

#: Change kinds that compare Prisma-only facts: never drift. The relation kinds compare the
#: relations Prisma enforces without a foreign key (`relationMode = "prisma"`), which a database
#: cannot show; the relations it enforces are its foreign keys, compared by `add_fk` /
#: `remove_fk` with both ends' schemas.
PRISMA_ONLY_KINDS: frozenset[str] = frozenset(
    {"modify_prisma_name", "modify_client_default", "add_relation", "remove_relation"}
)

#: Comment kinds: a Prisma mirror's comments are `///` doc comments, not database comments.
COMMENT_KINDS: frozenset[str] = frozenset({"modify_table_comment", "modify_column_comment"})

#: Enum kinds, where the database has no named enum type (SQLite stores text, MySQL inlines the
#: values in the column type, which `modify_type` compares): the enum objects are Prisma's.
ENUM_KINDS: frozenset[str] = frozenset({"add_enum", "remove_enum", "modify_enum"})
NATIVE_ENUM_PROVIDERS: frozenset[str] = frozenset({"postgresql", "cockroachdb"})


def drift_changes(mirror: Schema, live: Schema) -> tuple[Change, ...]:
    """Return how the live database differs from the mirror (old = mirror, new = database).

    Args:
        mirror: `db/schema/tables.json` as read.
        live: the database as `snapshot_database(..., previous=mirror)` read it (Prisma names
            carried over, so only database facts can differ).
    """
    captured = mirror.source.capture is not None
    prisma = mirror.source.kind == "prisma" and not captured
    ignored = PRISMA_ONLY_KINDS | (COMMENT_KINDS if prisma else frozenset())
    if live.provider not in NATIVE_ENUM_PROVIDERS:
        ignored |= ENUM_KINDS
    if prisma:
        # `db push` / migrations do not create views from `view` blocks, and Prisma cannot know
        # their definitions' exact text: compare views by name and columns only
        live = live.model_copy(
            update={"views": tuple(v.model_copy(update={"definition": None}) for v in live.views)}
        )
        mirror = mirror.model_copy(
            update={"views": tuple(v.model_copy(update={"definition": None}) for v in mirror.views)}
        )
    live = name_unnamed_fks(mirror, live)
    return tuple(c for c in diff_schemas(mirror, live) if c.kind not in ignored)


def _fk_shape(fk: ForeignKey) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    return fk.columns, fk.referenced_table, fk.referenced_columns


def name_unnamed_fks(mirror: Schema, live: Schema) -> Schema:
    """Return `live` with each unnamed foreign key named as the mirror's foreign key of the
    same columns and target (columns, referenced table, referenced columns).

    A hand-built SQLite database's foreign keys have no name, while `prisma db pull` names
    them `{table}_{cols}_fkey`: they are the same key. Named keys (PostgreSQL, MariaDB, and
    SQLite keys created with `CONSTRAINT …`) are compared by name, as before.
    """
    mirrored = {
        (t.db_schema, t.name): {_fk_shape(k): k.name for k in t.foreign_keys if k.name}
        for t in mirror.tables
    }

    def table(t: Table) -> Table:
        names = mirrored.get((t.db_schema, t.name), {})
        if not names or all(k.name for k in t.foreign_keys):
            return t
        keys = tuple(
            k
            if k.name or _fk_shape(k) not in names
            else k.model_copy(update={"name": names[_fk_shape(k)]})
            for k in t.foreign_keys
        )
        return t.model_copy(update={"foreign_keys": keys})

    return live.model_copy(update={"tables": tuple(table(t) for t in live.tables)})


# ---- classes ---------------------------------------------------------------------------------

ChangeClass = Literal["drift", "not_mirrored", "ignored"]

#: Change kinds that only a live capture can carry into a mirror (a Prisma schema cannot).
CAPTURE_ONLY_KINDS: frozenset[str] = frozenset(
    {"add_check", "remove_check", "modify_check", "modify_identity", "modify_generated"}
)


@dataclass(frozen=True)
class Classified:
    """A difference and what it means: `drift` (the database moved on: exit 1),
    `not_mirrored` (a fact the mirror's inputs cannot carry) or `ignored` (an ignore rule of
    `db-ssot.json` matched it); `reason` says why for the last two."""

    change: Change
    cls: ChangeClass
    reason: str | None = None


def _tables(schema: Schema) -> dict[str, Table]:
    return {(f"{t.db_schema}.{t.name}" if t.db_schema else t.name): t for t in schema.tables}


def _split(obj: str, tables: dict[str, Table]) -> tuple[Table | None, str]:
    """Split `schema.table.member` into its table (as the schema has it) and the member."""
    head, _, member = obj.rpartition(".")
    return tables.get(head), member


def _captured_index(index: Index | None) -> bool:
    return index is not None and (
        index.predicate is not None or any(c.expression or c.opclass for c in index.columns)
    )


def _not_mirrored(change: Change, mirror: Schema, live: Schema) -> bool:
    """Tell whether `change` is about a fact the mirror's inputs cannot carry (no capture)."""
    if change.kind in CAPTURE_ONLY_KINDS:
        return True
    if change.kind in ("add_index", "remove_index"):
        table, name = _split(change.object, _tables(live))
        index = next((i for i in table.indexes if i.name == name), None) if table else None
        return _captured_index(index)
    if change.kind == "modify_fk":
        table, name = _split(change.object, _tables(live))
        old, _ = _split(change.object, _tables(mirror))
        new_fk = next((k for k in table.foreign_keys if k.name == name), None) if table else None
        old_fk = next((k for k in old.foreign_keys if k.name == name), None) if old else None
        return (
            new_fk is not None
            and old_fk is not None
            and new_fk.deferrable is not None
            and new_fk.model_copy(update={"deferrable": None, "captured": ()})
            == old_fk.model_copy(update={"deferrable": None, "captured": ()})
        )
    if change.kind == "modify_autoincrement" and live.provider == "sqlite":
        # `prisma db pull` spells a rowid alias without AUTOINCREMENT `autoincrement()`
        rowid_table, name = _split(change.object, _tables(live))
        rowid = rowid_table.column(name) if rowid_table else None
        return rowid_table is not None and rowid is not None and rowid_alias(rowid_table, rowid)
    if change.kind in ("modify_nullable", "modify_default"):
        table, name = _split(change.object, _tables(mirror))
        column: Column | None = table.column(name) if table else None
        live_table, _ = _split(change.object, _tables(live))
        live_column = live_table.column(name) if live_table else None
        if change.kind == "modify_default" and live_column and live_column.generated:
            return True  # Prisma spells a generated column's expression as its default
        fact = change.kind.removeprefix("modify_")
        return column is not None and fact in column.guessed
    return False


def _generated_column(change: Change, live: Schema) -> bool:
    table, name = _split(change.object, _tables(live))
    column = table.column(name) if table else None
    return column is not None and column.generated is not None


def classify(
    changes: Sequence[Change],
    mirror: Schema,
    live: Schema,
    rules: Sequence[DriftIgnore] = (),
    *,
    capture_hint: str = "schemasync pull",
) -> tuple[Classified, ...]:
    """Sort each difference into drift, not mirrored or ignored.

    An ignore rule (`drift.ignore` in `db-ssot.json`) matches a change whose object matches
    its glob (`public.audit_*`) and whose kind it lists: that change is ignored, with the
    rule's reason. Otherwise, when the mirror has no capture, a difference in a fact only a
    capture can carry (a check, an identity kind, a generated column, a partial, expression or
    operator-class index, a deferrable foreign key, a list's guessed nullability or default) is
    not mirrored; everything else is drift.
    """
    captured = mirror.source.capture is not None
    live = name_unnamed_fks(mirror, live)
    out = []
    for change in changes:
        rule = next(
            (r for r in rules if change.kind in r.kinds and fnmatchcase(change.object, r.object)),
            None,
        )
        if rule is not None:
            out.append(Classified(change, "ignored", f"{rule.object}: {rule.reason}"))
        elif change.kind == "add_column" and _generated_column(change, live):
            out.append(
                Classified(
                    change,
                    "not_mirrored",
                    "a generated column the Prisma schema leaves out (`prisma db pull` drops "
                    "it); the mirror has no column to lay the captured expression on",
                )
            )
        elif not captured and _not_mirrored(change, mirror, live):
            out.append(
                Classified(
                    change,
                    "not_mirrored",
                    "the mirror's inputs cannot carry it; capture it with "
                    f"`{capture_hint}`, then sync",
                )
            )
        else:
            out.append(Classified(change, "drift"))
    return tuple(out)
