"""Drift between the mirror and a live database: the changes that are database facts.

Pure: takes two `Schema` values, returns `diff.Change`s. The mirror may come from Prisma, which
knows things the database cannot (model and field names, client-side defaults, `///` doc
comments, relations without a foreign key); those differences are not drift. Everything the
database states — tables, columns, types, nullability, defaults, keys, indexes, foreign keys
(both ends with their schemas), enums, views — is compared.
"""

from __future__ import annotations

from schemasync.diff import Change, diff_schemas
from schemasync.model import Schema

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
    ignored = PRISMA_ONLY_KINDS | (COMMENT_KINDS if mirror.source.kind == "prisma" else frozenset())
    if live.provider not in NATIVE_ENUM_PROVIDERS:
        ignored |= ENUM_KINDS
    if mirror.source.kind == "prisma":
        # `db push` / migrations do not create views from `view` blocks, and Prisma cannot know
        # their definitions' exact text: compare views by name and columns only
        live = live.model_copy(
            update={"views": tuple(v.model_copy(update={"definition": None}) for v in live.views)}
        )
        mirror = mirror.model_copy(
            update={"views": tuple(v.model_copy(update={"definition": None}) for v in mirror.views)}
        )
    return tuple(c for c in diff_schemas(mirror, live) if c.kind not in ignored)
