"""Compare a mirror (schemasync's import) with Prisma's own DMMF datamodel of the same schema.

``compare(datamodel, mirror, provider, relation_mode)`` returns a list of discrepancies, each a
one-line ``Model.field: what (prisma …, mirror …)``; an empty list means that every model, view,
enum, composite type, field, index, unique, id and relation Prisma reports is in the mirror with
the same names (``@map``/``@@map``), types, nullability, list-ness, defaults and mapped names.

The rules written here come from Prisma's documentation and SPEC §4, not from schemasync, so
that the comparison is an independent check:

- a list column is nullable in PostgreSQL/CockroachDB even when required (``text[]``);
- default constraint names are ``{table}_pkey``, ``{table}_{cols}_key``, ``{table}_{cols}_idx``
  (checked only when no truncation applies: full name ≤ 63 bytes; not for MongoDB);
- unstated referential actions: required relation → ``RESTRICT``/``CASCADE``, optional →
  ``SET NULL``/``CASCADE``; ``relationMode = "prisma"`` and MongoDB have no foreign keys;
- client-side defaults (``cuid()``, ``uuid()``, ``nanoid()``, ``ulid()``, ``@updatedAt``) are
  ``clientDefault``; ``autoincrement()``/``sequence()`` set ``autoincrement``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from schemasync.model import Column, Enum, Index, Schema, Table, View

DMMF = Mapping[str, Any]

ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}
CLIENT_DEFAULTS = ("cuid", "uuid", "nanoid", "ulid")
LIST_NULLABLE = ("postgresql", "cockroachdb")
MAX_NAME = 63

# Spellings that name the same database type (Prisma native type name vs catalog name).
_SAME_TYPE = [
    {"integer", "int", "int4"},
    {"numeric", "decimal"},
    {"bool", "boolean"},
    {"varchar", "charactervarying"},
    {"char", "character", "bpchar"},
    {"timestamptz", "timestampwithtimezone"},
    {"timestamp", "timestampwithouttimezone"},
    {"timetz", "timewithtimezone"},
    {"time", "timewithouttimezone"},
    {"doubleprecision", "float8"},
    {"real", "float4"},
    {"smallint", "int2"},
    {"bigint", "int8"},
    {"json"},
    {"objectid"},
]
_UNSIGNED = re.compile(r"^unsigned(tinyint|smallint|mediumint|int|bigint)$")


def _type_key(base: str) -> str:
    base = base.replace(" ", "").replace("_", "").lower()
    for group in _SAME_TYPE:
        if base in group:
            return min(group)
    return base


#: MySQL and MariaDB show a temporal type's fractional-seconds precision only when it is not 0
#: (MySQL manual, "Fractional Seconds in Time Values": `TIMESTAMP(0)` is `timestamp`).
_UNSHOWN_ZERO_PRECISION = {"mysql": ("timestamp", "datetime", "time")}


def native_type_matches(native: Sequence[Any], db_type: str, provider: str = "") -> bool:
    """Return whether Prisma's ``nativeType`` ``[name, [args]]`` names the mirror's ``dbType``."""
    name, args = str(native[0]), [str(a).replace(" ", "") for a in native[1]]
    if args == ["0"] and name.lower() in _UNSHOWN_ZERO_PRECISION.get(provider, ()):
        args = []
    unsigned = _UNSIGNED.match(name.lower())
    want_base = unsigned.group(1) if unsigned else name
    want = (_type_key(want_base), args, bool(unsigned))
    text = db_type.strip().lower()
    if text.endswith("[]"):
        text = text[:-2]
    got_unsigned = text.endswith(" unsigned")
    if got_unsigned:
        text = text[: -len(" unsigned")]
    match = re.fullmatch(r"([a-z0-9_ ]+?)\s*(?:\(([^)]*)\))?", text)
    if not match:
        return False
    got_args = [a.strip() for a in match.group(2).split(",")] if match.group(2) else []
    got = (_type_key(match.group(1)), got_args, got_unsigned)
    return got == want


def _db(field: Mapping[str, Any]) -> str:
    return str(field.get("dbName") or field["name"])


class _Model:
    """One DMMF model with its mirror counterpart resolved."""

    def __init__(self, model: DMMF, obj: Table | View | None) -> None:
        self.model = model
        self.obj = obj
        self.fields = {f["name"]: f for f in model["fields"]}
        self.db_name = str(model.get("dbName") or model["name"])

    def column_of(self, path: str) -> str:
        """Map a Prisma field name (or composite path ``a.b``) to its database column name."""
        head, _, rest = path.partition(".")
        field = self.fields.get(head)
        db = _db(field) if field else head
        return f"{db}.{rest}" if rest else db


def compare(datamodel: DMMF, mirror: Schema, provider: str, relation_mode: str) -> list[str]:
    """Return every discrepancy between Prisma's datamodel and the mirror (empty: conformant)."""
    out: list[str] = []
    by_prisma: dict[str, Table | View] = {}
    objects: list[Table | View] = [*mirror.tables, *mirror.views]
    for obj in objects:
        if obj.prisma_name is not None:
            if obj.prisma_name in by_prisma:
                out.append(f"{obj.prisma_name}: two mirror objects carry this prismaName")
            by_prisma[obj.prisma_name] = obj
    models = {m["name"]: _Model(m, by_prisma.get(m["name"])) for m in datamodel["models"]}
    enums = {e["name"]: e for e in datamodel["enums"]}
    no_fks = relation_mode == "prisma" or provider == "mongodb"

    for name, m in models.items():
        if m.obj is None:
            out.append(f"{name}: model missing from the mirror (expected table {m.db_name!r})")
            continue
        _compare_model(out, m, mirror, provider, enums)
    _compare_indexes(out, datamodel, models, provider)
    _compare_relations(out, models, mirror, provider, no_fks)
    _compare_enums(out, datamodel, mirror, provider)
    _compare_types(out, datamodel, mirror, provider, enums)
    return out


