"""The syntax tree of the Prisma Schema Language, as the parser produces it.

Pure data: every node keeps its position (`Pos`: file, 1-based line and column) so that the import
can report `file:line:col` for a semantic error. No Prisma rules live here (see `to_model.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pos:
    """Where a node starts: the file as given to the parser, 1-based line and column."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StringValue:
    """A string literal, escapes resolved (`"a\\"b"` -> `a"b`)."""

    value: str
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class NumberValue:
    """A numeric literal, kept as written (`12`, `-1`, `1.5`)."""

    text: str
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class IdentValue:
    """A bare identifier or dotted path: `Cascade`, `true`, `Desc`, `db.VarChar`, `Hash`."""

    name: str
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class ArrayValue:
    """`[a, b(sort: Desc), "x"]`."""

    items: tuple[Value, ...]
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class CallValue:
    """A function call: `now()`, `env("DATABASE_URL")`, `dbgenerated("gen_random_uuid()")`,
    or a field reference with arguments inside an index list: `title(ops: raw("gin_trgm_ops"))`."""

    name: str
    args: tuple[Argument, ...]
    pos: Pos = field(compare=False)


Value = StringValue | NumberValue | IdentValue | ArrayValue | CallValue


@dataclass(frozen=True)
class Argument:
    """An attribute or call argument; `name` is None for a positional one."""

    name: str | None
    value: Value
    pos: Pos = field(compare=False)


# --- declarations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    """A field attribute (`@id`, `@db.VarChar(200)`) or block attribute (`@@index([a])`).

    `name` is written without the leading `@`/`@@`: `id`, `db.VarChar`, `index`.
    """

    name: str
    args: tuple[Argument, ...]
    block: bool
    pos: Pos = field(compare=False)

    def arg(self, name: str, position: int | None = None) -> Value | None:
        """Return the argument called `name`; failing that, the `position`-th positional one.

        `@@index([a], map: "x")` and `@@index(fields: [a], map: "x")` both give `[a]` for
        `arg("fields", 0)`.
        """
        for a in self.args:
            if a.name == name:
                return a.value
        if position is not None:
            positional = [a.value for a in self.args if a.name is None]
            if position < len(positional):
                return positional[position]
        return None


@dataclass(frozen=True)
class FieldType:
    """The type of a field: `String`, `Int?`, `Tag[]`, `Unsupported("tsvector")?`."""

    name: str
    optional: bool
    list: bool
    unsupported: str | None
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class Field:
    """A field of a model, view or composite type."""

    name: str
    type: FieldType
    attributes: tuple[Attribute, ...]
    doc: str | None
    pos: Pos = field(compare=False)

    def attribute(self, name: str) -> Attribute | None:
        """Return the first field attribute called `name` (without `@`)."""
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True)
class EnumValue:
    """A value of an enum block, with its attributes (`@map("x")`)."""

    name: str
    attributes: tuple[Attribute, ...]
    doc: str | None
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class Property:
    """A `key = value` line of a `datasource` or `generator` block."""

    name: str
    value: Value
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class Block:
    """A top-level block.

    kind is one of `model`, `view`, `type`, `enum`, `datasource`, `generator`.
    `fields` is used by model/view/type, `values` by enum, `properties` by datasource/generator;
    `attributes` holds the block attributes (`@@map`, `@@id`, ...).
    """

    kind: str
    name: str
    fields: tuple[Field, ...]
    values: tuple[EnumValue, ...]
    properties: tuple[Property, ...]
    attributes: tuple[Attribute, ...]
    doc: str | None
    pos: Pos = field(compare=False)

    def attribute(self, name: str) -> Attribute | None:
        """Return the first block attribute called `name` (without `@@`)."""
        return next((a for a in self.attributes if a.name == name), None)

    def block_attributes(self, name: str) -> tuple[Attribute, ...]:
        """Return every block attribute called `name`, in source order."""
        return tuple(a for a in self.attributes if a.name == name)

    def property(self, name: str) -> Property | None:
        """Return the datasource/generator property called `name`."""
        return next((p for p in self.properties if p.name == name), None)


@dataclass(frozen=True)
class Document:
    """A whole schema: the blocks of every file, in (file, position) order."""

    blocks: tuple[Block, ...]

    def of_kind(self, *kinds: str) -> tuple[Block, ...]:
        """Return the blocks of the given kinds, in order."""
        return tuple(b for b in self.blocks if b.kind in kinds)
