"""The live capture `db/schema/database-facts.json` (format `schemasync/database-facts@1`): what
only the database knows, and how it is laid onto the mirror a Prisma schema gives.

A Prisma schema cannot carry comments, check constraints, partial and expression indexes,
operator classes, identity kinds, generated columns, deferrable constraints, a list's
nullability and default as the database has them, or view definitions. `schemasync pull` reads
them from the live database (rich introspection, read-only) into a committed, deterministic
capture (`facts_of`); Phase B derives the mirror from the Prisma schema *and* the capture
(`derive_mirror`), marking every fact the capture set (`captured`). Without a capture the
mirror is what the Prisma schema gives, with the facts it can only guess marked (`guessed`).

Pure: values in, values out. The file is read by `state.py` and written by `runner.py`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Final, Literal

from pydantic import Field

from schemasync.errors import ArtifactError
from schemasync.frozen import FrozenModel
from schemasync.model import (
    CaptureSource,
    Check,
    Column,
    Default,
    ForeignKey,
    Identity,
    Index,
    Note,
    OptText,
    Provider,
    Schema,
    Table,
    View,
)

FACTS_FORMAT: Final = "schemasync/database-facts@1"
FACTS_PATH: Final = "db/schema/database-facts.json"


class ColumnFacts(FrozenModel):
    """A column's facts a Prisma schema cannot carry (only columns that have one are listed)."""

    # False on a SQLite rowid alias written without AUTOINCREMENT, which `prisma db pull`
    # spells `@default(autoincrement())` all the same
    autoincrement: bool | None = Field(default=None, exclude_if=lambda v: v is None)
    comment: OptText = None
    default: Default | None = None  # a list's default as the database spells it
    generated: OptText = None  # GENERATED ALWAYS AS (…): the expression
    identity: Identity | None = None
    list: bool = False  # a list: `nullable` and `default` are the database's
    name: str
    nullable: bool | None = None


class ForeignKeyFacts(FrozenModel):
    """A deferrable foreign key."""

    deferrable: str
    name: str


class TableFacts(FrozenModel):
    """One table's captured facts; every table of the captured schemas is listed (a table
    listed without a comment has none)."""

    checks: tuple[Check, ...] = ()
    columns: tuple[ColumnFacts, ...] = ()
    comment: OptText = None
    foreign_keys: tuple[ForeignKeyFacts, ...] = ()
    indexes: tuple[Index, ...] = ()  # partial, expression and operator-class indexes, whole
    name: str
    db_schema: str | None = Field(default=None, alias="schema")


class ViewFacts(FrozenModel):
    """One view's definition and comment as the database has them."""

    comment: OptText = None
    definition: OptText = None
    name: str
    db_schema: str | None = Field(default=None, alias="schema")


class DatabaseFacts(FrozenModel):
    """The whole capture: no timestamp, host or secret; the same database gives the same bytes.

    `prisma_sha256` is the Prisma schema's sha256 when the capture was taken: a schema pulled
    since makes the capture older than the schema (a warning). `environment` is the environment
    it was taken from.
    """

    environment: str
    format: Literal["schemasync/database-facts@1"] = FACTS_FORMAT
    prisma_sha256: str | None = None
    provider: Provider
    schemas: tuple[str, ...] = ()
    tables: tuple[TableFacts, ...] = ()
    views: tuple[ViewFacts, ...] = ()


# ---- capture: rich live mirror -> facts ------------------------------------------------------


def _is_captured_index(index: Index) -> bool:
    """An index the Prisma schema cannot carry: partial, with an expression or an opclass."""
    return index.predicate is not None or any(c.expression or c.opclass for c in index.columns)


def rowid_alias(table: Table, column: Column) -> bool:
    """Tell whether `column` is a SQLite rowid alias (the table's one-column INTEGER PRIMARY
    KEY): it is assigned like an autoincrement, with or without AUTOINCREMENT."""
    key = table.primary_key
    return (
        key is not None
        and key.columns == (column.name,)
        and (column.db_type or "").lower() == "integer"
    )


def _column_facts(column: Column, rowid: bool = False) -> ColumnFacts | None:
    plain_rowid = rowid and not column.autoincrement
    if not (column.comment or column.generated or column.identity or column.list or plain_rowid):
        return None
    return ColumnFacts(
        name=column.name,
        autoincrement=False if plain_rowid else None,
        comment=column.comment,
        generated=column.generated,
        identity=column.identity,
        list=column.list,
        nullable=column.nullable if column.list else None,
        default=column.default if column.list else None,
    )


