"""The syntax tree of the Prisma Schema Language, as the parser produces it.

Pure data: every node keeps where it starts (its `lexer.Source` and the index of its first token),
so that the import can report `file:line:col` for a semantic error. No Prisma rules live here (see
`to_model.py`).

Equality means "same shape": two nodes are equal when they have the same type and fields, wherever
they stand (positions are provenance, kept beside the data: STYLE §3). Two parses of the same text
give equal documents.

Nodes are plain classes with `__slots__` and an `__init__`, never changed after the parser builds
them. Compiled (mypyc, see setup.py) they are C structs: building one costs ~1,150 instructions.
`@dataclass(slots=True)` classes are native too, but their `__init__` is the one `dataclasses`
generates, interpreted: ~3,300 instructions a node, +260 million (+29%) for the 125,000 nodes of
the 1,000-model benchmark schema. So each class states its `_fields` (its shape, in constructor
order) for the shared `__eq__`/`__hash__`/`__repr__` of `Node`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from schemasync.prisma.lexer import Source


class Pos:
    """Where a node starts: a token of a source file; line and column are computed on demand.

    Positions are needed only to report an error, and computing a line and column for every node
    of a 10,000-model schema would cost more than the parse itself. Two positions are equal when
    they name the same file, line and column.
    """

    __slots__ = ("index", "src")

    def __init__(self, src: Source, index: int) -> None:
        self.src = src
        self.index = index  # of the token in `src.tokens`

    @property
    def file(self) -> str:
        """The file as given to the parser."""
        return self.src.file

    @property
    def line(self) -> int:
        """1-based line."""
        return self.src.locate(self.index)[0]

    @property
    def col(self) -> int:
        """1-based column."""
        return self.src.locate(self.index)[1]

    def __str__(self) -> str:
        line, col = self.src.locate(self.index)
        return f"{self.file}:{line}:{col}"

    def __repr__(self) -> str:
        return f"Pos({self})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pos) and str(other) == str(self)

    def __hash__(self) -> int:
        return hash(str(self))


class Node:
    """What every node has: its source file and first token (`pos`), and shape equality."""

    __slots__ = ("src", "tok")
    _fields: ClassVar[tuple[str, ...]] = ()  # the shape: every field but the position

    def __init__(self, src: Source, tok: int) -> None:
        self.src = src
        self.tok = tok  # index of the node's first token in `src.tokens`

    @property
    def pos(self) -> Pos:
        """Where this node starts."""
        return Pos(self.src, self.tok)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, f) == getattr(other, f) for f in self._fields
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, *(getattr(self, f) for f in self._fields)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"


# --- values --------------------------------------------------------------------------------


class StringValue(Node):
    """A string literal, escapes resolved (`"a\\"b"` -> `a"b`)."""

    __slots__ = ("value",)
    _fields = ("value",)

    def __init__(self, value: str, src: Source, tok: int) -> None:
        super().__init__(src, tok)
        self.value = value


class NumberValue(Node):
    """A numeric literal, kept as written (`12`, `-1`, `1.5`)."""

    __slots__ = ("text",)
    _fields = ("text",)

    def __init__(self, text: str, src: Source, tok: int) -> None:
        super().__init__(src, tok)
        self.text = text


class IdentValue(Node):
    """A bare identifier or dotted path: `Cascade`, `true`, `Desc`, `db.VarChar`, `Hash`."""

    __slots__ = ("name",)
    _fields = ("name",)

    def __init__(self, name: str, src: Source, tok: int) -> None:
        super().__init__(src, tok)
        self.name = name


class ArrayValue(Node):
    """`[a, b(sort: Desc), "x"]`."""

    __slots__ = ("items",)
    _fields = ("items",)

    def __init__(self, items: tuple[Value, ...], src: Source, tok: int) -> None:
        super().__init__(src, tok)
        self.items = items


class CallValue(Node):
    """A function call: `now()`, `env("DATABASE_URL")`, `dbgenerated("gen_random_uuid()")`,
    or a field reference with arguments inside an index list: `title(ops: raw("gin_trgm_ops"))`."""

    __slots__ = ("args", "name")
    _fields = ("name", "args")

    def __init__(self, name: str, args: tuple[Argument, ...], src: Source, tok: int) -> None:
        super().__init__(src, tok)
        self.name = name
        self.args = args


Value = StringValue | NumberValue | IdentValue | ArrayValue | CallValue


class Argument(Node):
    """An attribute or call argument (`name: value`); `name` is None for a positional one."""

    __slots__ = ("name", "value")
    _fields = ("name", "value")

    def __init__(self, name: str | None, value: Value, src: Source, tok: int) -> None:
        super().__init__(src, tok)
        self.name = name
        self.value = value


# --- declarations ---------------------------------------------------------------------------


class Attribute(Node):
    """A field attribute (`@id`, `@db.VarChar(200)`) or block attribute (`@@index([a])`).

    `name` is written without the leading `@`/`@@`: `id`, `db.VarChar`, `index`.
    """

    __slots__ = ("args", "block", "name")
    _fields = ("name", "args", "block")

    def __init__(
        self, name: str, args: tuple[Argument, ...], block: bool, src: Source, tok: int
    ) -> None:
        super().__init__(src, tok)
        self.name = name
        self.args = args
        self.block = block

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
    _fields = ("name", "optional", "list", "unsupported")

    def __init__(
        self, name: str, optional: bool, list: bool, unsupported: str | None, src: Source, tok: int
    ) -> None:
        super().__init__(src, tok)
        self.name = name
        self.optional = optional
        self.list = list
        self.unsupported = unsupported


class Declaration(Node):
    """What fields, enum values and blocks share: a name, attributes and a `///` doc comment."""

    __slots__ = ("attributes", "doc", "name")

    def __init__(
        self, name: str, attributes: tuple[Attribute, ...], doc: str | None, src: Source, tok: int
    ) -> None:
        super().__init__(src, tok)
        self.name = name
        self.attributes = attributes
        self.doc = doc

    def attribute(self, name: str) -> Attribute | None:
        """Return the first attribute called `name` (without `@`/`@@`)."""
        for a in self.attributes:
            if a.name == name:
                return a
        return None


class Field(Declaration):
    """A field of a model, view or composite type."""

    __slots__ = ("type",)
    _fields = ("name", "type", "attributes", "doc")

    def __init__(
        self,
        name: str,
        type: FieldType,
        attributes: tuple[Attribute, ...],
        doc: str | None,
        src: Source,
        tok: int,
    ) -> None:
        super().__init__(name, attributes, doc, src, tok)
        self.type = type


class EnumValue(Declaration):
    """A value of an enum block, with its attributes (`@map("x")`)."""

    __slots__ = ()
    _fields = ("name", "attributes", "doc")


class Property(Node):
    """A `key = value` line of a `datasource` or `generator` block."""

    __slots__ = ("name", "value")
    _fields = ("name", "value")

    def __init__(self, name: str, value: Value, src: Source, tok: int) -> None:
        super().__init__(src, tok)
        self.name = name
        self.value = value


class Block(Declaration):
    """A top-level block.

    kind is one of `model`, `view`, `type`, `enum`, `datasource`, `generator`.
    `fields` is used by model/view/type, `values` by enum, `properties` by datasource/generator;
    `attributes` holds the block attributes (`@@map`, `@@id`, ...).
    """

    __slots__ = ("fields", "kind", "properties", "values")
    _fields = ("kind", "name", "fields", "values", "properties", "attributes", "doc")

    def __init__(
        self,
        kind: str,
        name: str,
        fields: tuple[Field, ...],
        values: tuple[EnumValue, ...],
        properties: tuple[Property, ...],
        attributes: tuple[Attribute, ...],
        doc: str | None,
        src: Source,
        tok: int,
    ) -> None:
        super().__init__(name, attributes, doc, src, tok)
        self.kind = kind
        self.fields = fields
        self.values = values
        self.properties = properties

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


# --- free text ------------------------------------------------------------------------------

_N = TypeVar("_N", bound=Node)


def _replaced(node: _N, **changes: object) -> _N:
    """Return `node` itself when nothing changed, else a new node with `changes` (built by its
    constructor, which takes its `_fields` then the position: `copy.copy` cannot copy the
    compiled build's native classes)."""
    if all(getattr(node, k) is v for k, v in changes.items()):
        return node
    values = [changes[f] if f in changes else getattr(node, f) for f in node._fields]
    return type(node)(*values, node.src, node.tok)  # type: ignore[arg-type, call-arg]


def _mask_value(value: Value, mask: Callable[[str], str]) -> Value:
    if isinstance(value, StringValue):
        masked = mask(value.value)
        return value if masked == value.value else _replaced(value, value=masked)
    if isinstance(value, CallValue):
        args = tuple(_replaced(a, value=_mask_value(a.value, mask)) for a in value.args)
        return _replaced(value, args=_same(args, value.args))
    if isinstance(value, ArrayValue):
        items = tuple(_mask_value(v, mask) for v in value.items)
        return _replaced(value, items=_same(items, value.items))
    return value


def _same(new: tuple[_N, ...], old: tuple[_N, ...]) -> tuple[_N, ...]:
    """`old` when every item is the same object (so `_replaced` sees no change)."""
    return old if all(a is b for a, b in zip(new, old, strict=True)) else new


def _mask_attributes(
    attributes: tuple[Attribute, ...], mask: Callable[[str], str]
) -> tuple[Attribute, ...]:
    masked = tuple(
        _replaced(
            a,
            args=_same(
                tuple(_replaced(g, value=_mask_value(g.value, mask)) for g in a.args), a.args
            ),
        )
        if a.name == "default"
        else a
        for a in attributes
    )
    return _same(masked, attributes)


def _mask_declaration(node: _N, mask: Callable[[str], str]) -> _N:
    assert isinstance(node, Declaration)
    doc = node.doc if node.doc is None else mask(node.doc)
    changes: dict[str, object] = {
        "doc": node.doc if doc == node.doc else doc,
        "attributes": _mask_attributes(node.attributes, mask),
    }
    if isinstance(node, Block):
        changes["fields"] = _same(
            tuple(_mask_declaration(f, mask) for f in node.fields), node.fields
        )
        changes["values"] = _same(
            tuple(_mask_declaration(v, mask) for v in node.values), node.values
        )
    return _replaced(node, **changes)


def mask_free_text(doc: Document, mask: Callable[[str], str]) -> Document:
    """Return `doc` with its free text -- `///` doc comments and the strings of `@default(…)`,
    `dbgenerated("…")` included -- passed through `mask` (a run's literal secrets), before the
    import reads it: the SQL of a default is normalized on import (`0:A00` -> `0 AS :A00`), and
    a secret the normalizer rewrote could no longer be found in the model. Names, `@map`s and
    the datasource are left alone; unchanged nodes are shared, not copied."""
    blocks = tuple(_mask_declaration(b, mask) for b in doc.blocks)
    return doc if all(a is b for a, b in zip(blocks, doc.blocks, strict=True)) else Document(blocks)
