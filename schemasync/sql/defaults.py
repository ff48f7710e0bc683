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
  constants dropped (`ARRAY['a'::text]` -> `ARRAY['a']`).
sqlglot is imported inside the functions: the CLI must start without it.
This module never touches files.
"""

from __future__ import annotations

import re
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
    `is_autoincrement_default`).
    """
    if sql is None or not sql.strip() or is_autoincrement_default(sql, dialect):
        return None
    quick = _plain_default(sql.strip(), dialect)
    if quick is not None:
        return quick
    return _parsed_default(sql, dialect)


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


def _parsed_default(sql: str, dialect: str) -> Default | None:
    """`normalize_default` through sqlglot's parse."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    read = sqlglot_dialect(dialect)
    try:
        tree = sqlglot.parse_one(sql.strip(), read=read)
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
    return ExpressionDefault(sql=cleaned.sql(dialect=read))


def _strip_parens(text: str) -> str:
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


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

    if isinstance(node, exp.CurrentTimestamp):
        return True
    # SQLite spells it `datetime('now')`; sqlglot keeps that as an anonymous/Datetime call.
    name = node.sql_name() if hasattr(node, "sql_name") else ""
    text = node.sql(dialect="sqlite").lower().replace(" ", "")
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