def facts_of(
    live: Schema, *, environment: str, prisma_sha256: str | None, schemas: tuple[str, ...] = ()
) -> DatabaseFacts:
    """Return the capture of a live database read with rich introspection."""
    tables = []
    for table in live.tables:
        sqlite = live.provider == "sqlite"
        columns = tuple(
            f
            for c in table.columns
            if (f := _column_facts(c, sqlite and rowid_alias(table, c))) is not None
        )
        tables.append(
            TableFacts(
                db_schema=table.db_schema,
                name=table.name,
                comment=table.comment,
                checks=table.checks,
                columns=columns,
                indexes=tuple(
                    i.model_copy(update={"captured": ()})
                    for i in table.indexes
                    if _is_captured_index(i)
                ),
                foreign_keys=tuple(
                    ForeignKeyFacts(name=fk.name or ",".join(fk.columns), deferrable=fk.deferrable)
                    for fk in table.foreign_keys
                    if fk.deferrable
                ),
            )
        )
    views = tuple(
        ViewFacts(db_schema=v.db_schema, name=v.name, comment=v.comment, definition=v.definition)
        for v in live.views
    )
    return DatabaseFacts(
        environment=environment,
        prisma_sha256=prisma_sha256,
        provider=live.provider,
        schemas=tuple(sorted(schemas)),
        tables=tuple(tables),
        views=views,
    )


def dump_facts(facts: DatabaseFacts) -> str:
    """Return the canonical text of a capture (2-space indent, sorted keys, newline).

    The capture's models, like the mirror's, declare their fields in the sorted order of their
    JSON names, so pydantic's serializer writes sorted keys (as `dump_mirror`): the same text as
    `canonical_json(facts)` (tests/test_capture_golden.py checks it) without the pure-Python
    indenting encoder, ~0.1 s of a 1,000-table `pull`.
    """
    return facts.model_dump_json(indent=2, by_alias=True) + "\n"


def load_facts(
    text: str, path: str = FACTS_PATH, *, rebuild: str = "schemasync pull"
) -> DatabaseFacts:
    """Parse a capture.

    Raises:
        ArtifactError: not JSON, not of format `schemasync/database-facts@1`, or invalid.
    """
    from schemasync.jsontext import parse_json, validated

    data = parse_json(text, path, ArtifactError, f"the capture is generated: run `{rebuild}` again")
    if not isinstance(data, dict) or data.get("format") != FACTS_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ArtifactError(
            f"{path}: unknown format {found!r}, expected {FACTS_FORMAT!r}; run `{rebuild}` again"
        )
    return validated(DatabaseFacts, data, path, "capture", ArtifactError, f"run `{rebuild}` again")


# ---- merge: Prisma mirror + facts -> mirror --------------------------------------------------

#: The column facts a Prisma schema cannot know and the import guesses: a list's nullability
#: (Prisma makes `String[]` a nullable array) and its default's database spelling (`ARRAY[]`
#: for `'{}'::text[]`).
GUESSED_LIST_FACTS: tuple[str, ...] = ("default", "nullable")


def mark_guesses(schema: Schema) -> Schema:
    """Return `schema` with the list columns' guessed facts marked (there is no capture)."""

    def mark(column: Column) -> Column:
        if not column.list or column.guessed:
            return column
        guessed = tuple(f for f in GUESSED_LIST_FACTS if f == "nullable" or column.default)
        return column.model_copy(update={"guessed": guessed})

    def table(t: Table) -> Table:
        if not any(c.list for c in t.columns):
            return t
        return t.model_copy(update={"columns": tuple(mark(c) for c in t.columns)})

    if schema.provider in ("mongodb",):
        return schema
    return schema.model_copy(update={"tables": tuple(table(t) for t in schema.tables)})


def _lookup(
    items: dict[tuple[str | None, str], TableFacts] | dict[tuple[str | None, str], ViewFacts],
    by_name: Counter[str],
    schema: str | None,
    name: str,
) -> TableFacts | ViewFacts | None:
    found = items.get((schema, name))
    if found is None and schema is None and by_name[name] == 1:
        # a Prisma schema without `schemas` names no schema: the one table so named
        found = next(v for (_, n), v in items.items() if n == name)
    return found


def _lay_column(column: Column, fact: ColumnFacts | None) -> Column:
    captured = []
    update: dict[str, object] = {"comment": None, "guessed": ()}
    if fact is None:
        return column.model_copy(update=update)
    update["comment"] = fact.comment
    if fact.comment is not None:
        captured.append("comment")
    if fact.autoincrement is not None:
        update["autoincrement"] = fact.autoincrement
        captured.append("autoincrement")
    if fact.identity is not None:
        update["identity"] = fact.identity
        captured.append("identity")
    if fact.generated is not None:
        update["generated"] = fact.generated
        update["default"] = None
        captured.append("generated")
    if fact.list and column.list:
        update["nullable"] = bool(fact.nullable)
        update["default"] = fact.default
        captured += ["default", "nullable"]
    update["captured"] = tuple(sorted(captured))
    return column.model_copy(update=update)


