"""Prisma syntax tree -> `Schema`: what a Prisma schema puts in the database (SPEC §4).

The import is two stages. First `import_context.build_context` checks the document as Prisma
would and builds the frozen context: the provider's rules, the datasource, the relation mode, the
index of models, enums and composite types. Then the steps below, each a function of the context
and a node, build the mirror in document order:
- names: a field's column (`column_of`), an index's columns (`_field_list`);
- columns and defaults: `_columns`, `_column`, `_db_type`, `_default` (literals, lists, dates);
- keys: `_primary_key`, `_indexes`; relations: `_relations`, `_link`;
- implicit many-to-many join tables: `_join_tables`;
- enums as the provider stores them, composite types and views.

Steps that find something the mirror cannot hold add a `Note` to the list they are given; that
list is only written, and the `Schema` sorts it, so no step reads what another wrote. Prisma's
facts (type tables, default names, actions) are `rules.py`'s; the result speaks the database's
language: names after `@map`/`@@map`, constraint names as the database has them, default
referential actions spelled out, implicit many-to-many join tables as tables. Every semantic error
is a `SourceError` at the node's position with a fix hint. It never touches files (see
`load.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from schemasync import model
from schemasync.gcpause import paused_gc
from schemasync.prisma import ast, rules
from schemasync.prisma.import_context import (
    ImportContext,
    ModelIndex,
    build_context,
    fail,
    hint,
    mapped_name,
    schema_of,
    string_of,
    value_name,
)
from schemasync.trusted import trusted, trusted_column, trusted_table

if TYPE_CHECKING:
    from schemasync.model import Action, Default


def import_document(
    doc: ast.Document,
    *,
    source: model.Source,
    view_definitions: Mapping[tuple[str | None, str], str] | None = None,
) -> model.Schema:
    """Return the mirror of what Prisma schema `doc` puts in the database.

    Args:
        doc: the parsed schema (all files).
        source: provenance recorded in the mirror (kind, repo-relative path, sha256).
        view_definitions: SQL of views keyed by (schema, view name), from
            `prisma/views/<schema>/<name>.sql`.

    Raises:
        SourceError: the schema is not valid (unknown type, relation to an unknown model, ...),
            at `file:line:col` of the offending node, with a hint.
    """
    with paused_gc():
        ctx = build_context(doc, view_definitions or {})
        notes: list[model.Note] = []
        enums = tuple(_enum(ctx, e.block) for e in ctx.enums.values())
        for block in ctx.types.values():
            _check_type_fields(ctx, block)
        types = tuple(
            model.CompositeType(name=mapped_name(b), columns=_type_columns(ctx, b, notes))
            for b in ctx.types.values()
        )
        tables: list[model.Table] = []
        views: list[model.View] = []
        relations: list[model.Relation] = []
        for info in ctx.models.values():
            if info.block.kind == "view":
                views.append(_view(ctx, info, notes))
            else:
                table, rels = _table(ctx, info, notes)
                tables.append(table)
                relations.extend(rels)
        join_tables, join_relations = _join_tables(ctx)
        tables.extend(join_tables)
        relations.extend(join_relations)
        enums = _stored_enums(ctx, enums, [*tables, *views], notes)
        return model.Schema(
            provider=ctx.rules.name,
            source=source,
            tables=tuple(tables),
            views=tuple(views),
            enums=enums,
            relations=tuple(relations),
            types=types,
            notes=tuple(notes),
        )


def _ident(value: ast.Value | None) -> str | None:
    return value.name if isinstance(value, ast.IdentValue) else None


# --- enums and composite types --------------------------------------------------------------


def _enum(ctx: ImportContext, block: ast.Block) -> model.Enum:
    return model.Enum(
        name=ctx.enums[block.name].db_name,
        db_schema=schema_of(block, ctx.rules),
        prisma_name=block.name,
        values=tuple(model.EnumValue(name=value_name(v), prisma_name=v.name) for v in block.values),
    )


def _stored_enums(
    ctx: ImportContext,
    enums: tuple[model.Enum, ...],
    relations: list[model.Table | model.View],
    notes: list[model.Note],
) -> tuple[model.Enum, ...]:
    """Return the enums as the provider stores them (`ProviderRules.enum_kind`)."""
    if ctx.rules.enum_kind == "inline":
        # MySQL has no enum types: each enum column is its own `enum(...)`, named
        # `{table}_{column}` as Prisma's introspection names it.
        by_name = {e.prisma_name: e for e in enums}
        return tuple(
            model.Enum(
                name=f"{rel.name}_{col.name}", prisma_name=col.type, values=by_name[col.type].values
            )
            for rel in relations
            for col in rel.columns
            if col.type in by_name
        )
    if ctx.rules.enum_kind == "none":
        notes.extend(
            model.Note(
                object=e.name,
                message=f"enum `{e.prisma_name}` is not a database type on {ctx.rules.name}: "
                "its columns hold text and only Prisma Client checks the values",
            )
            for e in enums
        )
    return enums


def _check_type_fields(ctx: ImportContext, block: ast.Block) -> None:
    """A composite type's fields may be scalars, enums or other composite types only."""
    for f in block.fields:
        tname = f.type.name
        if f.type.unsupported is None and not (
            tname in rules.SCALARS or tname in ctx.enums or tname in ctx.types
        ):
            known = (*rules.SCALARS, *ctx.enums, *ctx.types)
            fail(
                f.type.pos,
                f"unknown type `{tname}`{hint(tname, known)} in composite type "
                f"`{block.name}`; use a Prisma scalar type, an enum or a composite type",
            )


