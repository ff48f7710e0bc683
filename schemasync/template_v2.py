"""The `.ai` template's `normalized-db-schema-v2` format (UPSTREAM.md): recognise it, render it
correctly from schemasync's mirror, count what the template's own file had wrong, and keep the
template's `docs/context/registry.json` entry current.

A project that comes from the template keeps readers of `docs/context/db/schema.json` in that
shape (`tables[].columns[].{name, dbName, nullable}`, `indexes[].fields`); schemasync writes it
for them from its mirror, every field filled as the database has it. Deterministic: `updatedAt`
is the only clock in the file, and it keeps its old value while the rest is equal.
Pure functions only: the caller reads the files and the clock, and writes.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from schemasync.model import Column, Enum, Relation, Schema, Table

V2_FORMAT: Final = "normalized-db-schema-v2"
#: How every message names a v2 file (the mirror or the context).
V2_MIRROR: Final = "the .ai template's normalized-db-schema-v2 mirror"
REGISTRY_PATH: Final = "docs/context/registry.json"
REGISTRY_ID: Final = "db-schema"

#: Prisma scalars whose default is written bare (`@default(0)`); others are quoted text.
_BARE: Final = frozenset({"Int", "BigInt", "Float", "Decimal", "Boolean"})
#: Where the mirror came from, in the template's words.
_SOURCE_KINDS: Final = {"prisma": "prisma-schema", "database": "database", "ddl": "ddl"}


def is_v2(data: object) -> bool:
    """Tell whether JSON data is the template's v2 shape (`"version": 2`, no `format`)."""
    return isinstance(data, dict) and data.get("version") == 2 and "format" not in data


def text_is_v2(text: str | None) -> bool:
    """Tell whether a file's text is the template's v2 shape (False when it is no JSON)."""
    if text is None:
        return False
    try:
        return is_v2(json.loads(text))
    except ValueError:
        return False


# ---- rendering --------------------------------------------------------------------------------


def _enum_names(schema: Schema) -> dict[str, dict[str, str]]:
    """Prisma enum name -> {database value: Prisma value}."""
    return {
        (e.prisma_name or e.name): {v.name: v.prisma_name or v.name for v in e.values}
        for e in schema.enums
    }


def default_text(col: Column, enums: dict[str, dict[str, str]]) -> str | None:
    """The column's default as the template writes it: the text inside Prisma's `@default(…)`
    (`now()`, `autoincrement()`, `"{}"`, `0`, `READER`, `dbgenerated("…")`), or a Prisma Client
    default (`cuid()`); None without one."""
    if col.autoincrement:
        return "autoincrement()"
    default = col.default
    if default is None:
        client = col.client_default
        return client if client and client != "updatedAt" else None
    if default.kind == "function":
        return f"{default.name}()"
    if default.kind == "expression":
        return f"dbgenerated({json.dumps(default.sql, ensure_ascii=False)})"
    if col.type in enums:  # an enum value, by its Prisma name
        return enums[col.type].get(default.value, default.value)
    if col.type in _BARE and not col.list:
        return default.value
    return json.dumps(default.value, ensure_ascii=False)


def _field(table: Table | None, column: str) -> str:
    """A column's Prisma field name (the database name where it has none)."""
    col = next((c for c in table.columns if c.name == column), None) if table else None
    return (col.prisma_name if col else None) or column


def _model(table: Table) -> str:
    return table.prisma_name or table.name


def _db_name(name: str, prisma_name: str | None) -> str | None:
    return name if prisma_name is not None and prisma_name != name else None