def _lay_table(table: Table, fact: TableFacts) -> Table:
    columns = {c.name: c for c in fact.columns}
    indexes = {i.name: i for i in table.indexes}
    for index in fact.indexes:
        indexes[index.name] = index.model_copy(update={"captured": ("index",)})
    deferrable = {f.name: f.deferrable for f in fact.foreign_keys}

    def fk(key: ForeignKey) -> ForeignKey:
        # an unnamed key (hand-built SQLite) is captured by its columns; Prisma names it
        found = deferrable.get(key.name or ",".join(key.columns)) or deferrable.get(
            ",".join(key.columns)
        )
        if found is None:
            return key
        return key.model_copy(update={"deferrable": found, "captured": ("deferrable",)})

    captured = [
        name for name, value in (("checks", fact.checks), ("comment", fact.comment)) if value
    ]
    return table.model_copy(
        update={
            "comment": fact.comment,
            "checks": fact.checks,
            "columns": tuple(_lay_column(c, columns.get(c.name)) for c in table.columns),
            "indexes": tuple(sorted(indexes.values(), key=lambda i: i.name)),
            "foreign_keys": tuple(fk(k) for k in table.foreign_keys),
            "captured": tuple(captured),
        }
    )


def _lay_view(view: View, fact: ViewFacts) -> View:
    captured = [n for n, v in (("comment", fact.comment), ("definition", fact.definition)) if v]
    return view.model_copy(
        update={
            "comment": fact.comment,
            "definition": fact.definition,
            "columns": tuple(c.model_copy(update={"guessed": ()}) for c in view.columns),
            "captured": tuple(captured),
        }
    )


def _answered(note: Note, tables: tuple[Table, ...]) -> bool:
    """Tell whether the capture answers a note of the import: an operator class that a
    captured index of the mirror (`tables`, the capture laid on) records on that column.
    Notes on an index the capture does not record stay."""
    if not note.message.startswith("operator class `"):
        return False
    opclass = note.message.split("`", 2)[1]
    owner, _, column = note.object.rpartition(".")
    return any(
        owner in (t.name, f"{t.db_schema}.{t.name}") and c.name == column and c.opclass == opclass
        for t in tables
        for i in t.indexes
        if "index" in i.captured
        for c in i.columns
    )


def lay_facts(schema: Schema, facts: DatabaseFacts, sha256: str) -> Schema:
    """Return the mirror of `schema` (imported from Prisma) with the capture's facts laid on.

    Names stay the Prisma schema's; comments, checks, captured indexes, identity, generated
    columns, deferrable foreign keys, list nullability and defaults and view definitions become
    the database's, each marked in `captured`. Tables the capture does not list are left as
    they are.
    """
    tables = {(t.db_schema, t.name): t for t in facts.tables}
    views = {(v.db_schema, v.name): v for v in facts.views}
    table_names = Counter(n for _, n in tables)
    view_names = Counter(n for _, n in views)
    new_tables = []
    for table in schema.tables:
        found = _lookup(tables, table_names, table.db_schema, table.name)
        new_tables.append(_lay_table(table, found) if isinstance(found, TableFacts) else table)
    new_views = []
    for view in schema.views:
        found_v = _lookup(views, view_names, view.db_schema, view.name)
        new_views.append(_lay_view(view, found_v) if isinstance(found_v, ViewFacts) else view)
    source = schema.source.model_copy(
        update={"capture": CaptureSource(path=FACTS_PATH, sha256=sha256)}
    )
    return schema.model_copy(
        update={
            "tables": tuple(new_tables),
            "views": tuple(new_views),
            "notes": tuple(n for n in schema.notes if not _answered(n, tuple(new_tables))),
            "source": source,
        }
    )


def derive_mirror(schema: Schema, facts: DatabaseFacts | None, sha256: str | None) -> Schema:
    """The mirror of a Prisma import and the capture (None: there is none)."""
    if facts is None or sha256 is None:
        return mark_guesses(schema)
    return lay_facts(schema, facts, sha256)


def facts_sha256(text: str) -> str:
    """The sha256 of a capture's text, as the mirror and the evidence record it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summarize_added(schema: Schema) -> dict[str, int]:
    """Count what a capture laid onto a mirror, by fact (for evidence 02)."""
    counts: Counter[str] = Counter()
    for table in schema.tables:
        counts["table comments"] += "comment" in table.captured
        counts["check constraints"] += len(table.checks)
        counts["captured indexes"] += sum("index" in i.captured for i in table.indexes)
        counts["deferrable foreign keys"] += sum(bool(k.deferrable) for k in table.foreign_keys)
        for column in table.columns:
            counts["column comments"] += "comment" in column.captured
            counts["identity columns"] += "identity" in column.captured
            counts["generated columns"] += "generated" in column.captured
            counts["list nullability and defaults"] += "nullable" in column.captured
    for view in schema.views:
        counts["view definitions"] += "definition" in view.captured
    return {k: v for k, v in counts.items() if v}
