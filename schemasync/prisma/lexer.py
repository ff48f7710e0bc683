"""Tokens of the Prisma Schema Language.

The lexer owns only characters: it knows nothing of blocks, and of attributes only that `@id`
and `@@map` written without a blank are one token (the parser reads `@ id` too; see `parser.py`).
Tokens are plain strings, cut by one scanner (`_scan`, compiled with the import: setup.py). A
token's kind is told by its first character. Blanks and `//` comments are skipped (a `//` line
with its newline, so that two newline tokens in a row are a blank line); newlines,
`///` doc comments and `/* … */` block comments are tokens, because PSL is line-oriented and
Prisma keeps both kinds of comment as documentation of what follows them (or of the line they
end). Line and column are computed only when an error needs them (`Source.locate`).

The tokens, as the scanner tells them by their first character:
- a name or dotted path, `[A-Za-z_][A-Za-z0-9_-]*` and `.` parts (`db.VarChar`, `my-db`);
- an attribute's sign and name, `@id`, `@@map`, `@db.VarChar`; else `@@` or `@` alone;
- newline, and one of `( ) { } [ ] , : = ?`;
- a string, `"` to the next `"` not escaped by `\\` on the same line; without one, `"` alone;
- a `///` doc comment, to the end of the line;
- a `/* … */` block comment, to the first `*/` (newlines included); without one, to the end of
  the text (the parser reports it);
- a number, `-?[0-9]+(.[0-9]+)?` not followed by a name character (`12`, `-1.5`; `1a` is a
  name, `1.5a` the number `1` and then `.` and `5a`); else a name starting with a digit;
- any other character on its own (the parser reports it), and `""` at the end of the text.

Why a scanner and not one regular expression (`re.findall`, as before): the expression costs
~2,200 instructions a token, most of them per match whatever the pattern; the compiled scanner
~800. To have fewer tokens, the speed work once lexed whole attributes as one token
(`@map("x")`), which took a second copy of the attribute grammar (in the lexer and the parser).
Now every token is plain: the scanner cuts the 1,000-model benchmark schema's 210,000 tokens in
167 million instructions, where the expression took 343 million for the 150,000 of the merged
ones (and 474 million for the plain ones). The price is the pure-Python build (an editable
install, or no C compiler): there the scanner takes 1.7 billion.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

EOF = ""  # the token after the last one

# What each ASCII character is to the scanner (`_KINDS[ord(c)]`); every other one is _OTHER,
# but U+FEFF (a byte order mark) is _BLANK. The name characters are the kinds from _LETTER on.
_OTHER: Final = 0  # a token of its own
_BLANK: Final = 1  # space, tab, \r, \f, \v
_PUNCT: Final = 2  # ( ) { } [ ] , : = ?
_LETTER: Final = 3  # A-Z a-z _
_DIGIT: Final = 4  # 0-9
_DASH: Final = 5  # -


def _kinds() -> bytes:
    kinds = bytearray(128)
    for chars, kind in (
        (" \t\r\f\v", _BLANK),
        ("(){}[],:=?", _PUNCT),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_", _LETTER),
        ("0123456789", _DIGIT),
        ("-", _DASH),
    ):
        for c in chars:
            kinds[ord(c)] = kind
    return bytes(kinds)


_KINDS: Final = _kinds()
_NEWLINE: Final = ord("\n")
_QUOTE: Final = ord('"')
_DASH_CHAR: Final = ord("-")
_DOT: Final = ord(".")
_SLASH: Final = ord("/")
_AT: Final = ord("@")
_BACKSLASH: Final = ord("\\")
_BOM: Final = 0xFEFF


def _kind(text: str, i: int) -> int:
    """Return the kind of the character at `i`; -1 past the end."""
    if i >= len(text):
        return -1
    o = ord(text[i])
    return _KINDS[o] if o < 128 else (_BLANK if o == _BOM else _OTHER)


def _name_end(text: str, i: int) -> int:
    """Return where the name whose second character is at `i` ends (dotted parts included)."""
    n = len(text)
    kinds = _KINDS
    while True:
        while i < n:
            o = ord(text[i])
            if o >= 128 or kinds[o] < _LETTER:
                break
            i += 1
        if i + 1 < n and ord(text[i]) == _DOT:
            after = _kind(text, i + 1)
            if after in (_LETTER, _DIGIT):  # `db.VarChar`; not `a.-b`
                i += 2
                continue
        return i


def _digits_end(text: str, i: int) -> int:
    while _kind(text, i) == _DIGIT:
        i += 1
    return i


def _number_end(text: str, i: int) -> int:
    """Return where the number at `i` ends, or -1 when a name character follows it."""
    start = i + 1 if ord(text[i]) == _DASH_CHAR else i
    end = _digits_end(text, start)
    if end == start:
        return -1
    if _kind(text, end + 1) == _DIGIT and ord(text[end]) == _DOT:
        fraction = _digits_end(text, end + 1)
        # `1.5a` is the number `1` (then `.`, `5a`): a name character may not follow a number
        return end if _kind(text, fraction) >= _LETTER else fraction
    return -1 if _kind(text, end) >= _LETTER else end


def _string_end(text: str, i: int) -> int:
    """Return where the string opening at `i` ends; unterminated on its line, just past `"`."""
    n = len(text)
    j = i + 1
    while j < n:
        o = ord(text[j])
        if o == _QUOTE:
            return j + 1
        if o == _NEWLINE:
            break
        if o == _BACKSLASH:
            if j + 1 < n and ord(text[j + 1]) != _NEWLINE:
                j += 2
                continue
            break
        j += 1
    return i + 1


def _scan(text: str, starts: list[int] | None = None) -> list[str]:
    """Return the tokens of `text` (see the module docstring), ending with `EOF`; when given,
    `starts` receives where each token starts."""
    kinds = _KINDS
    tokens: list[str] = []
    n = len(text)
    i = 0
    while True:
        while i < n:  # blanks and `//` comments; `///` is a doc comment, a token
            o = ord(text[i])
            if o < 128:
                if kinds[o] == _BLANK:
                    i += 1
                    continue
                if o == _SLASH and text.startswith("//", i) and not text.startswith("///", i):
                    end = text.find("\n", i)
                    if end < 0:
                        i = n
                    elif not tokens or tokens[-1] == "\n":
                        i = end + 1  # a line of its own: not a blank line (see `take_docs`)
                    else:
                        i = end
                    continue
            elif o == _BOM:
                i += 1
                continue
            break
        if starts is not None:
            starts.append(i)
        if i >= n:
            tokens.append(EOF)
            return tokens
        o = ord(text[i])
        kind = kinds[o] if o < 128 else _OTHER
        if kind == _LETTER:
            j = _name_end(text, i + 1)
        elif kind == _PUNCT or o == _NEWLINE:
            j = i + 1
        elif o == _AT:
            j = i + 2 if i + 1 < n and ord(text[i + 1]) == _AT else i + 1
            if _kind(text, j) == _LETTER:
                j = _name_end(text, j + 1)
        elif o == _QUOTE:
            j = _string_end(text, i)
        elif o == _SLASH and text.startswith("///", i):
            j = text.find("\n", i)
            if j < 0:
                j = n
        elif o == _SLASH and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif kind in (_DIGIT, _DASH):
            j = _number_end(text, i)
            if j < 0:
                j = _name_end(text, i + 1) if kind == _DIGIT else i + 1
        else:
            j = i + 1
        tokens.append(text[i:j])
        i = j


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "0": "\0"}
_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|.)")


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
        self.tokens = _scan(text)
        # Sentinels: the parser looks up to 2 tokens ahead (`Unsupported("x")`) without checking
        # for the end, and a file may end anywhere (`Unsupported(`).
        self.tokens.extend((EOF,) * 3)
        self._offsets: list[int] | None = None
        self._starts: list[int] | None = None

    def locate(self, index: int) -> tuple[int, int]:
        """Return the 1-based (line, column) where token `index` starts."""
        if self._offsets is None:
            self._offsets = []
            _scan(self.text, self._offsets)
            self._offsets.append(len(self.text))
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        assert self._starts is not None
        if index >= len(self._offsets) - 1:
            # End of file: point just past the last character that is not a blank.
            offset = len(self.text.rstrip())
        else:
            offset = self._offsets[index]
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


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
