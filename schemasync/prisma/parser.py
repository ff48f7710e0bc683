"""Parse Prisma Schema Language text into the syntax tree of `ast.py`.

A hand-written recursive-descent parser over the string tokens of `lexer.py`. PSL is
line-oriented (one field, enum value, property or block attribute per line) and ignores newlines
inside `()` and `[]`. The parser checks syntax only; what a valid schema means (relations, names,
types) is `to_model.py`'s job. Every error is a `SourceError` at the offending token:
`file:line:col: what is wrong, and how to fix it`.

The hot loops read tokens from a local list by index instead of calling helper methods per token:
on the 1,000-model benchmark schema (216k tokens) that is the difference between ~1 s and ~0.1 s.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import NoReturn

from schemasync.errors import SourceError
from schemasync.gcpause import paused_gc
from schemasync.prisma.ast import (
    Argument,
    ArrayValue,
    Attribute,
    Block,
    CallValue,
    Document,
    EnumValue,
    Field,
    FieldType,
    IdentValue,
    NumberValue,
    Property,
    StringValue,
    Value,
)
from schemasync.prisma.lexer import EOF, Source, at, is_name, is_number, unescape

BLOCK_KINDS = ("model", "view", "enum", "type", "datasource", "generator")
_FIELD_BLOCKS = frozenset(("model", "view", "type"))
# Deeply nested arrays/calls are legal syntax, but no real schema nests beyond a few levels; the
# bound turns a pathological input into a clear error instead of a RecursionError.
MAX_DEPTH = 32
_PUNCT = frozenset("{}()[],:=?.@")
# Tokens starting with one of these are names (digit-led tokens may be numbers: `is_name`).
_NAME_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def _describe(tok: str) -> str:
    if tok == EOF:
        return "end of file"
    if tok == "\n":
        return "end of line"
    if tok.startswith("///"):
        return "`///` comment"
    if tok.startswith('"'):
        return f"string {tok}"
    return f"`{tok}`"


class _Parser:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.toks = src.tokens
        self.i = 0

    def fail(self, index: int, message: str) -> NoReturn:
        line, col = self.src.locate(index)
        raise SourceError(message, file=self.src.file, line=line, col=col)

    def check_token(self, index: int) -> None:
        """Report a token that cannot start anything (a stray character or an open string)."""
        tok = self.toks[index]
        if tok == '"':
            self.fail(index, 'unterminated string: add the closing `"` on the same line')
        if len(tok) == 1 and tok not in _PUNCT and not tok.isalnum() and tok != "\n":
            shown = tok if tok.isprintable() else f"U+{ord(tok):04X}"
            self.fail(
                index,
                f"unexpected character `{shown}`: remove it (PSL names use letters, digits, `_`)",
            )

    def expected(self, index: int, what: str) -> NoReturn:
        self.check_token(index)
        self.fail(index, f"expected {what} but found {_describe(self.toks[index])}")

    def take_docs(self) -> str | None:
        """Skip blank lines, collecting the `///` lines before a declaration."""
        toks = self.toks
        i = self.i
        lines: list[str] | None = None
        while True:
            tok = toks[i]
            if tok == "\n":
                i += 1
            elif tok.startswith("///"):
                if lines is None:
                    lines = []
                lines.append(tok[3:].strip())
                i += 1
            else:
                self.i = i
                return "\n".join(lines) if lines is not None else None

    def end_of_line(self, what: str, name: str = "") -> str | None:
        """Consume the end of a declaration's line; return a trailing `///` comment, if any."""
        toks = self.toks
        tok = toks[self.i]
        doc = None
        if tok.startswith("///"):
            doc = tok[3:].strip()
            self.i += 1
            tok = toks[self.i]
        if tok == "\n":
            self.i += 1
        elif tok != "}" and tok != EOF:
            self.check_token(self.i)
            what = what.format(name)
            self.fail(self.i, f"unexpected {_describe(tok)} after {what}; put one item per line")
        return doc

    # --- blocks ----------------------------------------------------------------------------

    def parse_document(self) -> list[Block]:
        blocks: list[Block] = []
        while True:
            doc = self.take_docs()
            if self.toks[self.i] == EOF:
                return blocks
            blocks.append(self.parse_block(doc))

    def parse_block(self, doc: str | None) -> Block:
        toks = self.toks
        start = self.i
        kind = toks[start]
        if kind not in BLOCK_KINDS:
            if is_name(kind):
                close = difflib.get_close_matches(kind, BLOCK_KINDS, n=1)
                hint = f"did you mean `{close[0]}`? " if close else ""
                kinds = ", ".join(f"`{k}`" for k in BLOCK_KINDS)
                self.fail(
                    start, f"unknown block `{kind}`: {hint}a schema holds only {kinds} blocks"
                )
            self.expected(start, "a block such as `model Name {`")
        name = toks[start + 1]
        if not is_name(name) or "." in name:
            self.expected(start + 1, f"a name after `{kind}`, e.g. `{kind} Name {{`")
        if toks[start + 2] != "{":
            self.check_token(start + 2)
            self.fail(
                start + 2,
                f"expected `{{` after `{kind} {name}` but found {_describe(toks[start + 2])}; "
                "open the block on the same line",
            )
        self.i = start + 3
        fields: list[Field] = []
        values: list[EnumValue] = []
        props: list[Property] = []
        attrs: list[Attribute] = []
        src = self.src
        is_fields = kind in _FIELD_BLOCKS
        while True:
            i = self.i
            tok = toks[i]
            item_doc = None
            if tok == "\n" or tok[:3] == "///":
                item_doc = self.take_docs()
                i = self.i
                tok = toks[i]
            if tok == "}":
                self.i = i + 1
                break
            if tok == EOF:
                self.fail(
                    start + 2, f"`{kind} {name}` is never closed: add `}}` after its last line"
                )
            if tok[:2] == "@@":
                if tok == "@@":
                    attrs.append(self.parse_attribute(True))
                else:
                    attrs.append(self.whole_attribute(i))
                self.end_of_line("a block attribute")
            elif tok[:1] == "@":
                self.fail(
                    i,
                    "a field attribute needs a field: write `name Type @attr`, or use `@@` for a "
                    "block attribute",
                )
            elif is_fields:
                fields.append(self.parse_field(item_doc))
            elif kind == "enum":
                values.append(self.parse_enum_value(item_doc))
            else:
                props.append(self.parse_property())
        after = toks[self.i]
        if after != "\n" and after != EOF and not after.startswith("///"):
            self.check_token(self.i)
            self.fail(self.i, f"unexpected {_describe(after)} after `}}`; start it on a new line")
        return Block(
            kind,
            name,
            tuple(fields),
            tuple(values),
            tuple(props),
            tuple(attrs),
            doc,
            src,
            start,
        )

    # --- block items -----------------------------------------------------------------------

    def parse_field(self, doc: str | None) -> Field:
        toks = self.toks
        start = self.i
        name = toks[start]
        if (name[:1] not in _NAME_FIRST and not is_name(name)) or "." in name:
            self.expected(start, "a field name (write `name Type`)")
        tpos = start + 1
        tname = toks[tpos]
        if (tname[:1] not in _NAME_FIRST and not is_name(tname)) or "." in tname:
            self.check_token(tpos)
            self.fail(
                tpos,
                f"field `{name}` has no type: write `{name} String` "
                "(or Int, Boolean, DateTime, a model or enum name …)",
            )
        i = tpos + 1
        unsupported: str | None = None
        if tname == "Unsupported" and toks[i] == "(":
            arg = toks[i + 1]
            if not arg.startswith('"'):
                self.expected(i + 1, 'the database type as a string: `Unsupported("…")`')
            unsupported = self.string(i + 1)
            if toks[i + 2] != ")":
                self.expected(i + 2, '`)`: write `Unsupported("…")`')
            i += 3
        optional = is_list = False
        tok = toks[i]
        if tok == "[":
            if toks[i + 1] != "]":
                self.expected(i + 1, "`]`: a list type is written `Type[]`")
            is_list = True
            i += 2
            tok = toks[i]
        if tok == "?":
            if is_list:
                self.fail(
                    i, f"optional lists are not supported: write `{tname}[]` (a list can be empty)"
                )
            optional = True
            i += 1
            if toks[i] == "[":
                self.fail(i, f"write `{tname}[]`, not `{tname}?[]`")
        attrs: list[Attribute] = []
        src = self.src
        while True:
            tok = toks[i]
            if tok[:1] != "@" or tok[:2] == "@@":
                break
            if tok != "@":  # the usual: a whole attribute in one token (`@map("x")`, `@id`)
                if toks[i + 1] == "(":  # `@relation` and its arguments
                    attrs.append(self.whole_attribute(i))
                    i = self.i
                else:
                    attrs.append(_attribute_token(tok, src, i))
                    i += 1
                continue
            # `@` apart from its name (`@ id`), or before no name (an error): the general path
            self.i = i
            attrs.append(self.parse_attribute(False))
            i = self.i
        if toks[i] == "\n":  # the usual end of a field's line
            self.i = i + 1
        else:
            self.i = i
            if toks[i][:2] == "@@":
                self.fail(i, "a block attribute (`@@…`) must stand on its own line in the block")
            trailing = self.end_of_line("field `{}`", name)
            if trailing is not None:
                doc = f"{doc}\n{trailing}" if doc else trailing
        return Field(
            name,
            FieldType(tname, optional, is_list, unsupported, src, tpos),
            tuple(attrs),
            doc,
            src,
            start,
        )

    def parse_enum_value(self, doc: str | None) -> EnumValue:
        start = self.i
        name = self.toks[start]
        if not is_name(name) or "." in name:
            self.expected(start, "an enum value (one per line)")
        self.i = start + 1
        attrs: list[Attribute] = []
        while True:
            tok = self.toks[self.i]
            if tok == "@":
                attrs.append(self.parse_attribute(False))
            elif tok[:1] == "@" and tok[:2] != "@@":
                attrs.append(self.whole_attribute(self.i))
            else:
                break
        trailing = self.end_of_line("enum value `{}`", name)
        if trailing is not None:
            doc = f"{doc}\n{trailing}" if doc else trailing
        return EnumValue(name, tuple(attrs), doc, self.src, start)

    def parse_property(self) -> Property:
        start = self.i
        name = self.toks[start]
        if not is_name(name) or "." in name:
            self.expected(start, "`key = value`")
        if self.toks[start + 1] != "=":
            self.check_token(start + 1)
            self.fail(
                start + 1,
                f"expected `=` after `{name}` but found {_describe(self.toks[start + 1])}; "
                f'write `{name} = "…"`',
            )
        self.i = start + 2
        value = self.parse_value(0)
        self.end_of_line("`{} = …`", name)
        return Property(name, value, self.src, start)

    # --- attributes and values -------------------------------------------------------------

    def string(self, index: int) -> str:
        try:
            return unescape(self.toks[index])
        except ValueError as err:
            self.fail(
                index,
                f"unknown escape sequence `{err}` in string; write `\\\\` for a backslash",
            )

    def parse_attribute(self, block: bool) -> Attribute:
        toks = self.toks
        at = self.i
        name = toks[at + 1]
        if name[:1] not in _NAME_FIRST and not is_name(name):
            self.expected(at + 1, f"an attribute name after `{toks[at]}`")
        i = at + 2
        if toks[i] != "(":
            self.i = i
            return Attribute(name, (), block, self.src, at)
        value = _lone_argument(toks, self.src, i)
        if value is not None:
            self.i = i + (5 if type(value) is CallValue else 3)
            arg_node = Argument(None, value, self.src, i + 1)
            return Attribute(name, (arg_node,), block, self.src, at)
        self.i = i
        return Attribute(name, self.parse_args(0), block, self.src, at)

    def whole_attribute(self, i: int) -> Attribute:
        """Read the attribute whose name, or all of it, is token `toks[i]` (`@map("x")`, `@@id`,
        `@relation` followed by its arguments: see `lexer._TOKEN`)."""
        toks = self.toks
        tok = toks[i]
        if toks[i + 1] == "(" and "(" not in tok:
            block = tok[1] == "@"
            self.i = i + 1
            args = self.parse_args(0)
            return Attribute(tok[2 if block else 1 :], args, block, self.src, i)
        self.i = i + 1
        return _attribute_token(tok, self.src, i)

    def skip_blank(self) -> None:
        """Skip newlines and doc comments (inside argument lists they carry no meaning)."""
        toks = self.toks
        i = self.i
        while toks[i] == "\n" or toks[i][:3] == "///":
            i += 1
        self.i = i

    def after_item(self, close: str, open_at: int, what: str) -> int:
        """Step past the `,` after an argument or list item; return the next token's index.

        Leaves the closing `)`/`]` for the caller; an end of file or any other token is an error.
        """
        toks = self.toks
        i = self.i
        tok = toks[i]
        if tok == "\n" or tok[:3] == "///":
            self.skip_blank()
            i = self.i
            tok = toks[i]
        if tok == ",":
            return i + 1
        if tok != close:
            if tok == EOF:
                self.fail(open_at, f"`{toks[open_at]}` is never closed: add `{close}`")
            self.expected(i, f"`,` or `{close}` (separate {what} with commas)")
        return i

    def parse_args(self, depth: int) -> tuple[Argument, ...]:
        toks = self.toks
        open_at = self.i
        i = open_at + 1
        if depth > MAX_DEPTH:
            self.fail(open_at, f"nesting deeper than {MAX_DEPTH} levels; simplify it")
        args: list[Argument] = []
        src = self.src
        while True:
            tok = toks[i]
            if tok == "\n" or tok[:3] == "///":
                self.i = i
                self.skip_blank()
                i = self.i
                tok = toks[i]
            if tok == ")":
                self.i = i + 1
                return tuple(args)
            if tok == EOF:
                self.fail(open_at, "`(` is never closed: add `)`")
            name: str | None = None
            j = i  # the value's first token
            if toks[i + 1] == ":" and tok[0] in _NAME_FIRST:
                name = tok
                j = i + 2
                if toks[j] == "\n" or toks[j][:3] == "///":
                    self.i = j
                    self.skip_blank()
                    j = self.i
            vtok = toks[j]
            after = toks[j + 1]
            if (after == "," or after == ")") and vtok[:1] in _NAME_FIRST:
                # a bare name, the usual value (`onDelete: Cascade`, `type: Hash`)
                args.append(Argument(name, IdentValue(vtok, src, j), src, i))
                i = j + 2 if after == "," else j + 1
                continue
            self.i = j
            value = self.parse_value(depth + 1)
            args.append(Argument(name, value, src, i))
            i = self.after_item(")", open_at, "arguments")

    def parse_value(self, depth: int) -> Value:
        toks = self.toks
        i = self.i
        tok = toks[i]
        src = self.src
        first = tok[:1]
        if first in _NAME_FIRST or (first.isdigit() and is_name(tok)):
            self.i = i + 1
            if toks[i + 1] == "(":
                return CallValue(tok, self.parse_args(depth), src, i)
            return IdentValue(tok, src, i)
        if first == '"' and len(tok) > 1:
            self.i = i + 1
            return StringValue(self.string(i), src, i)
        if depth > MAX_DEPTH:
            self.fail(i, f"nesting deeper than {MAX_DEPTH} levels; simplify it")
        if tok == "[":
            open_at = i
            i += 1
            items: list[Value] = []
            while True:
                tok = toks[i]
                if tok == "\n" or tok[:3] == "///":
                    self.i = i
                    self.skip_blank()
                    i = self.i
                    tok = toks[i]
                if tok == "]":
                    self.i = i + 1
                    return ArrayValue(tuple(items), src, open_at)
                if tok == EOF:
                    self.fail(open_at, "`[` is never closed: add `]`")
                if tok[:1] in _NAME_FIRST:  # a bare name, the usual item (`[authorId, id]`)
                    after = toks[i + 1]
                    if after == ",":
                        items.append(IdentValue(tok, src, i))
                        i += 2
                        continue
                    if after == "]":
                        items.append(IdentValue(tok, src, i))
                        i += 1
                        continue
                self.i = i
                items.append(self.parse_value(depth + 1))
                i = self.after_item("]", open_at, "list items")
        if is_number(tok):
            self.i = i + 1
            return NumberValue(tok, src, i)
        self.expected(i, "a value (a string, number, name, function call or `[list]`)")


