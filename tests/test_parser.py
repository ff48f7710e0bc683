"""The PSL parser: syntax tree shape, positions, and one clear error per kind of syntax error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from schemasync.errors import ExitCode, SourceError
from schemasync.prisma.ast import (
    Argument,
    ArrayValue,
    Attribute,
    CallValue,
    IdentValue,
    Node,
    NumberValue,
    StringValue,
)
from schemasync.prisma.lexer import Source
from schemasync.prisma.parser import parse_schema, parse_text


def shape(node: Any) -> Any:
    """Return a node as nested plain tuples without positions (positions differ per source)."""
    if isinstance(node, Node):
        return tuple(shape(getattr(node, f)) for f in node._fields if f not in ("src", "tok"))
    if isinstance(node, tuple):
        return tuple(shape(x) for x in node)
    return node


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "prisma"

SHOP = """\
/// The shop's datasource
datasource db {
  provider   = "postgresql"
  url        = env("DATABASE_URL")
  extensions = [pgcrypto, postgis(version: "3.4")]
  schemas    = ["public", "audit"]
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views", "multiSchema"]
}

/// A customer.
/// Two lines.
model Customer {
  id      String  @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  email   String  @unique(map: "customer_email_key") @db.VarChar(320) /// trailing doc
  name    String? // a plain comment
  tags    String[]
  balance Decimal @default(-1.5) @db.Decimal(12, 2)
  orders  Order[]
  search  Unsupported("tsvector")?

  @@index([name(sort: Desc), email(length: 10)], type: BTree, map: "ix")
  @@map("customers")
  @@schema("public")
}

enum Status {
  PENDING @map("pending")
  PAID
  @@map("order_status")
}

