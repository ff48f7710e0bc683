"""Mermaid `erDiagram` text of a mirror (or of part of one): the one Mermaid renderer, used by the
pages of `docs/db/` (`docs.py`) and by `schemasync export --format mermaid` (`commands.export`).

Also the relationship edges of a mirror (`edges`), which the DBML export shares: every foreign
key the database enforces, and every relation Prisma enforces alone (`relationMode = "prisma"`).

Mermaid's grammar is narrow: an entity or attribute name is a word (`[A-Za-z_][A-Za-z0-9_-]*`,
plus `[]()` in attribute types), a label or comment a double-quoted string that cannot hold a
double quote, `%` or a backslash (written as Mermaid's entity codes, `#quot;`). So every entity
gets a word id (its name made safe; deterministic, and unique within a diagram) and shows its
real name as the alias `id["schema.name"]`; odd column names and types become words, their real
spelling kept in the attribute's comment. Pure functions only; `tests/test_diagrams_valid.py`
parses every diagram the tests render with Mermaid's own parser.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from schemasync.model import Column, Schema, Table, View

#: A table or view: (schema, name); schema None where the provider has none.
Key = tuple[str | None, str]


def key_text(key: Key) -> str:
    """How a table is named in the diagrams and pages: `schema.name`, or `name`."""
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def key_of(obj: Table | View) -> Key:
    """The key of a table or view."""
    return (obj.db_schema, obj.name)


@dataclass(frozen=True)
class Edge:
    """A relationship: the child's columns point at the parent's (a foreign key, or a relation
    Prisma enforces alone)."""

    child: Key  # the holding table
    columns: tuple[str, ...]
    parent: Key  # the referenced table
    referenced: tuple[str, ...]
    name: str | None
    on_delete: str | None  # None: Prisma enforces it, the database has no foreign key
    on_update: str | None


def edges(schema: Schema) -> tuple[Edge, ...]:
    """Every foreign key of the mirror, then every relation that only Prisma enforces; sorted by
    (child, name, columns) for deterministic output."""
    found = [
        Edge(
            (t.db_schema, t.name),
            fk.columns,
            (fk.referenced_schema, fk.referenced_table),
            fk.referenced_columns,
            fk.name,
            fk.on_delete,
            fk.on_update,
        )
        for t in schema.tables
        for fk in t.foreign_keys
    ]
    found += [
        Edge(
            (r.db_schema, r.table),
            r.columns,
            (r.referenced_schema, r.referenced_table),
            r.referenced_columns,
            r.name,
            None,
            None,
        )
        for r in schema.relations
        if r.enforced_by == "prisma"
    ]
    return tuple(sorted(found, key=_edge_order))


def _edge_order(e: Edge) -> tuple[str, str, str, tuple[str, ...], str, str]:
    return (e.child[0] or "", e.child[1], e.name or "", e.columns, e.parent[0] or "", e.parent[1])


def _key_order(key: Key) -> tuple[str, str]:
    return (key[0] or "", key[1])


_NOT_WORD = re.compile(r"[^A-Za-z0-9_]")
_NOT_TYPE = re.compile(r"[^A-Za-z0-9_\[\]()-]")


def _word(text: str, pattern: re.Pattern[str] = _NOT_WORD) -> str:
    """`text` as a Mermaid word: other characters become `_`, a leading digit or dash gets `_`."""
    word = pattern.sub("_", text) or "_"
    return word if word[0].isalpha() or word[0] == "_" else "_" + word


#: Characters a Mermaid quoted string cannot hold (`%` starts a comment, `\\` breaks the
#: lexer), as Mermaid's entity codes (`#` first: it starts one).
_CODES = (("#", "#35;"), ('"', "#quot;"), ("%", "#37;"), ("\\", "#92;"))


def _string(text: str, limit: int = 80) -> str:
    """`text` as a Mermaid quoted string's content: one line of at most `limit` characters (cut
    with `...`), what it cannot hold as entity codes."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    for char, code in _CODES:
        flat = flat.replace(char, code)
    return flat


def entity_ids(keys: Iterable[Key]) -> dict[Key, str]:
    """A word id per table key, deterministic and unique: the key made a word, with a short hash
    of the key where two keys would give the same word (`a.b` and `a_b`, `Orders` and `orders`
    are told apart however a renderer folds case)."""
    keys = sorted(set(keys), key=_key_order)
    words: dict[str, list[Key]] = {}
    for key in keys:
        words.setdefault(_word(key_text(key)).lower(), []).append(key)
    ids = {}
    for key in keys:
        word = _word(key_text(key))
        if len(words[word.lower()]) > 1:
            exact = json.dumps(key)  # `[null, "a"]` and `["", "a"]` differ
            word += "_" + hashlib.sha256(exact.encode()).hexdigest()[:8]
        ids[key] = word
    return ids


