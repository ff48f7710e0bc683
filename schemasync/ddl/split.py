"""SQL text -> a stream of `Statement`s, each with the line and column where it starts.

One quote-aware scanner for the three dump formats: PostgreSQL (`--`, nested `/* */`, `'…'`,
`"…"`, `$tag$…$tag$`, psql meta-command lines such as pg_dump 17's `\\restrict KEY`), MySQL /
MariaDB (`#` and `-- ` comments, backslash escapes in strings, backticks, `DELIMITER ;;` lines,
and `/*!50001 … */` version comments, whose content is code: mysqldump wraps views and session
settings in them) and SQLite (`[…]` identifiers). It reads line by line, so a dump is never held
whole: only the statement being read is.

The text of a statement keeps its offsets: a version comment's `/*!50001` and `*/` are replaced
by as many spaces, so a position sqlglot reports inside the statement is a position in the file.
Pure: it takes lines, never a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Statement:
    """One SQL statement of a DDL source, without its delimiter.

    `line` and `col` (1-based) locate its first character in `path`; `meta` marks a psql
    meta-command line (`\\restrict …`, `\\connect db`), which is not SQL.
    """

    sql: str
    line: int
    col: int
    path: str = "<ddl>"
    meta: bool = field(default=False)

    def where(self, offset: int = 0) -> tuple[int, int]:
        """Return the (line, col) of character `offset` of the statement's text."""
        before = self.sql[:offset]
        newlines = before.count("\n")
        if not newlines:
            return self.line, self.col + offset
        return self.line + newlines, offset - before.rindex("\n")


@dataclass(frozen=True)
class Lexis:
    """What the scanner must know of a dialect's lexical rules (a row of `dialects.DIALECTS`)."""

    dollar_quotes: bool = False  # PostgreSQL `$tag$ … $tag$`
    backslash_escapes: bool = False  # MySQL `'it\\'s'`
    hash_comments: bool = False  # MySQL `# …`
    version_comments: bool = False  # MySQL `/*!50001 … */` is code
    delimiter_command: bool = False  # mysql client `DELIMITER ;;`
    meta_commands: bool = False  # psql `\\restrict …` lines
    bracket_identifiers: bool = False  # SQLite `[name]`
    nested_comments: bool = False  # PostgreSQL `/* /* */ */`
    trigger_blocks: bool = False  # SQLite `CREATE TRIGGER … BEGIN …; …; END;` (no DELIMITER)


_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_VERSION = re.compile(r"/\*!\d*")
#: The characters after which plain code may end: quotes, comments, `$`, brackets, `;`.
_SPECIAL = re.compile(r"['\"`\[$/#*;-]")
_TRIGGER = re.compile(r"\s*CREATE\s+(?:TEMP\w*\s+)?TRIGGER\b", re.IGNORECASE)
_BLOCK_WORDS = re.compile(r"\b(BEGIN|CASE|END)\b", re.IGNORECASE)
_NONBLANK = re.compile(r"\S")
_DELIMITER = re.compile(r"^\s*DELIMITER\s+(\S+)\s*$", re.IGNORECASE)


@dataclass
class _Scan:
    """The scanner's state between lines (one per `split_statements` call)."""

    lexis: Lexis
    delimiter: str = ";"
    quote: str = ""  # the closing text of the quoted run we are in ('', ', ", `, ], $tag$)
    comment: int = 0  # depth of /* */ comments (not version comments)
    version: int = 0  # depth of /*! */ version comments, whose content is code
    parts: list[str] = field(default_factory=list)
    start: tuple[int, int] | None = None  # (line, col) of the statement's first character
    special: re.Pattern[str] = _SPECIAL

    def set_delimiter(self, delimiter: str) -> None:
        """Use `delimiter` from now on (`DELIMITER ;;`)."""
        self.delimiter = delimiter
        self.special = re.compile(_SPECIAL.pattern[:-1] + re.escape(delimiter[0]) + "]")


def split_statements(
    lines: Iterable[str], lexis: Lexis, path: str = "<ddl>"
) -> Iterator[Statement]:
    """Yield the statements of `lines` (each ending with its newline, as a text file iterates).

    An unterminated statement at the end is yielded as it is (a dump cut short still parses up
    to its last complete statement; the parser reports what is wrong with the rest).
    """
    scan = _Scan(lexis)
    for number, raw in enumerate(lines, start=1):
        line = raw
        if not scan.parts and not scan.quote and not scan.comment:
            stripped = line.strip()
            if lexis.meta_commands and stripped.startswith("\\"):
                yield Statement(stripped, number, line.index("\\") + 1, path, meta=True)
                continue
            if lexis.delimiter_command and (m := _DELIMITER.match(line)):
                scan.set_delimiter(m.group(1))
                continue
        if not (scan.quote or scan.comment or scan.version):
            if scan.start is None:
                # between statements, pg_dump writes three comment lines and blank ones
                head = line.lstrip()
                if not head or head.startswith("--") or (lexis.hash_comments and head[0] == "#"):
                    continue
            elif scan.special.search(line) is None:  # most lines of a CREATE TABLE
                scan.parts.append(line)
                continue
        yield from _scan_line(scan, line, number, path)
    if scan.parts and "".join(scan.parts).strip():
        assert scan.start is not None
        yield Statement("".join(scan.parts).rstrip(), scan.start[0], scan.start[1], path)