def _compare_model(
    out: list[str], m: _Model, mirror: Schema, provider: str, enums: Mapping[str, DMMF]
) -> None:
    obj = m.obj
    assert obj is not None
    name = m.model["name"]
    if obj.name != m.db_name:
        out.append(f"{name}: table name (prisma {m.db_name!r}, mirror {obj.name!r})")
    schema = m.model.get("schema")
    if schema and obj.db_schema != schema:
        out.append(f"{name}: schema (prisma {schema!r}, mirror {obj.db_schema!r})")
    columns = {c.prisma_name: c for c in obj.columns if c.prisma_name is not None}
    for field in m.model["fields"]:
        if field["kind"] == "object" and field.get("relationName"):
            continue  # relation fields are checked with the relations
        col = columns.get(field["name"])
        where = f"{name}.{field['name']}"
        if col is None:
            out.append(f"{where}: field missing from the mirror (expected column {_db(field)!r})")
            continue
        _compare_column(out, where, field, col, provider, enums)


def _compare_column(
    out: list[str],
    where: str,
    field: DMMF,
    col: Column,
    provider: str,
    enums: Mapping[str, DMMF],
) -> None:
    def diff(what: str, prisma: object, mirror: object) -> None:
        out.append(f"{where}: {what} (prisma {prisma!r}, mirror {mirror!r})")

    if col.name != _db(field):
        diff("column name", _db(field), col.name)
    if col.type != field["type"]:
        diff("type", field["type"], col.type)
    if col.list != field["isList"]:
        diff("list", field["isList"], col.list)
    nullable = not field["isRequired"] or (field["isList"] and provider in LIST_NULLABLE)
    if col.nullable != nullable:
        diff("nullable", nullable, col.nullable)
    native = field.get("nativeType")
    if native and not native_type_matches(native, col.db_type, provider):
        diff("database type", f"@db.{native[0]}({','.join(map(str, native[1]))})", col.db_type)
    _compare_default(out, where, field, col, enums, diff)


