"""The syntax tree of the Prisma Schema Language, as the parser produces it.

Pure data (immutable named tuples, the cheapest nodes CPython builds): every node keeps its
position (`Pos`: file, 1-based line and column) so that the import
can report `file:line:col` for a semantic error. No Prisma rules live here (see `to_model.py`).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol


class _Locator(Protocol):
    file: str

    def locate(self, index: int) -> tuple[int, int]: ...


class Pos:
    """Where a node starts: the file as given to the parser, 1-based line and column.

    Resolved lazily from a token index: positions are needed only to report an error, and
    computing a line and column for every node of a 10,000-model schema would cost more than the
    parse itself.
    """

    __slots__ = ("_index", "_src")

    def __init__(self, src: _Locator, index: int) -> None:
        self._src = src
        self._index = index

    @property
    def file(self) -> str:
        """The file as given to the parser."""
        return self._src.file

    @property
    def line(self) -> int:
        """1-based line."""
        return self._src.locate(self._index)[0]

    @property
    def col(self) -> int:
        """1-based column."""
        return self._src.locate(self._index)[1]

    def __str__(self) -> str:
        line, col = self._src.locate(self._index)
        return f"{self.file}:{line}:{col}"

    def __repr__(self) -> str:
        return f"Pos({self})"

    def __eq__(self, other: object) -> bool:
        # Positions never make two nodes different (provenance is kept beside the data).
        return isinstance(other, Pos)

    def __hash__(self) -> int:
        return 0


# --- values --------------------------------------------------------------------------------


class StringValue(NamedTuple):
    """A string literal, escapes resolved (`"a\\"b"` -> `a"b`)."""

    value: str
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


class NumberValue(NamedTuple):
    """A numeric literal, kept as written (`12`, `-1`, `1.5`)."""

    text: str
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


class IdentValue(NamedTuple):
    """A bare identifier or dotted path: `Cascade`, `true`, `Desc`, `db.VarChar`, `Hash`."""

    name: str
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


class ArrayValue(NamedTuple):
    """`[a, b(sort: Desc), "x"]`."""

    items: tuple[Value, ...]
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


class CallValue(NamedTuple):
    """A function call: `now()`, `env("DATABASE_URL")`, `dbgenerated("gen_random_uuid()")`,
    or a field reference with arguments inside an index list: `title(ops: raw("gin_trgm_ops"))`."""

    name: str
    args: tuple[Argument, ...]
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


Value = StringValue | NumberValue | IdentValue | ArrayValue | CallValue


class Argument(NamedTuple):
    """An attribute or call argument; `name` is None for a positional one."""

    name: str | None
    value: Value
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


# --- declarations ---------------------------------------------------------------------------


class Attribute(NamedTuple):
    """A field attribute (`@id`, `@db.VarChar(200)`) or block attribute (`@@index([a])`).

    `name` is written without the leading `@`/`@@`: `id`, `db.VarChar`, `index`.
    """

    name: str
    args: tuple[Argument, ...]
    block: bool
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)

    def arg(self, name: str, position: int | None = None) -> Value | None:
        """Return the argument called `name`; failing that, the `position`-th positional one.

        `@@index([a], map: "x")` and `@@index(fields: [a], map: "x")` both give `[a]` for
        `arg("fields", 0)`.
        """
        args = self.args
        for a in args:
            if a.name == name:
                return a.value
        if position is not None:
            for a in args:
                if a.name is None:
                    if position == 0:
                        return a.value
                    position -= 1
        return None


class FieldType(NamedTuple):
    """The type of a field: `String`, `Int?`, `Tag[]`, `Unsupported("tsvector")?`."""

    name: str
    optional: bool
    list: bool
    unsupported: str | None
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


class Field(NamedTuple):
    """A field of a model, view or composite type."""

    name: str
    type: FieldType
    attributes: tuple[Attribute, ...]
    doc: str | None
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)

    def attribute(self, name: str) -> Attribute | None:
        """Return the first field attribute called `name` (without `@`)."""
        return next((a for a in self.attributes if a.name == name), None)


class EnumValue(NamedTuple):
    """A value of an enum block, with its attributes (`@map("x")`)."""

    name: str
    attributes: tuple[Attribute, ...]
    doc: str | None
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


class Property(NamedTuple):
    """A `key = value` line of a `datasource` or `generator` block."""

    name: str
    value: Value
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)


class Block(NamedTuple):
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
    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)

    def attribute(self, name: str) -> Attribute | None:
        """Return the first block attribute called `name` (without `@@`)."""
        return next((a for a in self.attributes if a.name == name), None)

    def block_attributes(self, name: str) -> tuple[Attribute, ...]:
        """Return every block attribute called `name`, in source order."""
        return tuple(a for a in self.attributes if a.name == name)

    def property(self, name: str) -> Property | None:
        """Return the datasource/generator property called `name`."""
        return next((p for p in self.properties if p.name == name), None)


class Document(NamedTuple):
    """A whole schema: the blocks of every file, in (file, position) order."""

    blocks: tuple[Block, ...]

    def of_kind(self, *kinds: str) -> tuple[Block, ...]:
        """Return the blocks of the given kinds, in order."""
        return tuple(b for b in self.blocks if b.kind in kinds)