def _type_columns(
    ctx: ImportContext, block: ast.Block, notes: list[model.Note]
) -> tuple[model.Column, ...]:
    """Return the columns of composite type `block` (MongoDB), named after `@map`."""
    cols = []
    for f in block.fields:
        if f.type.unsupported is None and f.type.name in ctx.models:
            continue
        mapped = f.attribute("map")
        name = (string_of(mapped.arg("name", 0)) if mapped else None) or f.name
        cols.append(_column(ctx, f, name, block.name, notes))
    return tuple(cols)


# --- names -------------------------------------------------------------------------------


def column_of(ctx: ImportContext, info: ModelIndex, name: str, node: ast.Node) -> str:
    """Return the column of field `name` of `info`; an error is reported at `node`."""
    column = info.columns.get(name)
    if column is not None:
        return column
    head, dot, rest = name.partition(".")
    if dot and head in info.columns and info.scalar_fields[head].type.name in ctx.types:
        # MongoDB: an index on a field of a composite type, `addresses.number`.
        return f"{info.columns[head]}.{rest}"
    if name in info.relation_fields:
        fail(node.pos, f"`{name}` is a relation field; list its scalar fields instead")
    fail(
        node.pos,
        f"`{info.block.name}` has no field `{name}`{hint(name, info.columns)}; use a scalar "
        "field of the model",
    )


def _field_list(
    ctx: ImportContext, info: ModelIndex, attr: ast.Attribute, notes: list[model.Note]
) -> list[model.IndexColumn]:
    """Return the columns of `@@id`/`@@unique`/`@@index`/`@@fulltext`, with sort and length."""
    value = attr.arg("fields", 0)
    # Prisma also accepts a single field without brackets: `@@index(userId)`.
    items: tuple[ast.Value, ...] | None = (
        (value,) if isinstance(value, (ast.IdentValue, ast.CallValue)) else None
    )
    if isinstance(value, ast.ArrayValue) and value.items:
        items = value.items
    if items is None:
        fail(attr.pos, f"`@@{attr.name}` needs a list of fields, e.g. @@{attr.name}([a, b])")
    out = []
    for item in items:
        args: tuple[ast.Argument, ...] = ()
        if isinstance(item, ast.IdentValue):
            name = item.name
        elif isinstance(item, ast.CallValue):
            name, args = item.name, item.args
        else:
            fail(item.pos, "expected a field name here")
        column = column_of(ctx, info, name, item)
        sort = length = None
        for arg in args:
            if arg.name == "sort":
                sort = "desc" if _ident(arg.value) == "Desc" else None
            elif arg.name == "length" and isinstance(arg.value, ast.NumberValue):
                length = _length(arg.value)
            elif arg.name == "ops":
                notes.append(
                    model.Note(
                        object=f"{info.db_name}.{column}",
                        message=model.operator_class_note(_operator_class(arg.value)),
                    )
                )
        out.append(_index_column(ctx, column, sort, length))
    return out


def _index_column(
    ctx: ImportContext, column: str, sort: str | None, length: int | None
) -> model.IndexColumn:
    """Return the (immutable, shared: `ImportContext.index_columns`) index column of this shape."""
    key = (column, sort, length)
    hit = ctx.index_columns.get(key)
    if hit is None:
        hit = ctx.index_columns[key] = trusted(
            model.IndexColumn, name=column, sort=sort, length=length
        )
    return hit