def _compare_default(
    out: list[str], where: str, field: DMMF, col: Column, enums: Mapping[str, DMMF], diff: Any
) -> None:
    if field.get("isUpdatedAt"):
        if col.client_default != "updatedAt":
            diff("@updatedAt as clientDefault", "updatedAt", col.client_default)
        if not field.get("hasDefaultValue") and col.default is not None:
            diff("database default of @updatedAt", None, col.default.model_dump(mode="json"))
        if not field.get("hasDefaultValue"):
            return
    elif not field.get("hasDefaultValue"):
        extra = {
            "default": col.default.model_dump(mode="json") if col.default else None,
            "clientDefault": col.client_default,
            "autoincrement": col.autoincrement or None,
        }
        extra = {k: v for k, v in extra.items() if v is not None}
        if extra:
            diff("default where Prisma has none", None, extra)
        return
    value = field.get("default")
    if isinstance(value, dict):
        fn, args = value["name"], value.get("args", [])
        if fn in ("autoincrement", "sequence"):
            if not col.autoincrement:
                diff("autoincrement", True, col.autoincrement)
        elif fn in CLIENT_DEFAULTS:
            if not (col.client_default or "").startswith(f"{fn}("):
                diff("clientDefault", f"{fn}({', '.join(map(str, args))})", col.client_default)
            if col.default is not None:
                diff("database default of a client default", None, col.default.model_dump())
        elif fn == "now":
            if col.default is None or col.default.kind != "function" or col.default.name != "now":
                diff("default", "now()", col.default and col.default.model_dump(mode="json"))
        elif fn == "dbgenerated":
            if col.default is None and not col.autoincrement:
                diff("default", f"dbgenerated({args!r})", None)
        elif fn == "auto":
            if col.default is None and not col.autoincrement and col.client_default is None:
                diff("default", "auto()", None)
        else:
            out.append(f"{where}: unknown Prisma default function {fn!r} (extend the oracle)")
        return
    if isinstance(value, list):
        if col.default is None:
            diff("default", value, None)
        return
    expected = _literal_text(value, field, enums)
    got = col.default
    if got is None or got.kind != "literal" or not _same_literal(expected, got.value, field):
        diff("default", expected, got and got.model_dump(mode="json"))