def _columns(table: Table, enums: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    pk = set(table.primary_key.columns) if table.primary_key else set()
    # `unique`: a unique index on the column alone (`@unique`); the primary key is `primaryKey`
    alone = {i.columns[0].name for i in table.indexes if i.unique and len(i.columns) == 1}
    out = []
    for col in table.columns:
        constraints = [
            word
            for word, present in (
                ("autoincrement", col.autoincrement),
                ("updatedAt", col.client_default == "updatedAt"),
                ("generated", col.generated is not None),
            )
            if present
        ]
        out.append(
            {
                "name": col.prisma_name or col.name,
                "type": col.type,
                "nullable": col.nullable,
                "list": col.list,
                "dbName": _db_name(col.name, col.prisma_name),
                "dbType": col.db_type,
                "default": default_text(col, enums),
                "primaryKey": col.name in pk,
                "unique": col.name in alone,
                "constraints": constraints,
                "comment": col.comment,
            }
        )
    return out


def _relations(schema: Schema, table: Table, by_key: dict[Any, Table]) -> list[dict[str, Any]]:
    """The table's relations both ways: the fields holding a foreign key (`fields` /
    `references`, ON DELETE / ON UPDATE) and the back-relation fields pointing at it."""
    out = []

    def actions(rel: Relation) -> tuple[str | None, str | None]:
        owner = by_key.get((rel.db_schema, rel.table))
        fk = next(
            (f for f in (owner.foreign_keys if owner else ()) if f.columns == rel.columns), None
        )
        return (fk.on_delete, fk.on_update) if fk else (None, None)

    for rel in schema.relations:
        owner = by_key.get((rel.db_schema, rel.table))
        target = by_key.get((rel.referenced_schema, rel.referenced_table))
        on_delete, on_update = actions(rel)
        # a Prisma relation name, not the foreign key's (the mirror names a relation either way)
        fk_names = {fk.name for fk in owner.foreign_keys} if owner else set()
        named = None if rel.name in fk_names else rel.name
        if owner is table:
            out.append(
                {
                    "field": rel.field,
                    "to": _model(target) if target else rel.referenced_table,
                    "optional": any(c.nullable for c in table.columns if c.name in rel.columns),
                    "list": False,
                    "fields": [_field(table, c) for c in rel.columns],
                    "references": [_field(target, c) for c in rel.referenced_columns],
                    "relationName": named,
                    "onDelete": on_delete,
                    "onUpdate": on_update,
                }
            )
        if target is table and rel.back_field is not None and owner is not None:
            one = _unique_on(owner, rel.columns)
            out.append(
                {
                    "field": rel.back_field,
                    "to": _model(owner),
                    "optional": one,
                    "list": not one,
                    "fields": [],
                    "references": [],
                    "relationName": named,
                    "onDelete": on_delete,
                    "onUpdate": on_update,
                }
            )
    return sorted(out, key=lambda r: (str(r["field"]), r["to"], r["fields"]))


def _unique_on(table: Table, columns: tuple[str, ...]) -> bool:
    """Tell whether `columns` are unique in `table` (a one-to-one relation's foreign key)."""
    keys = [i.columns for i in table.indexes if i.unique]
    if table.primary_key and set(table.primary_key.columns) == set(columns):
        return True
    return any({c.name for c in k} == set(columns) for k in keys)


def _indexes(table: Table) -> list[dict[str, Any]]:
    out = []
    if table.primary_key:
        out.append(
            {
                "type": "primary",
                "fields": [_field(table, c) for c in table.primary_key.columns],
                "name": table.primary_key.name,
                "map": None,
            }
        )
    for index in table.indexes:
        fields = [
            _field(table, c.name) + (" desc" if c.sort == "desc" else "") for c in index.columns
        ]
        out.append(
            {
                "type": "unique" if index.unique else "index",
                "fields": fields,
                "name": index.name,
                "map": None,
                **({"where": index.predicate} if index.predicate else {}),
            }
        )
    return out


def _enum(enum: Enum) -> dict[str, Any]:
    return {
        "name": enum.prisma_name or enum.name,
        "dbName": _db_name(enum.name, enum.prisma_name),
        "values": [v.prisma_name or v.name for v in enum.values],
        "dbValues": [v.name for v in enum.values],
    }


def build_v2(schema: Schema, mirror_sha256: str, stamp: str) -> dict[str, Any]:
    """Return the v2 document of a mirror: the template's keys, each filled from the mirror;
    tables, views and enums sorted by name as the template's context sorts them."""
    enums = _enum_names(schema)
    by_key: dict[Any, Table] = {(t.db_schema, t.name): t for t in schema.tables}
    tables = [
        {
            "name": _model(t),
            "dbName": _db_name(t.name, t.prisma_name),
            "schema": t.db_schema,
            "comment": t.comment,
            "columns": _columns(t, enums),
            "relations": _relations(schema, t, by_key),
            "indexes": _indexes(t),
        }
        for t in schema.tables
    ]
    views = [
        {
            "name": v.prisma_name or v.name,
            "dbName": _db_name(v.name, v.prisma_name),
            "schema": v.db_schema,
            "columns": [
                {
                    "name": c.prisma_name or c.name,
                    "type": c.type,
                    "nullable": c.nullable,
                    "list": c.list,
                    "dbName": _db_name(c.name, c.prisma_name),
                    "dbType": c.db_type,
                }
                for c in v.columns
            ],
            "definition": v.definition,
        }
        for v in schema.views
    ]
    schemas = sorted(
        {t.db_schema for t in schema.tables if t.db_schema}
        | {v.db_schema for v in schema.views if v.db_schema}
    )
    notes = [f"{n.object}: {n.message}" for n in schema.notes]
    return {
        "version": 2,
        "updatedAt": stamp,
        "ssot": {
            "mode": "database",
            "source": {"kind": _SOURCE_KINDS[schema.source.kind], "path": schema.source.path},
        },
        "database": {
            "kind": "relational",
            "dialect": schema.provider,
            "name": "",
            "schemas": schemas,
        },
        "enums": sorted((_enum(e) for e in schema.enums), key=lambda e: e["name"]),
        "tables": sorted(tables, key=lambda t: (t["name"], str(t["schema"]))),
        "views": sorted(views, key=lambda v: (v["name"], str(v["schema"]))),
        "generatedBy": {"tool": "schemasync", "mirror": "db/schema/tables.json",
                        "mirrorSha256": mirror_sha256},
        "notes": "Generated by schemasync from db/schema/tables.json (the live database is the "
        "source of truth): never edit it; run `schemasync sync`."
        + "".join(f"\n{n}" for n in notes),
    }  # fmt: skip


def dump_v2(doc: dict[str, Any]) -> str:
    """The text of a v2 document: 2-space indent, the template's key order, a final newline."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_v2_context(schema: Schema, mirror_sha256: str, previous: str | None, now: str) -> str:
    """Return the v2 context text of `schema`: `updatedAt` is the previous file's while the
    rest of the file is equal (a sync that changes nothing changes no byte), else `now`."""
    kept = updated_at(previous)
    if kept is not None:
        text = dump_v2(build_v2(schema, mirror_sha256, kept))
        if text == previous:
            return text
    return dump_v2(build_v2(schema, mirror_sha256, now))


def with_updated_at(text: str, stamp: str) -> str:
    """Return v2 text with its `updatedAt` set to `stamp` (to show where two contexts differ
    besides their clocks)."""
    doc = json.loads(text)
    return dump_v2({**doc, "updatedAt": stamp}) if isinstance(doc, dict) else text


def updated_at(text: str | None) -> str | None:
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        return None
    value = data.get("updatedAt") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


# ---- what the template's own v2 file had wrong -------------------------------------------------

#: The kinds of defect counted, in the order evidence 02 lists them.
DEFECTS: Final = ("nullability", "defaults", "keys", "phantom columns", "enum values",
                  "missing tables", "missing columns")  # fmt: skip


def _index_keys(table: dict[str, Any]) -> set[tuple[str, tuple[str, ...]]]:
    out = set()
    for index in table.get("indexes") or ():
        if isinstance(index, dict) and index.get("type") in ("primary", "unique"):
            fields = tuple(str(f).split(" ")[0].split("(")[0] for f in index.get("fields") or ())
            out.add((str(index["type"]), fields))
    return out


def v2_defects(old: dict[str, Any], correct: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """Count what a v2 document says wrong, compared with the correct one (`build_v2` of the
    mirror that replaces it): columns whose nullability or default differ; primary and unique
    keys missing or wrong (an index's entry, or a column's `primaryKey` / `unique` flag);
    columns that are no column of the table (back-relation fields); enum values that are no
    value (`@@map` lines) or missing; tables and columns it does not have at all."""
    counts = dict.fromkeys(DEFECTS, 0)
    right = {t["name"]: t for t in correct["tables"]}
    seen = set()
    for table in old.get("tables") or ():
        if not isinstance(table, dict) or table.get("name") not in right:
            continue
        good = right[table["name"]]
        seen.add(table["name"])
        cols = {c["name"]: c for c in good["columns"]}
        found = set()
        for col in table.get("columns") or ():
            if not isinstance(col, dict):
                continue
            ref = cols.get(col.get("name"))
            if ref is None:
                counts["phantom columns"] += 1
                continue
            found.add(ref["name"])
            counts["nullability"] += col.get("nullable") != ref["nullable"]
            counts["defaults"] += col.get("default") != ref["default"]
            counts["keys"] += col.get("primaryKey") != ref["primaryKey"]
            counts["keys"] += col.get("unique") != ref["unique"]
        counts["missing columns"] += len(cols.keys() - found)
        counts["keys"] += len(_index_keys(table) ^ _index_keys(good))
    counts["missing tables"] = len(right.keys() - seen)
    good_enums = {e["name"]: set(e["values"]) for e in correct["enums"]}
    for enum in old.get("enums") or ():
        if isinstance(enum, dict) and enum.get("name") in good_enums:
            values = {str(v) for v in enum.get("values") or ()}
            counts["enum values"] += len(values ^ good_enums[enum["name"]])
    return tuple(counts.items())


# ---- docs/context/registry.json ----------------------------------------------------------------


def _value_spans(text: str, start: int) -> dict[str, tuple[int, int]]:
    """The spans of the values of the JSON object starting at `start` (its `{`), by key."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    spans: dict[str, tuple[int, int]] = {}
    pos = ws.match(text, start + 1).end()  # type: ignore[union-attr]
    while text[pos] != "}":
        key, pos = scanstring(text, pos + 1)
        pos = ws.match(text, pos).end() + 1  # type: ignore[union-attr]  # the ':'
        pos = ws.match(text, pos).end()  # type: ignore[union-attr]
        _, end = decoder.raw_decode(text, pos)
        spans[key] = (pos, end)
        pos = ws.match(text, end).end()  # type: ignore[union-attr]
        if text[pos] == ",":
            pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
    return spans


def _element_starts(text: str, start: int) -> list[int]:
    """The start of each element of the JSON array starting at `start` (its `[`)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    out = []
    pos = ws.match(text, start + 1).end()  # type: ignore[union-attr]
    while text[pos] != "]":
        out.append(pos)
        _, pos = decoder.raw_decode(text, pos)
        pos = ws.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos] == ",":
            pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
    return out


def registry_entry(text: str, context_rel: str) -> dict[str, Any] | None:
    """The registry's `db-schema` entry for `context_rel`, or None (no such entry, or the
    text is not a registry)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    artifacts = data.get("artifacts") if isinstance(data, dict) else None
    for entry in artifacts if isinstance(artifacts, list) else ():
        if isinstance(entry, dict) and entry.get("id") == REGISTRY_ID:
            return entry if entry.get("path", context_rel) == context_rel else None
    return None