# --- columns and defaults --------------------------------------------------------------------


def _columns(
    ctx: ImportContext, info: ModelIndex, notes: list[model.Note]
) -> tuple[model.Column, ...]:
    """Return the columns of a model or view: its scalar fields, in field order."""
    # A single `Int @id` (not `@db.Integer`) of a model is the row id on SQLite (`rowid_scalars`).
    rowid_field: ast.Field | None = None
    ids = info.id_fields
    if (
        len(ids) == 1
        and info.block.kind == "model"
        and ids[0].type.name in ctx.rules.rowid_scalars
        and ids[0].attribute(f"{ctx.native_prefix}Integer") is None
    ):
        rowid_field = ids[0]
    columns = info.columns
    return tuple(
        _column(ctx, f, columns[fname], info.db_name, notes, f is rowid_field)
        for fname, f in info.scalar_fields.items()
    )


def _column(
    ctx: ImportContext,
    f: ast.Field,
    name: str,
    owner: str,
    notes: list[model.Note],
    rowid: bool = False,
) -> model.Column:
    default: Default | None = None
    client: str | None = None
    auto = rowid
    attr = f.attribute("default")
    if attr is not None:
        where = f"{owner}.{name}"
        key = _default_key(attr, f.type.name)
        hit = ctx.defaults.get(key) if key is not None else None
        if hit is None:
            hit = _default(ctx, f, attr, where, notes)
            if key is not None:
                ctx.defaults[key] = hit
        default, client, auto_default = hit
        auto = auto or auto_default
        if auto_default and ctx.rules.rowid_scalars and not rowid:
            # `BigInt @id @default(autoincrement())` is a plain `BIGINT PRIMARY KEY`.
            auto = False
            notes.append(
                model.Note(
                    object=where,
                    message="autoincrement() on SQLite creates no AUTOINCREMENT for this "
                    "column (only a single `Int @id` becomes INTEGER PRIMARY KEY "
                    "AUTOINCREMENT)",
                )
            )
    if f.attribute("updatedAt") is not None:
        client = "updatedAt"
    ftype = f.type
    is_list = ftype.list
    # A list column is nullable in the database even when the field is required (db push).
    nullable = ftype.optional or (is_list and ctx.rules.nullable_lists)
    tname = ftype.name
    db_type = ctx.rules.default_db_types.get(tname)  # a scalar without `@db.*`: the usual case
    if db_type is None or is_list or ftype.unsupported is not None or _native(ctx, f) is not None:
        db_type = _db_type(ctx, f)
    return trusted_column(
        name,
        f.name,
        "Unsupported" if ftype.unsupported is not None else tname,
        db_type,
        nullable,
        is_list,
        auto,
        default,
        client,
        f.doc,
    )


def _native(ctx: ImportContext, f: ast.Field) -> ast.Attribute | None:
    """Return field `f`'s native type attribute (`@db.VarChar(200)`), if any."""
    for attr in f.attributes:
        if attr.name.startswith(ctx.native_prefix):
            return attr
    return None


def _db_type(ctx: ImportContext, f: ast.Field) -> str:
    ftype = f.type
    if ftype.unsupported is not None:
        return ftype.unsupported
    # Native types are written after the datasource's name: `@db.VarChar`, `@my_db.VarChar`.
    native = _native(ctx, f)
    tname = ftype.name
    if native is not None:
        args = tuple(_arg_text(a.value) for a in native.args)
        base = ctx.rules.spell_native_type(native.name[len(ctx.native_prefix) :], args)
    elif tname in ctx.enums:
        base = ctx.enums[tname].db_type
    elif tname in ctx.types:
        base = "object"
    else:
        base = ctx.rules.default_db_types[tname]
    return f"{base}[]" if ftype.list else base


def _default_key(attr: ast.Attribute, type_name: str) -> tuple[str, ...] | None:
    """Return a key for `@default(x)` when its result depends only on the key, else None.

    Cached: argument-less calls but `dbgenerated()` (its note names the column), numbers,
    names (`true`, an enum value: per type) and strings but on DateTime fields (their text
    depends on the column's database type).
    """
    args = attr.args
    if len(args) != 1 or args[0].name is not None:
        return None
    value = args[0].value
    if isinstance(value, ast.CallValue):
        if value.args or value.name == "dbgenerated":
            return None
        return ("call", value.name)
    if isinstance(value, ast.NumberValue):
        return ("number", value.text)
    if isinstance(value, ast.IdentValue):
        return ("name", type_name, value.name)
    if isinstance(value, ast.StringValue) and type_name != "DateTime":
        return ("string", value.value)
    return None


