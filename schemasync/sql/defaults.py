"""Catalog default text (or Prisma `dbgenerated("...")`) -> the mirror's normalized `Default`.

Both the Prisma import and native introspection call `normalize_default` on SQL text, so that
`@default(now())` and a pushed column whose catalog says `CURRENT_TIMESTAMP` agree, and
`dbgenerated("gen_random_uuid()")` equals the catalog's `gen_random_uuid()`.

Rules, in order:
- empty text or `NULL` (with any casts) -> no default;
- a sequence (`nextval('x_seq'::regclass)`, CockroachDB `unique_rowid()`) -> no default, and
  `is_autoincrement_default` says True;
- casts around a constant are dropped (`'PENDING'::"OrderStatus"`, `'x'::text`, `'-1'::integer`);
- a string, number or boolean constant -> literal (`'it''s'` -> `it's`, `-1`, `1.50`, `true`);
- `CURRENT_TIMESTAMP`, `now()`, `CURRENT_TIMESTAMP(3)`, `getdate()` ... -> function `now`;
- anything else -> expression, as sqlglot writes it back in the same dialect, with the casts around
  constants dropped (`ARRAY['a'::text]` -> `ARRAY['a']`);
- text nested deeper than `MAX_DEPTH` brackets or `MAX_SQUARE_DEPTH` square ones (outside
  quotes), or that exhausts the stack all the same -> expression as written (whitespace
  collapsed), with a note saying why: sqlglot's
  parser recurses per level and raised RecursionError from 47 levels on PostgreSQL (39 on MySQL)
  — PostgreSQL itself writes a 60-term sum as `((((a + 1) + 2) + 3) ...)` 59 levels deep.
sqlglot is imported inside the functions: the CLI must start without it.
This module never touches files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from schemasync.model import ExpressionDefault, FunctionDefault, LiteralDefault

if TYPE_CHECKING:
    from sqlglot import exp

    from schemasync.model import Default

# Provider names and sqlglot dialect names both work as `dialect`.
_DIALECTS = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "cockroachdb": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "tsql",
    "tsql": "tsql",
}

_NEXTVAL = re.compile(r"^\s*nextval\s*\(", re.IGNORECASE)
_ROWID = re.compile(r"^\s*unique_rowid\s*\(\s*\)\s*$", re.IGNORECASE)


#: Deepest bracket nesting sqlglot is asked to parse. Measured (sqlglot 30, recursion limit 1000,
#: a shallow caller): `((…(a + 1) + 2) …)` fails at 48 levels on PostgreSQL and SQLite and 40 on
#: MySQL, nested calls `abs(abs(…))` at 42 and 36: about 25 frames a level, so 20 levels leave
#: half the stack to the caller (pytest, invoke, the phases).
MAX_DEPTH = 20
#: Deepest `[` nesting: sqlglot's time grows 1.7-fold per level of `ARRAY[ARRAY[…]]` (0.9 s at 15
#: levels, PostgreSQL and MySQL dialects, found by `nox -s fuzz`); PostgreSQL arrays have at most
#: 6 dimensions.
MAX_SQUARE_DEPTH = 8

# Quoted runs skipped when counting brackets: '…' (with ''), "…", `…`; MySQL also escapes \' in
# strings, PostgreSQL and SQLite do not. Both readings are counted and the deeper one wins, so a
# backslash cannot hide brackets from the cap.
_QUOTED = (
    re.compile(r"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|`(?:[^`]|``)*`?"),
    re.compile(r"'(?:[^'\\]|''|\\.)*'?|\"(?:[^\"]|\"\")*\"?|`(?:[^`]|``)*`?", re.DOTALL),
)


@dataclass(frozen=True)
class ReadDefault:
    """A normalized default, and why the text was kept as written when it was (else None)."""

    default: Default | None
    note: str | None = None


def sqlglot_dialect(dialect: str) -> str:
    """Return the sqlglot dialect name for a provider or dialect name (default: postgres)."""
    return _DIALECTS.get(dialect.lower(), "postgres")


def is_autoincrement_default(sql: str | None, dialect: str = "postgresql") -> bool:
    """Return whether catalog default `sql` is a sequence, i.e. the column auto-increments."""
    del dialect  # the same spellings on every dialect that has them
    if not sql:
        return False
    text = _strip_parens(sql.strip())
    return bool(_NEXTVAL.match(text) or _ROWID.match(text))


def normalize_default(sql: str | None, dialect: str = "postgresql") -> Default | None:
    """Return the normalized `Default` for catalog default text `sql` in `dialect`.

    Returns None when there is no default or it is an auto-increment sequence (see
    `is_autoincrement_default`). `read_default` also says why a text was kept as written.
    """
    return read_default(sql, dialect).default


def read_default(sql: str | None, dialect: str = "postgresql") -> ReadDefault:
    """Return the normalized default of `sql` (see `normalize_default`) and, when the text was
    too deeply nested to normalise, the note saying so; never raises on any text."""
    if sql is None or not sql.strip() or is_autoincrement_default(sql, dialect):
        return ReadDefault(None)
    quick = _plain_default(sql.strip(), dialect)
    if quick is not None:
        return ReadDefault(quick)
    depth = nesting_depth(sql)
    if depth > MAX_DEPTH:
        return _as_written(sql, f"nested {depth} brackets deep")
    square = nesting_depth(sql, "[]")
    if square > MAX_SQUARE_DEPTH:
        return _as_written(sql, f"nested {square} square brackets deep")
    try:
        return ReadDefault(_normalized(sql.strip(), sqlglot_dialect(dialect)))
    except RecursionError:  # the last resort: CASE … END nests without brackets
        return _as_written(sql, "nested too deeply")


#: The defaults a catalog repeats on most columns, read without sqlglot (whose import is ~0.2 s
#: of a CLI run): a quoted string without backslashes (MySQL reads those as escapes) and, in
#: PostgreSQL, with at most `::` casts to a named type; a number; a boolean;
#: `CURRENT_TIMESTAMP(n)`, and PostgreSQL's `now()`. Each gives what sqlglot's parse gives
#: (tests/test_defaults.py checks that the two routes agree, per dialect).
_PLAIN_STRING = re.compile(r"^'((?:[^'\\]|'')*)'$")
_PLAIN_CAST_STRING = re.compile(
    r"^'((?:[^'\\]|'')*)'(?:::(?:\"[^\"]+\"|[a-z_][a-z0-9_]*(?: [a-z_][a-z0-9_]*)*)"
    r"(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*)*$",
    re.IGNORECASE,
)
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_PLAIN_NOW = re.compile(r"^current_timestamp(?:\(\d*\))?$", re.IGNORECASE)
_PLAIN_PG_NOW = re.compile(r"^(?:now\(\)|current_timestamp(?:\(\d*\))?)$", re.IGNORECASE)


def _plain_default(text: str, dialect: str) -> Default | None:
    """Return the `Default` of a plain catalog default (see `_PLAIN_STRING`), else None."""
    postgres = sqlglot_dialect(dialect) == "postgres"
    found = (_PLAIN_CAST_STRING if postgres else _PLAIN_STRING).match(text)
    if found is not None:
        return LiteralDefault(value=found.group(1).replace("''", "'"))
    if _PLAIN_NUMBER.match(text):
        return LiteralDefault(value=text)
    if text.lower() in ("true", "false"):
        return LiteralDefault(value=text.lower())
    if (_PLAIN_PG_NOW if postgres else _PLAIN_NOW).match(text):
        return FunctionDefault(name="now")
    return None


def nesting_depth(sql: str, brackets: str = "([])") -> int:
    """Return the deepest nesting of `brackets` (openers, then closers: `(` and `[` by default)
    in `sql`, outside quoted strings and names.

    >>> nesting_depth("((a + 1) + 2)"), nesting_depth("'((('"), nesting_depth("f(x[1])", "[]")
    (2, 0, 1)
    """
    half = len(brackets) // 2
    openers, closers = brackets[:half], brackets[half:]
    deepest = 0
    for quoted in _QUOTED:
        depth = 0
        for ch in quoted.sub("", sql):
            if ch in openers:
                depth += 1
                deepest = max(deepest, depth)
            elif ch in closers and depth:
                depth -= 1
    return deepest


def _as_written(sql: str, why: str) -> ReadDefault:
    return ReadDefault(
        ExpressionDefault(sql=" ".join(sql.split())),
        f"default kept as written, not normalised: {why} (schemasync normalises up to "
        f"{MAX_DEPTH} levels, {MAX_SQUARE_DEPTH} of square brackets); both sides compare it as "
        "text",
    )


def _normalized(sql: str, read: str) -> Default | None:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, SqlglotError

    try:
        tree = sqlglot.parse_one(sql, read=read)
    except SqlglotError:
        # Not SQL sqlglot knows: keep the text, trimmed, so both sides still compare equal.
        return ExpressionDefault(sql=" ".join(sql.split()))
    node = _unwrap(cast("exp.Expression", tree))
    if isinstance(node, exp.Null):
        return None
    constant = _constant(node)
    if constant is not None:
        return LiteralDefault(value=constant)
    if _is_now(node):
        return FunctionDefault(name="now")
    cleaned = _drop_constant_casts(node)
    # IGNORE: sqlglot would log what the dialect cannot say ("Arrays are not supported by
    # MySQL") on stderr, a second line beside a command's own; the text is kept either way
    return ExpressionDefault(sql=cleaned.sql(dialect=read, unsupported_level=ErrorLevel.IGNORE))


def _strip_parens(text: str) -> str:
    """Return `text` without the brackets that enclose all of it: `((nextval('s')))`.

    One pass pairs the brackets (peeling a layer at a time and re-checking the rest took
    minutes on a default 100,000 brackets deep).
    """
    closing: dict[int, int] = {}
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                return text
            closing[opened.pop()] = i
    lo, hi = 0, len(text) - 1
    while lo < hi and closing.get(lo) == hi:
        lo, hi = lo + 1, hi - 1
        while lo <= hi and text[lo].isspace():
            lo += 1
        while hi >= lo and text[hi].isspace():
            hi -= 1
    return text[lo : hi + 1]


def _unwrap(node: exp.Expression) -> exp.Expression:
    """Drop outer parentheses and casts: `(('x'::text))` -> `'x'`."""
    from sqlglot import exp

    while isinstance(node, exp.Paren | exp.Cast | exp.TryCast):
        node = node.this
    return node


def _constant(node: exp.Expression) -> str | None:
    from sqlglot import exp

    if isinstance(node, exp.Literal):
        return str(node.this)
    if isinstance(node, exp.Boolean):
        return "true" if node.this else "false"
    if isinstance(node, exp.Neg):
        inner = _unwrap(node.this)
        if isinstance(inner, exp.Literal) and not inner.is_string:
            return f"-{inner.this}"
    return None


def _is_now(node: exp.Expression) -> bool:
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel

    if isinstance(node, exp.CurrentTimestamp):
        return True
    # SQLite spells it `datetime('now')`; sqlglot keeps that as an anonymous/Datetime call.
    name = node.sql_name() if hasattr(node, "sql_name") else ""
    text = node.sql(dialect="sqlite", unsupported_level=ErrorLevel.IGNORE).lower().replace(" ", "")
    return name.upper() == "NOW" or text in {"datetime('now')", "current_timestamp()"}


def _drop_constant_casts(node: exp.Expression) -> exp.Expression:
    from sqlglot import exp

    def strip(n: exp.Expression) -> exp.Expression:
        if isinstance(n, exp.Cast) and isinstance(_unwrap(n.this), exp.Literal | exp.Array):
            inner: exp.Expression = n.this
            return inner
        return n

    result: exp.Expression = node.copy().transform(strip)
    return result
