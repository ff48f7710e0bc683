"""The PSL parser: syntax tree shape, positions, and one clear error per kind of syntax error."""

from __future__ import annotations

import os
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
    """Return a node as nested plain tuples, without positions (`Node._fields`)."""
    if isinstance(node, Node):
        return tuple(shape(getattr(node, f)) for f in node._fields)
    if isinstance(node, tuple):
        return tuple(shape(x) for x in node)
    return node


REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("SCHEMASYNC_CORPUS", REPO.parent / "shared" / "corpus" / "prisma"))

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


def test_equality_is_same_shape() -> None:
    """Two parses of the same text are equal; positions never make nodes differ; shapes do."""
    first = parse_schema([("shop.prisma", SHOP)])
    assert first == parse_schema([("shop.prisma", SHOP)])
    assert hash(first) == hash(parse_schema([("shop.prisma", SHOP)]))
    moved = parse_schema([("other.prisma", "\n\n" + SHOP.replace("  ", "    "))])
    assert moved == first
    assert str(moved.blocks[2].pos) != str(first.blocks[2].pos)
    assert moved.blocks[2].pos != first.blocks[2].pos
    changed = parse_schema([("shop.prisma", SHOP.replace("String?", "String"))])
    assert changed != first
    assert repr(first.blocks[4]) == repr(parse_text(SHOP, "x")[4])
    assert "Pos" not in repr(first.blocks[4])


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
    error = _syntax_error(text)
    shown = str(error)
    assert message in shown
    assert "\n" not in shown
    assert error.exit_code == ExitCode.SOURCE
    assert shown.startswith("s.prisma:")


def _syntax_error(text: str) -> SourceError:
    """Return the error of parsing `text` as `s.prisma` (which must fail)."""
    try:
        parse_text(text, "s.prisma")
    except SourceError as err:
        return err
    raise AssertionError(f"parsed: {text!r}")


@pytest.mark.skipif(
    not CORPUS.is_dir(), reason="the shared corpus is not there (SCHEMASYNC_CORPUS)"
)
def test_every_corpus_file_parses() -> None:
    files = sorted(CORPUS.rglob("*.prisma"))
    assert len(files) >= 30
    blocks = 0
    for path in files:
        blocks += len(parse_text(path.read_text(encoding="utf-8"), str(path)))
    assert blocks > 400


def test_tokens_of_every_kind() -> None:
    """This pins what each text becomes (`lexer._scan`).

    An attribute's sign and name written together are one token (`@id`, `@@y`, `@db.V`); its
    arguments are the usual tokens, and `@@ v` or `@ g` are the sign and a name.
    """
    text = (
        'a.b_c-d 1a 12 -3 1.5 - x @@y @z("s\\"t", [w]) @@ v ?{}=: /// doc\n  // note\n\t$ @id '
        '@map("m") @d(now()) @db.V(2) @x(-1.5) @ g ("a")'
    )
    assert Source(text, "t").tokens[:-3] == [
        "a.b_c-d", "1a", "12", "-3", "1.5", "-", "x", "@@y", "@z", "(", '"s\\"t"', ",", "[",
        "w", "]", ")", "@@", "v", "?", "{", "}", "=", ":", "/// doc", "\n", "$", "@id",
        "@map", "(", '"m"', ")", "@d", "(", "now", "(", ")", ")", "@db.V", "(", "2", ")", "@x", "(",
        "-1.5", ")", "@", "g", "(", '"a"', ")", "",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("1.5a -1a 1.x 2. -x 1-2", ["1", ".", "5a", "-", "1a", "1", ".", "x", "2", ".", "-", "x",
                                    "1-2"]),
        ("a.b.c a.-b a.1 a..b _x-y.z9", ["a.b.c", "a", ".", "-", "b", "a.1", "a", ".", ".", "b",
                                         "_x-y.z9"]),
        ("@@@x @@ @ @1 @-", ["@@", "@x", "@@", "@", "@", "1", "@", "-"]),
        ('"a\\"b" "c\nd" "e\\', ['"a\\"b"', '"', "c", "\n", "d", '" "', "e", "\\"]),
        ("//// doc\n/// d // x\n// c\n/x", ["//// doc", "\n", "/// d // x", "\n", "/", "x"]),
        ("a // c\n\n// d\nb", ["a", "\n", "\n", "b"]),
        ("/* a */b /* c\nd */ /**/ /*/ e\n", ["/* a */", "b", "/* c\nd */", "/**/", "/*/ e\n"]),
        ("\ufeffa\r\n\tb\f\vc // end", ["a", "\n", "b", "c"]),
        ("é€ \x00\u00a0#", ["é", "€", "\x00", "\u00a0", "#"]),
        ("", []),
        ("  \n  ", ["\n"]),
    ],
    ids=["numbers", "names", "signs", "strings", "comments", "comment-lines", "block-comments",
         "blanks", "others", "empty",
         "blank"],
)  # fmt: skip
def test_tokens_at_the_edges(text: str, tokens: list[str]) -> None:
    """Numbers a name character follows, dotted names, signs, open strings, comments, blanks and
    characters PSL has no use for; every text ends in one `""` (and the parser's sentinels)."""
    source = Source(text, "t")
    assert source.tokens == [*tokens, "", "", "", ""]
    for index, token in enumerate(tokens):  # each token's position is where its text starts
        line, col = source.locate(index)
        offset = sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + col - 1
        assert text[offset:].startswith(token), (token, line, col)


