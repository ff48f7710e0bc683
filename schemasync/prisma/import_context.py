"""The import's context: what every step of `to_model.py` reads, built once from the document.

`build_context` reads the parsed schema in three passes and rejects, at the offending node, what
Prisma would reject (a `SourceError` with a fix):
1. the datasource (`datasource.read_datasource`): exactly one, with a provider Prisma knows. It
   gives the provider's `rules.ProviderRules`, the prefix of native types (`db.` in
   `@db.VarChar`) and whether relations are foreign keys (the relation mode);
2. the attributes: each attribute and named argument is one Prisma knows (`check_attributes`);
3. the index: models, views, enums and composite types by name (one namespace), their database
   names and schemas (one table per model or view), each model's fields sorted into scalar and
   relation fields, with their columns (one field per column), `@id` and `@unique` fields and
   relation names; each enum's database values and the database type of its columns.

The result, an `ImportContext`, is frozen: the steps are functions of it and a node, and nothing
they do changes what another step reads. Its two memo tables are the exception, and only caches:
each value is a function of its key alone in one import (see `to_model._default_key`).

The checks run in this order because it is the order of the errors a schema with several gets;
the steps then run in document order (`to_model.import_document`). Never touches files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

from schemasync.errors import SourceError
from schemasync.prisma import rules
from schemasync.prisma.ast import (
    Attribute,
    Block,
    Document,
    EnumValue,
    Field,
    Pos,
    StringValue,
    Value,
)
from schemasync.prisma.datasource import Datasource, read_datasource

if TYPE_CHECKING:
    from schemasync.model import Default, IndexColumn


def fail(pos: Pos, message: str) -> NoReturn:
    """Raise the `SourceError` of an invalid schema at `pos`."""
    raise SourceError(message, file=pos.file, line=pos.line, col=pos.col)


def string_of(value: Value | None) -> str | None:
    """Return the text of a string value; None for any other value (or none)."""
    return value.value if isinstance(value, StringValue) else None


def hint(name: str, known: Iterable[str]) -> str:
    """Return ` (did you mean `x`?)` for the known name closest to `name`, or nothing."""
    names = list(known)
    same = [k for k in names if k.lower() == name.lower()]
    close = same or difflib.get_close_matches(name, names, n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


@dataclass(frozen=True)
class ModelIndex:
    """A model or view: its database name and schema, and its fields sorted out.

    The tables are in field order. Like every table of the context they are plain dicts (mypyc
    compiles their lookups; a `Mapping` costs 1% of the import) that no step writes.
    """

    block: Block
    db_name: str
    db_schema: str | None
    columns: dict[str, str]  # scalar field -> its column
    scalar_fields: dict[str, Field]  # scalars, enums, composite types, Unsupported
    relation_fields: dict[str, Field]  # fields whose type is a model
    relation_names: dict[str, str | None]  # relation field -> `@relation("name")`, if named
    id_fields: tuple[Field, ...]  # fields with `@id`
    unique_fields: tuple[Field, ...]  # fields with `@unique`


@dataclass(frozen=True)
class EnumIndex:
    """An enum: its database name, the database name of each value, its columns' type."""

    block: Block
    db_name: str
    values: dict[str, str]  # value -> its database name (`@map`)
    db_type: str  # the dbType of a column of this enum on this provider


@dataclass(frozen=True)
class ImportContext:
    """What the import's steps read: built once by `build_context`, then never changed."""

    rules: rules.ProviderRules
    datasource: Datasource
    native_prefix: str  # a native type attribute is `@<datasource>.X`: `db.`
    foreign_keys: bool  # relations are foreign keys in the database (relationMode)
    models: dict[str, ModelIndex]  # models and views, in document order
    enums: dict[str, EnumIndex]
    types: dict[str, Block]  # composite types
    view_sql: Mapping[tuple[str | None, str], str]  # (schema, view name) -> its SQL
    # Memo tables, the only mutable parts: `@default(...)` results by `to_model._default_key`
    # and index columns by (column, sort, length). A hit is what computing would return; the
    # mirror's models are immutable, so columns share them.
    defaults: dict[tuple[str, ...], tuple[Default | None, str | None, bool]] = field(
        default_factory=dict
    )
    index_columns: dict[tuple[str, str | None, int | None], IndexColumn] = field(
        default_factory=dict
    )