type Address {
  street String
}
"""


def test_parses_every_kind_of_block() -> None:
    blocks = parse_text(SHOP, "shop.prisma")
    assert [(b.kind, b.name) for b in blocks] == [
        ("datasource", "db"),
        ("generator", "client"),
        ("model", "Customer"),
        ("enum", "Status"),
        ("type", "Address"),
    ]
    ds, _gen, customer, status, address = blocks
    assert ds.doc == "The shop's datasource"
    url = ds.property("url")
    assert url is not None
    assert isinstance(url.value, CallValue)
    assert url.value.name == "env"
    assert shape(url.value.args[0].value) == ("DATABASE_URL",)
    ext = ds.property("extensions")
    assert ext is not None
    assert isinstance(ext.value, ArrayValue)
    assert [type(v).__name__ for v in ext.value.items] == ["IdentValue", "CallValue"]

    assert customer.doc == "A customer.\nTwo lines."
    fields = {f.name: f for f in customer.fields}
    assert list(fields) == ["id", "email", "name", "tags", "balance", "orders", "search"]
    assert fields["email"].doc == "trailing doc"
    assert fields["name"].type.optional
    assert fields["name"].doc is None
    assert fields["tags"].type.list
    assert fields["search"].type.unsupported == "tsvector"
    assert fields["search"].type.optional
    default = fields["balance"].attribute("default")
    assert default is not None
    assert isinstance(default.args[0].value, NumberValue)
    assert default.args[0].value.text == "-1.5"
    db = fields["balance"].attribute("db.Decimal")
    assert db is not None
    assert [a.value.text for a in db.args if isinstance(a.value, NumberValue)] == ["12", "2"]
    unique = fields["email"].attribute("unique")
    assert unique is not None
    assert shape(unique.arg("map")) == ("customer_email_key",)

    index = customer.attribute("index")
    assert index is not None
    cols = index.arg("fields", 0)
    assert isinstance(cols, ArrayValue)
    first = cols.items[0]
    assert isinstance(first, CallValue)
    assert first.name == "name"
    assert first.args[0].name == "sort"
    assert isinstance(first.args[0].value, IdentValue)
    assert first.args[0].value.name == "Desc"
    assert isinstance(index.arg("type"), IdentValue)

    assert [v.name for v in status.values] == ["PENDING", "PAID"]
    assert status.attribute("map") is not None
    assert address.fields[0].name == "street"


def test_positions_are_one_based_line_and_column() -> None:
    blocks = parse_text(SHOP, "shop.prisma")
    customer = blocks[2]
    assert str(customer.pos) == "shop.prisma:16:1"
    email = customer.fields[1]
    assert (email.pos.line, email.pos.col) == (18, 3)
    attr = email.attribute("unique")
    assert attr is not None
    assert (attr.pos.line, attr.pos.col) == (18, 19)


def test_a_list_value_starts_at_its_bracket() -> None:
    (block,) = parse_text("model A {\n  id Int @id\n  @@index([id,\n    id])\n}\n", "s.prisma")
    index = block.attribute("index")
    assert index is not None
    fields = index.arg("fields", 0)
    assert isinstance(fields, ArrayValue)
    assert str(fields.pos) == "s.prisma:3:11"


def test_crlf_tabs_and_bom_parse_like_lf() -> None:
    crlf = "\ufeff" + SHOP.replace("\n", "\r\n").replace("  ", "\t")
    assert shape(parse_text(crlf, "a")) == shape(parse_text(SHOP, "a"))


def test_string_escapes() -> None:
    text = 'model A {\n  id Int @id @default(1)\n  s String @default("a\\"b\\\\c\\n\\u0041")\n}\n'
    (block,) = parse_text(text)
    attr = block.fields[1].attribute("default")
    assert attr is not None
    assert isinstance(attr.args[0].value, StringValue)
    assert attr.args[0].value.value == 'a"b\\c\nA'


def test_multi_line_arguments_and_comments_inside() -> None:
    text = (
        "model A {\n  id Int @id\n  b Int\n  @@index(\n    [id, // first\n     b],\n"
        '    map: "x"\n  )\n}\n'
    )
    (block,) = parse_text(text)
    index = block.attribute("index")
    assert index is not None
    assert index.arg("map") is not None


def test_schema_of_several_files_is_one_document() -> None:
    doc = parse_schema(
        [("a.prisma", "model A {\n id Int @id\n}\n"), ("b.prisma", "enum E {\n X\n}")]
    )
    assert [b.name for b in doc.blocks] == ["A", "E"]
    assert str(doc.blocks[1].pos) == "b.prisma:1:1"


BAD = [
    ("model A {\n  id Int @id\n", "s.prisma:1:9: `model A` is never closed"),
    ("model A {\n  id Int\n  name\n}", "s.prisma:3:7: field `name` has no type"),
    ("modle A {\n}", "s.prisma:1:1: unknown block `modle`: did you mean `model`?"),
    ('model A {\n  id Int @default("x\\q")\n}', "s.prisma:2:19: unknown escape sequence"),
    ("model A {\n  id Int @default(\n}", "s.prisma:3:1: expected a value"),
    ("model A {\n  id Int[]?\n}", "s.prisma:2:11: optional lists are not supported"),
    ('model A {\n  x String "abc\n}', "s.prisma:2:12: unterminated string"),
    ("model A {\n  x String #\n}", "s.prisma:2:12: unexpected character `#`"),
    ('datasource db {\n  provider "x"\n}', "s.prisma:2:12: expected `=` after `provider`"),
    ("model A {\n  id Int @@id\n}", "s.prisma:2:10: a block attribute (`@@…`) must stand"),
    ("model A {\n  id Int @relation(fields: [a b])\n}", "s.prisma:2:31: expected `,` or `]`"),
    ("model A {\n  id Int\n} x", "s.prisma:3:3: unexpected `x` after `}`"),
    ("model {\n}", "s.prisma:1:7: expected a name after `model`"),
    ("model A\n{\n}", "s.prisma:1:8: expected `{` after `model A`"),
    ("model A {\n  @id\n}", "s.prisma:2:3: a field attribute needs a field"),
    ("model A {\n  id Int @id(\n", "s.prisma:2:13: `(` is never closed"),
    ("model A {\n  id Int\n  @@index([id,\n", "s.prisma:3:11: `[` is never closed"),
    ("model A {\n  id Int @ 1\n}", "s.prisma:2:12: expected an attribute name"),
    ("model A {\n  id Int?[]\n}", "s.prisma:2:10: write `Int[]`, not `Int?[]`"),
    ("model A {\n  id Int @id @default(1) x\n}", "s.prisma:2:26: unexpected `x` after field"),
    ("model A {\n  id Int\n}\n}", "s.prisma:4:1: expected a block such as `model Name {`"),
    ("model A {\n  id Unsupported(1)\n}", "s.prisma:2:18: expected the database type as a string"),
    ("= x", "s.prisma:1:1: expected a block"),
    ("model A {\n  x Int @default(" + "[" * 40 + ")\n}", "nesting deeper than 32 levels"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m.split(": ")[-1][:40] for _, m in BAD])
def test_syntax_errors_are_one_line_with_position(text: str, message: str) -> None:
    with pytest.raises(SourceError) as info:
        parse_text(text, "s.prisma")
    shown = str(info.value)
    assert message in shown
    assert "\n" not in shown
    assert info.value.exit_code == ExitCode.SOURCE
    assert shown.startswith("s.prisma:")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repo")
def test_every_corpus_file_parses() -> None:
    files = sorted(CORPUS.rglob("*.prisma"))
    assert len(files) >= 30
    blocks = 0
    for path in files:
        blocks += len(parse_text(path.read_text(encoding="utf-8"), str(path)))
    assert blocks > 400


def test_tokens_of_every_kind() -> None:
    """The lexer's alternatives are ordered for speed; this pins what each text becomes.

    An attribute written without blanks and with at most one plain argument is one token
    (`@map("m")`); any other (`@z(a, b)`, `@f(uuid(7))`, `@@ v`, `@g ("a")`) is its `@`-name token
    followed by the usual tokens, or `@`/`@@` and a name.
    """
    from schemasync.prisma.lexer import Source

    text = (
        'a.b_c-d 1a 12 -3 1.5 - x @@y @z("s\\"t", [w]) @@ v ?{}=: /// doc\n  // note\n\t$ @id '
        '@map("m") @d(now()) @db.V(2) @x(-1.5) @k(K) @e("") @f(uuid(7)) @g ("a")'
    )
    assert Source(text, "t").tokens[:-5] == [
        "a.b_c-d", "1a", "12", "-3", "1.5", "-", "x", "@@y", "@z", "(", '"s\\"t"', ",", "[",
        "w", "]", ")", "@@", "v", "?", "{", "}", "=", ":", "/// doc", "\n", "\n", "$", "@id",
        '@map("m")', "@d(now())", "@db.V(2)", "@x(-1.5)", "@k(K)", '@e("")', "@f", "(", "uuid",
        "(", "7", ")", ")", "@g", "(", '"a"', ")", "",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "attr",
    ['@map("x")', "@default(Draft)", "@default(0)", "@default(-1.5)", "@default(now())",
     "@default(db.Foo)", '@map("")', "@id", "@db.VarChar(20)", '@map("a(b)")'],
)  # fmt: skip
def test_whole_attribute_tokens_read_as_the_general_path_reads(attr: str) -> None:
    """An attribute lexed as one token gives the nodes, and the positions, of the same
    attribute written with blanks (`@ map ( "x" )`: one token per part, the general path)."""
    spaced = attr.replace("@", "@ ", 1).replace("(", " ( ", 1)
    spaced = spaced[:-1] + " )" if spaced.endswith(")") else spaced
    whole = parse_text(f"model A {{\n  a Int {attr}\n}}\n", "w.prisma")[0].fields[0].attributes[0]
    general = parse_text(f"model A {{\n  a Int {spaced}\n}}\n", "g.prisma")[0]
    general_attr = general.fields[0].attributes[0]
    assert Source(f"a {attr} b", "t").tokens[:3] == ["a", attr, "b"]  # one token
    assert shape(whole) == shape(general_attr)
    for node, other in ((whole, general_attr), *_arg_nodes(whole, general_attr)):
        assert str(node.pos) == f"w.prisma:2:{9 + _column_in(attr, node, whole)}"
        assert str(other.pos).startswith("g.prisma:2:")


def _arg_nodes(whole: Attribute, general: Attribute) -> list[tuple[Any, Any]]:
    return [(a, b) for a, b in zip(whole.args, general.args, strict=True)] + [
        (a.value, b.value) for a, b in zip(whole.args, general.args, strict=True)
    ]


def _column_in(attr: str, node: object, whole: Attribute) -> int:
    """Where `node` starts inside the attribute's text: 0 for the attribute, else its argument."""
    return 0 if node is whole else attr.index("(") + 1


@pytest.mark.parametrize(
    "args",
    ['("x")', "(Draft)", "(0)", "(-1.5)", "(now())", "(db.Foo)", '("")', "(1a)", '("a\\"b")',
     "(x, y)", "(map: \"x\")", "(now(1))", "(\n  x\n)", "([a])"],
)  # fmt: skip
def test_lone_argument_reads_what_the_general_path_reads(args: str) -> None:
    """The hot path's reader of one plain argument gives the general parser's node, position
    included, or leaves the list to it (None)."""
    from schemasync.prisma.lexer import Source
    from schemasync.prisma.parser import _lone_argument, _Parser

    src = Source(args + "\n", "a.prisma")
    general = _Parser(src).parse_args(0)
    fast = _lone_argument(src.tokens, src, 0)
    if fast is not None:
        assert general == (Argument(None, fast, src, 1),)
        assert (general[0].value.src, general[0].value.tok) == (fast.src, fast.tok)
    else:
        assert args in {'("a\\"b")', "(x, y)", '(map: "x")', "(now(1))", "(\n  x\n)", "([a])",
                        "(1a)"}  # fmt: skip