_DEFAULT_FUNCTIONS = sorted(
    {
        *rules.AUTOINCREMENT_FUNCTIONS,
        *rules.CLIENT_DEFAULT_FUNCTIONS,
        *rules.DB_FUNCTION_DEFAULTS,
        "dbgenerated",
    }
)


def _default(
    ctx: ImportContext, f: ast.Field, attr: ast.Attribute, where: str, notes: list[model.Note]
) -> tuple[Default | None, str | None, bool]:
    """Return (database default, client default, autoincrement) of `@default(...)`."""
    value = attr.arg("value", 0)
    if value is None:
        fail(attr.pos, "`@default` needs a value, e.g. @default(0) or @default(now())")
    if isinstance(value, ast.CallValue):
        fn = value.name
        if fn in rules.AUTOINCREMENT_FUNCTIONS:
            return None, None, True
        if fn in rules.CLIENT_DEFAULT_FUNCTIONS:
            args = ", ".join(_arg_text(a.value) for a in value.args)
            return None, f"{fn}({args})", False
        if fn in rules.DB_FUNCTION_DEFAULTS:
            return model.FunctionDefault(name=rules.DB_FUNCTION_DEFAULTS[fn]), None, False
        if fn == "dbgenerated":
            sql = string_of(value.args[0].value) if value.args else None
            if not sql:
                notes.append(
                    model.Note(
                        object=where,
                        message="dbgenerated() without SQL: the database "
                        "default is not known to the schema",
                    )
                )
                return None, None, False
            from schemasync.sql.defaults import is_autoincrement_default, read_default

            if is_autoincrement_default(sql, ctx.rules.name):
                return None, None, True
            read = read_default(sql, ctx.rules.name)
            if read.note:
                notes.append(model.Note(object=where, message=read.note))
            return read.default, None, False
        fail(
            value.pos,
            f"unknown default function `{fn}()`{hint(fn, _DEFAULT_FUNCTIONS)}; use one of "
            f"{', '.join(k + '()' for k in _DEFAULT_FUNCTIONS)} or a constant",
        )
    if isinstance(value, ast.ArrayValue):
        return _list_default(ctx, f, value), None, False
    return model.LiteralDefault(value=_literal(ctx, f, value)), None, False


def _literal(ctx: ImportContext, f: ast.Field, value: ast.Value) -> str:
    tname = f.type.name
    if isinstance(value, ast.IdentValue):
        enum = ctx.enums.get(tname)
        if enum is not None:
            db = enum.values.get(value.name)
            if db is None:
                suggestion = hint(value.name, enum.values)
                fail(value.pos, f"enum `{tname}` has no value `{value.name}`{suggestion}")
            return db
        if value.name in ("true", "false"):
            return ctx.rules.boolean_literals[value.name]
        fail(value.pos, f"`{value.name}` is not a valid default for a {tname} field")
    if isinstance(value, ast.NumberValue):
        return value.text
    if isinstance(value, ast.StringValue):
        if tname == "DateTime":
            return _datetime_literal(ctx.rules, value, _db_type(ctx, f))
        return value.value
    fail(value.pos, f"this default is not a constant a {tname} field can hold")


def _datetime_literal(provider: rules.ProviderRules, value: ast.StringValue, db_type: str) -> str:
    try:
        moment = datetime.fromisoformat(value.value.replace("Z", "+00:00"))
    except ValueError:
        fail(
            value.pos,
            f'{value.value!r} is not an ISO 8601 date-time; write e.g. "2020-01-01T00:00:00Z"',
        )
    micro = f"{moment.microsecond:06d}"
    if provider.datetime_as_written:
        # SQLite stores Prisma's own rendering: the offset as written, a 3- or 6-digit
        # fraction when there is one: '2020-01-01 10:20:30.120 +02:00'.
        frac = ""
        if moment.microsecond:
            frac = "." + (micro[:3] if micro.endswith("000") else micro)
        offset = moment.strftime("%z") or "+0000"
        return f"{moment.strftime('%Y-%m-%d %H:%M:%S')}{frac} {offset[:3]}:{offset[3:5]}"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if provider.datetime_fixed_fraction:
        # MySQL pads to the column's precision: datetime(3) -> '2020-01-01 00:00:00.000'
        digits = int(db_type.partition("(")[2].rstrip(")") or 0)
        frac = f".{micro[:digits]}" if digits else ""
    else:
        # PostgreSQL and SQLite show a fraction only when there is one, without trailing 0s
        frac = f".{micro.rstrip('0')}" if moment.microsecond else ""
    base = db_type.partition("(")[0]
    pattern = provider.datetime_literals_by_type.get(base, provider.datetime_literal)
    return moment.strftime(pattern.replace("{frac}", frac))


