"""Prisma syntax tree -> `Schema`: what a Prisma schema puts in the database (SPEC §4).

This module owns the walk over the AST and the semantic checks (unknown types, unknown fields,
duplicate names); Prisma's facts (type tables, default names, actions) come from `rules.py`.
The result speaks the database's language: names after `@map`/`@@map`, constraint names as the
database has them, default referential actions spelled out, implicit many-to-many join tables as
tables. It never touches files (see `load.py`).

Positions: every semantic error is a `SourceError` at the node's `Pos` with a fix hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NoReturn, cast

from schemasync.errors import SourceError
from schemasync.gcpause import paused_gc
from schemasync.model import (
    Column,
    CompositeType,
    Enum,
    EnumValue,
    ExpressionDefault,
    ForeignKey,
    FunctionDefault,
    Index,
    IndexColumn,
    LiteralDefault,
    Note,
    PrimaryKey,
    Relation,
    Schema,
    Source,
    Table,
    View,
)
from schemasync.prisma import rules
from schemasync.prisma.ast import (
    Argument,
    ArrayValue,
    Attribute,
    Block,
    CallValue,
    Document,
    IdentValue,
    NumberValue,
    Pos,
    StringValue,
    Value,
)
from schemasync.prisma.ast import Field as AstField
from schemasync.trusted import trusted, trusted_column, trusted_table

if TYPE_CHECKING:
    from schemasync.model import Action, Default, Provider

_PROVIDER_ALIASES = {"postgres": "postgresql"}
_INDEX_TYPES = {"BTree": None, "Hash": "hash", "Gist": "gist", "Gin": "gin", "SpGist": "spgist",
                "Brin": "brin"}  # fmt: skip


def import_document(
    doc: Document,
    *,
    source: Source,
    view_definitions: Mapping[tuple[str | None, str], str] | None = None,
) -> Schema:
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
        return _Importer(doc, view_definitions or {}).run(source)


def _fail(pos: Pos, message: str) -> NoReturn:
    raise SourceError(message, file=pos.file, line=pos.line, col=pos.col)


def _str(value: Value | None) -> str | None:
    return value.value if isinstance(value, StringValue) else None


def _ident(value: Value | None) -> str | None:
    return value.name if isinstance(value, IdentValue) else None


def _hint(name: str, known: Iterable[str]) -> str:
    names = list(known)
    same = [k for k in names if k.lower() == name.lower()]
    close = same or difflib.get_close_matches(name, names, n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


@dataclass
class _ModelInfo:
    block: Block
    db_name: str
    db_schema: str | None
    columns: dict[str, str] = field(default_factory=dict)  # field name -> column name
    scalar_fields: dict[str, AstField] = field(default_factory=dict)
    relation_fields: dict[str, AstField] = field(default_factory=dict)
    id_fields: list[AstField] = field(default_factory=list)  # fields with `@id`
    unique_fields: list[AstField] = field(default_factory=list)  # fields with `@unique`
    # relation field name -> its `@relation("name")` (None when unnamed)
    relation_names: dict[str, str | None] = field(default_factory=dict)


class _Importer:
    def __init__(self, doc: Document, views: Mapping[tuple[str | None, str], str]) -> None:
        self.doc = doc
        self.view_sql = views
        self.notes: list[Note] = []
        self.provider: Provider = "postgresql"
        self.relation_mode = "foreignKeys"
        self.datasource_name = "db"
        self.multi_schema = False
        self.models: dict[str, _ModelInfo] = {}
        self.enums: dict[str, Block] = {}
        self.types: dict[str, Block] = {}
        self.enum_db_names: dict[str, str] = {}
        self._native_prefix = "db."
        self._enum_types: dict[str, str] = {}
        self._default_types: dict[str, str] = {}  # Prisma scalar -> database type
        self._index_columns: dict[tuple[str, str | None, int | None], IndexColumn] = {}
        # `@default(...)` results by shape (`_default_key`): the default models are immutable
        # and shared by the columns with the same default.
        self._default_cache: dict[tuple[str, ...], tuple[Default | None, str | None, bool]] = {}

    # --- top level ------------------------------------------------------------------------

    def run(self, source: Source) -> Schema:
        self._read_datasource()
        self._check_attributes()
        self._index_blocks()
        enums = tuple(self._enum(b) for b in self.enums.values())
        for block in self.types.values():
            self._check_type_fields(block)
        types = tuple(
            CompositeType(name=self._mapped(b), columns=tuple(self._columns(b, None)))
            for b in self.types.values()
        )
        tables: list[Table] = []
        views: list[View] = []
        relations: list[Relation] = []
        for info in self.models.values():
            if info.block.kind == "view":
                views.append(self._view(info))
            else:
                table, rels = self._table(info)
                tables.append(table)
                relations.extend(rels)
        join_tables, join_relations = self._join_tables()
        tables.extend(join_tables)
        relations.extend(join_relations)
        if rules.ENUM_KIND[self.provider] == "inline":
            enums = self._inline_enums(tables, views)
        elif rules.ENUM_KIND[self.provider] == "none":
            for e in enums:
                self.notes.append(
                    Note(
                        object=e.name,
                        message=f"enum `{e.prisma_name}` is not a database type "
                        f"on {self.provider}: its columns hold text and only Prisma Client "
                        "checks the values",
                    )
                )
        return Schema(
            provider=self.provider,
            source=source,
            tables=tuple(tables),
            views=tuple(views),
            enums=enums,
            relations=tuple(relations),
            types=types,
            notes=tuple(self.notes),
        )

    def _read_datasource(self) -> None:
        sources = self.doc.of_kind("datasource")
        if not sources:
            message = (
                'no `datasource` block; add `datasource db { provider = "postgresql" }` '
                "(the provider decides every database type)"
            )
            if self.doc.blocks:
                _fail(self.doc.blocks[0].pos, message)
            raise SourceError(message)
        for extra in sources[1:]:
            _fail(extra.pos, "a schema may have only one `datasource` block; remove this one")
        ds = sources[0]
        self.datasource_name = ds.name
        self._native_prefix = f"{ds.name}."
        prop = ds.property("provider")
        provider = _str(prop.value) if prop else None
        if prop is None or provider is None:
            _fail(ds.pos, 'the datasource has no `provider = "..."`; add one, e.g. "postgresql"')
        provider = _PROVIDER_ALIASES.get(provider, provider)
        if provider not in rules.DEFAULT_DB_TYPES:
            _fail(
                prop.value.pos,
                f"unknown provider {provider!r}{_hint(provider, rules.DEFAULT_DB_TYPES)}; use one "
                f"of {', '.join(sorted(rules.DEFAULT_DB_TYPES))}",
            )
        self.provider = cast("Provider", provider)
        self._default_types = rules.DEFAULT_DB_TYPES[provider]
        for key in ("relationMode", "referentialIntegrity"):
            mode = ds.property(key)
            if mode is not None and _str(mode.value) == "prisma":
                self.relation_mode = "prisma"
        if provider == "mongodb":
            self.relation_mode = "prisma"
        self.multi_schema = ds.property("schemas") is not None

    def _check_attributes(self) -> None:
        """Reject an attribute or named argument Prisma does not know (P1012), with a hint.

        Afterwards, a field attribute whose name is not in `rules.FIELD_ATTRIBUTE_ARGS` is a
        native type (`_native`).
        """
        field_args = rules.FIELD_ATTRIBUTE_ARGS
        for block in self.doc.of_kind("model", "view", "enum", "type"):
            for attr in block.attributes:
                self._check_attribute(attr, rules.BLOCK_ATTRIBUTE_ARGS)
            for f in block.fields:
                for attr in f.attributes:
                    allowed = field_args.get(attr.name)
                    if allowed is None:
                        self._check_attribute(attr, field_args)  # a native type, or an error
                    elif attr.args:
                        for arg in attr.args:
                            if arg.name is not None and arg.name not in allowed:
                                self._check_attribute(attr, field_args)
            for v in block.values:
                for attr in v.attributes:
                    self._check_attribute(attr, field_args)

    def _check_attribute(self, attr: Attribute, table: dict[str, tuple[str, ...]]) -> None:
        at = "@@" if attr.block else "@"
        allowed = table.get(attr.name)
        if allowed is None:
            prefix, dot, _ = attr.name.partition(".")
            if dot and not attr.block:
                if prefix == self.datasource_name:
                    return  # a native type, `@db.VarChar(200)`: see `_db_type`
                _fail(
                    attr.pos,
                    f"unknown attribute `@{attr.name}`; native types are written "
                    f"`@{self.datasource_name}.{attr.name[len(prefix) + 1 :]}` (after the "
                    f"datasource's name, `{self.datasource_name}`)",
                )
            close = difflib.get_close_matches(attr.name, table, n=1)
            hint = f"; did you mean `{at}{close[0]}`?" if close else ""
            _fail(attr.pos, f"unknown attribute `{at}{attr.name}`{hint}")
        for arg in attr.args:
            if arg.name is None or arg.name in allowed:
                continue
            close = difflib.get_close_matches(arg.name, allowed, n=1)
            if close:
                hint = f"; did you mean `{close[0]}`?"
            elif allowed:
                hint = "; it accepts " + ", ".join(f"`{a}`" for a in allowed)
            else:
                hint = "; it takes no arguments"
            _fail(arg.pos, f"unknown argument `{arg.name}` of `{at}{attr.name}`{hint}")

    def _index_blocks(self) -> None:
        seen: dict[str, Block] = {}
        for block in self.doc.of_kind("model", "view", "enum", "type"):
            if block.name in seen:
                _fail(
                    block.pos,
                    f"`{block.name}` is already defined at {seen[block.name].pos}; rename one of "
                    "them (a model, view, enum and type share one namespace)",
                )
            seen[block.name] = block
            if block.kind == "enum":
                self.enums[block.name] = block
                self.enum_db_names[block.name] = self._mapped(block)
            elif block.kind == "type":
                self.types[block.name] = block
            else:
                self.models[block.name] = _ModelInfo(
                    block=block, db_name=self._mapped(block), db_schema=self._schema_of(block)
                )
        for info in self.models.values():
            self._classify_fields(info)

    def _check_type_fields(self, block: Block) -> None:
        """A composite type's fields may be scalars, enums or other composite types only."""
        for f in block.fields:
            tname = f.type.name
            if f.type.unsupported is None and not (
                tname in rules.SCALARS or tname in self.enums or tname in self.types
            ):
                known = (*rules.SCALARS, *self.enums, *self.types)
                _fail(
                    f.type.pos,
                    f"unknown type `{tname}`{_hint(tname, known)} in composite type "
                    f"`{block.name}`; use a Prisma scalar type, an enum or a composite type",
                )

    def _classify_fields(self, info: _ModelInfo) -> None:
        scalars, enums, types, models = rules.SCALARS, self.enums, self.types, self.models
        columns = info.columns
        scalar_fields, relation_fields = info.scalar_fields, info.relation_fields
        for f in info.block.fields:
            fname = f.name
            if fname in scalar_fields or fname in relation_fields:
                _fail(f.pos, f"field `{fname}` is defined twice in `{info.block.name}`; rename one")
            mapped = relation = None
            is_id = is_unique = False
            for attr in f.attributes:  # one pass; the first of each name counts
                aname = attr.name
                if aname == "map":
                    if mapped is None:
                        mapped = attr
                elif aname == "id":
                    is_id = True
                elif aname == "unique":
                    is_unique = True
                elif aname == "relation" and relation is None:
                    relation = attr
            if is_id:
                info.id_fields.append(f)
            if is_unique:
                info.unique_fields.append(f)
            ftype = f.type
            tname = ftype.name
            if (
                tname in scalars
                or ftype.unsupported is not None
                or tname in enums
                or tname in types
            ):
                scalar_fields[fname] = f
            elif tname in models:
                relation_fields[fname] = f
                info.relation_names[fname] = _str(relation.arg("name", 0)) if relation else None
                continue
            else:
                known = (*scalars, *enums, *types, *models)
                _fail(
                    ftype.pos,
                    f"unknown type `{tname}`{_hint(tname, known)}; use a Prisma scalar type or "
                    "the name of a model, enum or composite type defined in the schema",
                )
            if mapped is None:
                columns[fname] = fname
                continue
            args = mapped.args
            if len(args) == 1 and args[0].name is None and isinstance(args[0].value, StringValue):
                columns[fname] = args[0].value.value  # the usual `@map("column")`
                continue
            column = _str(mapped.arg("name", 0))
            if column is None:
                _fail(mapped.pos, '`@map` needs the column name as a string: @map("column_name")')
            columns[fname] = column

    # --- names ----------------------------------------------------------------------------

    def _mapped(self, block: Block) -> str:
        attr = block.attribute("map")
        if attr is None:
            return block.name
        name = _str(attr.arg("name", 0))
        if name is None:
            _fail(attr.pos, '`@@map` needs the table name as a string: @@map("table_name")')
        return name

    def _schema_of(self, block: Block) -> str | None:
        attr = block.attribute("schema")
        if attr is None:
            return rules.DEFAULT_SCHEMAS[self.provider]
        name = _str(attr.arg("map", 0))
        if name is None:
            _fail(attr.pos, '`@@schema` needs the schema name as a string: @@schema("public")')
        return name

    def _column_of(self, info: _ModelInfo, name: str, node: Value | Attribute) -> str:
        """Return the column of field `name`; an error is reported at `node`."""
        column = info.columns.get(name)
        if column is not None:
            return column
        pos = node.pos
        head, dot, rest = name.partition(".")
        if dot and head in info.columns and info.scalar_fields[head].type.name in self.types:
            # MongoDB: an index on a field of a composite type, `addresses.number`.
            return f"{info.columns[head]}.{rest}"
        if name in info.relation_fields:
            _fail(pos, f"`{name}` is a relation field; list its scalar fields instead")
        _fail(
            pos,
            f"`{info.block.name}` has no field `{name}`{_hint(name, info.columns)}; use a scalar "
            "field of the model",
        )

    # --- enums ----------------------------------------------------------------------------

    def _enum(self, block: Block) -> Enum:
        values = []
        for v in block.values:
            mapped = next((a for a in v.attributes if a.name == "map"), None)
            db = _str(mapped.arg("name", 0)) if mapped else None
            values.append(EnumValue(name=db or v.name, prisma_name=v.name))
        return Enum(
            name=self.enum_db_names[block.name],
            db_schema=self._schema_of(block),
            prisma_name=block.name,
            values=tuple(values),
        )

    def _inline_enums(self, tables: list[Table], views: list[View]) -> tuple[Enum, ...]:
        """MySQL has no enum types: each enum column is its own `enum(...)`, named
        `{table}_{column}` as Prisma's introspection names it."""
        out = []
        relations: list[Table | View] = [*tables, *views]
        for rel in relations:
            for col in rel.columns:
                if col.type in self.enums:
                    block = self.enums[col.type]
                    values = self._enum(block).values
                    out.append(Enum(name=f"{rel.name}_{col.name}", prisma_name=block.name,
                                    values=values))  # fmt: skip
        return tuple(out)

    def _enum_value_db(self, enum: str, value: str, pos: Pos) -> str:
        block = self.enums[enum]
        for v in block.values:
            if v.name == value:
                mapped = next((a for a in v.attributes if a.name == "map"), None)
                return (_str(mapped.arg("name", 0)) if mapped else None) or v.name
        names = [v.name for v in block.values]
        _fail(pos, f"enum `{enum}` has no value `{value}`{_hint(value, names)}")

    # --- columns --------------------------------------------------------------------------

    def _columns(self, block: Block, info: _ModelInfo | None) -> list[Column]:
        owner = info.db_name if info else block.name
        cols = []
        models = self.models
        # SQLite: a single `Int @id` (not `@db.Integer`) of a model is the rowid alias.
        rowid_field: AstField | None = None
        if self.provider == "sqlite" and info is not None and block.kind == "model":
            ids = info.id_fields
            if (
                len(ids) == 1
                and ids[0].type.name in rules.SQLITE_ROWID_SCALARS
                and ids[0].attribute(f"{self.datasource_name}.Integer") is None
            ):
                rowid_field = ids[0]
        if info is not None:  # the scalar fields, in field order, and their column names
            columns = info.columns
            for fname, f in info.scalar_fields.items():
                cols.append(self._column(f, columns[fname], owner, f is rowid_field))
            return cols
        for f in block.fields:
            if f.type.unsupported is None and f.type.name in models:
                continue
            mapped = f.attribute("map")
            name = (_str(mapped.arg("name", 0)) if mapped else None) or f.name
            cols.append(self._column(f, name, owner))
        return cols

    def _db_type(self, f: AstField) -> str:
        ftype = f.type
        if ftype.unsupported is not None:
            return ftype.unsupported
        # Native types are written after the datasource's name: `@db.VarChar`, `@my_db.VarChar`.
        native = _native(f)
        tname = ftype.name
        if native is not None:
            args = tuple(_arg_text(a.value) for a in native.args)
            prefix = self._native_prefix
            base = rules.spell_native_type(self.provider, native.name[len(prefix) :], args)
        elif tname in self.enums:
            base = self._enum_types.get(tname) or self._enum_type(tname)
        elif tname in self.types:
            base = "object"
        else:
            base = rules.DEFAULT_DB_TYPES[self.provider][tname]
        return f"{base}[]" if ftype.list else base

    def _enum_type(self, tname: str) -> str:
        """Return (and remember) the database type of a column of enum `tname`."""
        values = ",".join(
            "'" + self._enum_value_db(tname, v.name, v.pos).replace("'", "''") + "'"
            for v in self.enums[tname].values
        )
        db = self.enum_db_names[tname]
        spelled = rules.ENUM_DB_TYPES[self.provider].format(name=db, values=values)
        self._enum_types[tname] = spelled
        return spelled

    def _column(self, f: AstField, name: str, owner: str, rowid: bool = False) -> Column:
        default: Default | None = None
        client: str | None = None
        auto = rowid
        attr: Attribute | None = None
        updated_at = native = False
        known = rules.FIELD_ATTRIBUTE_ARGS
        for a in f.attributes:  # one pass; the first `@default` counts
            aname = a.name
            if aname == "default":
                if attr is None:
                    attr = a
            elif aname == "updatedAt":
                updated_at = True
            elif aname not in known:  # `@db.VarChar(200)` (`_check_attributes`)
                native = True
        if attr is not None:
            where = f"{owner}.{name}"
            key = _default_key(attr, f.type.name)
            hit = self._default_cache.get(key) if key is not None else None
            if hit is None:
                hit = self._default(f, attr, where)
                if key is not None:
                    self._default_cache[key] = hit
            default, client, auto_default = hit
            auto = auto or auto_default
            if auto_default and self.provider == "sqlite" and not rowid:
                # `BigInt @id @default(autoincrement())` is a plain `BIGINT PRIMARY KEY`.
                auto = False
                self.notes.append(
                    Note(
                        object=where,
                        message="autoincrement() on SQLite creates no AUTOINCREMENT for this "
                        "column (only a single `Int @id` becomes INTEGER PRIMARY KEY "
                        "AUTOINCREMENT)",
                    )
                )
        if updated_at:
            client = "updatedAt"
        ftype = f.type
        is_list = ftype.list
        # A list column is nullable in the database even when the field is required (db push).
        nullable = ftype.optional or (is_list and self.provider in ("postgresql", "cockroachdb"))
        tname = ftype.name
        db_type = self._default_types.get(tname)  # a scalar without `@db.*`: the usual case
        if db_type is None or is_list or ftype.unsupported is not None or native:
            db_type = self._db_type(f)
        return trusted_column(
            name,
            f.name,
            "Unsupported" if ftype.unsupported is not None else tname,
            db_type,
            bool(nullable),
            is_list,
            auto,
            default,
            client,
            f.doc,
        )

    def _default(
        self, f: AstField, attr: Attribute, where: str
    ) -> tuple[Default | None, str | None, bool]:
        """Return (database default, client default, autoincrement) of `@default(...)`."""
        value = attr.arg("value", 0)
        if value is None:
            _fail(attr.pos, "`@default` needs a value, e.g. @default(0) or @default(now())")
        if isinstance(value, CallValue):
            fn = value.name
            if fn in rules.AUTOINCREMENT_FUNCTIONS:
                return None, None, True
            if fn in rules.CLIENT_DEFAULT_FUNCTIONS:
                args = ", ".join(_arg_text(a.value) for a in value.args)
                return None, f"{fn}({args})", False
            if fn in rules.DB_FUNCTION_DEFAULTS:
                return FunctionDefault(name=rules.DB_FUNCTION_DEFAULTS[fn]), None, False
            if fn == "dbgenerated":
                sql = _str(value.args[0].value) if value.args else None
                if not sql:
                    self.notes.append(
                        Note(
                            object=where,
                            message="dbgenerated() without SQL: the database "
                            "default is not known to the schema",
                        )
                    )
                    return None, None, False
                from schemasync.sql.defaults import is_autoincrement_default, normalize_default

                if is_autoincrement_default(sql, self.provider):
                    return None, None, True
                return normalize_default(sql, self.provider), None, False
            known = sorted(
                {
                    *rules.AUTOINCREMENT_FUNCTIONS,
                    *rules.CLIENT_DEFAULT_FUNCTIONS,
                    *rules.DB_FUNCTION_DEFAULTS,
                    "dbgenerated",
                }
            )
            _fail(
                value.pos,
                f"unknown default function `{fn}()`{_hint(fn, known)}; use one of "
                f"{', '.join(k + '()' for k in known)} or a constant",
            )
        if isinstance(value, ArrayValue):
            return self._list_default(f, value), None, False
        return LiteralDefault(value=self._literal(f, value)), None, False

    def _literal(self, f: AstField, value: Value) -> str:
        tname = f.type.name
        if isinstance(value, IdentValue):
            if tname in self.enums:
                return self._enum_value_db(tname, value.name, value.pos)
            if value.name in ("true", "false"):
                return rules.BOOLEAN_LITERALS[self.provider][value.name]
            _fail(value.pos, f"`{value.name}` is not a valid default for a {tname} field")
        if isinstance(value, NumberValue):
            return value.text
        if isinstance(value, StringValue):
            if tname == "DateTime":
                return self._datetime_literal(value, self._db_type(f))
            return value.value
        _fail(value.pos, f"this default is not a constant a {tname} field can hold")

    def _datetime_literal(self, value: StringValue, db_type: str) -> str:
        try:
            moment = datetime.fromisoformat(value.value.replace("Z", "+00:00"))
        except ValueError:
            _fail(
                value.pos,
                f'{value.value!r} is not an ISO 8601 date-time; write e.g. "2020-01-01T00:00:00Z"',
            )
        micro = f"{moment.microsecond:06d}"
        if self.provider in rules.DATETIME_AS_WRITTEN:
            # SQLite stores Prisma's own rendering: the offset as written, a 3- or 6-digit
            # fraction when there is one: '2020-01-01 10:20:30.120 +02:00'.
            frac = ""
            if moment.microsecond:
                frac = "." + (micro[:3] if micro.endswith("000") else micro)
            offset = moment.strftime("%z") or "+0000"
            return f"{moment.strftime('%Y-%m-%d %H:%M:%S')}{frac} {offset[:3]}:{offset[3:5]}"
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        if self.provider in rules.DATETIME_FIXED_FRACTION:
            # MySQL pads to the column's precision: datetime(3) -> '2020-01-01 00:00:00.000'
            digits = int(db_type.partition("(")[2].rstrip(")") or 0)
            frac = f".{micro[:digits]}" if digits else ""
        else:
            # PostgreSQL and SQLite show a fraction only when there is one, without trailing 0s
            frac = f".{micro.rstrip('0')}" if moment.microsecond else ""
        base = db_type.partition("(")[0]
        pattern = rules.DATETIME_LITERALS_BY_TYPE.get(self.provider, {}).get(base)
        if pattern is None:
            pattern = rules.DATETIME_LITERALS[self.provider]
        return moment.strftime(pattern.replace("{frac}", frac))

    def _list_default(self, f: AstField, value: ArrayValue) -> Default | None:
        from schemasync.sql.defaults import normalize_default

        items = []
        for item in value.items:
            text = self._literal(f, item)
            quoted = isinstance(item, StringValue) or f.type.name in self.enums
            items.append("'" + text.replace("'", "''") + "'" if quoted else text)
        sql = "ARRAY[" + ", ".join(items) + "]"
        result = normalize_default(sql, self.provider)
        return result if result is not None else ExpressionDefault(sql=sql)

    # --- tables ---------------------------------------------------------------------------

    def _view(self, info: _ModelInfo) -> View:
        block = info.block
        key = (info.db_schema, info.db_name)
        definition = self.view_sql.get(key)
        if definition is None:
            matches = [sql for (_, name), sql in sorted(self.view_sql.items(), key=_key_sort)
                       if name == info.db_name]  # fmt: skip
            definition = matches[0] if len(matches) == 1 else None
        return View(
            name=info.db_name,
            db_schema=info.db_schema,
            prisma_name=block.name,
            ignored=block.attribute("ignore") is not None,
            comment=block.doc,
            columns=tuple(self._columns(block, info)),
            definition=definition,
        )

    def _table(self, info: _ModelInfo) -> tuple[Table, list[Relation]]:
        block = info.block
        columns = self._columns(block, info)
        pk = self._primary_key(info)
        indexes = self._indexes(info)
        fks, relations = self._relations(info)
        if self.provider == "mysql":
            indexes.extend(_mysql_fk_indexes(fks, indexes, pk))
        return (
            trusted_table(
                name=info.db_name,
                db_schema=info.db_schema,
                prisma_name=block.name,
                ignored=block.attribute("ignore") is not None,
                comment=block.doc,
                columns=tuple(columns),
                primary_key=pk,
                indexes=tuple(indexes),
                foreign_keys=tuple(fks),
            ),
            relations,
        )

    def _pk_name(self, info: _ModelInfo, attr: Attribute) -> str | None:
        if not rules.NAMED_PRIMARY_KEYS[self.provider]:
            return None
        return _str(attr.arg("map")) or rules.constraint_name(
            self.provider, info.db_name, (), "pkey"
        )

    def _primary_key(self, info: _ModelInfo) -> PrimaryKey | None:
        block = info.block
        ids = info.id_fields
        block_id = block.attribute("id")
        if ids and block_id is not None:
            _fail(block_id.pos, "a model has either `@id` on one field or `@@id([...])`; not both")
        if len(ids) > 1:
            _fail(
                ids[1].pos, "only one field can have `@id`; use `@@id([a, b])` for a compound key"
            )
        if ids:
            attr = ids[0].attribute("id")
            assert attr is not None
            if ids[0].name not in info.columns:
                _fail(attr.pos, "`@id` must be on a scalar field")
            self._index_notes(info, attr, ids[0].name)
            return trusted(
                PrimaryKey, name=self._pk_name(info, attr), columns=(info.columns[ids[0].name],)
            )
        if block_id is not None:
            cols = self._field_list(info, block_id)
            return trusted(
                PrimaryKey, name=self._pk_name(info, block_id), columns=tuple(c.name for c in cols)
            )
        return None

    def _field_list(self, info: _ModelInfo, attr: Attribute) -> list[IndexColumn]:
        value = attr.arg("fields", 0)
        # Prisma also accepts a single field without brackets: `@@index(userId)`.
        items: tuple[Value, ...] | None = (
            (value,) if isinstance(value, (IdentValue, CallValue)) else None
        )
        if isinstance(value, ArrayValue) and value.items:
            items = value.items
        if items is None:
            _fail(attr.pos, f"`@@{attr.name}` needs a list of fields, e.g. @@{attr.name}([a, b])")
        out = []
        for item in items:
            args: tuple[Argument, ...] = ()
            if isinstance(item, IdentValue):
                name = item.name
            elif isinstance(item, CallValue):
                name, args = item.name, item.args
            else:
                _fail(item.pos, "expected a field name here")
            column = self._column_of(info, name, item)
            sort = length = None
            for arg in args:
                if arg.name == "sort":
                    sort = "desc" if _ident(arg.value) == "Desc" else None
                elif arg.name == "length" and isinstance(arg.value, NumberValue):
                    length = int(arg.value.text)
                elif arg.name == "ops":
                    self.notes.append(
                        Note(
                            object=f"{info.db_name}.{column}",
                            message=f"operator class `{_arg_text(arg.value)}` of an index on "
                            "this column is not captured",
                        )
                    )
            out.append(self._index_column(column, sort, length))
        return out

    def _index_column(self, column: str, sort: str | None, length: int | None) -> IndexColumn:
        """Return the (immutable, shared) index column of this shape."""
        key = (column, sort, length)
        hit = self._index_columns.get(key)
        if hit is None:
            hit = self._index_columns[key] = trusted(
                IndexColumn, name=column, sort=sort, length=length
            )
        return hit

    def _index_notes(self, info: _ModelInfo, attr: Attribute, field_name: str | None) -> None:
        if _ident(attr.arg("clustered")) is not None:
            what = f"{info.db_name}.{info.columns[field_name]}" if field_name else info.db_name
            self.notes.append(
                Note(
                    object=what,
                    message=f"`clustered: {_ident(attr.arg('clustered'))}` of "
                    f"`@{'@' if attr.block else ''}{attr.name}` is not captured",
                )
            )

    def _indexes(self, info: _ModelInfo) -> list[Index]:
        block = info.block
        out: list[Index] = []
        for f in info.unique_fields:
            attr = f.attribute("unique")
            assert attr is not None
            column = self._column_of(info, f.name, attr)
            sort = length = mapped = None
            if attr.args:  # `@unique(map: "x", sort: Desc, length: 10)`; mostly just `@unique`
                sort = "desc" if _ident(attr.arg("sort")) == "Desc" else None
                length_arg = attr.arg("length")
                length = int(length_arg.text) if isinstance(length_arg, NumberValue) else None
                self._index_notes(info, attr, f.name)
                mapped = _str(attr.arg("map"))
            name = mapped or rules.constraint_name(self.provider, info.db_name, (column,), "key")
            out.append(
                trusted(
                    Index,
                    name=name,
                    unique=True,
                    columns=(self._index_column(column, sort, length),),
                )
            )
        for attr in block.attributes:
            if attr.name not in ("unique", "index", "fulltext"):
                continue
            cols = self._field_list(info, attr)
            self._index_notes(info, attr, None)
            kind = "key" if attr.name == "unique" else "idx"
            mapped = _str(attr.arg("map")) or (
                _str(attr.arg("name")) if attr.name == "index" else None
            )
            name = mapped or rules.constraint_name(
                # a composite path `addresses.city` names as `addresses_city`
                self.provider,
                info.db_name,
                tuple(c.name.replace(".", "_") for c in cols),
                kind,
            )
            index_type: str | None = None
            if attr.name == "fulltext":
                index_type = "fulltext"
            elif (t := _ident(attr.arg("type"))) is not None:
                if t not in _INDEX_TYPES:
                    _fail(attr.pos, f"unknown index type `{t}`{_hint(t, _INDEX_TYPES)}")
                index_type = _INDEX_TYPES[t]
            out.append(
                trusted(
                    Index,
                    name=name,
                    unique=attr.name == "unique",
                    type=index_type,
                    columns=tuple(cols),
                )
            )
        return out

    # --- relations ------------------------------------------------------------------------

    def _back_field(self, info: _ModelInfo, f: AstField, rel_name: str | None) -> str | None:
        target = self.models[f.type.name]
        me = info.block.name
        names = target.relation_names
        for other in target.relation_fields.values():
            if other is not f and other.type.name == me and names[other.name] == rel_name:
                return other.name
        return None

    def _relations(self, info: _ModelInfo) -> tuple[list[ForeignKey], list[Relation]]:
        fks: list[ForeignKey] = []
        relations: list[Relation] = []
        for f in info.relation_fields.values():
            attr = f.attribute("relation")
            fields = attr.arg("fields") if attr else None
            if attr is None or fields is None:
                continue
            rel_name = info.relation_names[f.name]
            refs = attr.arg("references")
            if not isinstance(fields, ArrayValue) or not isinstance(refs, ArrayValue):
                _fail(attr.pos, "`@relation` needs `fields: [...]` and `references: [...]` lists")
            if len(fields.items) != len(refs.items):
                _fail(attr.pos, "`fields` and `references` must list the same number of fields")
            target = self.models[f.type.name]
            cols = tuple(self._column_of(info, _ref_name(v), v) for v in fields.items)
            ref_cols = tuple(self._column_of(target, _ref_name(v), v) for v in refs.items)
            # Prisma's "referential arity": required when any scalar field of the relation is
            # required (`parent X? @relation(fields: [parentId])` with `parentId Int` gets
            # RESTRICT, seen in db push), else the relation field's own arity.
            scalars = [info.scalar_fields.get(_ref_name(v)) for v in fields.items]
            required = any(s is not None and not s.type.optional for s in scalars)
            arity = "optional" if f.type.optional and not required else "required"
            default_delete, default_update = rules.DEFAULT_ACTIONS[self.provider][arity]
            on_delete = cast("Action", self._action(attr, "onDelete", default_delete))
            on_update = cast("Action", self._action(attr, "onUpdate", default_update))
            fk_name = _str(attr.arg("map")) or rules.constraint_name(
                self.provider, info.db_name, cols, "fkey"
            )
            enforced = self.relation_mode != "prisma"
            if enforced:
                fks.append(
                    trusted(
                        ForeignKey,
                        name=fk_name,
                        columns=cols,
                        referenced_schema=target.db_schema,
                        referenced_table=target.db_name,
                        referenced_columns=ref_cols,
                        on_delete=on_delete,
                        on_update=on_update,
                    )
                )
            relations.append(
                trusted(
                    Relation,
                    name=rel_name or fk_name,
                    db_schema=info.db_schema,
                    table=info.db_name,
                    columns=cols,
                    referenced_schema=target.db_schema,
                    referenced_table=target.db_name,
                    referenced_columns=ref_cols,
                    field=f.name,
                    back_field=self._back_field(info, f, rel_name),
                    enforced_by="database" if enforced else "prisma",
                )
            )
        return fks, relations

    def _action(self, attr: Attribute, key: str, default: str) -> str:
        value = attr.arg(key)
        if value is None:
            return default
        name = _ident(value)
        if name is None or name not in rules.ACTIONS:
            _fail(
                value.pos,
                f"unknown referential action{_hint(name or '', rules.ACTIONS)}; use one of "
                f"{', '.join(rules.ACTIONS)}",
            )
        return rules.ACTIONS[name]

    def _join_tables(self) -> tuple[list[Table], list[Relation]]:
        """Implicit many-to-many: `_AToB` (or `_<relation name>`) with columns `A` and `B`."""
        tables: list[Table] = []
        relations: list[Relation] = []
        done: set[tuple[str, str, str]] = set()
        for info in self.models.values():
            for f in info.relation_fields.values():
                attr = f.attribute("relation")
                if not f.type.list or (attr is not None and attr.arg("fields") is not None):
                    continue
                rel_name = _str(attr.arg("name", 0)) if attr else None
                target = self.models[f.type.name]
                back = self._back_field(info, f, rel_name)
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
                table, rels = self._join_table(
                    rel_name or f"{a_model}To{b_model}",
                    self.models[a_model],
                    self.models[b_model],
                    a_field,
                    b_field,
                    f.pos,
                )
                tables.append(table)
                relations.extend(rels)
        return tables, relations

    def _join_table(
        self, rel: str, a: _ModelInfo, b: _ModelInfo, a_field: str, b_field: str, pos: Pos
    ) -> tuple[Table, list[Relation]]:
        limit = rules.NAME_LIMITS[self.provider]
        full = f"_{rel}"
        name = rules.cut_identifier(full, limit)  # PostgreSQL itself cuts the table name

        def named(suffix: str) -> str:
            # Prisma cuts `_{rel}` to (limit - len(suffix)) and keeps the suffix (db push:
            # `_AVeryLong...ToAVeryLon_A_fkey`, 63 bytes).
            cut = limit - len(suffix) if limit is not None else None
            return rules.cut_identifier(full, cut) + suffix

        columns = []
        refs = []
        for letter, model in (("A", a), ("B", b)):
            id_field = self._single_id(model, pos)
            columns.append(
                Column(name=letter, type=id_field.type.name, db_type=self._db_type(id_field))
            )
            refs.append((letter, model, model.columns[id_field.name]))
        if self.provider in rules.JOIN_TABLE_PRIMARY_KEY:
            pk = PrimaryKey(name=named("_AB_pkey"), columns=("A", "B"))
            indexes = [Index(name=named("_B_index"),
                             columns=(IndexColumn(name="B"),))]  # fmt: skip
        else:
            pk = None
            indexes = [
                Index(name=named("_AB_unique"), unique=True,
                      columns=(IndexColumn(name="A"), IndexColumn(name="B"))),
                Index(name=named("_B_index"),
                      columns=(IndexColumn(name="B"),)),
            ]  # fmt: skip
        enforced = self.relation_mode != "prisma"
        fks = []
        relations = []
        for letter, model, ref_col in refs:
            fk_name = named(f"_{letter}_fkey")
            if enforced:
                fks.append(
                    trusted(
                        ForeignKey,
                        name=fk_name,
                        columns=(letter,),
                        referenced_schema=model.db_schema,
                        referenced_table=model.db_name,
                        referenced_columns=(ref_col,),
                        on_delete="CASCADE",
                        on_update="CASCADE",
                    )
                )
            own, other = (a_field, b_field) if letter == "A" else (b_field, a_field)
            relations.append(
                trusted(
                    Relation,
                    name=fk_name,
                    db_schema=a.db_schema,
                    table=name,
                    columns=(letter,),
                    referenced_schema=model.db_schema,
                    referenced_table=model.db_name,
                    referenced_columns=(ref_col,),
                    field=own,
                    back_field=other,
                    enforced_by="database" if enforced else "prisma",
                )
            )
        return (
            Table(
                name=name,
                db_schema=a.db_schema,
                columns=tuple(columns),
                primary_key=pk,
                indexes=tuple(indexes),
                foreign_keys=tuple(fks),
            ),
            relations,
        )

    def _single_id(self, model: _ModelInfo, pos: Pos) -> AstField:
        ids = model.id_fields
        if len(ids) != 1:
            _fail(
                pos,
                f"an implicit many-to-many relation needs `{model.block.name}` to have a single "
                "`@id` field; give it one or model the join table explicitly",
            )
        return ids[0]