def build_context(doc: Document, view_sql: Mapping[tuple[str | None, str], str]) -> ImportContext:
    """Return the context of importing `doc`: check it as Prisma would, then index it.

    Raises:
        SourceError: no or two datasources, an unknown provider, attribute or argument, a name
            defined twice, two models or views mapped to one table, two fields mapped to one
            column, a field of an unknown type, `@map`/`@@map`/`@@schema` without a string: at
            the node, with a fix.
    """
    datasource, provider = _checked_datasource(doc)
    check_attributes(doc, datasource.name)
    seen: dict[str, Block] = {}
    enums: dict[str, EnumIndex] = {}
    types: dict[str, Block] = {}
    named: dict[str, tuple[Block, str, str | None]] = {}  # models and views
    for block in doc.of_kind("model", "view", "enum", "type"):
        if block.name in seen:
            fail(
                block.pos,
                f"`{block.name}` is already defined at {seen[block.name].pos}; rename one of "
                "them (a model, view, enum and type share one namespace)",
            )
        seen[block.name] = block
        if block.kind == "enum":
            enums[block.name] = _index_enum(block, provider)
        elif block.kind == "type":
            types[block.name] = block
        else:
            named[block.name] = (block, mapped_name(block), schema_of(block, provider))
    _check_tables(named)
    models = {
        name: _index_model(block, db_name, db_schema, named, enums, types)
        for name, (block, db_name, db_schema) in named.items()
    }
    return ImportContext(
        rules=provider,
        datasource=datasource,
        native_prefix=f"{datasource.name}.",
        foreign_keys=datasource.relation_mode != "prisma",
        models=models,
        enums=enums,
        types=types,
        view_sql=view_sql,
    )


def _checked_datasource(doc: Document) -> tuple[Datasource, rules.ProviderRules]:
    """Return the datasource's facts and its provider's rules; reject what Prisma rejects."""
    ds = read_datasource(doc)
    if ds.block is None:
        message = (
            'no `datasource` block; add `datasource db { provider = "postgresql" }` '
            "(the provider decides every database type)"
        )
        if doc.blocks:
            fail(doc.blocks[0].pos, message)
        raise SourceError(message)
    for extra in ds.extra_blocks:
        fail(extra.pos, "a schema may have only one `datasource` block; remove this one")
    if ds.provider is None or ds.provider_property is None:
        fail(ds.block.pos, 'the datasource has no `provider = "..."`; add one, e.g. "postgresql"')
    provider = rules.PROVIDERS.get(ds.provider)
    if provider is None:
        fail(
            ds.provider_property.value.pos,
            f"unknown provider {ds.provider!r}{hint(ds.provider, rules.PROVIDERS)}; use one of "
            f"{', '.join(sorted(rules.PROVIDERS))}",
        )
    return ds, provider


def check_attributes(doc: Document, datasource: str) -> None:
    """Reject an attribute or named argument Prisma does not know (P1012), with a hint.

    A field attribute that names the datasource (`@db.VarChar`) is a native type; its name is
    the database's to know.
    """
    field_args = rules.FIELD_ATTRIBUTE_ARGS
    for block in doc.of_kind("model", "view", "enum", "type"):
        for attr in block.attributes:
            _check_attribute(attr, rules.BLOCK_ATTRIBUTE_ARGS, datasource)
        for f in block.fields:
            for attr in f.attributes:
                # the usual attribute, known and with known argument names or none, passes here
                allowed = field_args.get(attr.name)
                if allowed is None:
                    _check_attribute(attr, field_args, datasource)  # a native type, or an error
                for arg in attr.args:
                    if arg.name is not None and allowed is not None and arg.name not in allowed:
                        _check_attribute(attr, field_args, datasource)
        for v in block.values:
            for attr in v.attributes:
                _check_attribute(attr, field_args, datasource)


def _check_attribute(attr: Attribute, table: dict[str, tuple[str, ...]], datasource: str) -> None:
    at = "@@" if attr.block else "@"
    allowed = table.get(attr.name)
    if allowed is None:
        prefix, dot, _ = attr.name.partition(".")
        if dot and not attr.block:
            if prefix == datasource:
                return  # a native type, `@db.VarChar(200)`: see `to_model._db_type`
            fail(
                attr.pos,
                f"unknown attribute `@{attr.name}`; native types are written "
                f"`@{datasource}.{attr.name[len(prefix) + 1 :]}` (after the "
                f"datasource's name, `{datasource}`)",
            )
        close = difflib.get_close_matches(attr.name, table, n=1)
        suggestion = f"; did you mean `{at}{close[0]}`?" if close else ""
        fail(attr.pos, f"unknown attribute `{at}{attr.name}`{suggestion}")
    for arg in attr.args:
        if arg.name is None or arg.name in allowed:
            continue
        close = difflib.get_close_matches(arg.name, allowed, n=1)
        if close:
            suggestion = f"; did you mean `{close[0]}`?"
        elif allowed:
            suggestion = "; it accepts " + ", ".join(f"`{a}`" for a in allowed)
        else:
            suggestion = "; it takes no arguments"
        fail(arg.pos, f"unknown argument `{arg.name}` of `{at}{attr.name}`{suggestion}")


# --- names -------------------------------------------------------------------------------