def _list_default(ctx: ImportContext, f: ast.Field, value: ast.ArrayValue) -> Default | None:
    from schemasync.sql.defaults import normalize_default

    items = []
    for item in value.items:
        text = _literal(ctx, f, item)
        quoted = isinstance(item, ast.StringValue) or f.type.name in ctx.enums
        items.append("'" + text.replace("'", "''") + "'" if quoted else text)
    sql = "ARRAY[" + ", ".join(items) + "]"
    result = normalize_default(sql, ctx.rules.name)
    return result if result is not None else model.ExpressionDefault(sql=sql)


# --- tables, keys and indexes ----------------------------------------------------------------


def _view(ctx: ImportContext, info: ModelIndex, notes: list[model.Note]) -> model.View:
    block = info.block
    definition = ctx.view_sql.get((info.db_schema, info.db_name))
    if definition is None:  # a view's file in another schema's folder, when it is the only one
        matches = [sql for (_, name), sql in sorted(ctx.view_sql.items(), key=_key_sort)
                   if name == info.db_name]  # fmt: skip
        definition = matches[0] if len(matches) == 1 else None
    return model.View(
        name=info.db_name,
        db_schema=info.db_schema,
        prisma_name=block.name,
        ignored=block.attribute("ignore") is not None,
        comment=block.doc,
        columns=_columns(ctx, info, notes),
        definition=definition,
    )


def _table(
    ctx: ImportContext, info: ModelIndex, notes: list[model.Note]
) -> tuple[model.Table, list[model.Relation]]:
    block = info.block
    columns = _columns(ctx, info, notes)
    pk = _primary_key(ctx, info, notes)
    indexes = _indexes(ctx, info, notes)
    fks, relations = _relations(ctx, info)
    if ctx.rules.foreign_key_indexes:
        indexes.extend(_foreign_key_indexes(fks, indexes, pk))
    return (
        trusted_table(
            name=info.db_name,
            db_schema=info.db_schema,
            prisma_name=block.name,
            ignored=block.attribute("ignore") is not None,
            comment=block.doc,
            columns=columns,
            primary_key=pk,
            indexes=tuple(indexes),
            foreign_keys=tuple(fks),
        ),
        relations,
    )


def _primary_key(
    ctx: ImportContext, info: ModelIndex, notes: list[model.Note]
) -> model.PrimaryKey | None:
    block = info.block
    ids = info.id_fields
    block_id = block.attribute("id")
    if ids and block_id is not None:
        fail(block_id.pos, "a model has either `@id` on one field or `@@id([...])`; not both")
    if len(ids) > 1:
        fail(ids[1].pos, "only one field can have `@id`; use `@@id([a, b])` for a compound key")
    if ids:
        attr = ids[0].attribute("id")
        assert attr is not None
        if ids[0].name not in info.columns:
            fail(attr.pos, "`@id` must be on a scalar field")
        _index_notes(info, attr, ids[0].name, notes)
        columns: tuple[str, ...] = (info.columns[ids[0].name],)
    elif block_id is not None:
        attr = block_id
        columns = tuple(c.name for c in _field_list(ctx, info, block_id, notes))
    else:
        return None
    name = None
    if ctx.rules.named_primary_keys:
        name = string_of(attr.arg("map")) or ctx.rules.constraint_name(info.db_name, (), "pkey")
    return trusted(model.PrimaryKey, name=name, columns=columns)


def _index_notes(
    info: ModelIndex, attr: ast.Attribute, field_name: str | None, notes: list[model.Note]
) -> None:
    clustered = _ident(attr.arg("clustered"))
    if clustered is not None:
        what = f"{info.db_name}.{info.columns[field_name]}" if field_name else info.db_name
        notes.append(
            model.Note(
                object=what,
                message=f"`clustered: {clustered}` of "
                f"`@{'@' if attr.block else ''}{attr.name}` is not captured",
            )
        )


