"""What changed between two mirrors, as data, in alembic's vocabulary; and its rendering.

`diff_schemas(old, new)` compares two `Schema`s and returns a sorted tuple of `Change`s
(`add_table`, `remove_column`, `modify_type`, ...), like alembic's `compare/` producing op objects.
Turning changes into text (`render_changes_markdown`, `render_changes_text`) is separate, like
alembic's `render.py`. Pure functions only: no files, no printing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from schemasync.model import (
    Column,
    Default,
    Enum,
    ForeignKey,
    Index,
    Relation,
    Schema,
    Table,
    View,
)

# Every kind this module can produce, in the order a reader wants to see them.
KINDS: tuple[str, ...] = (
    "modify_provider",
    "add_table",
    "remove_table",
    "modify_table_comment",
    "add_column",
    "remove_column",
    "modify_type",
    "modify_nullable",
    "modify_default",
    "modify_client_default",
    "modify_autoincrement",
    "modify_identity",
    "modify_generated",
    "modify_column_comment",
    "modify_prisma_name",
    "add_pk",
    "remove_pk",
    "modify_pk",
    "add_check",
    "remove_check",
    "modify_check",
    "add_index",
    "remove_index",
    "add_fk",
    "remove_fk",
    "modify_fk",
    "add_relation",
    "remove_relation",
    "add_view",
    "remove_view",
    "modify_view",
    "add_enum",
    "remove_enum",
    "modify_enum",
)


@dataclass(frozen=True, order=True)
class Change:
    """One difference: `kind` (alembic's word), the object (`table`, `table.column`, index, FK
    or relation name as `table.name`), and the old and new value as short text (None when
    absent)."""

    kind: str
    object: str
    old: str | None = None
    new: str | None = None
    #: what a reader may want to know (`possible rename of addresses.street`), or None
    hint: str | None = None

    def as_json(self) -> dict[str, str | None]:
        """Return the change as a JSON-ready dict."""
        return asdict(self)


def _qualified(obj: Table | View | Enum) -> str:
    return _key_text(obj.db_schema, obj.name)


def _key_text(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _default_text(default: Default | None) -> str | None:
    if default is None:
        return None
    if default.kind == "literal":
        return repr(default.value)
    if default.kind == "function":
        return f"{default.name}()"
    return default.sql


def _type_text(column: Column) -> str:
    return f"{column.type}{'[]' if column.list else ''} ({column.db_type})"


def _index_text(index: Index) -> str:
    cols = ", ".join(
        c.name
        + (f" {c.opclass}" if c.opclass else "")
        + (f" {c.sort}" if c.sort else "")
        + (f"({c.length})" if c.length else "")
        for c in index.columns
    )
    kind = "unique" if index.unique else "index"
    return (
        f"{kind} ({cols})"
        + (f" using {index.type}" if index.type else "")
        + (f" where {index.predicate}" if index.predicate else "")
    )


def _fk_text(fk: ForeignKey) -> str:
    target = (
        f"{fk.referenced_schema}.{fk.referenced_table}"
        if fk.referenced_schema
        else (fk.referenced_table)
    )
    return (
        f"({', '.join(fk.columns)}) -> {target}({', '.join(fk.referenced_columns)}) "
        f"on delete {fk.on_delete} on update {fk.on_update}"
        + (f" {fk.deferrable.lower()}" if fk.deferrable else "")
    )


def _compare_columns(table: str, old: Column, new: Column) -> Iterator[Change]:
    obj = f"{table}.{new.name}"
    pairs: tuple[tuple[str, str | None, str | None], ...] = (
        ("modify_type", _type_text(old), _type_text(new)),
        ("modify_nullable", str(old.nullable).lower(), str(new.nullable).lower()),
        ("modify_default", _default_text(old.default), _default_text(new.default)),
        ("modify_client_default", old.client_default, new.client_default),
        ("modify_autoincrement", str(old.autoincrement).lower(), str(new.autoincrement).lower()),
        ("modify_identity", old.identity, new.identity),
        ("modify_generated", old.generated, new.generated),
        ("modify_column_comment", old.comment, new.comment),
        ("modify_prisma_name", old.prisma_name, new.prisma_name),
    )
    for kind, before, after in pairs:
        if before != after:
            yield Change(kind, obj, before, after)


def _compare_named(
    table: str, what: str, old: dict[str, str], new: dict[str, str]
) -> Iterator[Change]:
    """Compare a table's indexes or foreign keys by name (their text as values). alembic has no
    modify_index: a changed index is removed and added again (`remove_index`, `add_index`); a
    foreign key of the same name that changed (its referential actions, say) is `modify_fk`."""
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if what in ("fk", "check") and before is not None and after is not None:
            yield Change(f"modify_{what}", f"{table}.{name}", before, after)
            continue
        if before is not None:
            yield Change(f"remove_{what}", f"{table}.{name}", before, None)
        if after is not None:
            yield Change(f"add_{what}", f"{table}.{name}", None, after)


def _possible_renames(removed: list[Column], added: list[Column]) -> dict[str, str]:
    """Pair each added column with a removed one of the same type (`Column.type`, list-ness and
    `dbType`), the most similar name first: `{added name: removed name}`. A database cannot tell
    a rename from a drop and an add; this is only a hint, as alembic's autogenerate cannot tell
    either."""
    free = list(removed)
    pairs: dict[str, str] = {}
    for col in added:
        same = [c for c in free if _type_text(c) == _type_text(col)]
        match = max(
            same,
            key=lambda c: difflib.SequenceMatcher(None, c.name, col.name).ratio(),
            default=None,
        )
        if match is not None:
            free.remove(match)
            pairs[col.name] = match.name
    return pairs


def _compare_tables(old: Table, new: Table) -> Iterator[Change]:
    name = _qualified(new)
    if old.comment != new.comment:
        yield Change("modify_table_comment", name, old.comment, new.comment)
    if old.prisma_name != new.prisma_name:
        yield Change("modify_prisma_name", name, old.prisma_name, new.prisma_name)
    old_cols = {c.name: c for c in old.columns}
    new_cols = {c.name: c for c in new.columns}
    added = [c for c in new.columns if c.name not in old_cols]
    removed = [c for c in old.columns if c.name not in new_cols]
    renamed = _possible_renames(removed, added)
    for col in new.columns:
        if col.name not in old_cols:
            was = renamed.get(col.name)
            hint = f"possible rename of {name}.{was}" if was else None
            yield Change("add_column", f"{name}.{col.name}", None, _type_text(col), hint)
        else:
            yield from _compare_columns(name, old_cols[col.name], col)
    became = {was: now for now, was in renamed.items()}
    for col in removed:
        now = became.get(col.name)
        hint = f"possible rename to {name}.{now}" if now else None
        yield Change("remove_column", f"{name}.{col.name}", _type_text(col), None, hint)
    old_pk = (
        f"{old.primary_key.name or '(unnamed)'} ({', '.join(old.primary_key.columns)})"
        if old.primary_key
        else None
    )
    new_pk = (
        f"{new.primary_key.name or '(unnamed)'} ({', '.join(new.primary_key.columns)})"
        if new.primary_key
        else None
    )
    if old_pk != new_pk:
        kind = "add_pk" if old_pk is None else "remove_pk" if new_pk is None else "modify_pk"
        yield Change(kind, name, old_pk, new_pk)
    yield from _compare_named(
        name,
        "check",
        {c.name: c.expression for c in old.checks},
        {c.name: c.expression for c in new.checks},
    )
    yield from _compare_named(
        name,
        "index",
        {i.name: _index_text(i) for i in old.indexes},
        {i.name: _index_text(i) for i in new.indexes},
    )
    yield from _compare_named(
        name,
        "fk",
        {fk.name or ",".join(fk.columns): _fk_text(fk) for fk in old.foreign_keys},
        {fk.name or ",".join(fk.columns): _fk_text(fk) for fk in new.foreign_keys},
    )


def _relation_text(rel: Relation) -> str:
    target = _key_text(rel.referenced_schema, rel.referenced_table)
    return f"({', '.join(rel.columns)}) -> {target}({', '.join(rel.referenced_columns)})"


def _prisma_relations(schema: Schema) -> dict[str, set[tuple[str, str]]]:
    """Relations enforced by Prisma only, per owning table (qualified), as (name, text)."""
    out: dict[str, set[tuple[str, str]]] = {}
    for rel in schema.relations:
        if rel.enforced_by == "prisma":
            owner = out.setdefault(_key_text(rel.db_schema, rel.table), set())
            owner.add((rel.name, _relation_text(rel)))
    return out


def _compare_relations(old: Schema, new: Schema, tables: set[str]) -> Iterator[Change]:
    """Compare the Prisma-only relations of the tables in both mirrors.

    A relation the database enforces is its foreign key, which `add_fk` / `remove_fk` already
    report (referenced schema included); one that Prisma enforces (`relationMode = "prisma"`)
    has no FK, so its ends are compared here, schemas included: a relation whose referenced
    table moved from `a.team` to `b.team` is removed and added again, like a changed FK. The
    relations of an added or removed table go with it, as its FKs do.
    """
    old_rel, new_rel = _prisma_relations(old), _prisma_relations(new)
    for table in sorted(tables):
        before, after = old_rel.get(table, set()), new_rel.get(table, set())
        for name, text in sorted(before - after):
            yield Change("remove_relation", f"{table}.{name}", text, None)
        for name, text in sorted(after - before):
            yield Change("add_relation", f"{table}.{name}", None, text)


def _compare_views(old: View, new: View) -> Iterator[Change]:
    name = _qualified(new)
    old_cols = tuple((c.name, _type_text(c), c.nullable) for c in old.columns)
    new_cols = tuple((c.name, _type_text(c), c.nullable) for c in new.columns)
    if old_cols != new_cols:
        yield Change(
            "modify_view",
            name,
            ", ".join(c[0] for c in old_cols),
            ", ".join(c[0] for c in new_cols),
        )
    if old.definition != new.definition:
        yield Change("modify_view", f"{name} (definition)", "previous SQL", "new SQL")


def _enum_text(enum: Enum) -> str:
    return ", ".join(v.name for v in enum.values)


def diff_schemas(old: Schema | None, new: Schema) -> tuple[Change, ...]:
    """Return what changed from `old` (None: no previous mirror) to `new`, sorted by kind order
    and object name."""
    changes: list[Change] = []
    empty_tables: tuple[Table, ...] = ()
    old_tables = {_qualified(t): t for t in (old.tables if old else empty_tables)}
    new_tables = {_qualified(t): t for t in new.tables}
    if old is not None and old.provider != new.provider:
        changes.append(Change("modify_provider", "database", old.provider, new.provider))
    for name, table in new_tables.items():
        if name not in old_tables:
            changes.append(Change("add_table", name, None, f"{len(table.columns)} columns"))
        else:
            changes.extend(_compare_tables(old_tables[name], table))
    for name, table in old_tables.items():
        if name not in new_tables:
            changes.append(Change("remove_table", name, f"{len(table.columns)} columns", None))
    if old is not None:
        changes.extend(_compare_relations(old, new, old_tables.keys() & new_tables.keys()))
    old_views = {_qualified(v): v for v in (old.views if old else ())}
    new_views = {_qualified(v): v for v in new.views}
    for name, view in new_views.items():
        if name not in old_views:
            changes.append(Change("add_view", name, None, f"{len(view.columns)} columns"))
        else:
            changes.extend(_compare_views(old_views[name], view))
    for name, view in old_views.items():
        if name not in new_views:
            changes.append(Change("remove_view", name, f"{len(view.columns)} columns", None))
    old_enums = {_qualified(e): e for e in (old.enums if old else ())}
    new_enums = {_qualified(e): e for e in new.enums}
    for name, enum in new_enums.items():
        if name not in old_enums:
            changes.append(Change("add_enum", name, None, _enum_text(enum)))
        elif _enum_text(old_enums[name]) != _enum_text(enum):
            changes.append(
                Change("modify_enum", name, _enum_text(old_enums[name]), _enum_text(enum))
            )
    for name, enum in old_enums.items():
        if name not in new_enums:
            changes.append(Change("remove_enum", name, _enum_text(enum), None))
    order = {kind: i for i, kind in enumerate(KINDS)}
    return tuple(sorted(changes, key=lambda c: (order[c.kind], c.object, c.old or "", c.new or "")))


# ---- rendering (text only, no decisions) ------------------------------------------------


def _cell(value: str | None) -> str:
    if value is None:
        return ""
    return "`" + value.replace("|", "\\|").replace("`", "'").replace("\n", " ") + "`"


def render_changes_markdown(changes: tuple[Change, ...]) -> str:
    """Render changes as a GFM table (or a sentence when there are none)."""
    if not changes:
        return "No changes: the mirror is identical to the previous one.\n"
    lines = ["| change | object | before | after |", "|---|---|---|---|"]
    lines += [
        f"| `{c.kind}` | {_cell(c.object)}{f' ({c.hint})' if c.hint else ''} | {_cell(c.old)} "
        f"| {_cell(c.new)} |"
        for c in changes
    ]
    return "\n".join(lines) + "\n"


def render_changes_text(changes: tuple[Change, ...]) -> str:
    """Render changes as plain lines for a terminal."""
    if not changes:
        return "no changes since the previous mirror\n"
    out = []
    for c in changes:
        detail = (
            f"{c.old} -> {c.new}"
            if c.old is not None and c.new is not None
            else (c.new if c.new is not None else c.old or "")
        )
        hint = f"  ({c.hint})" if c.hint else ""
        out.append(f"  {c.kind:<22} {c.object}  {detail}".rstrip() + hint)
    return "\n".join(out) + "\n"


def summarize_changes(changes: tuple[Change, ...]) -> str:
    """Return `3 changes (add_table 2, add_index 1)` or `no changes`."""
    if not changes:
        return "no changes"
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    parts = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''} ({parts})"
