"""The syntax tree of the Prisma Schema Language, as the parser produces it.

Pure data: every node keeps its position (`Pos`: file, 1-based line and column) so that the
import can report `file:line:col` for a semantic error. No Prisma rules live here (see
`to_model.py`).

Nodes are plain classes with `__slots__` and an explicit `__init__`, never changed after the
parser builds them. Compiled (mypyc, see setup.py) they are C structs: building, reading and
freeing one costs a quarter of what a named tuple costs there (2,000 instructions per node
measured; a 1,000-model schema has ~120,000 nodes). Equality compares every field in `_fields`
(position included), as named tuples did.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol


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


class Node:
    """What every node has: the file's `lexer.Source` and its first token's index (`Pos`)."""

    __slots__ = ("src", "tok")
    _fields: ClassVar[tuple[str, ...]] = ()  # every field, in constructor order

    src: Any  # the file's `lexer.Source`
    tok: int  # index of the node's first token (see `Pos`)

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, f) == getattr(other, f) for f in self._fields
        )

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f) for f in self._fields))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"


class StringValue(Node):
    """A string literal, escapes resolved (`"a\\"b"` -> `a"b`)."""

    __slots__ = ("value",)
    _fields = ("value", "src", "tok")

    def __init__(self, value: str, src: Any, tok: int) -> None:
        self.value = value
        self.src = src
        self.tok = tok


class NumberValue(Node):
    """A numeric literal, kept as written (`12`, `-1`, `1.5`)."""

    __slots__ = ("text",)
    _fields = ("text", "src", "tok")

    def __init__(self, text: str, src: Any, tok: int) -> None:
        self.text = text
        self.src = src
        self.tok = tok


class IdentValue(Node):
    """A bare identifier or dotted path: `Cascade`, `true`, `Desc`, `db.VarChar`, `Hash`."""

    __slots__ = ("name",)
    _fields = ("name", "src", "tok")

    def __init__(self, name: str, src: Any, tok: int) -> None:
        self.name = name
        self.src = src
        self.tok = tok


class ArrayValue(Node):
    """`[a, b(sort: Desc), "x"]`."""

    __slots__ = ("items",)
    _fields = ("items", "src", "tok")

    def __init__(self, items: tuple[Value, ...], src: Any, tok: int) -> None:
        self.items = items
        self.src = src
        self.tok = tok


class CallValue(Node):
    """A function call: `now()`, `env("DATABASE_URL")`, `dbgenerated("gen_random_uuid()")`,
    or a field reference with arguments inside an index list: `title(ops: raw("gin_trgm_ops"))`."""

    __slots__ = ("args", "name")
    _fields = ("name", "args", "src", "tok")

    def __init__(self, name: str, args: tuple[Argument, ...], src: Any, tok: int) -> None:
        self.name = name
        self.args = args
        self.src = src
        self.tok = tok


Value = StringValue | NumberValue | IdentValue | ArrayValue | CallValue


class Argument(Node):
    """An attribute or call argument; `name` is None for a positional one."""

    __slots__ = ("name", "value")
    _fields = ("name", "value", "src", "tok")

    def __init__(self, name: str | None, value: Value, src: Any, tok: int) -> None:
        self.name = name
        self.value = value
        self.src = src
        self.tok = tok


# --- declarations ---------------------------------------------------------------------------


class Attribute(Node):
    """A field attribute (`@id`, `@db.VarChar(200)`) or block attribute (`@@index([a])`).

    `name` is written without the leading `@`/`@@`: `id`, `db.VarChar`, `index`.
    """

    __slots__ = ("args", "block", "name")
    _fields = ("name", "args", "block", "src", "tok")

    def __init__(
        self, name: str, args: tuple[Argument, ...], block: bool, src: Any, tok: int
    ) -> None:
        self.name = name
        self.args = args
        self.block = block
        self.src = src
        self.tok = tok

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


class FieldType(Node):
    """The type of a field: `String`, `Int?`, `Tag[]`, `Unsupported("tsvector")?`."""

    __slots__ = ("list", "name", "optional", "unsupported")
    _fields = ("name", "optional", "list", "unsupported", "src", "tok")

    def __init__(
        self, name: str, optional: bool, list: bool, unsupported: str | None, src: Any, tok: int
    ) -> None:
        self.name = name
        self.optional = optional
        self.list = list
        self.unsupported = unsupported
        self.src = src
        self.tok = tok


class Field(Node):
    """A field of a model, view or composite type."""

    __slots__ = ("attributes", "doc", "name", "type")
    _fields = ("name", "type", "attributes", "doc", "src", "tok")

    def __init__(
        self,
        name: str,
        type: FieldType,
        attributes: tuple[Attribute, ...],
        doc: str | None,
        src: Any,
        tok: int,
    ) -> None:
        self.name = name
        self.type = type
        self.attributes = attributes
        self.doc = doc
        self.src = src
        self.tok = tok

    def attribute(self, name: str) -> Attribute | None:
        """Return the first field attribute called `name` (without `@`)."""
        for a in self.attributes:
            if a.name == name:
                return a
        return None


class EnumValue(Node):
    """A value of an enum block, with its attributes (`@map("x")`)."""

    __slots__ = ("attributes", "doc", "name")
    _fields = ("name", "attributes", "doc", "src", "tok")

    def __init__(
        self, name: str, attributes: tuple[Attribute, ...], doc: str | None, src: Any, tok: int
    ) -> None:
        self.name = name
        self.attributes = attributes
        self.doc = doc
        self.src = src
        self.tok = tok


class Property(Node):
    """A `key = value` line of a `datasource` or `generator` block."""

    __slots__ = ("name", "value")
    _fields = ("name", "value", "src", "tok")

    def __init__(self, name: str, value: Value, src: Any, tok: int) -> None:
        self.name = name
        self.value = value
        self.src = src
        self.tok = tok


class Block(Node):
    """A top-level block.

    kind is one of `model`, `view`, `type`, `enum`, `datasource`, `generator`.
    `fields` is used by model/view/type, `values` by enum, `properties` by datasource/generator;
    `attributes` holds the block attributes (`@@map`, `@@id`, ...).
    """

    __slots__ = ("attributes", "doc", "fields", "kind", "name", "properties", "values")
    _fields = ("kind", "name", "fields", "values", "properties", "attributes", "doc", "src",
               "tok")  # fmt: skip

    def __init__(
        self,
        kind: str,
        name: str,
        fields: tuple[Field, ...],
        values: tuple[EnumValue, ...],
        properties: tuple[Property, ...],
        attributes: tuple[Attribute, ...],
        doc: str | None,
        src: Any,
        tok: int,
    ) -> None:
        self.kind = kind
        self.name = name
        self.fields = fields
        self.values = values
        self.properties = properties
        self.attributes = attributes
        self.doc = doc
        self.src = src
        self.tok = tok

    def attribute(self, name: str) -> Attribute | None:
        """Return the first block attribute called `name` (without `@@`)."""
        for a in self.attributes:
            if a.name == name:
                return a
        return None

    def block_attributes(self, name: str) -> tuple[Attribute, ...]:
        """Return every block attribute called `name`, in source order."""
        return tuple(a for a in self.attributes if a.name == name)

    def property(self, name: str) -> Property | None:
        """Return the datasource/generator property called `name`."""
        for p in self.properties:
            if p.name == name:
                return p
        return None


class Document:
    """A whole schema: the blocks of every file, in (file, position) order."""

    __slots__ = ("blocks",)

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self.blocks = blocks

    def __eq__(self, other: object) -> bool:
        return type(other) is Document and other.blocks == self.blocks

    def __hash__(self) -> int:
        return hash(self.blocks)

    def __repr__(self) -> str:
        return f"Document(blocks={self.blocks!r})"

    def of_kind(self, *kinds: str) -> tuple[Block, ...]:
        """Return the blocks of the given kinds, in order."""
        return tuple(b for b in self.blocks if b.kind in kinds)