def _length(value: ast.NumberValue) -> int:
    """Return an index prefix length; `length: 1.5` or 5,000 digits is a SourceError, not the
    ValueError of `int()`."""
    text = value.text
    if not text.isdigit() or len(text) > 9:
        shown = text if len(text) <= 20 else text[:20] + "…"
        fail(value.pos, f"`length: {shown}` is not a prefix length; write e.g. length: 10")
    return int(text)


def _indexes(ctx: ImportContext, info: ModelIndex, notes: list[model.Note]) -> list[model.Index]:
    out: list[model.Index] = []
    for f in info.unique_fields:
        attr = f.attribute("unique")
        assert attr is not None
        column = column_of(ctx, info, f.name, attr)
        sort = length = mapped = None
        if attr.args:  # `@unique(map: "x", sort: Desc, length: 10)`; mostly just `@unique`
            sort = "desc" if _ident(attr.arg("sort")) == "Desc" else None
            length_arg = attr.arg("length")
            length = _length(length_arg) if isinstance(length_arg, ast.NumberValue) else None
            _index_notes(info, attr, f.name, notes)
            mapped = string_of(attr.arg("map"))
        out.append(
            trusted(
                model.Index,
                name=mapped or ctx.rules.constraint_name(info.db_name, (column,), "key"),
                unique=True,
                columns=(_index_column(ctx, column, sort, length),),
            )
        )
    for attr in info.block.attributes:
        if attr.name not in ("unique", "index", "fulltext"):
            continue
        cols = _field_list(ctx, info, attr, notes)
        _index_notes(info, attr, None, notes)
        kind = "key" if attr.name == "unique" else "idx"
        mapped = string_of(attr.arg("map")) or (
            string_of(attr.arg("name")) if attr.name == "index" else None
        )
        name = mapped or ctx.rules.constraint_name(
            # a composite path `addresses.city` names as `addresses_city`
            info.db_name,
            tuple(c.name.replace(".", "_") for c in cols),
            kind,
        )
        index_type: str | None = None
        if attr.name == "fulltext":
            index_type = "fulltext"
        elif (t := _ident(attr.arg("type"))) is not None:
            if t not in rules.INDEX_TYPES:
                fail(attr.pos, f"unknown index type `{t}`{hint(t, rules.INDEX_TYPES)}")
            index_type = rules.INDEX_TYPES[t]
        out.append(
            trusted(
                model.Index,
                name=name,
                unique=attr.name == "unique",
                type=index_type,
                columns=tuple(cols),
            )
        )
    return out


def _foreign_key_indexes(
    fks: list[model.ForeignKey], indexes: list[model.Index], pk: model.PrimaryKey | None
) -> list[model.Index]:
    """Return the index the database creates for each foreign key no index starts with (MySQL).

    Prisma relies on this: `db pull` of a MySQL database shows `@@index([authorId],
    map: "Post_authorId_fkey")` for every relation without its own index.
    """
    prefixes = [tuple(c.name for c in i.columns) for i in indexes]
    if pk is not None:
        prefixes.append(pk.columns)
    out = []
    for fk in fks:
        n = len(fk.columns)
        if any(p[:n] == fk.columns for p in prefixes):
            continue
        assert fk.name is not None
        out.append(
            trusted(
                model.Index,
                name=fk.name,
                columns=tuple(model.IndexColumn(name=c) for c in fk.columns),
            )
        )
        prefixes.append(fk.columns)
    return out


# --- relations and join tables ---------------------------------------------------------------


def _back_field(
    ctx: ImportContext, info: ModelIndex, f: ast.Field, rel_name: str | None
) -> str | None:
    """Return the field of the related model that is the other end of relation field `f`."""
    target = ctx.models[f.type.name]
    me = info.block.name
    names = target.relation_names
    for other in target.relation_fields.values():
        if other is not f and other.type.name == me and names[other.name] == rel_name:
            return other.name
    return None