def _keys_of(table: Table | View) -> dict[str, list[str]]:
    """Column name -> its Mermaid key markers (PK, FK, UK)."""
    marks: dict[str, list[str]] = {}
    if isinstance(table, Table):
        for name in table.primary_key.columns if table.primary_key else ():
            marks.setdefault(name, []).append("PK")
        for fk in table.foreign_keys:
            for name in fk.columns:
                if "FK" not in marks.get(name, []):
                    marks.setdefault(name, []).append("FK")
        for index in table.indexes:
            if index.unique and len(index.columns) == 1 and not index.columns[0].expression:
                name = index.columns[0].name
                if "UK" not in marks.get(name, []):
                    marks.setdefault(name, []).append("UK")
    return marks


def _attribute(col: Column, marks: Sequence[str]) -> str:
    name = _word(col.name)
    type_text = col.db_type + ("" if col.db_type.endswith("[]") or not col.list else "[]")
    kind = _word(type_text.replace(" ", "_"), _NOT_TYPE)
    said = [] if name == col.name else [col.name]
    if kind != type_text:
        said.append(type_text)
    if col.comment:
        said.append(col.comment)
    line = f"{kind} {name}"
    if marks:
        line += " " + ", ".join(marks)
    if said:
        line += f' "{_string(" - ".join(said))}"'
    return line


def _cardinality(edge: Edge, child: Table | View | None) -> str:
    """`parent ||--o{ child`: the parent end is one (`||`), or zero or one when a child column
    is nullable (`|o`); the child end is many (`o{`), or at most one when the columns are the
    child's primary key or a unique index (`o|`); `--` when the foreign key is part of the
    child's primary key (identifying), `..` otherwise."""
    nullable = unique = identifying = False
    if isinstance(child, Table):
        columns = {c.name: c for c in child.columns}
        nullable = any(columns[c].nullable for c in edge.columns if c in columns)
        pk = set(child.primary_key.columns) if child.primary_key else set()
        identifying = bool(pk) and set(edge.columns) <= pk
        uniques = [{c.name for c in i.columns} for i in child.indexes if i.unique]
        unique = set(edge.columns) in [*uniques, pk]
    parent = "|o" if nullable else "||"
    many = "o|" if unique else "o{"
    return f"{parent}{'--' if identifying else '..'}{many}"


def render_mermaid(
    schema: Schema,
    keys: Iterable[Key] | None = None,
    *,
    columns: str = "all",
    detailed: Iterable[Key] = (),
    links: Sequence[Edge] | None = None,
    objects: Mapping[Key, Table | View] | None = None,
) -> str:
    """Return a Mermaid `erDiagram` of `schema`'s tables and views (of those whose key is in
    `keys`, and the edges among them and to them; None: all of them).

    Args:
        schema: the mirror.
        keys: the tables and views to draw; tables an edge of theirs leads to are
            drawn too, without attributes.
        columns: which attributes each drawn entity lists: "all", "keys" (primary, foreign and
            unique key columns) or "none".
        detailed: keys whose entities list all their columns whatever `columns` says.
        links: the edges to consider, when the caller has them (`edges(schema)` otherwise).
        objects: the tables and views by key, when the caller has them.
    """
    if objects is None:
        every: list[Table | View] = [*schema.tables, *schema.views]
        objects = {key_of(o): o for o in every}
    wanted = set(objects) if keys is None else set(keys)
    links = edges(schema) if links is None else links
    shown = [e for e in links if e.child in wanted or e.parent in wanted]
    drawn = sorted(wanted | {e.child for e in shown} | {e.parent for e in shown}, key=_key_order)
    ids = entity_ids(drawn)
    full = set(detailed)
    lines = ["erDiagram"]
    for key in drawn:
        obj = objects.get(key)
        label = key_text(key) + (" (view)" if isinstance(obj, View) else "")
        head = f'    {ids[key]}["{_string(label, 200)}"]'
        attrs: list[str] = []
        if obj is not None and key in wanted:
            marks = _keys_of(obj)
            mode = "all" if key in full else columns
            attrs = [
                _attribute(c, marks.get(c.name, ()))
                for c in obj.columns
                if mode == "all" or (mode == "keys" and c.name in marks)
            ]
        if attrs:
            lines.append(head + " {")
            lines += [f"        {a}" for a in attrs]
            lines.append("    }")
        else:
            lines.append(head)
    for edge in shown:
        label = _string(", ".join(edge.columns) + (" (prisma)" if edge.on_delete is None else ""))
        line = _cardinality(edge, objects.get(edge.child))
        lines.append(f'    {ids[edge.parent]} {line} {ids[edge.child]} : "{label}"')
    return "\n".join(lines) + "\n"
