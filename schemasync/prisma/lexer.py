"""Tokens of the Prisma Schema Language.

The lexer owns only characters: it knows nothing of blocks or attributes (see `parser.py`).
Tokens are plain strings, cut by one regular expression in C (`re.findall`): a token-object per
token made the 1,000-model benchmark schema take 460 ms to lex; strings take 40 ms. A token's kind
is told by its first character. Whitespace and `//` comments are skipped by the expression itself;
newlines and `///` doc comments are tokens, because PSL is line-oriented and doc comments attach
to what follows them. Line and column are computed only when an error needs them (`Source.locate`).
"""

from __future__ import annotations

import bisect
import re

# One token after any run of blanks and `//` comments. The alternatives, most frequent first
# (10% faster than the other way round): a name or dotted path starting with a letter or `_`
# (`db.VarChar`), newline, a whole attribute (below), `@@`, punctuation, string, doc comment,
# number, a name starting with a digit (after numbers: `12` is a number, `1a` a name), any other
# single character (a stray character the parser reports), and the end of the text.
# A whole attribute is one token when it is written the usual way, without blanks: `@id`,
# `@@map("t")`, `@default(0)`, `@default(now())`, `@db.VarChar(200)` — its name and at most one
# plain argument (a string without escapes, a name, a number, an argument-less call). The parser
# splits it (`parser._attribute_token`); anything else (`@relation("r", fields: [a])`, `@ id`)
# is the `@`/`@@`, name and argument tokens as usual. Matching costs per token, not per
# character: the 1,000-model benchmark schema has 35% fewer tokens this way and lexes 30% faster.
# The skip reads spaces and tabs first, then any run of other blanks and comments (25% faster
# than one alternation of both: most tokens follow a space or nothing). It is possessive (`*+`)
# and the end of text is a token (""): without both, a file ending
# in blanks backtracked exponentially (22 trailing spaces: 0.7 s, 44: hours), and one ending in
# `// hello` without a newline gave back the comment's last character as a token (`o`).
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*"
_TOKEN = re.compile(
    rf"""[ \t]*+(?:(?:[\r\f\v\ufeff]|//(?!/)[^\n]*)[ \t\r\f\v\ufeff]*+)*+
    (
      {_NAME}
    | \n
    | @@?{_NAME}(?:\((?:"[^"\\\n]*"|{_NAME}(?:\(\))?|-?\d+(?:\.\d+)?)\))?
    | @@
    | [(){{}}\[\],:=?@]
    | "(?:[^"\\\n]|\\[^\n])*"
    | ///[^\n]*
    | -?\d+(?:\.\d+)?(?![A-Za-z0-9_-])
    | [0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*
    | \S
    | \Z
    )""",
    re.VERBOSE | re.ASCII,
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "0": "\0"}
_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|.)")

EOF = ""  # the token after the last one


def is_name(tok: str) -> bool:
    """Tell whether `tok` is a name or dotted path (not a number, string or punctuation)."""
    return tok != "" and tok[0] in _NAME_START and not _NUMBER.fullmatch(tok)


def is_number(tok: str) -> bool:
    """Tell whether `tok` is a numeric literal."""
    return tok != "" and (tok[0].isdigit() or tok[0] == "-") and bool(_NUMBER.fullmatch(tok))


class Source:
    """One file's text and tokens; turns a token index into a line and column on demand."""

    __slots__ = ("_offsets", "_starts", "file", "text", "tokens")

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.text = text
        self.tokens: list[str] = _TOKEN.findall(text)
        # Several EOF sentinels: the parser's fast paths look up to 4 tokens ahead
        # (`@default(now())`), and a file may end in the middle of one (`@default(`).
        self.tokens.extend((EOF,) * 5)
        self._offsets: list[int] | None = None
        self._starts: list[int] | None = None

    def locate(self, index: int) -> tuple[int, int]:
        """Return the 1-based (line, column) where token `index` starts.

        `index` may carry a character offset inside its token in its high bits,
        `token | offset << 32` (`at`): the argument of a whole-attribute token, `@map("x")`.
        """
        inner = index >> 32
        index &= 0xFFFFFFFF
        if self._offsets is None:
            self._offsets = [m.start(1) for m in _TOKEN.finditer(self.text)]
            self._offsets.append(len(self.text))
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        assert self._starts is not None
        offset = self._offsets[min(index, len(self._offsets) - 1)]
        if index >= len(self._offsets) - 1:
            # End of file: point just past the last character that is not a blank.
            offset = len(self.text.rstrip())
        else:
            offset += inner
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def at(index: int, offset: int) -> int:
    """Return the position `offset` characters into token `index` (see `Source.locate`)."""
    return index | offset << 32


def unescape(raw: str) -> str:
    """Return the value of a string token (`"a\\"b"` -> `a"b`).

    Raises:
        ValueError: an unknown escape sequence (its text is the message).
    """
    body = raw[1:-1]
    if "\\" not in body:
        return body

    def repl(match: re.Match[str]) -> str:
        esc = match.group(1)
        if esc in _ESCAPES:
            return _ESCAPES[esc]
        if esc.startswith("u"):
            code = int(esc.strip("u{}"), 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise ValueError(f"\\{esc}")
            return chr(code)
        raise ValueError(f"\\{esc}")

    return _ESCAPE.sub(repl, body)
