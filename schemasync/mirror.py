"""Dump and load `db/schema/tables.json`: canonical JSON, format check, atomic write.

Canonical means: 2-space indent, keys sorted, UTF-8 (no ASCII escapes), trailing newline; the same
`Schema` always gives the same bytes. Loading reads the current format (`schemasync/tables@2`) and
the previous one (`@1`, see `upgrade_v1`); dumping writes the current one only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from schemasync.errors import ArtifactError
from schemasync.fsio import read_text, write_atomic
from schemasync.jsontext import parse_json, validated
from schemasync.model import FORMAT, FORMAT_V1, Schema
from schemasync.template_v2 import V2_MIRROR, is_v2


def canonical_json(data: Any) -> str:
    """Return `data` (a model or plain JSON data) as canonical JSON text."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dump_mirror(schema: Schema) -> str:
    """Return the canonical `tables.json` text of `schema`.

    Pydantic's serializer writes the models' fields in declaration order, which `model.py` keeps
    sorted, so this equals `canonical_json(schema)` at a seventh of the cost.
    """
    return schema.model_dump_json(indent=2, by_alias=True) + "\n"


def upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Return @1 mirror data as @2 data: each relation end gets the schema of its table.

    An @1 file names a relation's tables without their schemas. Where exactly one table has
    that name, its schema is the end's schema (null in a project without schemas). Where
    several do (`a.user` and `b.user`), an @1 file cannot tell which one the relation belongs to
    or points at: that end's schema is left null, so no reader attaches the relation to either
    table (rather than to the wrong one), and a note says so; importing again writes @2 with
    both ends known. Anything not shaped as expected is passed on as it is, for validation to
    report.
    """
    owners: dict[str, list[object]] = {}  # table name -> the schemas of the tables so named
    tables = data.get("tables")
    for table in tables if isinstance(tables, list) else ():
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            owners.setdefault(table["name"], []).append(table.get("schema"))
    upgraded = {**data, "format": FORMAT}
    relations, notes = data.get("relations", []), data.get("notes", [])
    if not isinstance(relations, list) or not isinstance(notes, list):
        return upgraded
    ends = (
        ("schema", "table", "which table named `{}` holds it"),
        ("referencedSchema", "referencedTable", "which table named `{}` it references"),
    )
    new_relations: list[object] = []
    new_notes = list(notes)
    for rel in relations:
        if not isinstance(rel, dict):
            new_relations.append(rel)
            continue
        schemas: dict[str, object] = {}
        for schema_key, name_key, which in ends:
            name = rel.get(name_key)
            found = owners.get(name, []) if isinstance(name, str) else []
            schemas[schema_key] = found[0] if len(found) == 1 else None
            if len(found) > 1:
                new_notes.append(
                    {
                        "object": name,
                        "message": f"relation `{rel.get('name')}` comes from a {FORMAT_V1} "
                        f"mirror, which does not say {which.format(name)}: no table shows it; "
                        "run `schemasync sync` to import it again",
                    }
                )
        new_relations.append({**schemas, **rel})
    return {**upgraded, "relations": new_relations, "notes": new_notes}


def load_mirror(
    text: str, path: str = "tables.json", *, rebuild: str = "schemasync import-prisma"
) -> Schema:
    """Parse `tables.json` text into a `Schema`; an @1 file is read as `upgrade_v1` says.

    `rebuild` is the command the messages name to rebuild the mirror (the one the user runs).

    Raises:
        ArtifactError: the text is not JSON, not of format `schemasync/tables@2` or `@1`, or
            invalid.
    """
    data = _mirror_data(text, path, rebuild)
    if data["format"] == FORMAT_V1:
        data = upgrade_v1(data)
    return _validated(data, path, rebuild)


def _mirror_data(text: str, path: str, rebuild: str) -> dict[str, Any]:
    """The JSON object of a mirror text of a format schemasync reads.

    Raises:
        ArtifactError: not JSON, or not of format `schemasync/tables@2` or `@1`.
    """
    fix = f"the mirror is generated: delete it and run `{rebuild}` to rebuild it"
    data = parse_json(text, path, ArtifactError, fix)
    if is_v2(data):  # generated too: adopting it replaces it, nothing is lost
        raise ArtifactError(
            f"{path}: {V2_MIRROR}, not adopted yet; run `{rebuild}` to adopt it (it is replaced "
            f"by schemasync's mirror, {FORMAT}; the old file's sha256 and what it had wrong are "
            "recorded in evidence 02)"
        )
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, FORMAT_V1):
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ArtifactError(
            f"{path}: unknown format {found!r}, expected {FORMAT!r} (or {FORMAT_V1!r}); delete "
            f"the file and run `{rebuild}` to rebuild it"
        )
    return data


def _validated(data: dict[str, Any], path: str, rebuild: str) -> Schema:
    fix = f"delete the file and run `{rebuild}` to rebuild it"
    return validated(Schema, data, path, "mirror", ArtifactError, fix)


def _named(items: list[dict[str, Any]]) -> dict[tuple[Any, Any], dict[str, Any]]:
    """Tables, views or enums of a mirror's JSON by (schema, name)."""
    return {(i.get("schema"), i.get("name")): i for i in items}