def _scan_line(scan: _Scan, line: str, number: int, path: str) -> Iterator[Statement]:
    lexis = scan.lexis
    i = 0
    n = len(line)
    out: list[str] = []  # this line's part of the current statement
    seg = 0  # start of the not yet copied run of `line`

    def begin(at: int) -> None:
        if scan.start is None:
            scan.start = (number, at + 1)

    while i < n:
        if scan.quote:
            close = scan.quote
            j = line.find(close, i) if not lexis.backslash_escapes or close.startswith("$") else -1
            if lexis.backslash_escapes and not close.startswith("$"):
                j = i
                while j < n and line[j] != close:
                    j += 2 if line[j] == "\\" else 1
                j = j if j < n else -1
            if j < 0:
                i = n
                break
            i = j + len(close)
            if close in ("'", '"', "`") and i < n and line[i] == close:
                i += 1  # a doubled quote: still inside
                continue
            scan.quote = ""
            continue
        if scan.comment:
            j = line.find("*/", i)
            k = line.find("/*", i) if lexis.nested_comments else -1
            if k >= 0 and (j < 0 or k < j):
                scan.comment += 1
                i = k + 2
                continue
            if j < 0:
                i = n
                break
            scan.comment -= 1
            i = j + 2
            if scan.comment == 0 and not scan.parts and not out:
                seg = i  # a comment before any statement text is not part of it
            continue
        ch = line[i]
        if ch in " \t\r\n":
            # a run of blanks (pg_dump indents every line): skipped in one step
            m = (_NONBLANK if scan.start is None else scan.special).search(line, i)
            i = m.start() if m else n
            continue
        if (ch == "-" and line.startswith("--", i)) or (lexis.hash_comments and ch == "#"):
            # `--` ends the line's code (MySQL wants `-- `, but `--x` is no SQL either)
            if scan.start is None:
                seg = n
            i = n
            break
        if ch == "/" and line.startswith("/*", i):
            if lexis.version_comments and (m := _VERSION.match(line, i)) and m.group(0) != "/*":
                # its content is code; the marker becomes spaces inside a statement and is
                # skipped before one (the statement starts at its first character of code)
                if scan.start is not None:
                    out.append(line[seg:i] + " " * (m.end() - i))
                scan.version += 1
                i = seg = m.end()
                continue
            scan.comment = 1
            if scan.start is None:
                seg = i + 2
            i += 2
            continue
        if scan.version and ch == "*" and line.startswith("*/", i):
            if scan.start is not None:
                out.append(line[seg:i] + "  ")
            scan.version -= 1
            i = seg = i + 2
            continue
        if line.startswith(scan.delimiter, i):
            if (
                scan.start is not None
                and lexis.trigger_blocks
                and _open_block(scan, out, line, seg, i)
            ):
                i += len(scan.delimiter)  # a `;` inside a trigger's BEGIN … END
                continue
            if scan.start is not None:
                out.append(line[seg:i])
                scan.parts.append("".join(out))
                text = "".join(scan.parts).rstrip()
                yield Statement(text, scan.start[0], scan.start[1], path)
            out = []
            scan.parts = []
            scan.start = None
            i = seg = i + len(scan.delimiter)
            continue
        if scan.start is None:
            seg = i
        begin(i)
        if ch in "'\"`":
            scan.quote = ch
            i += 1
        elif ch == "[" and lexis.bracket_identifiers:
            scan.quote = "]"
            i += 1
        elif ch == "$" and lexis.dollar_quotes and (m := _DOLLAR.match(line, i)):
            scan.quote = m.group(0)
            i = m.end()
        else:
            # plain code: jump to the next character that may start a quote, comment or
            # delimiter (a character-by-character loop was most of the time on large dumps)
            m = scan.special.search(line, i + 1)
            i = m.start() if m else n
    if scan.start is not None:
        out.append(line[seg:])
        scan.parts.append("".join(out))


def _open_block(scan: _Scan, out: list[str], line: str, seg: int, at: int) -> bool:
    """Whether a SQLite `CREATE TRIGGER` read so far is inside its BEGIN … END block (CASE …
    END counted too; words inside quotes are rare enough in trigger bodies to be ignored)."""
    text = "".join(scan.parts) + "".join(out) + line[seg:at]
    if not _TRIGGER.match(text):
        return False
    depth = 0
    for word in _BLOCK_WORDS.findall(text):
        depth += -1 if word.upper() == "END" else 1
    return depth > 0