@pytest.mark.parametrize(
    "attr",
    ['@map("x")', "@default(Draft)", "@default(0)", "@default(-1.5)", "@default(now())",
     "@default(db.Foo)", '@map("")', "@id", "@db.VarChar(20)", '@map("a(b)")',
     '@relation("r", fields: [a], references: [b])'],
)  # fmt: skip
def test_attributes_read_alike_with_or_without_blanks(attr: str) -> None:
    """`@map("x")` and `@ map ( "x" )` give the same nodes (one reader: `parse_attribute`), and
    each node's position is where its text starts."""
    spaced = attr.replace("@", "@ ", 1).replace("(", " ( ", 1)
    spaced = spaced[:-1] + " )" if spaced.endswith(")") else spaced
    whole = parse_text(f"model A {{\n  a Int {attr}\n}}\n", "w.prisma")[0].fields[0].attributes[0]
    general = parse_text(f"model A {{\n  a Int {spaced}\n}}\n", "g.prisma")[0]
    general_attr = general.fields[0].attributes[0]
    assert whole == general_attr
    assert shape(whole) == shape(general_attr)
    line = f"  a Int {attr}"
    for node in (whole, *whole.args, *(a.value for a in whole.args)):
        assert str(node.pos).startswith("w.prisma:2:")
        assert line[node.pos.col - 1 :].startswith(_opening(node)), (node, node.pos)


def _opening(node: Any) -> str:
    """Return how the text of `node` starts."""
    if isinstance(node, Attribute):
        return f"@{node.name}"
    if isinstance(node, Argument):
        return f"{node.name}:" if node.name else _opening(node.value)
    if isinstance(node, StringValue):
        return f'"{node.value}'
    if isinstance(node, NumberValue):
        return node.text
    if isinstance(node, ArrayValue):
        return "["
    assert isinstance(node, IdentValue | CallValue)
    return node.name


@pytest.mark.parametrize(
    "args",
    ["(a)", "(a, b)", "(x: a)", "(x: a, y: b)", "([a, b])", "([a, b], map: c)", "(now())",
     '("x")', "(0)", "(a(sort: Desc), b)"],
)  # fmt: skip
def test_bare_names_read_as_parse_value_reads_them(args: str) -> None:
    """A bare name before `,` or a closing bracket, read without `parse_value` (the usual
    argument and list item), gives the node `parse_value` gives (with a newline after each
    item, the parser takes the general path)."""
    text = "model A {{\n  @@index{}\n}}\n"
    fast = parse_text(text.format(args), "f.prisma")[0].attributes[0]
    slow_args = args.replace(",", "\n,").replace(")", "\n)").replace("]", "\n]")
    slow = parse_text(text.format(slow_args), "s.prisma")[0].attributes[0]
    assert fast == slow
    values: list[Any] = [a.value for a in fast.args]
    while values:
        value = values.pop()
        if isinstance(value, IdentValue):
            col = value.pos.col
            assert f"  @@index{args}"[col - 1 :].startswith(value.name), (value, col)
        elif isinstance(value, ArrayValue):
            values.extend(value.items)