def _literal_text(value: object, field: DMMF, enums: Mapping[str, DMMF]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if field["kind"] == "enum" and field["type"] in enums:
        for v in enums[field["type"]]["values"]:
            if v["name"] == value:
                return str(v.get("dbName") or v["name"])
    return str(value)


def _same_literal(expected: str, got: str, field: DMMF) -> bool:
    if expected == got:
        return True
    if field["type"] == "Boolean":  # MySQL stores `DEFAULT false` in tinyint(1) as 0
        return {"true": "1", "false": "0"}.get(expected) == got
    try:
        return float(expected) == float(got)
    except ValueError:
        return False


def _default_name(table: str, columns: Sequence[str], suffix: str) -> str | None:
    name = "_".join([table, *columns, suffix]) if columns else f"{table}_{suffix}"
    return name if len(name.encode()) <= MAX_NAME else None


def _compare_indexes(
    out: list[str], datamodel: DMMF, models: Mapping[str, _Model], provider: str
) -> None:
    for entry in datamodel.get("indexes", []):
        m = models.get(entry["model"])
        if m is None or m.obj is None or isinstance(m.obj, View):
            continue
        table = m.obj
        cols = [m.column_of(f["name"]) for f in entry["fields"]]
        where = f"{entry['model']}: {entry['type']} index on ({', '.join(cols)})"
        given = entry.get("dbName")
        if entry["type"] == "id":
            pk = table.primary_key
            if pk is None or list(pk.columns) != cols:
                out.append(f"{where}: primary key (mirror {pk and list(pk.columns)!r})")
                continue
            expected = given or (
                _default_name(table.name, [], "pkey") if provider in LIST_NULLABLE else None
            )
            if expected and pk.name != expected:
                out.append(f"{where}: primary key name (prisma {expected!r}, mirror {pk.name!r})")
            continue
        unique = entry["type"] == "unique"
        suffix = "key" if unique else "idx"
        expected = given or (
            _default_name(table.name, [c.replace(".", "_") for c in cols], suffix)
            if provider != "mongodb"
            else None
        )
        found = _find_index(table, cols, unique, expected)
        if found is None:
            names = [(i.name, [c.name for c in i.columns], i.unique) for i in table.indexes]
            out.append(f"{where}: missing (expected name {expected!r}; mirror has {names})")
            continue
        if expected and found.name != expected:
            out.append(f"{where}: name (prisma {expected!r}, mirror {found.name!r})")
        if found.unique != unique:
            out.append(f"{where}: unique (prisma {unique}, mirror {found.unique})")
        if [c.name for c in found.columns] != cols:
            out.append(f"{where}: columns (mirror {[c.name for c in found.columns]})")
        for spec, col in zip(entry["fields"], found.columns, strict=False):
            sort = (spec.get("sortOrder") or "").lower() or None
            if sort == "desc" and col.sort != "desc":
                out.append(f"{where}: {col.name} sort (prisma 'desc', mirror {col.sort!r})")
            if sort != "desc" and col.sort == "desc":
                out.append(f"{where}: {col.name} sort (prisma {sort!r}, mirror 'desc')")
            if spec.get("length") is not None and col.length != spec["length"]:
                out.append(
                    f"{where}: {col.name} length (prisma {spec['length']}, mirror {col.length})"
                )
        algorithm = entry.get("algorithm")
        if entry["type"] == "fulltext":
            if (found.type or "").lower() != "fulltext":
                out.append(f"{where}: type (prisma 'fulltext', mirror {found.type!r})")
        elif algorithm and (found.type or "").lower() != algorithm.lower():
            out.append(f"{where}: type (prisma {algorithm!r}, mirror {found.type!r})")
        elif not algorithm and (found.type or "btree").lower() != "btree" and provider != "mongodb":
            out.append(f"{where}: type (prisma default, mirror {found.type!r})")


def _find_index(table: Table, cols: Sequence[str], unique: bool, name: str | None) -> Index | None:
    if name:
        for index in table.indexes:
            if index.name == name:
                return index
    for index in table.indexes:
        if [c.name for c in index.columns] == list(cols) and index.unique == unique:
            return index
    return None


def _compare_relations(
    out: list[str], models: Mapping[str, _Model], mirror: Schema, provider: str, no_fks: bool
) -> None:
    for name, m in models.items():
        if m.obj is None or isinstance(m.obj, View):
            continue
        for field in m.model["fields"]:
            relation = field.get("relationName")
            if field["kind"] != "object" or not relation:
                continue
            where = f"{name}.{field['name']}"
            target = models.get(field["type"])
            if target is None or target.obj is None:
                continue  # reported as a missing model
            back = next(
                (
                    f
                    for f in target.model["fields"]
                    if f.get("relationName") == relation
                    and f["type"] == name
                    and not (f["name"] == field["name"] and target is m)
                ),
                None,
            )
            from_fields = field.get("relationFromFields") or []
            if from_fields:
                _compare_owned_relation(
                    out, where, m, field, target, back, mirror, provider, no_fks
                )
            elif field["isList"] and back is not None and back["isList"]:
                if (name, field["name"]) <= (field["type"], back["name"]):
                    _compare_implicit_m2m(out, where, relation, mirror, provider)
            elif back is None or not back.get("relationFromFields"):
                out.append(f"{where}: relation {relation!r} has no owning side in Prisma's view")
            else:
                found = [
                    r
                    for r in mirror.relations
                    if r.back_field == field["name"] and r.referenced_table == m.obj.name
                ]
                if not found:
                    out.append(f"{where}: back relation field missing from mirror relations")


def _compare_owned_relation(
    out: list[str],
    where: str,
    m: _Model,
    field: DMMF,
    target: _Model,
    back: DMMF | None,
    mirror: Schema,
    provider: str,
    no_fks: bool,
) -> None:
    assert m.obj is not None
    assert target.obj is not None
    cols = tuple(m.column_of(f) for f in field["relationFromFields"])
    ref_cols = tuple(target.column_of(f) for f in field.get("relationToFields") or [])
    rel = next(
        (r for r in mirror.relations if r.table == m.obj.name and r.field == field["name"]), None
    )
    if rel is None:
        out.append(f"{where}: relation missing from the mirror (columns {list(cols)})")
    else:
        if rel.columns != cols or rel.referenced_table != target.obj.name:
            out.append(
                f"{where}: relation (prisma {list(cols)} -> {target.obj.name}, "
                f"mirror {list(rel.columns)} -> {rel.referenced_table})"
            )
        if ref_cols and rel.referenced_columns != ref_cols:
            out.append(
                f"{where}: referenced columns (prisma {list(ref_cols)}, "
                f"mirror {list(rel.referenced_columns)})"
            )
        want_back = back["name"] if back else None
        if rel.back_field != want_back:
            out.append(f"{where}: backField (prisma {want_back!r}, mirror {rel.back_field!r})")
        enforced = "prisma" if no_fks else "database"
        if rel.enforced_by != enforced:
            out.append(f"{where}: enforcedBy (expected {enforced!r}, mirror {rel.enforced_by!r})")
    assert isinstance(m.obj, Table)
    fks = [fk for fk in m.obj.foreign_keys if fk.columns == cols]
    if no_fks:
        if fks:
            out.append(f"{where}: foreign key present although relations are emulated by Prisma")
        return
    if not fks:
        out.append(f"{where}: foreign key on {list(cols)} missing from the mirror")
        return
    fk = fks[0]
    if fk.referenced_table != target.obj.name or (ref_cols and fk.referenced_columns != ref_cols):
        out.append(
            f"{where}: foreign key target (prisma {target.obj.name}{list(ref_cols)}, "
            f"mirror {fk.referenced_table}{list(fk.referenced_columns)})"
        )
    required = all(m.fields[f]["isRequired"] for f in field["relationFromFields"] if f in m.fields)
    on_delete = ACTIONS.get(
        field.get("relationOnDelete", ""), "RESTRICT" if required else "SET NULL"
    )
    on_update = ACTIONS.get(field.get("relationOnUpdate", ""), "CASCADE")
    if fk.on_delete != on_delete:
        out.append(f"{where}: onDelete (prisma {on_delete!r}, mirror {fk.on_delete!r})")
    if fk.on_update != on_update:
        out.append(f"{where}: onUpdate (prisma {on_update!r}, mirror {fk.on_update!r})")


def _compare_implicit_m2m(
    out: list[str], where: str, relation: str, mirror: Schema, provider: str
) -> None:
    name = f"_{relation}"
    if provider in LIST_NULLABLE and len(name.encode()) > MAX_NAME:
        name = name.encode()[:MAX_NAME].decode(errors="ignore")
    table = mirror.table(name)
    if table is None:
        out.append(f"{where}: implicit many-to-many join table {name!r} missing from the mirror")
        return
    if [c.name for c in table.columns] != ["A", "B"]:
        out.append(f"{where}: join table {name!r} columns {[c.name for c in table.columns]}")
    if table.prisma_name is not None:
        out.append(f"{where}: join table {name!r} has prismaName {table.prisma_name!r}")


def _compare_enums(out: list[str], datamodel: DMMF, mirror: Schema, provider: str) -> None:
    # MySQL has no enum types, only inline `enum(...)` columns: an enum has no database name
    # of its own (introspection calls it `{table}_{column}`), there may be one per column, and
    # an enum no column uses is not in the database at all.
    inline = provider == "mysql"
    used = {f["type"] for m in datamodel["models"] for f in m["fields"] if f["kind"] == "enum"}
    by_prisma: dict[str, list[Enum]] = {}
    for e in mirror.enums:
        by_prisma.setdefault(e.prisma_name or e.name, []).append(e)
    for enum in datamodel["enums"]:
        where = f"enum {enum['name']}"
        found = by_prisma.get(enum["name"], [])
        db_name = enum.get("dbName") or enum["name"]
        if not found:
            if not (inline and enum["name"] not in used):
                out.append(f"{where}: missing from the mirror (expected {db_name!r})")
            continue
        want = [(v.get("dbName") or v["name"], v["name"]) for v in enum["values"]]
        for got in found:
            if not inline and got.name != db_name:
                out.append(f"{where}: name (prisma {db_name!r}, mirror {got.name!r})")
            have = [(v.name, v.prisma_name or v.name) for v in got.values]
            if want != have:
                out.append(f"{where}: values of {got.name} (prisma {want}, mirror {have})")
        if not inline and len(found) > 1:
            out.append(f"{where}: {len(found)} mirror enums carry this prismaName")


def _compare_types(
    out: list[str],
    datamodel: DMMF,
    mirror: Schema,
    provider: str,
    enums: Mapping[str, DMMF],
) -> None:
    by_name = {t.name: t for t in mirror.types}
    for ctype in datamodel.get("types", []):
        got = by_name.get(ctype["name"])
        if got is None:
            out.append(f"type {ctype['name']}: composite type missing from the mirror")
            continue
        columns = {c.prisma_name or c.name: c for c in got.columns}
        for field in ctype["fields"]:
            where = f"type {ctype['name']}.{field['name']}"
            col = columns.get(field["name"])
            if col is None:
                out.append(f"{where}: field missing from the mirror")
                continue
            _compare_column(out, where, field, col, provider, enums)