def _attribute_token(tok: str, src: Source, i: int) -> Attribute:
    """Return the attribute of a whole-attribute token `toks[i]` (`@map("x")`, `@@id`,
    `@default(now())`: see `lexer._TOKEN`); its argument's position is inside the token."""
    block = tok[1] == "@"
    start = 2 if block else 1
    paren = tok.find("(")
    if paren < 0:
        return Attribute(tok[start:], (), block, src, i)
    pos = at(i, paren + 1)
    arg = tok[paren + 1 : -1]
    first = arg[0]
    value: Value
    if first == '"':
        value = StringValue(arg[1:-1], src, pos)
    elif arg[-1] == ")":  # an argument-less call, `now()`
        value = CallValue(arg[:-2], (), src, pos)
    elif first in _NAME_FIRST:
        value = IdentValue(arg, src, pos)
    else:
        value = NumberValue(arg, src, pos)
    arg_node = Argument(None, value, src, pos)
    return Attribute(tok[start:paren], (arg_node,), block, src, i)


def _lone_argument(toks: list[str], src: Source, i: int) -> Value | None:
    """Return the value of the argument list opening at `toks[i]` when it is one plain value.

    The common shapes, read without the general machinery: a string without escapes, a name, a
    number (`@map("x")`, `@default(Draft)`, `@default(0)`; the list ends at `toks[i + 2]`) or
    an argument-less call (`@default(now())`; it ends at `toks[i + 4]`). None for anything else,
    which `parse_args` reads (and reports, when it is wrong).
    """
    arg = toks[i + 1]
    first = arg[:1]
    after = toks[i + 2]
    if after == ")":
        if first == '"':
            if len(arg) > 1 and "\\" not in arg:
                return StringValue(arg[1:-1], src, i + 1)
        elif first in _NAME_FIRST:
            return IdentValue(arg, src, i + 1)
        elif is_number(arg):
            return NumberValue(arg, src, i + 1)
    elif after == "(" and first in _NAME_FIRST and toks[i + 3] == ")" and toks[i + 4] == ")":
        return CallValue(arg, (), src, i + 1)
    return None


def parse_text(text: str, file: str = "schema.prisma") -> tuple[Block, ...]:
    """Parse the text of one `.prisma` file into its blocks.

    Raises:
        SourceError: a syntax error, at its file, line and column.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return tuple(_Parser(Source(text, file)).parse_document())


def parse_schema(files: Sequence[tuple[str, str]]) -> Document:
    """Parse a schema made of one or more files, given as `(display path, text)` pairs.

    The blocks of all files form one document, in the order the files are given.

    Raises:
        SourceError: a syntax error in any file.
    """
    blocks: list[Block] = []
    with paused_gc():
        for path, text in files:
            blocks.extend(parse_text(text, path))
    return Document(tuple(blocks))
