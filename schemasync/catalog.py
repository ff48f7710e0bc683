"""Questions about a mirror, answered as bounded JSON-ready data (what `schemasync mcp` serves).

A `Catalog` indexes one mirror `Schema` once (tables and views by name, foreign keys and relations
by both ends, an undirected join graph); the functions here answer one question each and return
plain dicts: `list_tables`, `describe_table`, `search`, `join_path`, `enum_values`, and
`evidence_section` for the evidence files. Every answer is bounded (`MAX_ANSWER_CHARS` of compact
JSON) and carries a `nextCursor` when there is more: the same call with `cursor` continues.
Objects are shown through their pydantic model (`model_dump`, the mirror's own camelCase keys), so
a field the mirror gains appears in every answer without a change here.

Pure: no files, no environment, no SDK; a question it cannot answer raises `QueryError` with a
one-line message (an unknown table gets a did-you-mean).
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from schemasync.errors import ConfigError
from schemasync.model import Enum, Schema, Table, View

#: The most characters of compact JSON one answer holds (about 5,000 tokens).
MAX_ANSWER_CHARS = 20_000
#: A string longer than this inside an answer (a view's SQL) is cut, and says so.
MAX_STRING_CHARS = MAX_ANSWER_CHARS // 4
#: `list_tables` and `search`: the most items per page unless `limit` says fewer.
DEFAULT_LIMIT = 100
#: `join_path`: the longest path looked for.
MAX_HOPS = 8


class QueryError(ConfigError):
    """A question the catalog cannot answer (a bad argument: a usage error); the message is one
    line and says what to do."""


def qualified(obj: Table | View | Enum) -> str:
    """Return `schema.name`, or the bare name where the provider has no schemas."""
    return f"{obj.db_schema}.{obj.name}" if obj.db_schema else obj.name


def compact(data: Any) -> str:
    """Return `data` as compact, deterministic JSON (the size every bound counts)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _cut(value: Any) -> Any:
    """Return `value` with every string over MAX_STRING_CHARS cut, saying how long it was."""
    if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        return f"{value[:MAX_STRING_CHARS]}… (cut: {len(value)} characters)"
    if isinstance(value, dict):
        return {k: _cut(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut(v) for v in value]
    return value


def _dump(model: BaseModel) -> dict[str, Any]:
    """Return a model as the mirror writes it (camelCase keys), without its null fields (an
    agent pays for every token), long strings cut."""
    data: dict[str, Any] = _cut(model.model_dump(mode="json", by_alias=True, exclude_none=True))
    return data


def _offset(cursor: str | None) -> int:
    if cursor is None or cursor == "":
        return 0
    if not cursor.isdigit():
        raise QueryError(f"cursor {cursor!r}: not one this server gave; pass a nextCursor back")
    return int(cursor)


def page(
    head: dict[str, Any],
    items: Sequence[tuple[str, Any]],
    cursor: str | None,
    *,
    limit: int | None = None,
    budget: int = MAX_ANSWER_CHARS,
) -> dict[str, Any]:
    """Return `head` plus the items from `cursor` on, each under its section key, as many as fit
    in `budget` characters of compact JSON (at least one) and `limit`; `nextCursor` when more
    remain, and `total` (items in all pages).

    Raises:
        QueryError: a cursor that is not an offset into `items`.
    """
    start = _offset(cursor)
    if start > len(items):
        raise QueryError(f"cursor {cursor!r}: past the end ({len(items)} items)")
    answer: dict[str, Any] = {**head, "total": len(items)}
    size = len(compact(answer)) + 40  # room for nextCursor
    stop = start
    for section, item in items[start:]:
        cost = len(compact(item)) + len(section) + 4
        if stop > start and (size + cost > budget or (limit is not None and stop - start >= limit)):
            break
        answer.setdefault(section, []).append(item)
        size += cost
        stop += 1
    if stop < len(items):
        answer["nextCursor"] = str(stop)
    return answer


@dataclass(frozen=True)
class Edge:
    """One hop of the join graph: `table.columns = other.referenced_columns` (as the foreign key
    or relation says), and its actions when the database enforces it."""

    table: str
    columns: tuple[str, ...]
    other: str
    referenced_columns: tuple[str, ...]
    name: str | None
    enforced_by: str
    on_delete: str | None = None
    on_update: str | None = None

    def step(self, forward: bool) -> dict[str, Any]:
        """Return the hop as walked: from `table` (forward) or from `other` (backward)."""
        a, ac, b, bc = (self.table, self.columns, self.other, self.referenced_columns)
        if not forward:
            a, ac, b, bc = b, bc, a, ac
        on = " AND ".join(f"{a}.{x} = {b}.{y}" for x, y in zip(ac, bc, strict=False))
        step: dict[str, Any] = {
            "from": a,
            "to": b,
            "join": on,
            "via": self.name,
            "direction": "foreign key" if forward else "referenced by",
            "enforcedBy": self.enforced_by,
        }
        if self.on_delete is not None:
            step["onDelete"], step["onUpdate"] = self.on_delete, self.on_update
        return step


@dataclass(frozen=True)
class Catalog:
    """One mirror, indexed for questions; built once per mirror text by `build_catalog`."""

    schema: Schema
    objects: dict[str, Table | View] = field(default_factory=dict)  # qualified -> object
    bare: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name (any case) -> qualified
    edges: dict[str, tuple[tuple[Edge, bool], ...]] = field(default_factory=dict)
    enums: dict[str, Enum] = field(default_factory=dict)

    def resolve(self, name: str, what: str = "table") -> Table | View:
        """Return the table or view `name` names: `schema.table`, the bare table name when one
        schema has it, or the Prisma model name (exact first, then ignoring case).

        Raises:
            QueryError: no such object (with a did-you-mean), or a bare name in several schemas.
        """
        key = name.strip()
        if key in self.objects:
            return self.objects[key]
        found = self.bare.get(key) or self.bare.get(key.lower(), ())
        if not found and key.lower() in self.objects:
            return self.objects[key.lower()]
        if len(found) == 1:
            return self.objects[found[0]]
        if len(found) > 1:
            raise QueryError(
                f"{what} {name!r} is in several schemas: {', '.join(found)}; name one of them"
            )
        close = difflib.get_close_matches(key, [*self.objects, *self.bare], n=3, cutoff=0.6)
        hint = "list_tables lists them"
        if close:
            hint = f"did you mean {' or '.join(map(repr, close))}?"
        raise QueryError(f"unknown {what} {name!r}; {hint}")


def build_catalog(schema: Schema) -> Catalog:
    """Index a mirror: objects by qualified, bare and Prisma name; the join graph."""
    objects: dict[str, Table | View] = {}
    bare: dict[str, list[str]] = {}
    both: tuple[Table | View, ...] = (*schema.tables, *schema.views)
    for obj in both:
        key = qualified(obj)
        objects[key] = obj
        names = {obj.name, obj.name.lower(), key.lower()}
        if obj.prisma_name:
            names |= {obj.prisma_name, obj.prisma_name.lower()}
        for n in sorted(names - {key}):
            bare.setdefault(n, []).append(key)
    edges: dict[str, list[tuple[Edge, bool]]] = {}
    seen: set[tuple[str, tuple[str, ...], str, tuple[str, ...]]] = set()

    def add(edge: Edge) -> None:
        ident = (edge.table, edge.columns, edge.other, edge.referenced_columns)
        if ident in seen:
            return
        seen.add(ident)
        edges.setdefault(edge.table, []).append((edge, True))
        edges.setdefault(edge.other, []).append((edge, False))

    for table in schema.tables:
        for fk in table.foreign_keys:
            other = _ref(fk.referenced_schema, fk.referenced_table)
            add(Edge(qualified(table), fk.columns, other, fk.referenced_columns, fk.name,
                     "database", fk.on_delete, fk.on_update))  # fmt: skip
    for rel in schema.relations:
        add(Edge(_ref(rel.db_schema, rel.table), rel.columns,
                 _ref(rel.referenced_schema, rel.referenced_table), rel.referenced_columns,
                 rel.name, rel.enforced_by))  # fmt: skip
    return Catalog(
        schema=schema,
        objects=objects,
        bare={k: tuple(v) for k, v in bare.items()},
        edges={k: tuple(sorted(v, key=lambda e: _edge_key(e[0], e[1]))) for k, v in edges.items()},
        enums={qualified(e): e for e in schema.enums},
    )


def _ref(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _edge_key(edge: Edge, forward: bool) -> tuple[str, str, tuple[str, ...]]:
    return (edge.other if forward else edge.table, edge.name or "", edge.columns)


# ---- the questions -----------------------------------------------------------------------------


def list_tables(
    catalog: Catalog,
    schema: str | None = None,
    pattern: str | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Return the tables and views, one short line each (kind, columns, comment), filtered by
    PostgreSQL schema and by a name pattern (`*`/`?` globs, else a substring; any case)."""
    glob = pattern and any(c in pattern for c in "*?[")
    rows = []
    for key, obj in catalog.objects.items():
        if schema is not None and obj.db_schema != schema:
            continue
        if pattern:
            names = (key.lower(), obj.name.lower(), (obj.prisma_name or "").lower())
            p = pattern.lower()
            match = fnmatch.fnmatchcase if glob else str.__contains__
            hit = any(match(n, p) for n in names)
            if not hit:
                continue
        row: dict[str, Any] = {"name": key, "kind": "table" if isinstance(obj, Table) else "view"}
        row["columns"] = len(obj.columns)
        if obj.prisma_name:
            row["model"] = obj.prisma_name
        if obj.comment:
            row["comment"] = _cut(obj.comment.splitlines()[0])
        rows.append(("tables", row))
    return page({}, rows, cursor, limit=max(1, min(limit, 1000)))


def _notes_of(catalog: Catalog, obj: Table | View) -> list[dict[str, Any]]:
    """The mirror's notes about `obj`, one of its parts (`orders`, `public.orders.status`) or
    an enum that types one of its columns."""
    enums = {n for e in catalog.enums.values() for n in (e.name, e.prisma_name) if n}
    names = {obj.name, qualified(obj), *(c.type for c in obj.columns if c.type in enums)}
    return [
        _dump(n)
        for n in catalog.schema.notes
        if n.object in names or any(n.object.startswith(f"{x}.") for x in names)
    ]


def describe_table(catalog: Catalog, name: str, cursor: str | None = None) -> dict[str, Any]:
    """Return everything the mirror says about one table or view: every field of its model
    (columns, keys, indexes, foreign keys with ON DELETE / ON UPDATE, checks, comments, …), the
    foreign keys and relations pointing at it, its relations with Prisma field names, and its
    notes. Long lists continue on the next page (`cursor`); the scalar facts are on every page.

    Raises:
        QueryError: an unknown or ambiguous name.
    """
    obj = catalog.resolve(name)
    key = qualified(obj)
    data = _dump(obj)
    head: dict[str, Any] = {"object": key, "kind": "table" if isinstance(obj, Table) else "view"}
    items: list[tuple[str, Any]] = []
    for field_name, value in data.items():
        if isinstance(value, list):
            items += [(field_name, v) for v in value]
        else:
            head[field_name] = value
    for edge, forward in catalog.edges.get(key, ()):
        if not forward and edge.enforced_by == "database" and edge.on_delete is not None:
            items.append(
                (
                    "referencedBy",
                    {"table": edge.table, "columns": list(edge.columns), "name": edge.name,
                     "referencedColumns": list(edge.referenced_columns),
                     "onDelete": edge.on_delete, "onUpdate": edge.on_update},
                )
            )  # fmt: skip
    for rel in catalog.schema.relations:
        here = _ref(rel.db_schema, rel.table) == key
        there = _ref(rel.referenced_schema, rel.referenced_table) == key
        if here or there:
            items.append(
                ("relations", {"direction": "outgoing" if here else "incoming", **_dump(rel)})
            )
    items += [("notes", n) for n in _notes_of(catalog, obj)]
    return page(head, items, cursor)


def _texts(catalog: Catalog) -> Iterator[tuple[str, str, str, str]]:
    """Every searchable text: (kind, object, field, text)."""
    for key, obj in catalog.objects.items():
        kind = "table" if isinstance(obj, Table) else "view"
        yield kind, key, "name", obj.name
        if obj.prisma_name and obj.prisma_name != obj.name:
            yield kind, key, "model", obj.prisma_name
        if obj.comment:
            yield kind, key, "comment", obj.comment
        for col in obj.columns:
            yield "column", f"{key}.{col.name}", "name", col.name
            if col.prisma_name and col.prisma_name != col.name:
                yield "column", f"{key}.{col.name}", "field", col.prisma_name
            if col.comment:
                yield "column", f"{key}.{col.name}", "comment", col.comment
    for key, enum in catalog.enums.items():
        yield "enum", key, "name", enum.name
        for value in enum.values:
            yield "enum value", f"{key}.{value.name}", "name", value.name


def search(
    catalog: Catalog, query: str, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """Return the tables, views, columns, enums and enum values whose name, Prisma name or
    comment contains every word of `query` (any case), names before comments.

    Raises:
        QueryError: an empty query.
    """
    words = query.lower().split()
    if not words:
        raise QueryError("search: give a word to look for (a name or a word of a comment)")
    hits: list[tuple[int, tuple[str, Any]]] = []
    for kind, obj, where, text in _texts(catalog):
        low = text.lower()
        if all(w in low for w in words):
            hit = {"kind": kind, "object": obj, "matched": where}
            if where == "comment":
                hit["text"] = _cut(text)
            hits.append((where == "comment", ("matches", hit)))
    hits.sort(key=lambda h: h[0])  # stable: names first, then comments, each in mirror order
    return page({"query": query}, [h for _, h in hits], cursor, limit=max(1, min(limit, 1000)))


def join_path(catalog: Catalog, start: str, goal: str) -> dict[str, Any]:
    """Return the shortest path of foreign keys (and Prisma relations) between two tables, in
    either direction, as the joins to write; the first found in name order among equals.

    Raises:
        QueryError: an unknown table, or no path within MAX_HOPS.
    """
    a, b = qualified(catalog.resolve(start)), qualified(catalog.resolve(goal))
    came: dict[str, tuple[str, Edge, bool] | None] = {a: None}
    queue = deque([(a, 0)])
    while queue and b not in came:
        node, hops = queue.popleft()
        if hops == MAX_HOPS:
            continue
        for edge, forward in catalog.edges.get(node, ()):
            nxt = edge.other if forward else edge.table
            if nxt not in came:
                came[nxt] = (node, edge, forward)
                queue.append((nxt, hops + 1))
    if b not in came:
        raise QueryError(
            f"no path of foreign keys or relations between {a} and {b} within {MAX_HOPS} hops"
        )
    steps: list[dict[str, Any]] = []
    node = b
    while (back := came[node]) is not None:
        prev, edge, forward = back
        steps.append(edge.step(forward))
        node = prev
    steps.reverse()
    return {"from": a, "to": b, "hops": len(steps), "steps": steps}


def enum_values(
    catalog: Catalog, name: str | None = None, cursor: str | None = None
) -> dict[str, Any]:
    """Return the values of an enum (by name, `schema.name`, Prisma name, or `table.column` of
    a column it types); without a name, every enum with its values.

    Raises:
        QueryError: no such enum or column (with a did-you-mean).
    """
    if name is None or not name.strip():
        items = [("enums", _enum(key, e)) for key, e in catalog.enums.items()]
        return page({}, items, cursor)
    enum = _find_enum(catalog, name.strip())
    data = _enum(qualified(enum), enum)
    values = data.pop("values")
    return page(data, [("values", v) for v in values], cursor)


def _enum(key: str, enum: Enum) -> dict[str, Any]:
    return {"enum": key, **_dump(enum)}


def _find_enum(catalog: Catalog, name: str) -> Enum:
    by_name: dict[str, Enum] = {}
    for key, e in catalog.enums.items():
        for n in (key, e.name, e.prisma_name or e.name):
            by_name.setdefault(n, e)
            by_name.setdefault(n.lower(), e)
    found = by_name.get(name) or by_name.get(name.lower())
    if found is not None:
        return found
    table, _, column = name.rpartition(".")
    if table:
        obj = catalog.resolve(table)
        col = next((c for c in obj.columns if name.endswith(f".{c.name}")), None)
        if col is None:
            close = difflib.get_close_matches(column, [c.name for c in obj.columns], n=1)
            hint = f"; did you mean '{qualified(obj)}.{close[0]}'?" if close else ""
            raise QueryError(f"unknown column {name!r}{hint}")
        typed = by_name.get(col.type) or by_name.get(col.db_type)
        if typed is None:
            raise QueryError(f"column {name!r} is of type {col.type!r}, not an enum")
        return typed
    close = difflib.get_close_matches(name, list(by_name), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "enum_values without a name lists them"
    raise QueryError(f"unknown enum {name!r}; {hint}")


def evidence_section(markdown: str, heading: str = "Results") -> list[str]:
    """Return the lines of one `## heading` section of an evidence file (empty when absent)."""
    lines: list[str] = []
    inside = False
    for line in markdown.splitlines():
        if line.startswith("## "):
            inside = line[3:].strip() == heading
            continue
        if inside:
            lines.append(line)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def evidence_page(head: dict[str, Any], lines: Iterable[str], cursor: str | None) -> dict[str, Any]:
    """Return the lines of an evidence section, paginated like every answer."""
    return page(head, [("lines", line) for line in lines], cursor)
