"""Parse Prisma Schema Language text into the syntax tree of `ast.py`.

A hand-written recursive-descent parser over the string tokens of `lexer.py`. PSL is
line-oriented (one field, enum value, property or block attribute per line) and ignores newlines
inside `()` and `[]`. The parser checks syntax only; what a valid schema means (relations, names,
types) is `to_model.py`'s job. Every error is a `SourceError` at the offending token:
`file:line:col: what is wrong, and how to fix it`.

Each construct has one reader: an attribute is read by `parse_attribute` alone, its arguments by
`parse_args` and `parse_value`, wherever it stands. The loops read tokens from a local list by
index instead of calling a helper per token (on the 1,000-model benchmark schema, ~1 s against
~0.1 s), and read a bare name followed by `,` or a closing bracket, the usual argument and list
item, without the call into `parse_value`: the same nodes, as a test checks.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import NoReturn

from schemasync.errors import SourceError
from schemasync.gcpause import paused_gc
from schemasync.prisma import ast
from schemasync.prisma.lexer import EOF, Source, is_name, is_number, unescape

BLOCK_KINDS = ("model", "view", "enum", "type", "datasource", "generator")
_FIELD_BLOCKS = frozenset(("model", "view", "type"))
# Deeply nested arrays/calls are legal syntax, but no real schema nests beyond a few levels; the
# bound turns a pathological input into a clear error instead of a RecursionError.
MAX_DEPTH = 32
_PUNCT = frozenset("{}()[],:=?.@")
# Tokens starting with one of these are names (digit-led tokens may be numbers: `is_name`).
_NAME_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def _is_comment(tok: str) -> bool:
    """Tell whether `tok` is a comment token: `///` to the end of the line, or `/* … */`."""
    return tok[:3] == "///" or tok[:2] == "/*"


def comment_text(tok: str) -> str:
    """Return what a comment token documents: its text without the markers, trimmed (Prisma's
    documentation of a lone `///` line or `/* … */` comment)."""
    return tok[3:].strip() if tok[:3] == "///" else tok[2:-2].strip()


def _describe(tok: str) -> str:
    if tok == EOF:
        return "end of file"
    if tok == "\n":
        return "end of line"
    if tok.startswith("///"):
        return "`///` comment"
    if tok.startswith("/*"):
        return "`/* … */` comment"
    if tok.startswith('"'):
        return f"string {tok}"
    return f"`{tok}`"


def _is_simple_name(tok: str) -> bool:
    """Tell whether `tok` is a name without a dot: what names a block, field, value or property."""
    return (tok[:1] in _NAME_FIRST or is_name(tok)) and "." not in tok


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
        if tok[:2] == "/*":
            if len(tok) < 4 or not tok.endswith("*/"):
                self.fail(index, "unterminated `/*` comment: close it with `*/`")
            self.fail(
                index,
                "a `/* … */` comment cannot stand inside a declaration: put it on its own "
                "line, before the declaration or at the end of its line",
            )
        if len(tok) == 1 and tok not in _PUNCT and not tok.isalnum() and tok != "\n":
            shown = tok if tok.isprintable() else f"U+{ord(tok):04X}"
            self.fail(
                index,
                f"unexpected character `{shown}`: remove it (PSL names use letters, digits, `_`)",
            )

    def expected(self, index: int, what: str) -> NoReturn:
        self.check_token(index)
        self.fail(index, f"expected {what} but found {_describe(self.toks[index])}")

    def take_docs(self, top: bool = False) -> str | None:
        """Skip blank lines, collecting the comments (`///`, `/* … */`) before a declaration.

        At the top of a file a blank line ends what the comments before it document (a licence
        header is not the first model's documentation); inside a block it does not (Prisma)."""
        toks = self.toks
        i = self.i
        lines: list[str] | None = None
        while True:
            tok = toks[i]
            if tok == "\n":
                if top and lines is not None and toks[i - 1] == "\n":
                    lines = None
                i += 1
            elif _is_comment(tok):
                self.check_closed(i)
                if lines is None:
                    lines = []
                lines.append(comment_text(tok))
                i += 1
            else:
                self.i = i
                return "\n".join(lines) if lines is not None else None

    def check_closed(self, index: int) -> None:
        """Report a `/*` comment without its `*/`."""
        tok = self.toks[index]
        if tok[:2] == "/*" and (len(tok) < 4 or not tok.endswith("*/")):
            self.check_token(index)

    def skip_blank(self, i: int) -> int:
        """Return the first token index from `i` on past newlines and doc comments (inside
        argument lists they carry no meaning)."""
        toks = self.toks
        while toks[i] == "\n" or toks[i][:3] == "///":
            i += 1
        return i

    def end_of_line(self, what: str, name: str = "", doc: str | None = None) -> str | None:
        """Consume the end of a declaration's line; return `doc` with a trailing comment (`///`
        or `/* … */`) on that line added."""
        toks = self.toks
        tok = toks[self.i]
        comment = -1
        if _is_comment(tok):
            self.check_closed(self.i)
            trailing = comment_text(tok)
            doc = f"{doc}\n{trailing}" if doc else trailing
            comment = self.i
            self.i += 1
            tok = toks[self.i]
        if tok == "\n":
            self.i += 1
        elif tok != "}" and tok != EOF:
            if comment >= 0 and toks[comment][:2] == "/*":
                self.check_token(comment)  # `a Int /* x */ @id`: the comment is what is wrong
            self.check_token(self.i)
            what = what.format(name)
            self.fail(self.i, f"unexpected {_describe(tok)} after {what}; put one item per line")
        return doc

    # --- blocks ----------------------------------------------------------------------------

    def parse_document(self) -> list[ast.Block]:
        blocks: list[ast.Block] = []
        while True:
            doc = self.take_docs(top=True)
            if self.toks[self.i] == EOF:
                return blocks
            blocks.append(self.parse_block(doc))

    def parse_block(self, doc: str | None) -> ast.Block:
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
        if not _is_simple_name(name):
            self.expected(start + 1, f"a name after `{kind}`, e.g. `{kind} Name {{`")
        if toks[start + 2] != "{":
            self.check_token(start + 2)
            self.fail(
                start + 2,
                f"expected `{{` after `{kind} {name}` but found {_describe(toks[start + 2])}; "
                "open the block on the same line",
            )
        self.i = start + 3
        if _is_comment(toks[self.i]):
            # a comment after `{` on the block's line documents nothing (Prisma ignores it)
            self.check_closed(self.i)
            self.i += 1
        fields: list[ast.Field] = []
        values: list[ast.EnumValue] = []
        props: list[ast.Property] = []
        attrs: list[ast.Attribute] = []
        is_fields = kind in _FIELD_BLOCKS
        while True:
            tok = toks[self.i]
            item_doc = None
            if tok == "\n" or _is_comment(tok):
                item_doc = self.take_docs()
                tok = toks[self.i]
            if tok == "}":
                self.i += 1
                break
            if tok == EOF:
                self.fail(
                    start + 2, f"`{kind} {name}` is never closed: add `}}` after its last line"
                )
            if tok[:2] == "@@":
                attrs.append(self.parse_attribute(True))
                self.end_of_line("a block attribute")
            elif tok[:1] == "@":
                self.fail(
                    self.i,
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
        if after != "\n" and after != EOF and not _is_comment(after):
            self.check_token(self.i)
            self.fail(self.i, f"unexpected {_describe(after)} after `}}`; start it on a new line")
        return ast.Block(
            kind,
            name,
            tuple(fields),
            tuple(values),
            tuple(props),
            tuple(attrs),
            doc,
            self.src,
            start,
        )

    # --- block items -----------------------------------------------------------------------

    def parse_field(self, doc: str | None) -> ast.Field:
        toks = self.toks
        start = self.i
        name = toks[start]
        if not _is_simple_name(name):
            self.expected(start, "a field name (write `name Type`)")
        tpos = start + 1
        tname = toks[tpos]
        if not _is_simple_name(tname):
            self.check_token(tpos)
            self.fail(
                tpos,
                f"field `{name}` has no type: write `{name} String` "
                "(or Int, Boolean, DateTime, a model or enum name …)",
            )
        i = tpos + 1
        unsupported: str | None = None
        if tname == "Unsupported" and toks[i] == "(":
            if not toks[i + 1].startswith('"'):
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
        self.i = i
        attrs = self.parse_attributes()
        if toks[self.i][:2] == "@@":
            self.fail(self.i, "a block attribute (`@@…`) must stand on its own line in the block")
        doc = self.end_of_line("field `{}`", name, doc)
        ftype = ast.FieldType(tname, optional, is_list, unsupported, self.src, tpos)
        return ast.Field(name, ftype, attrs, doc, self.src, start)

    def parse_enum_value(self, doc: str | None) -> ast.EnumValue:
        start = self.i
        name = self.toks[start]
        if not _is_simple_name(name):
            self.expected(start, "an enum value (one per line)")
        self.i = start + 1
        attrs = self.parse_attributes()
        doc = self.end_of_line("enum value `{}`", name, doc)
        return ast.EnumValue(name, attrs, doc, self.src, start)

    def parse_property(self) -> ast.Property:
        start = self.i
        name = self.toks[start]
        if not _is_simple_name(name):
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
        return ast.Property(name, value, self.src, start)

    # --- attributes and values -------------------------------------------------------------

    def string(self, index: int) -> str:
        try:
            return unescape(self.toks[index])
        except ValueError as err:
            self.fail(
                index,
                f"unknown escape sequence `{err}` in string; write `\\\\` for a backslash",
            )

    def parse_attributes(self) -> tuple[ast.Attribute, ...]:
        """Read the field attributes at the parser's position (a field's, an enum value's)."""
        toks = self.toks
        attrs: list[ast.Attribute] = []
        tok = toks[self.i]
        while tok[:1] == "@" and tok[:2] != "@@":
            attrs.append(self.parse_attribute(False))
            tok = toks[self.i]
        return tuple(attrs)

    def parse_attribute(self, block: bool) -> ast.Attribute:
        """Read one attribute: `@name` or `@@name` (one token: see `lexer._TOKEN`), or the sign
        and the name apart (`@ id`), then its arguments, if any."""
        toks = self.toks
        at = self.i
        sign = toks[at]
        i = at + 1
        if sign == "@" or sign == "@@":
            name = toks[i]
            if name[:1] not in _NAME_FIRST and not is_name(name):
                self.expected(i, f"an attribute name after `{sign}`")
            i += 1
        else:
            name = sign[2:] if block else sign[1:]
        self.i = i
        args = self.parse_args(0) if toks[i] == "(" else ()
        return ast.Attribute(name, args, block, self.src, at)

    def next_item(self, i: int, close: str, open_at: int) -> int:
        """Return where the next item of the list opened at `open_at` starts, past newlines and
        doc comments; -1 when `close` ends the list there (the parser then stands after it)."""
        toks = self.toks
        tok = toks[i]
        if tok == "\n" or tok[:3] == "///":
            i = self.skip_blank(i)
            tok = toks[i]
        if tok == close:
            self.i = i + 1
            return -1
        if tok == EOF:
            self.fail(open_at, f"`{toks[open_at]}` is never closed: add `{close}`")
        return i

    def after_item(self, close: str, open_at: int, what: str) -> int:
        """Step past the `,` after an argument or list item; return the next token's index.

        Leaves the closing `)`/`]` for the caller; an end of file or any other token is an error.
        """
        toks = self.toks
        i = self.skip_blank(self.i)
        tok = toks[i]
        if tok == ",":
            return i + 1
        if tok != close:
            if tok == EOF:
                self.fail(open_at, f"`{toks[open_at]}` is never closed: add `{close}`")
            self.expected(i, f"`,` or `{close}` (separate {what} with commas)")
        return i

    def parse_args(self, depth: int) -> tuple[ast.Argument, ...]:
        toks = self.toks
        open_at = self.i
        i = open_at + 1
        if depth > MAX_DEPTH:
            self.fail(open_at, f"nesting deeper than {MAX_DEPTH} levels; simplify it")
        args: list[ast.Argument] = []
        src = self.src
        while True:
            i = self.next_item(i, ")", open_at)
            if i < 0:
                return tuple(args)
            tok = toks[i]
            name: str | None = None
            j = i  # the value's first token
            if toks[i + 1] == ":" and tok[0] in _NAME_FIRST:
                name = tok
                j = self.skip_blank(i + 2)
            vtok = toks[j]
            after = toks[j + 1]
            if (after == "," or after == ")") and vtok[:1] in _NAME_FIRST:
                # a bare name, the usual value (`onDelete: Cascade`, `type: Hash`)
                args.append(ast.Argument(name, ast.IdentValue(vtok, src, j), src, i))
                i = j + 2 if after == "," else j + 1
                continue
            self.i = j
            value = self.parse_value(depth + 1)
            args.append(ast.Argument(name, value, src, i))
            i = self.after_item(")", open_at, "arguments")

    def parse_value(self, depth: int) -> ast.Value:
        toks = self.toks
        i = self.i
        tok = toks[i]
        src = self.src
        first = tok[:1]
        if first in _NAME_FIRST or (first.isdigit() and is_name(tok)):
            self.i = i + 1
            if toks[i + 1] == "(":
                return ast.CallValue(tok, self.parse_args(depth), src, i)
            return ast.IdentValue(tok, src, i)
        if first == '"' and len(tok) > 1:
            self.i = i + 1
            return ast.StringValue(self.string(i), src, i)
        if depth > MAX_DEPTH:
            self.fail(i, f"nesting deeper than {MAX_DEPTH} levels; simplify it")
        if tok == "[":
            open_at = i
            i += 1
            items: list[ast.Value] = []
            while True:
                i = self.next_item(i, "]", open_at)
                if i < 0:
                    return ast.ArrayValue(tuple(items), src, open_at)
                tok = toks[i]
                after = toks[i + 1]
                if (after == "," or after == "]") and tok[:1] in _NAME_FIRST:
                    # a bare name, the usual item (`[authorId, id]`)
                    items.append(ast.IdentValue(tok, src, i))
                    i = i + 2 if after == "," else i + 1
                    continue
                self.i = i
                items.append(self.parse_value(depth + 1))
                i = self.after_item("]", open_at, "list items")
        if is_number(tok):
            self.i = i + 1
            return ast.NumberValue(tok, src, i)
        self.expected(i, "a value (a string, number, name, function call or `[list]`)")


def parse_text(text: str, file: str = "schema.prisma") -> tuple[ast.Block, ...]:
    """Parse the text of one `.prisma` file into its blocks.

    Raises:
        SourceError: a syntax error, at its file, line and column.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return tuple(_Parser(Source(text, file)).parse_document())


def parse_schema(files: Sequence[tuple[str, str]]) -> ast.Document:
    """Parse a schema made of one or more files, given as `(display path, text)` pairs.

    The blocks of all files form one document, in the order the files are given.

    Raises:
        SourceError: a syntax error in any file.
    """
    blocks: list[ast.Block] = []
    with paused_gc():
        for path, text in files:
            blocks.extend(parse_text(text, path))
    return ast.Document(tuple(blocks))