def _check_tables(named: Mapping[str, tuple[Block, str, str | None]]) -> None:
    """Reject two models or views with one database name in one schema (Prisma: P1012).

    Prisma reports a mapped one at its `@@map`: the later of two mapped ones, the mapped one
    when the other is a model's own name (`model B { @@map("A") }` before `model A {}` too).
    Without the check the mirror would hold two tables of one name and the context would mix
    their columns.
    """
    tables: dict[tuple[str | None, str], Block] = {}
    unmapped = [entry for entry in named.values() if entry[0].attribute("map") is None]
    mapped = [entry for entry in named.values() if entry[0].attribute("map") is not None]
    for block, db_name, db_schema in unmapped + mapped:
        first = tables.setdefault((db_schema, db_name), block)
        if first is not block:
            attr = block.attribute("map")
            fail(
                block.pos if attr is None else attr.pos,
                f'The model with database name "{db_name}" could not be defined because another '
                f'model or view with this name exists: "{first.name}" (at {first.pos}); give '
                'one of them another `@@map("…")`',
            )


def mapped_name(block: Block) -> str:
    """Return the database name of a model, view, enum or type: `@@map("x")`, else its name."""
    name = _block_string(block, "map", "name", 'the table name as a string: @@map("table_name")')
    return block.name if name is None else name


def schema_of(block: Block, provider: rules.ProviderRules) -> str | None:
    """Return the database schema of a model, view or enum: `@@schema("x")`, else the default."""
    name = _block_string(block, "schema", "map", 'the schema name as a string: @@schema("public")')
    return provider.default_schema if name is None else name


def _block_string(block: Block, attribute: str, argument: str, needs: str) -> str | None:
    """Return the string that block attribute `@@<attribute>` gives (as `argument`, or its first
    positional one); None when the block has no such attribute."""
    attr = block.attribute(attribute)
    if attr is None:
        return None
    value = string_of(attr.arg(argument, 0))
    if value is None:
        fail(attr.pos, f"`@@{attribute}` needs {needs}")
    return value


def _column_name(f: Field) -> str:
    """Return the column of scalar field `f`: its (first) `@map("x")`, else its name."""
    mapped = f.attribute("map")
    if mapped is None:
        return f.name
    args = mapped.args
    if len(args) == 1 and args[0].name is None and isinstance(args[0].value, StringValue):
        return args[0].value.value  # the usual `@map("column")`
    column = string_of(mapped.arg("name", 0))
    if column is None:
        fail(mapped.pos, '`@map` needs the column name as a string: @map("column_name")')
    return column


def value_name(value: EnumValue) -> str:
    """Return the database name of an enum value: `@map("x")`, else its name."""
    mapped = value.attribute("map")
    return (string_of(mapped.arg("name", 0)) if mapped else None) or value.name


# --- the index ---------------------------------------------------------------------------


def _index_enum(block: Block, provider: rules.ProviderRules) -> EnumIndex:
    values: dict[str, str] = {}
    for v in block.values:
        if v.name not in values:  # the first value of a name counts
            values[v.name] = value_name(v)
    db_name = mapped_name(block)
    quoted = ",".join("'" + values[v.name].replace("'", "''") + "'" for v in block.values)
    db_type = provider.enum_db_type.format(name=db_name, values=quoted)
    return EnumIndex(block=block, db_name=db_name, values=values, db_type=db_type)


def _index_model(
    block: Block,
    db_name: str,
    db_schema: str | None,
    models: Mapping[str, object],
    enums: Mapping[str, EnumIndex],
    types: Mapping[str, Block],
) -> ModelIndex:
    """Sort the fields of model or view `block` into scalar and relation fields."""
    scalars = rules.SCALARS
    columns: dict[str, str] = {}
    by_column: dict[str, str] = {}  # column -> its field: two fields cannot share one
    scalar_fields: dict[str, Field] = {}
    relation_fields: dict[str, Field] = {}
    relation_names: dict[str, str | None] = {}
    id_fields: list[Field] = []
    unique_fields: list[Field] = []
    for f in block.fields:
        fname = f.name
        if fname in scalar_fields or fname in relation_fields:
            fail(f.pos, f"field `{fname}` is defined twice in `{block.name}`; rename one")
        if f.attribute("id") is not None:
            id_fields.append(f)
        if f.attribute("unique") is not None:
            unique_fields.append(f)
        ftype = f.type
        tname = ftype.name
        if tname in scalars or ftype.unsupported is not None or tname in enums or tname in types:
            scalar_fields[fname] = f
            column = _column_name(f)
            if column in by_column:
                other = by_column[column]
                fail(
                    f.pos,
                    f'Field "{fname}" is already defined on model "{block.name}": it maps to '
                    f'column "{column}", as field `{other}` does; give one of them another '
                    '`@map("…")`',
                )
            by_column[column] = fname
            columns[fname] = column
        elif tname in models:
            relation_fields[fname] = f
            relation = f.attribute("relation")
            relation_names[fname] = string_of(relation.arg("name", 0)) if relation else None
        else:
            known = (*scalars, *enums, *types, *models)
            fail(
                ftype.pos,
                f"unknown type `{tname}`{hint(tname, known)}; use a Prisma scalar type or "
                "the name of a model, enum or composite type defined in the schema",
            )
    return ModelIndex(block, db_name, db_schema, columns, scalar_fields, relation_fields,
                      relation_names, tuple(id_fields), tuple(unique_fields))  # fmt: skip