def _relations(
    ctx: ImportContext, info: ModelIndex
) -> tuple[list[model.ForeignKey], list[model.Relation]]:
    """Return the foreign keys and relations of the fields with `@relation(fields: [...])`."""
    fks: list[model.ForeignKey] = []
    relations: list[model.Relation] = []
    for f in info.relation_fields.values():
        attr = f.attribute("relation")
        fields = attr.arg("fields") if attr else None
        if attr is None or fields is None:
            continue
        rel_name = info.relation_names[f.name]
        refs = attr.arg("references")
        if not isinstance(fields, ast.ArrayValue) or not isinstance(refs, ast.ArrayValue):
            fail(attr.pos, "`@relation` needs `fields: [...]` and `references: [...]` lists")
        if len(fields.items) != len(refs.items):
            fail(attr.pos, "`fields` and `references` must list the same number of fields")
        target = ctx.models[f.type.name]
        cols = tuple(column_of(ctx, info, _ref_name(v), v) for v in fields.items)
        ref_cols = tuple(column_of(ctx, target, _ref_name(v), v) for v in refs.items)
        # Prisma's "referential arity": required when any scalar field of the relation is
        # required (`parent X? @relation(fields: [parentId])` with `parentId Int` gets
        # RESTRICT, seen in db push), else the relation field's own arity.
        scalars = [info.scalar_fields.get(_ref_name(v)) for v in fields.items]
        required = any(s is not None and not s.type.optional for s in scalars)
        optional = f.type.optional and not required
        on_delete, on_update = (
            ctx.rules.optional_actions if optional else ctx.rules.required_actions
        )
        fk_name = string_of(attr.arg("map")) or ctx.rules.constraint_name(
            info.db_name, cols, "fkey"
        )
        fk, relation = _link(
            ctx,
            name=rel_name or fk_name,
            fk_name=fk_name,
            owner=info,
            table=info.db_name,
            columns=cols,
            target=target,
            referenced_columns=ref_cols,
            actions=(_action(attr, "onDelete", on_delete), _action(attr, "onUpdate", on_update)),
            fields=(f.name, _back_field(ctx, info, f, rel_name)),
        )
        if fk is not None:
            fks.append(fk)
        relations.append(relation)
    return fks, relations


def _link(
    ctx: ImportContext,
    *,
    name: str,
    fk_name: str,
    owner: ModelIndex,
    table: str,
    columns: tuple[str, ...],
    target: ModelIndex,
    referenced_columns: tuple[str, ...],
    actions: tuple[Action, Action],
    fields: tuple[str | None, str | None],
) -> tuple[model.ForeignKey | None, model.Relation]:
    """Return a relation from `table` (in `owner`'s schema) to `target`, and its foreign key
    when the database enforces it (None under `relationMode = "prisma"`)."""
    ends = {
        "columns": columns,
        "referenced_schema": target.db_schema,
        "referenced_table": target.db_name,
        "referenced_columns": referenced_columns,
    }
    fk = None
    if ctx.foreign_keys:
        fk = trusted(
            model.ForeignKey, name=fk_name, on_delete=actions[0], on_update=actions[1], **ends
        )
    relation = trusted(
        model.Relation,
        name=name,
        db_schema=owner.db_schema,
        table=table,
        field=fields[0],
        back_field=fields[1],
        enforced_by="database" if ctx.foreign_keys else "prisma",
        **ends,
    )
    return fk, relation


def _action(attr: ast.Attribute, key: str, default: str) -> Action:
    value = attr.arg(key)
    if value is None:
        return cast("Action", default)
    name = _ident(value)
    if name is None or name not in rules.ACTIONS:
        fail(
            value.pos,
            f"unknown referential action{hint(name or '', rules.ACTIONS)}; use one of "
            f"{', '.join(rules.ACTIONS)}",
        )
    return cast("Action", rules.ACTIONS[name])


def _join_tables(ctx: ImportContext) -> tuple[list[model.Table], list[model.Relation]]:
    """Implicit many-to-many: `_AToB` (or `_<relation name>`) with columns `A` and `B`."""
    tables: list[model.Table] = []
    relations: list[model.Relation] = []
    done: set[tuple[str, str, str]] = set()
    for info in ctx.models.values():
        for f in info.relation_fields.values():
            attr = f.attribute("relation")
            if not f.type.list or (attr is not None and attr.arg("fields") is not None):
                continue
            rel_name = string_of(attr.arg("name", 0)) if attr else None
            target = ctx.models[f.type.name]
            back = _back_field(ctx, info, f, rel_name)
            back_f = target.relation_fields.get(back) if back else None
            if back_f is None or not back_f.type.list:
                continue
            a_model, b_model = sorted((info.block.name, target.block.name))
            key = (rel_name or "", a_model, b_model)
            if key in done:
                continue
            done.add(key)
            a_field, b_field = (
                (f.name, back_f.name) if info.block.name == a_model else (back_f.name, f.name)
            )
            if a_model == b_model:
                a_field, b_field = sorted((f.name, back_f.name))
            table, rels = _join_table(
                ctx,
                rel_name or f"{a_model}To{b_model}",
                (ctx.models[a_model], a_field),
                (ctx.models[b_model], b_field),
                f.pos,
            )
            tables.append(table)
            relations.extend(rels)
    return tables, relations