def update_registry(text: str, context_rel: str, sha256: str, fmt: str, now: str) -> str | None:
    """Return the registry text with its `db-schema` entry's `checksumSha256`, `lastUpdated`
    and `format` current, edited in place: every other byte (other tools' entries, the
    indentation) stays. None when there is no such entry or nothing changes; `lastUpdated`
    changes only with the checksum."""
    entry = registry_entry(text, context_rel)
    if entry is None:
        return None
    if entry.get("checksumSha256") == sha256 and entry.get("format") == fmt:
        return None
    top = _value_spans(text, text.index("{"))
    starts = _element_starts(text, top["artifacts"][0])
    elements = [(s, _value_spans(text, s)) for s in starts if text[s] == "{"]
    spans = next(sp for _, sp in elements if json.loads(text[slice(*sp["id"])]) == REGISTRY_ID)
    new = {"checksumSha256": sha256, "format": fmt}
    if entry.get("checksumSha256") != sha256:
        new["lastUpdated"] = now
    edits = [(spans[k], json.dumps(v)) for k, v in new.items() if k in spans]
    missing = [k for k in new if k not in spans]
    if missing:  # added after the entry's last value
        last_end = max(end for _, end in spans.values())
        added = "".join(f', "{k}": {json.dumps(new[k])}' for k in missing)
        edits.append(((last_end, last_end), added))
    out = text
    for (a, b), value in sorted(edits, reverse=True):
        out = out[:a] + value + out[b:]
    return out