def _native(f: AstField) -> Attribute | None:
    """Return field `f`'s native type attribute (`@db.VarChar(200)`), if any.

    Any field attribute Prisma does not define is one: `_check_attributes` has rejected the rest.
    """
    known = rules.FIELD_ATTRIBUTE_ARGS
    for attr in f.attributes:
        if attr.name not in known:
            return attr
    return None


def _default_key(attr: Attribute, type_name: str) -> tuple[str, ...] | None:
    """Return a key for `@default(x)` when its result depends only on the key, else None.

    Cached: argument-less calls but `dbgenerated()` (its note names the column), numbers,
    names (`true`, an enum value: per type) and strings but on DateTime fields (their text
    depends on the column's database type).
    """
    args = attr.args
    if len(args) != 1 or args[0].name is not None:
        return None
    value = args[0].value
    if isinstance(value, CallValue):
        if value.args or value.name == "dbgenerated":
            return None
        return ("call", value.name)
    if isinstance(value, NumberValue):
        return ("number", value.text)
    if isinstance(value, IdentValue):
        return ("name", type_name, value.name)
    if isinstance(value, StringValue) and type_name != "DateTime":
        return ("string", value.value)
    return None


def _ref_name(value: Value) -> str:
    if isinstance(value, IdentValue):
        return value.name
    if isinstance(value, CallValue):
        return value.name
    _fail(value.pos, "expected a field name here")


def _arg_text(value: Value) -> str:
    if isinstance(value, NumberValue):
        return value.text
    if isinstance(value, IdentValue):
        return value.name
    if isinstance(value, StringValue):
        return value.value
    if isinstance(value, CallValue):
        return f"{value.name}({', '.join(_arg_text(a.value) for a in value.args)})"
    return "[" + ", ".join(_arg_text(v) for v in value.items) + "]"


def _key_sort(item: tuple[tuple[str | None, str], str]) -> tuple[str, str]:
    (schema, name), _ = item
    return (schema or "", name)


def _mysql_fk_indexes(
    fks: list[ForeignKey], indexes: list[Index], pk: PrimaryKey | None
) -> list[Index]:
    """MySQL (InnoDB) creates an index named after a foreign key when none starts with its columns.

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
            trusted(Index, name=fk.name, columns=tuple(IndexColumn(name=c) for c in fk.columns))
        )
        prefixes.append(fk.columns)
    return out