def _join_table(
    ctx: ImportContext,
    rel: str,
    a: tuple[ModelIndex, str],
    b: tuple[ModelIndex, str],
    pos: ast.Pos,
) -> tuple[model.Table, list[model.Relation]]:
    """Return join table `_{rel}` of models `a` and `b` (each with its relation field)."""
    provider = ctx.rules
    full = f"_{rel}"
    name = rules.cut_identifier(full, provider.name_limit)  # PostgreSQL itself cuts the name
    columns = []
    fks = []
    relations = []
    for letter, (target, own), (_, other) in (("A", a, b), ("B", b, a)):
        id_field = _single_id(target, pos)
        columns.append(
            model.Column(name=letter, type=id_field.type.name, db_type=_db_type(ctx, id_field))
        )
        # Prisma cuts `_{rel}` to (limit - len(suffix)) and keeps the suffix (db push:
        # `_AVeryLong...ToAVeryLon_A_fkey`, 63 bytes).
        fk_name = provider.cut_name(full, f"_{letter}_fkey")
        fk, relation = _link(
            ctx,
            name=fk_name,
            fk_name=fk_name,
            owner=a[0],
            table=name,
            columns=(letter,),
            target=target,
            referenced_columns=(target.columns[id_field.name],),
            actions=("CASCADE", "CASCADE"),
            fields=(own, other),
        )
        if fk is not None:
            fks.append(fk)
        relations.append(relation)
    b_index = model.Index(name=provider.cut_name(full, "_B_index"),
                          columns=(model.IndexColumn(name="B"),))  # fmt: skip
    if provider.join_table_primary_key:
        pk = model.PrimaryKey(name=provider.cut_name(full, "_AB_pkey"), columns=("A", "B"))
        indexes = [b_index]
    else:
        pk = None
        indexes = [
            model.Index(name=provider.cut_name(full, "_AB_unique"), unique=True,
                        columns=(model.IndexColumn(name="A"), model.IndexColumn(name="B"))),
            b_index,
        ]  # fmt: skip
    table = model.Table(
        name=name,
        db_schema=a[0].db_schema,
        columns=tuple(columns),
        primary_key=pk,
        indexes=tuple(indexes),
        foreign_keys=tuple(fks),
    )
    return table, relations


def _single_id(target: ModelIndex, pos: ast.Pos) -> ast.Field:
    ids = target.id_fields
    if len(ids) != 1:
        fail(
            pos,
            f"an implicit many-to-many relation needs `{target.block.name}` to have a single "
            "`@id` field; give it one or model the join table explicitly",
        )
    return ids[0]


def _ref_name(value: ast.Value) -> str:
    if isinstance(value, (ast.IdentValue, ast.CallValue)):
        return value.name
    fail(value.pos, "expected a field name here")


def _operator_class(value: ast.Value) -> str:
    """PostgreSQL's name of the operator class `ops:` names (`JsonbPathOps`, `raw("x_ops")`)."""
    if isinstance(value, ast.CallValue) and value.name == "raw" and len(value.args) == 1:
        return _arg_text(value.args[0].value)
    if isinstance(value, ast.IdentValue):
        return rules.postgres_operator_class(value.name)
    return _arg_text(value)


def _arg_text(value: ast.Value) -> str:
    if isinstance(value, ast.NumberValue):
        return value.text
    if isinstance(value, ast.IdentValue):
        return value.name
    if isinstance(value, ast.StringValue):
        return value.value
    if isinstance(value, ast.CallValue):
        return f"{value.name}({', '.join(_arg_text(a.value) for a in value.args)})"
    return "[" + ", ".join(_arg_text(v) for v in value.items) + "]"


def _key_sort(item: tuple[tuple[str | None, str], str]) -> tuple[str, str]:
    (schema, name), _ = item
    return (schema or "", name)