def changed_parts(
    text: str, new: Schema, new_text: str, path: str, *, rebuild: str
) -> tuple[Schema, Schema, str]:
    """Return the parts in which the mirror `text` and `new` (whose canonical text is
    `new_text`) differ, as two small `Schema`s that `diff.diff_schemas` compares with the same
    changes as the whole mirrors: the tables, views and enums whose JSON differs, the tables
    owning a relation that differs, with all their relations.

    A stale mirror's unchanged parts are equal to the re-derived JSON, hence valid: only what
    differs is validated, so `check` on a 1,000-model mirror with one added column costs a JSON
    parse of both texts, not a full validation and a full comparison (+60 % over a `snapshot`
    of the same schema, measured). A `@1` mirror is read whole. The third item is the format
    the text was written in.

    Raises:
        ArtifactError: the text is not a mirror, or what differs in it is invalid.
    """
    data = _mirror_data(text, path, rebuild)
    if data["format"] == FORMAT_V1:
        return _validated(upgrade_v1(data), path, rebuild), new, FORMAT_V1
    derived = json.loads(new_text)
    old_tables, new_tables = _named(data.get("tables", [])), _named(derived.get("tables", []))
    touched = {
        k for k in old_tables.keys() | new_tables.keys() if old_tables.get(k) != new_tables.get(k)
    }
    old_rels = {json.dumps(r, sort_keys=True): r for r in data.get("relations", [])}
    new_rels = {json.dumps(r, sort_keys=True): r for r in derived.get("relations", [])}
    for text_key in old_rels.keys() ^ new_rels.keys():
        rel = old_rels.get(text_key) or new_rels[text_key]
        touched.add((rel.get("schema"), rel.get("table")))
    whole = ("tables", "views", "enums", "relations")
    parts: dict[str, Any] = {k: v for k, v in data.items() if k not in whole}
    parts["tables"] = [old_tables[k] for k in touched if k in old_tables]
    parts["relations"] = [
        r for r in old_rels.values() if (r.get("schema"), r.get("table")) in touched
    ]
    kept: dict[str, set[tuple[Any, Any]]] = {}
    for kind in ("views", "enums"):
        before, after = _named(data.get(kind, [])), _named(derived.get(kind, []))
        kept[kind] = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        parts[kind] = [before[k] for k in kept[kind] if k in before]
    old = _validated(parts, path, rebuild)

    def key(obj: Any) -> tuple[Any, Any]:
        return (obj.db_schema, obj.name)

    newer = new.model_copy(
        update={
            "tables": tuple(t for t in new.tables if key(t) in touched),
            "relations": tuple(r for r in new.relations if (r.db_schema, r.table) in touched),
            "views": tuple(v for v in new.views if key(v) in kept["views"]),
            "enums": tuple(e for e in new.enums if key(e) in kept["enums"]),
        }
    )
    return old, newer, FORMAT


def read_mirror(path: Path, display: str | None = None) -> Schema:
    """Read and parse the mirror at `path` (see `load_mirror`): a regular file only, read
    without waiting (a FIFO there would block) and up to `fsio.MAX_TEXT_BYTES`.

    Raises:
        ConfigError: a symlink at `path` itself, a loop, a name too long.
        ArtifactError: missing, not a regular file (FIFO, device, folder), too large, not UTF-8,
            unreadable, or not a mirror.
    """
    shown = display or str(path)
    text = read_text(path, shown, ArtifactError, "delete it and re-import")
    if text is None:
        raise ArtifactError(f"{shown}: no such file; run `schemasync import-prisma` first")
    return load_mirror(text, shown)


def write_mirror(path: Path, schema: Schema) -> None:
    """Write `schema` to `path` atomically, in canonical form."""
    write_atomic(path, dump_mirror(schema))
