"""DBML (dbdiagram.io, dbdocs, Liam ERD) of a mirror, for `schemasync export --format dbml`.

Every name is a double-quoted identifier (`"public"."orders"`), every type too (`"numeric(12,2)"`,
`"timestamp with time zone"`); enums, tables with their columns (pk, increment, not null,
default, note), indexes (unique, type, name; a partial index's predicate as its note), check
constraints, table comments; then one `Ref` per foreign key with its ON DELETE / ON UPDATE, and
per relation Prisma enforces alone (no actions, noted). DBML has no view: a view is a `Table`
whose note says it is one and holds its SQL. What DBML cannot carry (an index column's sort, a
MongoDB composite type) is said in a `//` comment, never dropped silently. Pure functions only;
`tests/test_diagrams_valid.py` parses every DBML the tests render with `@dbml/core`.
"""

from __future__ import annotations

from schemasync.diagram import edges
from schemasync.model import Column, Default, Index, Schema, Table, View


def _name(text: str) -> str:
    """A double-quoted DBML identifier (a newline inside one is an error: escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _qualified(schema: str | None, name: str) -> str:
    return f"{_name(schema)}.{_name(name)}" if schema else _name(name)


def _note(text: str) -> str:
    """A DBML string: `'…'`, or `'''…'''` over several lines."""
    escaped = text.replace("\\", "\\\\")
    if "\n" in text:
        return "'''" + escaped.replace("'''", "\\'''") + "'''"
    return "'" + escaped.replace("'", "\\'") + "'"


def _expression(sql: str) -> str:
    return "`" + " ".join(sql.replace("`", "'").split()) + "`"


def _default(default: Default) -> str:
    if default.kind == "literal":
        value = default.value
        if value in ("true", "false"):
            return value
        try:
            float(value)
        except ValueError:
            return _note(value)
        return value
    if default.kind == "function":
        return _expression(f"{default.name}()")
    return _expression(default.sql)


def _column(col: Column, table: Table | View, enum_types: dict[str, str]) -> str:
    settings = []
    pk = table.primary_key.columns if isinstance(table, Table) and table.primary_key else ()
    if len(pk) == 1 and pk[0] == col.name:
        settings.append("pk")
    if col.autoincrement or col.identity:
        settings.append("increment")
    if not col.nullable:
        settings.append("not null")
    if col.generated is not None:
        settings.append(f"default: {_expression(col.generated)}")
    elif col.default is not None:
        settings.append(f"default: {_default(col.default)}")
    notes = [col.comment] if col.comment else []
    if col.generated is not None:
        notes.append("generated always as this expression")
    if notes:
        settings.append(f"note: {_note(chr(10).join(notes))}")
    type_text = enum_types.get(col.db_type) or _name(col.db_type)
    line = f"  {_name(col.name)} {type_text}"
    return line + (f" [{', '.join(settings)}]" if settings else "")


def _index(index: Index, names: set[str]) -> list[str]:
    # an expression, or a path into a MongoDB composite type (`addresses.city`): no column of
    # the table, so DBML takes it as an expression (its parser refuses an unknown column)
    parts = [
        _name(c.name) if c.name in names and not c.expression else _expression(c.name)
        for c in index.columns
    ]
    settings = []
    if index.unique:
        settings.append("unique")
    settings.append(f"name: {_note(index.name)}")
    if index.type:
        settings.append(f"type: {index.type.lower()}")
    if index.predicate is not None:
        settings.append(f"note: {_note('partial: WHERE ' + index.predicate)}")
    lines = []
    sorted_columns = [f"{c.name} {c.sort}" for c in index.columns if c.sort]
    if sorted_columns:
        lines.append(f"    // sort order not in DBML: {', '.join(sorted_columns)}")
    lines.append(f"    ({', '.join(parts)}) [{', '.join(settings)}]")
    return lines


def _table(obj: Table | View, enum_types: dict[str, str]) -> list[str]:
    lines = [f"Table {_qualified(obj.db_schema, obj.name)} {{"]
    lines += [_column(c, obj, enum_types) for c in obj.columns]
    if isinstance(obj, Table):
        pk = obj.primary_key
        index_lines = []
        if pk is not None and len(pk.columns) > 1:
            name = f", name: {_note(pk.name)}" if pk.name else ""
            index_lines.append(f"    ({', '.join(map(_name, pk.columns))}) [pk{name}]")
        for index in obj.indexes:
            index_lines += _index(index, {c.name for c in obj.columns})
        if index_lines:
            lines += ["", "  indexes {", *index_lines, "  }"]
        if obj.checks:
            lines += ["", "  checks {"]
            lines += [
                f"    {_expression(c.expression)} [name: {_note(c.name)}]" for c in obj.checks
            ]
            lines.append("  }")
    notes = []
    if isinstance(obj, View):
        notes.append(
            "View (DBML has no views)" + (f":\n{obj.definition}" if obj.definition else ".")
        )
    if obj.comment:
        notes.append(obj.comment)
    if notes:
        lines += ["", f"  Note: {_note(chr(10).join(notes))}"]
    lines.append("}")
    return lines


def render_dbml(schema: Schema) -> str:
    """Return the DBML text of `schema`."""
    enum_types: dict[str, str] = {}
    lines = [f"// {schema.provider} schema exported by schemasync from db/schema/tables.json"]
    for enum in schema.enums:
        enum_types.setdefault(enum.name, _qualified(enum.db_schema, enum.name))
        lines += ["", f"Enum {_qualified(enum.db_schema, enum.name)} {{"]
        lines += [f"  {_name(v.name)}" for v in enum.values]
        lines.append("}")
    objects: list[Table | View] = [*schema.tables, *schema.views]
    for obj in objects:
        lines += ["", *_table(obj, enum_types)]
    for kind in schema.types:
        lines += ["", f"// composite type {kind.name} (MongoDB): not in DBML"]
    refs = edges(schema)
    if refs:
        lines.append("")
    for edge in refs:
        name = f" {_name(edge.name)}" if edge.name else ""
        child = f"{_qualified(*edge.child)}.({', '.join(map(_name, edge.columns))})"
        parent = f"{_qualified(*edge.parent)}.({', '.join(map(_name, edge.referenced))})"
        if edge.on_delete is None:
            lines.append('// enforced by Prisma only (relationMode = "prisma"): no foreign key')
            lines.append(f"Ref{name}: {child} > {parent}")
        else:
            actions = f"delete: {edge.on_delete.lower()}, update: {(edge.on_update or '').lower()}"
            lines.append(f"Ref{name}: {child} > {parent} [{actions}]")
    return "\n".join(lines) + "\n"
